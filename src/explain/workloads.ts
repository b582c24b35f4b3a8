// Whether a workload (Deployment, StatefulSet, DaemonSet, Job) is ready, in one line.
import type { KubeObject } from '../snapshot/schema';

export function workloadState(w: KubeObject): { ready: boolean; summary: string } {
  const s = w.status ?? {};
  if (w.kind === 'Job') {
    const failed = (s.conditions ?? []).find((c: any) => c.type === 'Failed' && c.status === 'True');
    if (failed) return { ready: false, summary: `failed: ${failed.reason ?? ''} ${failed.message ?? ''}`.trim() };
    return { ready: Boolean(s.succeeded), summary: s.succeeded ? 'complete' : `active ${s.active ?? 0}` };
  }
  const desired = w.kind === 'DaemonSet' ? (s.desiredNumberScheduled ?? 0) : (w.spec?.replicas ?? 1);
  const ready = w.kind === 'DaemonSet' ? (s.numberReady ?? 0) : (s.readyReplicas ?? 0);
  const stuck = (s.conditions ?? []).find((c: any) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded');
  return { ready: ready >= desired, summary: `${ready}/${desired} ready${stuck ? ' (ProgressDeadlineExceeded)' : ''}` };
}
