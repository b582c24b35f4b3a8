// What the controllers' pods and Deployments say about why a controller is not (or not reliably) running.
import type { ClusterIndex } from '../../snapshot/indexes';
import type { Controller } from '../../snapshot/schema';
import { controllerRef as deploymentRef } from '../shared';
import { ageOf } from '../util';

/** An OOM kill (or eviction) this recent still matters; older ones are history. */
export const RECENT_OOM_MS = 24 * 3_600_000;

/** The controller's pod that most recently ended for `reason` (OOMKilled, Evicted). */
export function newestTermination(ctl: Controller, reason: string): Controller['pods'][number] | undefined {
  return ctl.pods
    .filter((p) => p.lastTermination?.reason === reason)
    .sort((a, b) => Date.parse(b.lastTermination?.finishedAt ?? '') - Date.parse(a.lastTermination?.finishedAt ?? ''))[0];
}

/** A running controller that exited this recently, this often, is restarting rather than stable. */
const RESTART_WINDOW_MS = 3_600_000;
const RESTARTS_RECENT = 3;
const RESTARTS_DAY = 10;

/** A pod restarting over and over while it runs between crashes (exit code 1 after leader election lost, a panic). */
export function restartLoop(ctl: Controller, now: number): Controller['pods'][number] | undefined {
  return ctl.pods.find((p) => {
    const t = p.lastTermination;
    if (!t || t.reason === 'OOMKilled' || t.reason === 'Evicted') return false;
    const age = ageOf(t.finishedAt, now);
    return age !== null && ((p.restarts >= RESTARTS_RECENT && age < RESTART_WINDOW_MS) || (p.restarts >= RESTARTS_DAY && age < RECENT_OOM_MS));
  });
}

/** What the Deployment's own conditions say when pods are missing: `ReplicaFailure FailedCreate` (quota, admission). */
export function deploymentTrouble(index: ClusterIndex, name: string): { replicaFailure?: string; progressDeadline?: string } {
  const conds: any[] = index.resource(deploymentRef(index, name))?.status?.conditions ?? [];
  const failure = conds.find((c) => c?.type === 'ReplicaFailure' && c.status === 'True');
  const progressing = conds.find((c) => c?.type === 'Progressing' && c.status === 'False' && c.reason === 'ProgressDeadlineExceeded');
  return {
    ...(failure ? { replicaFailure: `${failure.reason ?? 'ReplicaFailure'}: ${failure.message ?? ''}`.trim() } : {}),
    ...(progressing ? { progressDeadline: String(progressing.message ?? 'ProgressDeadlineExceeded') } : {}),
  };
}

/** The scheduler's reason a pending pod has no node (`PodScheduled=False Unschedulable: 0/5 nodes are available: …`). */
export function unschedulable(index: ClusterIndex, namespace: string, pod: string): string | undefined {
  const conds: any[] = index.resource({ kind: 'Pod', namespace, name: pod })?.status?.conditions ?? [];
  const c = conds.find((x) => x?.type === 'PodScheduled' && x.status === 'False');
  return c ? `${c.reason ?? 'Unschedulable'}: ${c.message ?? ''}`.trim() : undefined;
}
