import { conditionRule } from '../define';
import { baseEvidence, classifyArtifact, controllerRef, ksVars } from './messages';

export default conditionRule({
  code: 'FD324',
  slug: 'tmp-dir-failed',
  category: 'controller-unhealthy',
  severity: 'error',
  kinds: ['Kustomization'],
  title: 'kustomize-controller cannot create its working directory',
  signals: [
    'Ready=False DirCreationFailed: tmp dir error: <err> (mkdir /tmp/kustomization-<n>: no space left on device | read-only file system | permission denied)',
    'Ready=False ArtifactFailed: failed to copy temp contents: write /tmp/fetch.<n>.tmp: no space left on device (the downloaded artifact could not be written; read-only file system likewise)',
    'blocked by the kustomize-controller Deployment when it is unhealthy',
  ],
  explanation: 'kustomize-controller works in /tmp (an emptyDir in the Flux manifests): it creates a directory per reconciliation and writes the downloaded source artifact there. It could not: the volume is full (large artifacts, leftovers of interrupted builds, or a small sizeLimit / ephemeral-storage limit), read-only, or not writable. Every Kustomization handled by this controller is likely affected and nothing is applied until there is space again.',
  remediation: [
    { description: 'Check kustomize-controller\'s pod: ephemeral-storage evictions, restarts, its events', command: 'kubectl --context {context} -n {fluxNamespace} describe pod -l app=kustomize-controller' },
    { description: 'See the volume backing /tmp and any sizeLimit or ephemeral-storage limit', command: 'kubectl --context {context} -n {fluxNamespace} get deploy kustomize-controller -o jsonpath=\'{.spec.template.spec.volumes}{"\\n"}{.spec.template.spec.containers[0].resources}{"\\n"}\'' },
    { description: 'Read kustomize-controller\'s recent errors', command: 'kubectl --context {context} -n {fluxNamespace} logs deploy/kustomize-controller --tail=50' },
    { description: 'Restart kustomize-controller to get an empty /tmp (and raise the emptyDir sizeLimit or ephemeral-storage limit if it fills up again)', command: 'kubectl --context {context} -n {fluxNamespace} rollout restart deployment kustomize-controller' },
    { description: 'Apply again', command: 'flux --context {context} reconcile kustomization {name} -n {namespace}' },
  ],
  // The reason is source-controller's constant (sourcev1.DirCreationFailedReason), reused by kustomize-controller.
  when: { type: 'Ready', status: 'False', reasons: ['DirCreationFailed', 'ArtifactFailed'] },
  refine(obj, { index }, { condition }) {
    const message = condition.message ?? '';
    if (condition.reason === 'ArtifactFailed' && classifyArtifact(message) !== 'local-disk') return null;
    const title = /no space left on device/i.test(message) ? 'kustomize-controller\'s /tmp is full (no space left on device)'
      : /read-only file system/i.test(message) ? 'kustomize-controller\'s /tmp is read-only'
        : /permission denied/i.test(message) ? 'kustomize-controller cannot write /tmp (permission denied)'
          : undefined;
    return {
      vars: ksVars(obj, index),
      evidence: baseEvidence(obj, condition),
      blockedBy: [controllerRef(index, 'kustomize-controller')],
      ...(title ? { title } : {}),
    };
  },
});
