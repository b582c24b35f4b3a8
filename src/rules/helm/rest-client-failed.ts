import { conditionRule } from '../define';
import { conditionEvidence } from '../evidence';
import { helmVars } from './release';

export default conditionRule({
  code: 'FD403',
  slug: 'helm-target-cluster-access-failed',
  category: 'access-denied',
  severity: 'error',
  kinds: ['HelmRelease'],
  title: 'Cannot build a client for the target cluster',
  signals: [
    "Ready=False RESTClientError: could not get KubeConfig secret '<ns>/<name>': <API error>",
    '… exactly one of .spec.kubeConfig.configMapRef or spec.kubeConfig.secretRef must be set / kubeconfig or workload identity errors',
    '… could not get in-cluster REST config: …',
    "Ready=False InitFailed (v2beta1, Flux 2.1 and older): could not find KubeConfig secret '<ns>/<name>': <API error> / KubeConfig secret '<ns>/<name>' does not contain a '<key>' key with data / failed to load KubeConfig from secret '<ns>/<name>': …",
  ],
  explanation: 'Before any Helm action, helm-controller builds a Kubernetes client for the target cluster: from spec.kubeConfig (a Secret with a kubeconfig, or a ConfigMap for workload identity) or in-cluster, impersonating spec.serviceAccountName. That failed, usually because the kubeconfig Secret is missing, has no expected key, or holds expired credentials. Nothing is installed or upgraded until it works.',
  remediation: [
    { description: 'See how this release reaches its cluster', command: 'kubectl --context {context} -n {namespace} get helmrelease {name} -o jsonpath=\'{.spec.kubeConfig}{"\\n"}{.spec.serviceAccountName}\'' },
    { description: 'Check the kubeconfig Secret exists and has the expected key (value, or spec.kubeConfig.secretRef.key)', command: 'kubectl --context {context} -n {namespace} get secret {kubeConfigSecret} -o jsonpath=\'{.data}\' | jq \'keys\'' },
    { description: 'Retry once the Secret or ConfigMap is fixed', command: 'flux --context {context} reconcile helmrelease {name} -n {namespace}' },
  ],
  when: [
    { type: 'Ready', status: 'False', reasons: ['RESTClientError'] },
    // The controller of 2.1 and older reports the same client errors under the generic InitFailed (values errors stay FD405).
    { type: 'Ready', status: 'False', reasons: ['InitFailed'], message: /KubeConfig secret|KubeConfig from secret/ },
  ],
  refine(obj, _ctx, { condition }) {
    const vars = helmVars(obj);
    const secret = obj.spec?.kubeConfig?.secretRef?.name ?? (condition.message ?? '').match(/KubeConfig secret '(?:[^/']+\/)?([^']+)'/)?.[1];
    if (typeof secret === 'string' && secret) vars.kubeConfigSecret = secret;
    return { vars, evidence: [conditionEvidence(condition)] };
  },
});
