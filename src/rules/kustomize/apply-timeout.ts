import { conditionRule } from '../define';
import { APPLY_REASONS, applyTarget, baseEvidence, classifyApply, isFresh, ksVars, targetVars } from './messages';

export default conditionRule({
  code: 'FD315',
  slug: 'apply-timeout',
  category: 'reconcile-stuck',
  severity: 'error',
  kinds: ['Kustomization'],
  title: 'Apply timed out talking to the API server',
  signals: [
    'Ready=False ReconciliationFailed: … context deadline exceeded / i/o timeout / connection refused / TLS handshake timeout / Client.Timeout exceeded / the server was unable to return a response in the time allotted',
    '… etcdserver: request timed out / leader changed / no leader / too many requests / mvcc: database space exceeded (etcd\'s own errors relayed by the API server: the control plane, not the manifest)',
    'not: a webhook that cannot be called (FD311)',
    'failing for less than 10 minutes → warning (transient API pressure)',
  ],
  explanation: 'The server-side apply did not complete: the API server (or, with spec.kubeConfig, the remote cluster) did not answer within spec.timeout, refused the connection, or timed out internally. Typical causes are an overloaded or unreachable API server, a network problem between kustomize-controller and the target cluster, or a very large revision with a short timeout. Nothing is applied until an attempt completes.',
  remediation: [
    { description: 'Check the API server answers from here (for spec.kubeConfig, the remote cluster)', command: 'kubectl --context {context} get --raw=/readyz' },
    { description: 'Read kustomize-controller\'s recent errors', command: 'kubectl --context {context} -n {fluxNamespace} logs deploy/kustomize-controller --tail=50' },
    { description: 'If the revision is large, raise spec.timeout (now {timeout}) in Git; then retry', command: 'flux --context {context} reconcile kustomization {name} -n {namespace}' },
  ],
  when: { type: 'Ready', status: 'False', reasons: APPLY_REASONS },
  refine(obj, { index, now }, { condition }) {
    const message = condition.message ?? '';
    if (classifyApply(message) !== 'timeout') return null;
    const remote = obj.spec?.kubeConfig ? ' (remote cluster from spec.kubeConfig)' : '';
    return {
      vars: { ...ksVars(obj, index), ...targetVars(applyTarget(message)) },
      evidence: baseEvidence(obj, condition),
      ...(remote ? { title: `Apply timed out talking to the target cluster${remote}` } : {}),
      ...(isFresh(condition, now) ? { severity: 'warning' as const } : {}),
    };
  },
});
