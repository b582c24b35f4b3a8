import { sourceRule } from './rule';

export default sourceRule({
  code: 'FD221',
  slug: 'source-storage-failed',
  category: 'controller-unhealthy',
  severity: 'error',
  kinds: ['GitRepository', 'OCIRepository', 'HelmRepository', 'HelmChart', 'Bucket'],
  title: 'source-controller cannot write its artifact storage',
  signals: [
    'StorageOperationFailed=True → Ready=False DirectoryCreationFailed | StatOperationFailed | ArchiveOperationFailed | AcquireLockFailed | InvalidPath | SymlinkUpdateFailed',
    'messages: failed to create artifact directory: … / unable to archive artifact to storage: … (no space left on device, read-only file system, permission denied) / failed to acquire lock for artifact: … / failed to stat target artifact path: … / unable to save artifact to storage / unable to copy Helm chart to storage / failed to create temporary working directory',
    'any failure whose error is a full or read-only disk (no space left on device / read-only file system), e.g. unable to clone \'<url>\': write /tmp/gitrepository-…: no space left on device (the clone into /tmp)',
    'blocked by the source-controller Deployment when it is unhealthy',
  ],
  explanation: 'source-controller could not write to its own disk: the artifact volume (/data, an emptyDir or a PVC) when storing, or /tmp when cloning or downloading before that: the volume is full (too many or too large artifacts, a small emptyDir sizeLimit), read-only or not writable by the controller, or a lock is held by a stuck reconciliation. Every source handled by this controller is likely affected, and nothing new reaches the cluster until storage is fixed.',
  remediation: [
    { description: 'Check source-controller\'s pod (restarts, evictions for ephemeral storage)', command: 'kubectl --context {context} -n {fluxNamespace} describe pod -l app=source-controller' },
    { description: 'Read source-controller\'s storage errors', command: 'kubectl --context {context} -n {fluxNamespace} logs deploy/source-controller --tail=50' },
    { description: 'Check the volume backing /data (emptyDir sizeLimit or PVC size)', command: 'kubectl --context {context} -n {fluxNamespace} get deploy source-controller -o jsonpath=\'{.spec.template.spec.volumes}{"\\n"}\'' },
    { description: 'Restart source-controller to clear locks and temporary files once space is available', command: 'kubectl --context {context} -n {fluxNamespace} rollout restart deploy/source-controller' },
    { description: 'Fetch again', command: 'flux --context {context} reconcile {noun} {name} -n {namespace}' },
  ],
  classes: ['storage'],
  refine(_obj, { index }, found) {
    const message = found.condition.message ?? '';
    const title = /no space left on device/i.test(message) ? 'source-controller storage is full (no space left on device)'
      : /read-only file system/i.test(message) ? 'source-controller storage is read-only'
        : /permission denied/i.test(message) ? 'source-controller cannot write its storage (permission denied)'
          : undefined;
    return {
      blockedBy: [{ kind: 'Deployment', namespace: index.cluster.fluxNamespace, name: 'source-controller' }],
      ...(title ? { title } : {}),
    };
  },
});
