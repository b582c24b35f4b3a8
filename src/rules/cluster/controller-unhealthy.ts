import { defineRule } from '../define';
import { controllerProblems } from './controller-health';

export default defineRule({
  code: 'FD010',
  slug: 'controller-unhealthy',
  category: 'controller-unhealthy',
  severity: 'error',
  kinds: ['Cluster'],
  title: 'Flux controller unhealthy',
  signals: [
    'controller Deployment in the Flux namespace with readyReplicas < replicas, or scaled to 0',
    'controller pod waiting in CrashLoopBackOff / ImagePullBackOff / ErrImagePull / CreateContainerConfigError, or Pending',
    'controller pod last terminated OOMKilled (within 24h while running again → warning)',
    'controller pod Evicted (status.reason Evicted: node low on ephemeral-storage or memory; within 24h while running again → warning)',
    'controller pod restarting while it runs between crashes: ≥3 restarts with the last exit (not OOMKilled) within 1h, or ≥10 within 24h → warning; several controllers at once point at a shared cause (leader election against the API server)',
    'two or more objects of one controller (no spec.kubeConfig) failing with a bare `Unauthorized` from the API server (its own token rejected: authentication, not RBAC) → error, the objects linked to it',
    'pending pod with PodScheduled=False Unschedulable (the scheduler\'s message), Deployment ReplicaFailure=True FailedCreate (quota, admission) or Progressing=False ProgressDeadlineExceeded (a rollout stuck while old pods run → warning)',
    'objects of a kind whose controller is not deployed, or labelled sharding.fluxcd.io/key=<shard> that no controller shard selects (--watch-label-selector)',
  ],
  explanation: 'A Flux controller that is not running reconciles nothing: every object of the kinds it owns keeps its last status, however old, requested reconciliations are never handled, and no new commit or chart reaches the cluster. OOMKilled means its memory limit is too low for the number and size of the objects it handles; CrashLoopBackOff means it fails at start (bad flags, missing CRD, RBAC); ImagePullBackOff means its image cannot be pulled. The objects it leaves stale are listed as blocked by it.',
  remediation: [
    { description: 'Its token is rejected ({unauthorized}): restart it so it reads a fresh ServiceAccount token; if that does not help, check its ServiceAccount still exists and whether the API server\'s token validation changed (a rotated service-account signing key, an issuer change). RBAC is not the cause: a denial would say forbidden', command: 'kubectl --context {context} -n {namespace} rollout restart deployment {name}' },
    { description: 'It keeps restarting ({restarting}): search the previous log for why it exited, e.g. "leader election lost" or failed lease renewals (the API server unreachable or slow), a panic, a missing CRD version', command: 'kubectl --context {context} logs -n {namespace} deploy/{name} --previous | grep -iE "leader election|lease|panic|unable to|no matches for kind" | tail -20' },
    { description: 'No node fits the pod ({unschedulable}): compare the Deployment\'s nodeSelector, affinity and tolerations with the nodes\' labels and taints; fix them through the Flux installation (a kubectl edit is reverted by the next reconciliation)', command: 'kubectl --context {context} -n {namespace} get deploy {name} -o jsonpath=\'{.spec.template.spec.nodeSelector}{"\\n"}{.spec.template.spec.affinity}{"\\n"}{.spec.template.spec.tolerations}{"\\n"}\'' },
    { description: 'Pods cannot be created ({replicaFailure}): read the ReplicaSet\'s FailedCreate events: a ResourceQuota (on GKE, pods of the system-critical priority classes Flux uses need a ResourceQuota that allows them), an admission webhook, Pod Security', command: 'kubectl --context {context} -n {namespace} get events --field-selector reason=FailedCreate --sort-by=.lastTimestamp' },
    { description: 'OOMKilled ({oomKilled}): raise the memory limit of {name} through the Flux installation (FluxInstance spec.kustomize.patches or the patches of flux-system/kustomization.yaml); a kubectl edit is reverted by the next reconciliation. See the current limit', command: 'kubectl --context {context} -n {namespace} get deploy {name} -o jsonpath=\'{.spec.template.spec.containers[0].resources}\'' },
    { description: 'Evicted (node low on {evicted}): for ephemeral-storage, the controller\'s /tmp and /data emptyDirs grew past what the node had; give them a sizeLimit and the container an ephemeral-storage request, or use a PVC for /data. See the evicted pods and their messages', command: 'kubectl --context {context} -n {namespace} get pods --field-selector=status.phase=Failed -o custom-columns=NAME:.metadata.name,REASON:.status.reason,MESSAGE:.status.message' },
    { description: 'The image {imagePull} cannot be pulled: check the registry, the image pull secret and the node\'s egress', command: 'kubectl --context {context} -n {namespace} get events --field-selector involvedObject.kind=Pod --sort-by=.lastTimestamp' },
    { description: 'Scaled to 0 ({scaledDown}): scale it back up (and find who scaled it down)', command: 'kubectl --context {context} -n {namespace} scale deployment {name} --replicas=1' },
    { description: 'Not deployed ({missing}): install the missing component, e.g. with flux install --components-extra or FluxInstance spec.components / spec.sharding. See which controllers exist', command: 'kubectl --context {context} -n {namespace} get deployments -l app.kubernetes.io/part-of=flux' },
    { description: 'See the controller pods, their restarts and states', command: 'kubectl --context {context} get pods -n {namespace}' },
    { description: 'Read why the pod stopped (Last State, Events)', command: 'kubectl --context {context} -n {namespace} describe pods -l app={name}' },
    { description: 'Read its last log lines before the restart ({restarted})', command: 'kubectl --context {context} logs -n {namespace} deploy/{name} --tail=20 --previous' },
    { description: 'Check the whole Flux installation', command: 'flux --context {context} check' },
  ],
  matchCluster({ index, now }) {
    return [...controllerProblems(index, now).values()].map((p) => ({
      object: p.ref,
      title: p.title,
      evidence: p.evidence,
      since: p.since,
      vars: p.vars,
      ...(p.explains ? { explains: p.explains } : {}),
      ...(p.severity === 'warning' ? { severity: 'warning' as const } : {}),
    }));
  },
});
