import { conditionRule } from '../define';
import { HEALTH, OPERATOR_STEPS, RETRY } from './messages';

function classify(message: string): string | undefined {
  if (/no matches for kind|ensure CRDs are installed/i.test(message)) return 'A CRD the manifests need is not installed';
  if (/field is immutable/i.test(message)) return 'An immutable field changed';
  if (/forbidden|cannot (?:get|list|create|patch|delete)|impersonat|failed to build kube client/i.test(message)) return 'The operator (or the ResourceSet\'s service account) may not apply these objects';
  if (/namespaces? "[^"]+" not found|namespace not specified/i.test(message)) return 'A target namespace does not exist';
  if (/dry-run failed|admission webhook|is invalid/i.test(message)) return 'The API server rejected an object';
  return undefined;
}

export default conditionRule({
  code: 'FD562',
  slug: 'operator-apply-failed',
  category: 'validation-failed',
  severity: 'error',
  kinds: ['FluxInstance', 'ResourceSet'],
  title: 'Flux Operator could not apply the manifests',
  signals: [
    'Ready=False ReconciliationFailed: reconciliation failed: <server-side apply error> (… dry-run failed (Invalid|Forbidden): …, no matches for kind …, field is immutable, failed to build kube client: …; ResourceSet steps: step "<name>" apply failed: …)',
    'health-check failures (timeout waiting for / failed early due to stalled resources / health check failed) are FD563',
  ],
  explanation: 'The operator rendered the manifests but the API server refused to apply some of them: an object is invalid or rejected by an admission webhook, a CRD is missing, an immutable field changed, or the operator (for a ResourceSet, its spec.serviceAccountName) is not allowed to apply them. The operator retries with backoff; the previous objects stay as they were.',
  remediation: [
    ...OPERATOR_STEPS,
    { description: 'For a ResourceSet with spec.serviceAccountName, check what that account may do', command: 'kubectl --context {context} -n {namespace} get resourceset {name} -o jsonpath=\'{.spec.serviceAccountName}\'', kinds: ['ResourceSet'] },
    RETRY,
  ],
  when: { type: 'Ready', status: 'False', reasons: ['ReconciliationFailed'] },
  refine(_obj, { index }, { condition }) {
    const message = condition.message ?? '';
    if (HEALTH.test(message)) return null;
    const title = classify(message);
    return { vars: { fluxNamespace: index.cluster.fluxNamespace }, ...(title ? { title } : {}) };
  },
});
