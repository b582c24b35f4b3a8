// The Kubernetes events that say why a workload does not become ready. `status` lists events cluster-wide anyway
// (for the Flux objects'); these are kept too, so a health check or Helm wait that timed out can name its cause
// (a quota, PodSecurity, a missing StorageClass, an image that cannot be pulled) without reading the workloads.

/** Objects whose events explain a workload: the workload itself and what its controller creates. */
export const WORKLOAD_EVENT_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod', 'PersistentVolumeClaim']);

/**
 * Reasons written by the controllers (FailedCreate: replicaset/statefulset/daemonset/job controllers), the scheduler
 * (FailedScheduling), the volume controllers (ProvisioningFailed, FailedBinding, ExternalProvisioning) and the kubelet
 * (Failed, BackOff, InspectFailed, ErrImageNeverPull, FailedMount, FailedAttachVolume, FailedMapVolume, Unhealthy,
 * FailedCreatePodSandBox, Evicted), and the Job controller (BackoffLimitExceeded, DeadlineExceeded).
 */
export const WORKLOAD_EVENT_REASONS = new Set([
  'FailedCreate', 'FailedScheduling', 'ProvisioningFailed', 'FailedBinding', 'ExternalProvisioning',
  'Failed', 'BackOff', 'InspectFailed', 'ErrImageNeverPull', 'FailedMount', 'FailedAttachVolume', 'FailedMapVolume',
  'Unhealthy', 'FailedCreatePodSandBox', 'Evicted', 'BackoffLimitExceeded', 'DeadlineExceeded',
]);

// A claim waiting for a volume is reported as Normal (FailedBinding, ExternalProvisioning): still a reason not to be ready.
const NORMAL_BUT_TELLING = new Set(['FailedBinding', 'ExternalProvisioning']);

// Events are read as the API server serves them (core/v1 involvedObject, events.k8s.io/v1 regarding).
export function isWorkloadTroubleEvent(e: { [field: string]: any }): boolean {
  const kind = (e.involvedObject ?? e.regarding)?.kind;
  if (!kind || !WORKLOAD_EVENT_KINDS.has(kind) || !e.reason || !WORKLOAD_EVENT_REASONS.has(e.reason)) return false;
  return e.type === 'Warning' || NORMAL_BUT_TELLING.has(e.reason);
}
