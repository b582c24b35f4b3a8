// FailedScheduling (the scheduler): no node takes the pod.
import type { RemediationTemplate } from '../types';
import type { EventFacts, WorkloadTrouble } from './cause';

/** FailedScheduling: `0/<n> nodes are available: <counts and reasons>. preemption: …`. */
export function unschedulable(f: EventFacts): WorkloadTrouble {
  const { ns, name: pod, message, k, of } = f;
  const reasons = (message.match(/nodes are available: (.*?)(?:\s*preemption:|$)/)?.[1] ?? message).replace(/\.\s*$/, '');
  const steps: RemediationTemplate[] = [{ description: 'See why the scheduler places it nowhere', command: `${k} describe pod ${pod}` }];
  if (/unbound immediate PersistentVolumeClaims|persistentvolumeclaim "[^"]+" not found|volume node affinity conflict/.test(message)) {
    // A symptom of the claim's own events (ProvisioningFailed…), which rank before it when present.
    return of(3.5, `scheduling-storage:${ns}`, `pod ${ns}/${pod} cannot be scheduled: its volumes (${reasons})`,
      `The scheduler cannot place pod ${ns}/${pod} because of its volumes (${reasons}): a claim is not bound (no StorageClass, provisioning failing), missing, or its volume lives in a zone without a suitable node.`,
      [...steps, { description: 'See the claims of the namespace', command: `${k} get pvc` }]);
  }
  const insufficient = [...new Set([...reasons.matchAll(/Insufficient ([\w./-]+)/g)].map((m) => m[1]!))];
  if (insufficient.length > 0) {
    return of(3, `capacity:${insufficient.join(',')}`, `pods cannot be scheduled: not enough ${insufficient.join(', ')} on any node`,
      `No node has enough free ${insufficient.join(' and ')} for the requests of pod ${ns}/${pod} (${reasons}). Lower the requests in the manifest or chart values, free capacity, or add nodes (check the cluster autoscaler).`,
      [...steps, { description: 'See what the nodes have allocated', command: 'kubectl --context {context} describe nodes' }], { root: 'cluster', title: `no node has enough ${insufficient.join(', ')} free` });
  }
  return of(3, `scheduling:${reasons.replace(/\d+/g, 'n')}`, `pods cannot be scheduled: ${reasons}`,
    `The scheduler finds no node for pod ${ns}/${pod}: ${reasons}. Typical causes are taints the pod does not tolerate, a nodeSelector or affinity no node matches, or host ports in use. Fix the pod's placement settings or the nodes.`,
    [...steps, { description: 'See the nodes\' labels and taints', command: 'kubectl --context {context} get nodes --show-labels' }], { root: 'cluster', title: `no node can take the pods (${reasons})` });
}
