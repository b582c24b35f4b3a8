// Which objects a Helm wait timed out on, and why they never became ready. Read by the wait-timeout rule and by the
// cluster rule that finds one cause behind several releases.
import { fluxKind } from '../../flux/kinds';
import type { ObjRef } from '../../flux/refs';
import type { ClusterIndex } from '../../snapshot/indexes';
import type { KubeObject } from '../../snapshot/schema';
import { oncePerObject, releaseEvents, troubleOf, workloadEvents, type WorkloadTrouble } from '../workload-trouble';
import { waitedOn } from '../workloads';
import { helmLogs, helmVars } from './release';
import { releaseFailure } from './failure';

/** Helm v3 wait logs (pkg/kube/ready.go): `Deployment is not ready: <ns>/<name>. 0 out of 2 expected pods are ready`. */
const HELM_WAIT_LOG = /\b(Deployment|StatefulSet|DaemonSet|ReplicationController|ReplicaSet|Job|Pod|PersistentVolumeClaim|Service) (?:is not ready|is not completed|is failed|is not bound|does not have [^:]+): ([^/\s]+)\/([^\s]+?)\.?(?=\s|$)/;

function waitedOnInLogs(lines: string[]): { ref: ObjRef; status: string } | null {
  for (const l of [...lines].reverse()) {
    const m = l.match(HELM_WAIT_LOG);
    if (m) {
      const status = /load balancer ingress/.test(l) ? 'no load balancer address' : /is not bound/.test(l) ? 'not bound' : 'NotReady';
      return { ref: { kind: m[1]!, namespace: m[2]!, name: m[3]! }, status };
    }
  }
  return null;
}

/** v2beta1 controllers (Flux 0.x–2.1) appended the Helm logs to the message: `<err>\n\nLast Helm logs:\n\n<lines>`. */
function logsInMessage(tail: string): string[] {
  const i = tail.indexOf('Last Helm logs:');
  return i < 0 ? [] : tail.slice(i).split('\n').map((l) => l.trim()).filter(Boolean);
}

export interface WaitItem {
  ref: ObjRef;
  status: string;
}

/** The objects the failure names (kstatus lists, Helm v4 waiter lines), else the last one Helm v3's wait logs named. */
export function releaseWaitItems(hr: KubeObject, index: ClusterIndex, tail: string, releaseNamespace: string): { items: WaitItem[]; fromLogs: WaitItem | null } {
  const items = waitedOn(tail, releaseNamespace);
  const fromLogs = items.length === 0 ? waitedOnInLogs([...logsInMessage(tail), ...helmLogs(index, hr, ['InstallFailed', 'UpgradeFailed']).lines]) : null;
  if (fromLogs) items.push(fromLogs);
  return { items, fromLogs };
}

/**
 * Why the workloads never became ready, from their events. A failure that named nothing (Helm v3's bare `context
 * deadline exceeded`) is matched to the workloads of the release's inventory and the objects named after the release.
 */
export function releaseTrouble(hr: KubeObject, items: WaitItem[], index: ClusterIndex, vars: Record<string, string>, now: number): WorkloadTrouble | null {
  const workloads = items.filter((i) => !fluxKind(i.ref.kind));
  if (workloads.length > 0) return troubleOf(workloads.flatMap((i) => workloadEvents(index, i.ref, now)));
  if (items.length > 0 || !vars.releaseNamespace || !vars.releaseName) return null;
  return troubleOf(releaseEvents(index, hr, vars.releaseNamespace, vars.releaseName, now));
}

/** The same for any HelmRelease whose last install or upgrade timed out waiting (the cluster rules FD028, FD034 ask). */
export const timedOutReleaseTrouble = oncePerObject(findTimedOutReleaseTrouble);

function findTimedOutReleaseTrouble(hr: KubeObject, index: ClusterIndex, now: number): WorkloadTrouble | null {
  const failure = releaseFailure(hr);
  if (!failure || failure.klass !== 'timeout') return null;
  const vars = helmVars(hr);
  const [ns, name] = failure.release?.split('/') ?? [];
  if (ns && name) Object.assign(vars, { releaseNamespace: ns, releaseName: name });
  return releaseTrouble(hr, releaseWaitItems(hr, index, failure.tail, vars.releaseNamespace ?? hr.metadata.namespace ?? '').items, index, vars, now);
}
