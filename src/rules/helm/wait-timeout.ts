import { fluxKind } from '../../flux/kinds';
import { refKey, type ObjRef } from '../../flux/refs';
import { helmLogs } from './release';
import { releaseFailureRule } from './failure';
import { waitedOn, workloadEvidence } from './workloads';

/** Helm v3 wait logs (pkg/kube/ready.go): `Deployment is not ready: <ns>/<name>. 0 out of 2 expected pods are ready`. */
const HELM_WAIT_LOG = /\b(Deployment|StatefulSet|DaemonSet|ReplicationController|ReplicaSet|Job|Pod|PersistentVolumeClaim|Service) (?:is not ready|is not completed|is failed|is not bound|does not have [^:]+): ([^/\s]+)\/([^\s]+?)\.?(?=\s|$)/;

function waitedOnInLogs(lines: string[]): { ref: ObjRef; status: string } | null {
  for (const l of [...lines].reverse()) {
    const m = l.match(HELM_WAIT_LOG);
    if (m) return { ref: { kind: m[1]!, namespace: m[2]!, name: m[3]! }, status: 'NotReady' };
  }
  return null;
}

export default releaseFailureRule({
  code: 'FD409',
  slug: 'helm-wait-timeout',
  category: 'health-check-failed',
  severity: 'error',
  kinds: ['HelmRelease'],
  title: 'Helm release resources not ready in time',
  signals: [
    'Released=False InstallFailed/UpgradeFailed: … with chart <chart>@<version>: <err>, where <err> is',
    '… context deadline exceeded / timed out waiting for the condition (Helm v3 waits, Flux ≤2.7 or waitStrategy legacy)',
    "… timeout waiting for: [<Kind>/<ns>/<name> status: 'InProgress', …] / failed early due to stalled resources: [… status: 'Failed'] (kstatus waits, Flux 2.8+)",
    '… job <name> failed: BackoffLimitExceeded (a non-hook Job waited on)',
    'not: `context deadline exceeded` at the end of an admission webhook call (FD425), of an API request or after `Kubernetes cluster unreachable` (FD427): only as the whole error, its own line or a multierror item',
    'the workload not ready, from the message or from the Helm wait lines in the "Last Helm logs" of the failure event (`Deployment is not ready: <ns>/<name>. …`); described from the snapshot when it has it',
  ],
  explanation: 'Helm applied the release but the resources it waits for (Deployments, StatefulSets, DaemonSets, Jobs, PVCs, Services of type LoadBalancer…) did not become ready within the action timeout (spec.timeout, default 5m), or one of them failed outright. Usually a pod cannot start: image pull errors, crash loops, failing probes, unschedulable pods, a missing Secret or ConfigMap. The release is marked failed and remediation (rollback/uninstall) follows if configured.',
  remediation: [
    { description: 'Read the failure events: the "Last Helm logs" name the resource Helm was waiting for', command: 'flux --context {context} events --for HelmRelease/{name} -n {namespace}' },
    { description: 'Describe the resource that was not ready ({workloadRef})', command: 'kubectl --context {context} -n {workloadNamespace} describe {workloadResource} {workloadName}' },
    { description: 'Look at the pods of the release and their recent events (ImagePullBackOff, CrashLoopBackOff, Pending)', command: 'kubectl --context {context} -n {releaseNamespace} get pods,events --sort-by=.metadata.creationTimestamp' },
    { description: 'If the workloads only start slowly, raise spec.timeout (now {timeout}) or spec.{action}.timeout in Git' },
    { description: 'Run the release again once they can become ready', command: 'flux --context {context} reconcile helmrelease {name} -n {namespace} {forceFlag}' },
  ],
  classes: ['timeout'],
  enrich(obj, { index }, failure, vars) {
    const items = waitedOn(failure.tail, vars.releaseNamespace ?? obj.metadata.namespace ?? '');
    const fromLogs = items.length === 0 ? waitedOnInLogs(helmLogs(index, obj, ['InstallFailed', 'UpgradeFailed']).lines) : null;
    if (fromLogs) items.push(fromLogs);
    const evidence: string[] = [];
    const extra: Record<string, string> = {};
    const blockedBy: ObjRef[] = [];
    const workload = items.find((i) => !fluxKind(i.ref.kind))?.ref;
    for (const item of items) {
      if (fluxKind(item.ref.kind) && index.get(item.ref)) blockedBy.push(item.ref); // e.g. a chart that ships Flux objects
      else evidence.push(...workloadEvidence(index, item.ref));
    }
    if (workload) {
      extra.workloadRef = refKey(workload);
      extra.workloadResource = workload.kind.toLowerCase();
      extra.workloadName = workload.name;
      extra.workloadNamespace = workload.namespace ?? vars.releaseNamespace ?? '';
    }
    const names = items.map((i) => `${refKey(i.ref)} (${i.status})`);
    const early = /failed early due to stalled resources/.test(failure.tail);
    const verb = failure.action === 'install' ? 'install' : 'upgrade';
    const title = names.length > 0
      ? `Helm ${verb} ${early ? 'failed' : 'timed out'} waiting for ${names.slice(0, 2).join(', ')}${names.length > 2 ? ` and ${names.length - 2} more` : ''}`
      : `Helm ${verb} timed out waiting for the release's resources`;
    return { evidence, vars: extra, title, ...(blockedBy.length > 0 ? { blockedBy } : {}) };
  },
});
