import { conditionRule } from '../define';
import { conditionEvidence } from '../evidence';
import { helmVars } from './release';

export default conditionRule({
  code: 'FD402',
  slug: 'helm-source-access-denied',
  category: 'access-denied',
  severity: 'error',
  kinds: ['HelmRelease'],
  title: 'Cross-namespace chart reference blocked',
  signals: [
    'Ready=False + Stalled=True AccessDenied: cross-namespace references are not allowed: cannot access <Kind> <ns>/<name>',
    "… can't access '<Kind>/<ns>/<name>', ExternalArtifact feature gate is disabled (2.7+)",
  ],
  explanation: 'helm-controller runs with --no-cross-namespace-refs (multi-tenancy lockdown) and this HelmRelease points at a chart source in another namespace (spec.chartRef.namespace or spec.chart.spec.sourceRef.namespace), or it uses an ExternalArtifact while that feature gate is off. It is stalled: Flux will not retry until the spec or the controller flags change.',
  remediation: [
    { description: 'See where the chart reference points', command: 'kubectl --context {context} -n {namespace} get helmrelease {name} -o jsonpath=\'{.spec.chartRef}{"\\n"}{.spec.chart.spec.sourceRef}\'' },
    { description: 'Move (or copy) the chart source into the namespace {namespace} and reference it without a namespace, then apply the change', command: 'flux --context {context} reconcile helmrelease {name} -n {namespace} --with-source' },
    { description: 'Check the helm-controller flags (--no-cross-namespace-refs, --feature-gates)', command: 'kubectl --context {context} -n {fluxNamespace} get deploy helm-controller -o jsonpath=\'{.spec.template.spec.containers[0].args}\'' },
  ],
  when: { type: 'Ready', status: 'False', reasons: ['AccessDenied'] },
  refine(obj, { index }, { condition }) {
    return { vars: { ...helmVars(obj), fluxNamespace: index.cluster.fluxNamespace }, evidence: [conditionEvidence(condition)] };
  },
});
