import { fluxKind } from '../../flux/kinds';
import { refKey, type ObjRef } from '../../flux/refs';
import { releaseFailureRule } from './failure';
import { workloadEvidence } from '../workloads';
import { releaseTrouble, releaseWaitItems } from './wait-items';
import { helmTimeout } from '../timeouts';

// Helm v3 ready checks that wait on something outside the chart (pkg/kube/ready.go): `Service does not have load
// balancer ingress IP address: <ns>/<name>` (type LoadBalancer, no address assigned) and `PersistentVolumeClaim is
// not bound: <ns>/<name>`. The pods are fine; the cluster lacks what provides the address or the volume.
function infraHint(item: { ref: ObjRef; status: string }): { title: string; explanation: string; remediation: { description: string; command?: string }[] } | null {
  const { ref } = item;
  const kubectl = `kubectl --context {context} -n ${ref.namespace}`;
  if (ref.kind === 'Service' && item.status === 'no load balancer address') {
    return {
      title: `Service ${ref.namespace}/${ref.name} never got a load balancer address`,
      explanation: `Helm waits until every Service of type LoadBalancer has an ingress address in its status, and ${ref.namespace}/${ref.name} never got one: nothing in the cluster provisions load balancers (bare metal, kind or k3d without MetalLB or ServiceLB, a cloud controller manager that is missing or lacks permissions, an exhausted address pool). The pods may be fine. Install or fix a load-balancer implementation, or set the chart's service type to NodePort or ClusterIP in the values (or disable the wait); then run the release again.`,
      remediation: [
        { description: `See the Service's type and EXTERNAL-IP (<pending> means no load balancer assigned it)`, command: `${kubectl} get service ${ref.name} -o wide` },
        { description: 'Read its events (the service controller or MetalLB say why no address was assigned)', command: `${kubectl} describe service ${ref.name}` },
      ],
    };
  }
  if (ref.kind === 'PersistentVolumeClaim' && item.status === 'not bound') {
    return {
      title: `PersistentVolumeClaim ${ref.namespace}/${ref.name} was never bound`,
      explanation: `Helm waits until every PersistentVolumeClaim of the release is bound, and ${ref.namespace}/${ref.name} never was: it names no StorageClass and the cluster has no default one, its StorageClass does not exist or its provisioner (CSI driver) is not running, or no existing PersistentVolume matches it. Fix the storage (a default StorageClass, the provisioner) or set the chart's storageClass / persistence values; then run the release again.`,
      remediation: [
        { description: 'See the claim\'s StorageClass and status', command: `${kubectl} get pvc ${ref.name} -o wide` },
        { description: 'Read its events (no default StorageClass, provisioning failed, waiting for a consumer)', command: `${kubectl} describe pvc ${ref.name}` },
        { description: 'List the StorageClasses (one should be marked default) and their provisioners', command: 'kubectl --context {context} get storageclass' },
      ],
    };
  }
  return null;
}

