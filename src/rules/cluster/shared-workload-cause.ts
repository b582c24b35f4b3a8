// One cause behind several health checks and Helm waits that timed out: the workloads of different Kustomizations
// and releases cannot start for the same reason (a quota, a StorageClass, PodSecurity, a registry, full nodes).
import { refOf, type ObjRef } from '../../flux/refs';
import { isSuspended } from '../../flux/conditions';
import { defineRule } from '../define';
import { timedOutReleaseTrouble } from '../helm/wait-items';
import { healthCheckTrouble } from '../kustomize/health-hints';
import type { WorkloadTrouble } from '../workload-trouble';
import { listRefs, listSome } from './failure-text';

/** `2 Kustomizations`, `1 Kustomization and 2 Helm releases`. */
function objectsText(refs: ObjRef[]): string {
  const count = (kind: string, one: string, many: string) => {
    const n = refs.filter((r) => r.kind === kind).length;
    return n === 0 ? null : `${n} ${n === 1 ? one : many}`;
  };
  return [count('Kustomization', 'Kustomization', 'Kustomizations'), count('HelmRelease', 'Helm release', 'Helm releases')].filter(Boolean).join(' and ');
}

export default defineRule({
  code: 'FD028',
  slug: 'shared-workload-cause',
  category: 'health-check-failed',
  severity: 'error',
  kinds: ['Cluster'],
  title: 'One cause keeps the workloads of several Kustomizations and Helm releases from becoming ready',
  signals: [
    'two or more Kustomizations whose health checks timed out (FD317) or HelmReleases whose wait timed out (FD409), whose workloads\' events (kept by `status` from the cluster-wide event list) name the same cause:',
    'pods refused by the same ResourceQuota, by PodSecurity, by the same admission webhook or ValidatingAdmissionPolicy, or for want of the same ServiceAccount, Secret or ConfigMap (FailedCreate, CreateContainerConfigError, FailedMount)',
    'claims naming the same missing StorageClass (ProvisioningFailed `storageclass.storage.k8s.io "<name>" not found`), no default StorageClass, a provisioner that creates no volume',
    'images from one registry denied, rate-limited or unreachable (kubelet `Failed to pull image`: the registry as `Host/<registry>`), pods no node can take (FailedScheduling), no pod sandbox (CNI)',
    'the Flux objects are linked to it as their root cause: one fix unblocks them all',
  ],
  explanation: 'Several Kustomizations and Helm releases time out waiting for their workloads, and the events of those workloads show one shared reason they cannot start. Waiting longer or reconciling each object again cannot help: fix the shared cause once and the next reconciliations succeed.',
  remediation: [
    { description: 'Once it is fixed, list what is still not ready: each object retries at its interval (flux reconcile retries one sooner)', command: 'flux --context {context} get all -A --status-selector ready=false' },
  ],
  matchCluster({ index, now }) {
    const groups = new Map<string, { trouble: WorkloadTrouble; refs: ObjRef[]; namespaces: Set<string> }>();
    const add = (ref: ObjRef, trouble: WorkloadTrouble | null) => {
      if (!trouble?.shared) return;
      const g = groups.get(trouble.key) ?? { trouble, refs: [], namespaces: new Set<string>() };
      g.refs.push(ref);
      g.namespaces.add(trouble.namespace);
      groups.set(trouble.key, g);
    };
    for (const ks of index.objects('Kustomization')) if (!isSuspended(ks)) add(refOf(ks), healthCheckTrouble(ks, index, now));
    for (const hr of index.objects('HelmRelease')) if (!isSuspended(hr)) add(refOf(hr), timedOutReleaseTrouble(hr, index, now));
    return [...groups.values()].filter((g) => g.refs.length >= 2).map((g) => {
      const { trouble } = g;
      const shared = trouble.shared!;
      const namespaces = [...g.namespaces].sort();
      // One namespaced object (a quota) of the same name in several namespaces: rolled out together, fixed together.
      const spread = shared.root !== 'cluster' && shared.root.namespace !== undefined && namespaces.length > 1;
      // PodSecurity or a webhook in one namespace only is that namespace's labels or policy.
      const root = shared.root !== 'cluster' && !spread ? shared.root
        : namespaces.length === 1 && /^(podsecurity|webhook):/.test(trouble.key) ? { kind: 'Namespace', name: namespaces[0]! } : index.clusterRef;
      return {
        object: root,
        title: `The workloads of ${objectsText(g.refs)} cannot become ready: ${shared.title}${spread ? ` (in namespaces ${listSome(namespaces)})` : ''}`,
        explanation: `${trouble.explanation} The same cause keeps the workloads of ${g.refs.length} Flux objects from becoming ready (${listRefs(g.refs, 4)}): fixing it once unblocks them all.`,
        evidence: [trouble.evidence, `${g.refs.length} Flux objects time out waiting for workloads with this cause: ${listRefs(g.refs, 4)}`],
        remediation: trouble.remediation,
        explains: g.refs,
      };
    });
  },
});
