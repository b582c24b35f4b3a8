// A Kustomization that applied, or is still waiting on its health checks, while the workloads it applied cannot
// start. Without spec.wait or spec.healthChecks kustomize-controller reports Ready as soon as the apply succeeds, so
// nothing in Flux says the rollout is stuck; with them, it says so only when spec.timeout runs out.
import { condition } from '../../flux/conditions';
import { defineRule } from '../define';
import { conditionEvidence } from '../evidence';
import { inventoryEvents, keepsPodsFromStarting, lasting, troubleOf } from '../workload-trouble';


export default defineRule({
  code: 'FD325',
  slug: 'applied-workloads-not-starting',
  category: 'health-check-failed',
  severity: 'warning',
  kinds: ['Kustomization'],
  title: 'Applied, but the workloads it applied cannot start',
  signals: [
    'Ready=True (applied) or Ready=Unknown (health checks still running) with workloads in status.inventory (Deployment, StatefulSet, DaemonSet, Job, Pod, PVC)',
    'whose Warning events (and those of their ReplicaSets, Pods and claims) say they cannot start: pods refused (ResourceQuota, PodSecurity, a webhook, a missing ServiceAccount), no volume (StorageClass, provisioner), unschedulable, image pull failures, missing Secrets/ConfigMaps, no pod sandbox',
    'not for crash loops or failing probes (the application\'s own behaviour), not once Ready=False (FD317 and the other failure rules say why)',
    'only a cause that lasts: the event repeating for 5 minutes and seen in the last 15 (not a pod unschedulable for a minute while the cluster autoscaler adds a node)',
  ],
  explanation: 'kustomize-controller applied the manifests, but the workloads they describe cannot start. Without spec.wait or spec.healthChecks it reports Ready as soon as the apply succeeds, so nothing in Flux shows the stuck rollout; with them, it reports it only when spec.timeout runs out. The events of the workloads say why.',
  remediation: [
    { description: 'See the workloads of the namespace and their events', command: 'kubectl --context {context} -n {workloadNamespace} get pods,events --sort-by=.metadata.creationTimestamp' },
    { description: 'Let Flux wait for the workloads, so a stuck rollout fails the Kustomization (and blocks its dependents) instead of passing: set spec.wait: true in Git' },
  ],
  match(obj, { index, now }) {
    const ready = condition(obj, 'Ready');
    if (!ready || ready.status === 'False') return null;
    const trouble = troubleOf(inventoryEvents(index, obj, now));
    if (!trouble || !keepsPodsFromStarting(trouble) || !lasting(trouble, now)) return null;
    const checking = ready.status === 'Unknown';
    return {
      title: checking ? `Health checks running, but they cannot pass: ${trouble.title}` : `Applied, but its workloads cannot start: ${trouble.title}`,
      explanation: `${checking ? 'kustomize-controller applied the revision and is waiting for its workloads, which cannot start: it will report HealthCheckFailed when spec.timeout runs out.' : 'kustomize-controller applied the revision and reports Ready (it does not wait for the workloads), but they cannot start.'} ${trouble.explanation}`,
      evidence: [conditionEvidence(ready), trouble.evidence],
      remediation: trouble.remediation,
      vars: { workloadNamespace: trouble.namespace },
    };
  },
});