export default releaseFailureRule({
  code: 'FD409',
  slug: 'helm-wait-timeout',
  category: 'health-check-failed',
  severity: 'error',
  kinds: ['HelmRelease'],
  title: 'Helm release resources not ready in time',
  signals: [
    'Released=False InstallFailed/UpgradeFailed: … with chart <chart>@<version>: <err>, where <err> is',
    '… context deadline exceeded / timed out waiting for the condition (Helm v3 waits, Flux ≤2.7 or waitStrategy legacy)',
    "… timeout waiting for: [<Kind>/<ns>/<name> status: 'InProgress', …] / failed early due to stalled resources: [… status: 'Failed'] (kstatus waits, Flux 2.8+)",
    '… job <name> failed: BackoffLimitExceeded (a non-hook Job waited on)',
    'not: `context deadline exceeded` at the end of an admission webhook call (FD425), of an API request or after `Kubernetes cluster unreachable` (FD427): only as the whole error, its own line or a multierror item',
    'the workload not ready, from the message or from the Helm wait lines in the "Last Helm logs" of the failure event or (v2beta1) of the message (`Deployment is not ready: <ns>/<name>. …`); described from the snapshot when it has it',
    '`Service does not have load balancer ingress IP address: <ns>/<name>` (no load-balancer implementation) / `PersistentVolumeClaim is not bound: <ns>/<name>` (no StorageClass or provisioner) in those logs: named, with what provides them',
    'why the workloads never became ready, from the Warning events of them, their ReplicaSets, Pods and claims (or, when the failure names none, of the workloads in its status.inventory and the objects named after the release): a ResourceQuota, PodSecurity, a missing StorageClass, image pulls, missing Secrets, crash loops…; the cause is the title and its steps come first, without the "raise spec.timeout" step',
  ],
  explanation: 'Helm applied the release but the resources it waits for (Deployments, StatefulSets, DaemonSets, Jobs, PVCs, Services of type LoadBalancer…) did not become ready within the action timeout (spec.timeout, default 5m), or one of them failed outright. Usually a pod cannot start: image pull errors, crash loops, failing probes, unschedulable pods, a missing Secret or ConfigMap. The release is marked failed and remediation (rollback/uninstall) follows if configured.',
  remediation: [
    { description: 'Read the failure events: the "Last Helm logs" name the resource Helm was waiting for', command: 'flux --context {context} events --for HelmRelease/{name} -n {namespace}' },
    { description: 'Describe the resource that was not ready ({workloadRef})', command: 'kubectl --context {context} -n {workloadNamespace} describe {workloadResource} {workloadName}' },
    { description: 'Look at the pods of the release and their recent events (ImagePullBackOff, CrashLoopBackOff, Pending)', command: 'kubectl --context {context} -n {releaseNamespace} get pods,events --sort-by=.metadata.creationTimestamp' },
    { description: 'If the workloads only start slowly, raise spec.timeout (now {timeout}) or spec.{action}.timeout in Git' },
    { description: 'Run the release again once they can become ready', command: 'flux --context {context} reconcile helmrelease {name} -n {namespace} {forceFlag}' },
  ],
  classes: ['timeout'],
  enrich(obj, { index, now }, failure, vars) {
    vars.timeout = helmTimeout(obj, failure.action).text;
    const { items, fromLogs } = releaseWaitItems(obj, index, failure.tail, vars.releaseNamespace ?? obj.metadata.namespace ?? '');
    const evidence: string[] = [];
    const extra: Record<string, string> = {};
    const blockedBy: ObjRef[] = [];
    const workload = items.find((i) => !fluxKind(i.ref.kind))?.ref;
    for (const item of items) {
      if (fluxKind(item.ref.kind) && index.get(item.ref)) blockedBy.push(item.ref); // e.g. a chart that ships Flux objects
      else evidence.push(...workloadEvidence(index, item.ref));
    }
    if (workload) {
      extra.workloadRef = refKey(workload);
      extra.workloadResource = workload.kind.toLowerCase();
      extra.workloadName = workload.name;
      extra.workloadNamespace = workload.namespace ?? vars.releaseNamespace ?? '';
    }
    const names = items.map((i) => `${refKey(i.ref)} (${i.status})`);
    const early = /failed early due to stalled resources/.test(failure.tail);
    const verb = failure.action === 'install' ? 'install' : 'upgrade';
    const title = names.length > 0
      ? `Helm ${verb} ${early ? 'failed' : 'timed out'} waiting for ${names.slice(0, 2).join(', ')}${names.length > 2 ? ` and ${names.length - 2} more` : ''}`
      : `Helm ${verb} timed out waiting for the release's resources`;
    // Why the workloads never became ready, from their events (a quota, PodSecurity, a missing StorageClass…).
    const trouble = releaseTrouble(obj, items, index, vars, now);
    if (trouble) {
      // A longer timeout cannot help: the step that proposes one is left out (no {timeout}).
      delete vars.timeout;
      return { evidence: [...evidence, trouble.evidence], vars: extra, title: `${title.replace(/ waiting for the release's resources$/, '')}: ${trouble.title}`, explanation: trouble.explanation, remediation: trouble.remediation, ...(blockedBy.length > 0 ? { blockedBy } : {}) };
    }
    const infra = fromLogs ? infraHint(fromLogs) : null;
    if (infra) return { evidence, vars: extra, title: `Helm ${verb} timed out: ${infra.title}`, explanation: infra.explanation, remediation: infra.remediation };
    return { evidence, vars: extra, title, ...(blockedBy.length > 0 ? { blockedBy } : {}) };
  },
});
