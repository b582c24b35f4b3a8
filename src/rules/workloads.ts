// What the snapshot knows about the Kubernetes objects a health check or a release waits on (workloads, hook Jobs,
// test Pods). They are only there when they were collected (`explain`, or manifests given with --from); rules must
// work without (workload-trouble.ts reads their events, which `status` keeps).
import { parseStatusItems, refKey, type ObjRef } from '../flux/refs';
import type { ClusterIndex } from '../snapshot/indexes';
import type { KubeObject } from '../snapshot/schema';

const POD_TROUBLE = new Set([
  'ImagePullBackOff', 'ErrImagePull', 'CrashLoopBackOff', 'CreateContainerConfigError', 'CreateContainerError',
  'InvalidImageName', 'RunContainerError', 'OOMKilled', 'Error', 'ContainerCannotRun', 'DeadlineExceeded',
]);

function matches(pod: KubeObject, selector: Record<string, string>): boolean {
  const labels = pod.metadata.labels ?? {};
  return Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);
}

export function podsOf(index: ClusterIndex, w: KubeObject): KubeObject[] {
  const ns = w.metadata.namespace;
  const pods = index.cluster.resources.filter((p) => p.kind === 'Pod' && p.metadata.namespace === ns);
  if (w.kind === 'Job') {
    return pods.filter((p) => p.metadata.labels?.['job-name'] === w.metadata.name || p.metadata.labels?.['batch.kubernetes.io/job-name'] === w.metadata.name
      || ((p.metadata.ownerReferences ?? []) as any[]).some((o: any) => o.kind === 'Job' && o.name === w.metadata.name));
  }
  const selector: Record<string, string> | undefined = w.spec?.selector?.matchLabels;
  return selector ? pods.filter((p) => matches(p, selector)) : [];
}

/** `pod ns/name container c: Error (exit code 1)` for containers that are failing or failed. */
export function podProblems(pod: KubeObject): string[] {
  const out: string[] = [];
  const ref = `pod ${pod.metadata.namespace}/${pod.metadata.name}`;
  for (const cs of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    const waiting = cs.state?.waiting;
    const terminated = cs.state?.terminated ?? cs.lastState?.terminated;
    if (waiting?.reason && POD_TROUBLE.has(waiting.reason)) {
      out.push(`${ref} container ${cs.name}: ${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''} (${cs.restartCount ?? 0} restarts)`);
    } else if (terminated && (terminated.exitCode ?? 0) !== 0) {
      out.push(`${ref} container ${cs.name}: terminated ${terminated.reason ?? 'Error'} (exit code ${terminated.exitCode})${terminated.message ? `: ${terminated.message}` : ''}`);
    }
  }
  if (out.length === 0 && pod.status?.phase === 'Failed') out.push(`${ref}: phase Failed${pod.status?.reason ? ` (${pod.status.reason})` : ''}`);
  return out;
}

/** Job conditions and its pods' failures. */
export function jobEvidence(index: ClusterIndex, job: KubeObject): string[] {
  const out: string[] = [];
  const key = refKey({ kind: 'Job', namespace: job.metadata.namespace, name: job.metadata.name });
  const failed = (job.status?.conditions ?? []).find((c: any) => c.type === 'Failed' && c.status === 'True');
  if (failed) out.push(`${key}: Failed ${failed.reason ?? ''}${failed.message ? `: ${failed.message}` : ''}`.replace(/ +:/, ':'));
  else if (typeof job.status?.failed === 'number' && job.status.failed > 0) out.push(`${key}: ${job.status.failed} failed pod(s), ${job.status?.active ?? 0} active`);
  for (const pod of podsOf(index, job).slice(0, 3)) out.push(...podProblems(pod));
  return out;
}

/** Replicas and pod failures of a workload a wait listed. */
export function workloadEvidence(index: ClusterIndex, ref: ObjRef): string[] {
  const w = index.resource(ref);
  if (!w) return [];
  if (w.kind === 'Job') return jobEvidence(index, w);
  const out: string[] = [];
  const s = w.status ?? {};
  if (['Deployment', 'StatefulSet'].includes(w.kind)) {
    const desired = w.spec?.replicas ?? 1;
    const updated = s.updatedReplicas ?? s.currentReplicas;
    out.push(`${refKey(ref)}: ${s.readyReplicas ?? 0}/${desired} replicas ready${typeof updated === 'number' ? `, ${updated}/${desired} updated to the new template` : ''}${s.unavailableReplicas ? `, ${s.unavailableReplicas} unavailable` : ''}`);
  }
  if (w.kind === 'DaemonSet') out.push(`${refKey(ref)}: ${s.numberReady ?? 0}/${s.desiredNumberScheduled ?? 0} pods ready`);
  for (const c of s.conditions ?? []) {
    if (c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded') out.push(`${refKey(ref)}: ${c.reason}: ${c.message ?? ''}`.trim());
  }
  for (const pod of podsOf(index, w).slice(0, 3)) out.push(...podProblems(pod));
  return out;
}

/** Workloads a wait names: kstatus lists (2.8+), Helm v4 waiter lines, and `job <name> failed` (waitForJobs). */
export function waitedOn(tail: string, releaseNamespace: string): { ref: ObjRef; status: string }[] {
  const out = parseStatusItems(tail).map((i) => ({ ref: i.ref, status: i.status }));
  for (const m of tail.matchAll(/resource not ready, name: ([^,\s]+), kind: (\w+), status: (\w+)/g)) {
    out.push({ ref: { kind: m[2]!, namespace: releaseNamespace, name: m[1]! }, status: m[3]! });
  }
  for (const m of tail.matchAll(/resource (\w+)\/([^/\s]+)\/([^\s]+) not ready\. status: (\w+)/g)) {
    out.push({ ref: { kind: m[1]!, namespace: m[2]!, name: m[3]! }, status: m[4]! });
  }
  for (const m of tail.matchAll(/\bjob (\S+) failed: (\w+)/g)) out.push({ ref: { kind: 'Job', namespace: releaseNamespace, name: m[1]! }, status: m[2]! });
  return out;
}
