import { condition } from '../../flux/conditions';
import { defineRule } from '../define';
import { conditionEvidence } from '../evidence';
import { formatDuration, ageOf } from '../util';
import { helmLogsEvidence, helmVars } from './release';
import { classifyHelmError } from './failure';

// helm-controller internal/controller/helmrelease_controller.go reconcileReleaseDeletion and
// internal/reconcile/uninstall.go (Flux 2.2+); the controller of 2.1 and older records no condition for it.
const CAUSE: Partial<Record<ReturnType<typeof classifyHelmError>, string>> = {
  hook: 'a pre-delete or post-delete hook failed',
  timeout: 'the objects were not deleted within the timeout',
  forbidden: 'forbidden by RBAC',
  unreachable: 'the target cluster is unreachable',
  'api-timeout': 'the Kubernetes API did not answer in time',
  'webhook-unavailable': 'an admission webhook did not answer',
  'webhook-denied': 'an admission webhook denied it',
};

export default defineRule({
  code: 'FD430',
  slug: 'helm-deletion-uninstall-failed',
  category: 'reconcile-stuck',
  severity: 'error',
  kinds: ['HelmRelease'],
  title: 'HelmRelease deletion is stuck: Helm uninstall failed',
  signals: [
    'metadata.deletionTimestamp set and Ready=False UninstallFailed (2.2+):',
    '… Helm uninstall failed for release <ns>/<name>.v<N> with chart <chart>@<version>: <err> (e.g. uninstallation completed with 1 error(s): context deadline exceeded, a failed pre-delete hook)',
    "… failed to build REST client getter to uninstall release: <err> / failed to confirm ServiceAccount '<sa>' can be used to uninstall release: <err>",
  ],
  explanation: 'The HelmRelease was deleted, and its finalizer (finalizers.fluxcd.io) makes helm-controller uninstall the Helm release first. The uninstall failed, so the finalizer stays and the HelmRelease (and anything waiting on its deletion, such as its namespace) hangs in Terminating while helm-controller retries. Usual causes: a pre-delete hook that fails, objects that do not go away within spec.uninstall.timeout (their own finalizers, e.g. PVCs or cloud load balancers), or an account or cluster that can no longer be reached.',
  remediation: [
    { description: 'Read the uninstall failure events and their "Last Helm logs"', command: 'flux --context {context} events --for HelmRelease/{name} -n {namespace}' },
    { description: 'See which objects of the release are still terminating (their own finalizers)', command: 'kubectl --context {context} -n {releaseNamespace} get all,pvc -o wide' },
    { description: 'Fix the cause (the hook, the stuck objects, spec.uninstall.timeout/disableHooks/deletionPropagation); helm-controller retries the uninstall by itself', command: 'kubectl --context {context} -n {namespace} get helmrelease {name} -o jsonpath=\'{.spec.uninstall}\'' },
    { description: 'Last resort, leaving the release\'s objects in the cluster: set spec.suspend: true on the terminating HelmRelease (helm-controller then skips the uninstall and drops its finalizer), or remove the finalizer', command: 'kubectl --context {context} -n {namespace} patch helmrelease {name} --type=merge -p \'{"spec":{"suspend":true}}\'' },
  ],
  match(obj, { index, now }) {
    const deleted = obj.metadata.deletionTimestamp;
    if (typeof deleted !== 'string' || !deleted) return null;
    const ready = condition(obj, 'Ready');
    if (ready?.status !== 'False' || ready.reason !== 'UninstallFailed') return null;
    const evidence = [conditionEvidence(ready)];
    const age = ageOf(deleted, now);
    const finalizers = Array.isArray(obj.metadata.finalizers) ? obj.metadata.finalizers.join(', ') : '';
    evidence.push(`metadata.deletionTimestamp: ${deleted}${age !== null ? ` (deleted ${formatDuration(age)} ago)` : ''}; finalizers: ${finalizers || 'none'}`);
    const tail = (ready.message ?? '').replace(/^Helm uninstall failed for release \S+ with chart \S+: /, '');
    // Helm uninstall joins the errors of its deletes and wait: `uninstallation completed with N error(s): <errs>`.
    const errors = tail.replace(/^uninstallation completed with \d+ error\(s\): /, '');
    // Uninstall returns a delete hook's error as is (`job <name> failed: <reason>`, `warning: Hook pre-delete …`).
    const hook = errors.match(/\bjob (\S+) failed: (\w+)|\bpod (\S+) failed\b|warning: Hook ((?:pre|post)-delete) /);
    const cause = hook ? `delete hook ${hook[1] ?? hook[3] ?? hook[4]}${hook[2] ? ` failed: ${hook[2]}` : ' failed'}` : CAUSE[classifyHelmError(errors)];
    return {
      evidence: [...evidence, ...helmLogsEvidence(index, obj, ['UninstallFailed'])],
      vars: helmVars(obj),
      since: deleted,
      ...(cause ? { title: `HelmRelease deletion is stuck: Helm uninstall failed (${cause})` } : {}),
    };
  },
});
