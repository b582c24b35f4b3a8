import { conditionRule } from '../define';
import { CROSS_NAMESPACE_BLOCKED } from '../shared';
import { baseEvidence, ksVars } from './messages';

export default conditionRule({
  code: 'FD319',
  slug: 'access-blocked',
  category: 'access-denied',
  severity: 'error',
  kinds: ['Kustomization'],
  title: 'Blocked by the controller\'s security settings',
  signals: [
    "Ready=False + Stalled=True AccessDenied: can't access '<Kind>/<ns>/<name>', cross-namespace references have been blocked (--no-cross-namespace-refs)",
    "… can't access '<Kind>/<ns>/<name>', ExternalArtifact feature gate is disabled (2.7+)",
    'Ready=False + Stalled=True FeatureGateDisabled (2.6+): to use spec.decryption.serviceAccountName … please enable the ObjectLevelWorkloadIdentity feature gate',
  ],
  explanation: 'kustomize-controller runs with a lockdown this Kustomization violates: multi-tenancy forbids referencing a source in another namespace, or the spec uses a feature (ExternalArtifact sources, object-level workload identity) whose feature gate is off. The object is stalled: Flux will not retry until the spec or the controller flags change.',
  remediation: [
    { description: 'Move or copy {blockedSource} into {namespace}: under multi-tenancy lockdown a Kustomization may only use sources of its own namespace', command: 'kubectl --context {context} -n {namespace} get kustomization {name} -o jsonpath=\'{.spec.sourceRef}\'' },
    { description: 'See the flags kustomize-controller runs with (--no-cross-namespace-refs, --feature-gates)', command: 'kubectl --context {context} -n {fluxNamespace} get deploy kustomize-controller -o jsonpath=\'{.spec.template.spec.containers[0].args}\'' },
    { description: 'Either stop using the feature in the spec, or enable {featureGate} on kustomize-controller through the Flux installation (FluxInstance, or a kustomize patch of the flux-system manifests adding --feature-gates={featureGate}=true)' },
    { description: 'Retry once the spec or the controller flags are changed', command: 'flux --context {context} reconcile kustomization {name} -n {namespace}' },
  ],
  when: [
    { type: 'Ready', status: 'False', reasons: ['AccessDenied'] },
    { type: 'Ready', status: 'False', reasons: ['FeatureGateDisabled'] },
  ],
  refine(obj, { index }, { condition }) {
    const message = condition.message ?? '';
    const gate = message.match(/enable the (\S+) feature gate|(\S+) feature gate is disabled/);
    const title = CROSS_NAMESPACE_BLOCKED.test(message) ? 'Cross-namespace source reference blocked'
      : gate ? `Feature gate ${gate[1] ?? gate[2]} is disabled on kustomize-controller` : undefined;
    const vars = ksVars(obj, index);
    const blocked = message.match(/can't access '([^']+)'/)?.[1];
    if (blocked && /cross-namespace/.test(message)) vars.blockedSource = blocked;
    if (gate) vars.featureGate = (gate[1] ?? gate[2])!;
    return { vars, evidence: baseEvidence(obj, condition), ...(title ? { title } : {}) };
  },
});
