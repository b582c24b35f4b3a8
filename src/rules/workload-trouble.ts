// Why a workload that a health check or a Helm wait timed out on never became ready, read from the events of the
// workload and of the ReplicaSets, Pods and claims its controller creates (kube/workload-events.ts: which are kept).
// A quota, PodSecurity or a missing StorageClass shows nowhere in the Flux objects: only "timeout waiting for".
import { isWorkloadTroubleEvent } from '../kube/workload-events';
import type { ObjRef } from '../flux/refs';
import { eventTimeMs, type ClusterIndex } from '../snapshot/indexes';
import type { KubeObject } from '../snapshot/schema';
import { registryOf } from './cluster/source-host';
import { eventEvidence } from './evidence';
import type { RemediationTemplate } from './types';

export interface WorkloadTrouble {
  /** A short phrase for a title: `pods refused: ResourceQuota apps/compute exceeded (…)`. */
  title: string;
  explanation: string;
  remediation: RemediationTemplate[];
  /** The event quoted, with the object it is about. */
  evidence: string;
  /** The namespace of that object. */
  namespace: string;
  /** The same cause behind several workloads has the same key (`storageclass:fast`, `podsecurity:restricted`…). */
  key: string;
  /** Lower is more telling: a refused pod explains a crash loop's absence, not the other way round. */
  rank: number;
  /**
   * When several workloads can share the cause: what to fix (the quota, the StorageClass, the registry as a `Host`;
   * 'cluster' for the nodes, the CNI or a policy) and a title for the cause itself. Null when it is the workload's own
   * (a crash loop, a failing probe).
   */
  shared: { root: ObjRef | 'cluster'; title: string } | null;
}

/** Events older than this before "now" describe an earlier rollout (the API server keeps them an hour by default). */
const MAX_AGE_MS = 3 * 3600_000;

// What a workload's controller names its children: ReplicaSets `<deploy>-<hash>`, their Pods `<rs>-<5>`, StatefulSet
// Pods `<sts>-<ordinal>` and claims `<template>-<sts>-<ordinal>`, DaemonSet/Job Pods `<name>-<5>`, CronJob Jobs `<name>-<n>`.
const CHILD_SUFFIX: Record<string, { kind: string; suffix: RegExp }[]> = {
  Deployment: [{ kind: 'ReplicaSet', suffix: /^[a-z0-9]{1,10}$/ }, { kind: 'Pod', suffix: /^[a-z0-9]{1,10}-[a-z0-9]{5}$/ }],
  ReplicaSet: [{ kind: 'Pod', suffix: /^[a-z0-9]{5}$/ }],
  StatefulSet: [{ kind: 'Pod', suffix: /^\d+$/ }],
  DaemonSet: [{ kind: 'Pod', suffix: /^[a-z0-9]{5}$/ }],
  Job: [{ kind: 'Pod', suffix: /^[a-z0-9]{5}$/ }],
  CronJob: [{ kind: 'Job', suffix: /^\d+$/ }, { kind: 'Pod', suffix: /^\d+-[a-z0-9]{5}$/ }],
};

function involved(e: KubeObject): { kind: string; name: string } {
  const io = e.involvedObject ?? e.regarding ?? {};
  return { kind: String(io.kind ?? ''), name: String(io.name ?? '') };
}

function belongsTo(ref: ObjRef, e: KubeObject): boolean {
  const { kind, name } = involved(e);
  if (kind === ref.kind && name === ref.name) return true;
  // A StatefulSet's claims: `<volumeClaimTemplate>-<sts>-<ordinal>`.
  if (ref.kind === 'StatefulSet' && kind === 'PersistentVolumeClaim') return new RegExp(`-${escape(ref.name)}-\\d+$`).test(name);
  if (!name.startsWith(`${ref.name}-`)) return false;
  const rest = name.slice(ref.name.length + 1);
  return (CHILD_SUFFIX[ref.kind] ?? []).some((c) => c.kind === kind && c.suffix.test(rest));
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const BY_NAMESPACE = new WeakMap<ClusterIndex, Map<string, KubeObject[]>>();

/** The cluster's workload events by namespace, newest first: grouped once per cluster, as few as they are. */
function troubleEventsIn(index: ClusterIndex, namespace: string): KubeObject[] {
  let byNs = BY_NAMESPACE.get(index);
  if (!byNs) {
    byNs = new Map();
    const timed = index.cluster.events.filter(isWorkloadTroubleEvent).map((e) => ({ e, t: eventTimeMs(e) })).sort((a, b) => b.t - a.t);
    for (const { e } of timed) {
      const ns = String((e.involvedObject ?? e.regarding)?.namespace ?? e.metadata.namespace ?? '');
      const list = byNs.get(ns);
      if (list) list.push(e);
      else byNs.set(ns, [e]);
    }
    BY_NAMESPACE.set(index, byNs);
  }
  return byNs.get(namespace) ?? [];
}

function recent(index: ClusterIndex, namespace: string | undefined, now: number): KubeObject[] {
  return troubleEventsIn(index, namespace ?? '').filter((e) => now - eventTimeMs(e) <= MAX_AGE_MS);
}

/** Events that say why a workload (or what it creates) is not ready, newest first. */
export function workloadEvents(index: ClusterIndex, ref: ObjRef, now: number): KubeObject[] {
  return recent(index, ref.namespace, now).filter((e) => belongsTo(ref, e));
}

/**
 * The same for a Helm release whose failure named no object (Helm v3's `context deadline exceeded`): objects of the
 * release namespace named after the release, as charts name them (`<release>` or `<release>-<component>`).
 */
export function releaseEvents(index: ClusterIndex, namespace: string, release: string, now: number): KubeObject[] {
  return recent(index, namespace, now).filter((e) => {
    const { name } = involved(e);
    return name === release || name.startsWith(`${release}-`);
  });
}

/** The most telling cause among the events (the newest of the best rank). */
export function troubleOf(events: KubeObject[]): WorkloadTrouble | null {
  let best: WorkloadTrouble | null = null;
  for (const e of events) {
    const t = classify(e);
    if (t && (!best || t.rank < best.rank)) best = t;
  }
  return best;
}

function kubectl(ns: string): string {
  return `kubectl --context {context} -n ${ns}`;
}

const PULL = /Failed to pull image "([^"]+)": ([^\n]*)/;

// One classifier per event: the message formats are the Kubernetes controllers', scheduler's and kubelet's own
// (ResourceQuota admission, PodSecurity admission, the volume controllers, kubelet image and volume managers).
function classify(e: KubeObject): WorkloadTrouble | null {
  const { kind, name } = involved(e);
  const ns = String((e.involvedObject ?? e.regarding)?.namespace ?? e.metadata.namespace ?? '');
  const message = String(e.message ?? e.note ?? '');
  const evidence = `${kind} ${ns}/${name}: ${eventEvidence(e)}`;
  const k = kubectl(ns);
  const of: Make = (rank, key, title, explanation, remediation, shared = null) => ({ rank, key, title, explanation, remediation, evidence, namespace: ns, shared });

  switch (e.reason) {
    case 'FailedCreate': return refused(e, ns, name, message, of);
    case 'ProvisioningFailed': {
      const sc = message.match(/storageclass\.storage\.k8s\.io "([^"]+)" not found/)?.[1];
      if (sc) {
        return of(2, `storageclass:${sc}`, `claim ${ns}/${name} names StorageClass ${sc}, which does not exist`,
          `The PersistentVolumeClaim ${ns}/${name} asks for StorageClass "${sc}", which the cluster does not have (renamed, removed, or one from another cluster or cloud), so no volume is provisioned and the pods that mount it stay Pending. Waiting longer cannot help: set the storage class in the manifest or chart values (storageClassName / persistence.storageClass) to one that exists, or create it. A claim's storageClassName cannot be changed: delete the Pending claim after fixing the source.`,
          [{ description: 'List the StorageClasses that exist (one should be marked default)', command: 'kubectl --context {context} get storageclass' },
            { description: `See the claim and its events`, command: `${k} describe pvc ${name}` }], { root: { kind: 'StorageClass', name: sc }, title: `StorageClass ${sc} does not exist` });
      }
      // external-provisioner: `failed to provision volume with StorageClass "<sc>": rpc error: …` (the cloud's answer).
      const of_ = message.match(/with StorageClass "([^"]+)"/)?.[1];
      const denied = /UnauthorizedOperation|AccessDenied|not authorized|AuthorizationFailed|PermissionDenied|permission denied|\b403\b|Forbidden/i.test(message);
      const steps: RemediationTemplate[] = [{ description: 'See the claim, its StorageClass and events', command: `${k} describe pvc ${name}` },
        { description: 'See the StorageClasses, their provisioners, and the CSI drivers installed', command: 'kubectl --context {context} get storageclass,csidrivers' }];
      if (denied) {
        return of(3, `provisioning-denied:${of_ ?? ''}`, `the provisioner${of_ ? ` of StorageClass ${of_}` : ''} may not create the volume for claim ${ns}/${name}`,
          `The storage provisioner${of_ ? ` of StorageClass ${of_}` : ''} tried to create a volume for the PersistentVolumeClaim ${ns}/${name}, and the cloud refused it the permission (${message.match(/UnauthorizedOperation|AccessDenied|AuthorizationFailed|PermissionDenied|not authorized[^.:]*|permission denied|Forbidden/i)?.[0]}): the CSI driver's identity (IRSA / Pod Identity role, managed identity, GCP service account) lacks the rights to create disks. The pods that mount it stay Pending. Grant the driver's controller the permissions its documentation lists.`,
          [...steps, { description: 'See the CSI controller\'s ServiceAccount and its cloud identity annotation (the role it acts as)', command: 'kubectl --context {context} get serviceaccounts -A -o custom-columns=NAMESPACE:.metadata.namespace,NAME:.metadata.name,ANNOTATIONS:.metadata.annotations | grep -i csi' }],
          { root: of_ ? { kind: 'StorageClass', name: of_ } : 'cluster', title: `the provisioner${of_ ? ` of StorageClass ${of_}` : ''} may not create volumes (cloud permissions)` });
      }
      return of(3, `provisioning:${of_ ?? ''}`, `no volume can be provisioned for claim ${ns}/${name}`,
        `The storage provisioner failed to create a volume for the PersistentVolumeClaim ${ns}/${name} (the event says why: CSI driver errors, cloud quota or permissions, an invalid StorageClass parameter), so the pods that mount it stay Pending.`,
        steps, { root: of_ ? { kind: 'StorageClass', name: of_ } : 'cluster', title: `volumes${of_ ? ` of StorageClass ${of_}` : ''} cannot be provisioned` });
    }
    case 'FailedBinding':
      if (!/no storage class is set/.test(message)) return null;
      return of(2, 'storageclass:(default)', `claim ${ns}/${name} names no StorageClass and the cluster has no default one`,
        `The PersistentVolumeClaim ${ns}/${name} sets no storageClassName and no StorageClass is marked default (annotation storageclass.kubernetes.io/is-default-class), and no existing PersistentVolume matches it: it stays Pending, and so do the pods that mount it. Mark a StorageClass as default, or set the storage class in the manifest or chart values.`,
        [{ description: 'List the StorageClasses (the default one is marked "(default)")', command: 'kubectl --context {context} get storageclass' },
          { description: 'See the claim', command: `${k} describe pvc ${name}` }], { root: 'cluster', title: 'no StorageClass is marked default' });
    case 'ExternalProvisioning': {
      const provisioner = message.match(/external provisioner "([^"]+)"|external provisioner '([^']+)'/);
      const p = provisioner?.[1] ?? provisioner?.[2] ?? 'of its StorageClass';
      return of(4, `provisioner:${p}`, `claim ${ns}/${name} waits for provisioner ${p}, which creates no volume`,
        `The PersistentVolumeClaim ${ns}/${name} is waiting for the external provisioner ${p} to create a volume. When this lasts, the provisioner (a CSI driver's controller) is not installed, not running, or failing.`,
        [{ description: 'See the claim and its events', command: `${k} describe pvc ${name}` },
          { description: `See whether a CSI driver for ${p} is installed (its controller pods create the volumes)`, command: 'kubectl --context {context} get csidrivers' }], { root: 'cluster', title: `provisioner ${p} creates no volumes` });
    }
    case 'FailedScheduling': return unschedulable(ns, name, message, of);
    case 'Failed': {
      const pull = message.match(PULL);
      if (pull) return pullFailed(ns, name, pull[1]!, pull[2]!, of);
      const missing = message.match(/^Error: (secret|configmap) "([^"]+)" not found/i);
      if (missing) {
        const what = missing[1]!.toLowerCase() === 'secret' ? 'Secret' : 'ConfigMap';
        return of(5, `missing:${ns}/${what}/${missing[2]}`, `containers refer to ${what} ${ns}/${missing[2]}, which does not exist`,
          `Pod ${ns}/${name} cannot start its containers (CreateContainerConfigError): an env/envFrom entry refers to the ${what} ${ns}/${missing[2]}, which does not exist. It may be created by another object that is not applied yet (SOPS-decrypted Secret, an ExternalSecret, a later Kustomization), or its name changed. Create it, or mark the reference optional.`,
          [{ description: `Check whether the ${what} exists`, command: `${k} get ${what.toLowerCase()} ${missing[2]}` },
            { description: 'See which container refers to it', command: `${k} describe pod ${name}` }], { root: { kind: what, namespace: ns, name: missing[2]! }, title: `${what} ${ns}/${missing[2]} does not exist` });
      }
      const key = message.match(/^Error: couldn't find key (\S+) in (Secret|ConfigMap) ([^/\s]+)\/(\S+)/);
      if (key) {
        return of(5, `missing:${key[3]}/${key[2]}/${key[4]}`, `containers refer to key ${key[1]} of ${key[2]} ${key[3]}/${key[4]}, which it does not have`,
          `Pod ${ns}/${name} cannot start its containers (CreateContainerConfigError): an env entry reads key "${key[1]}" of the ${key[2]} ${key[3]}/${key[4]}, which has no such key.`,
          [{ description: `List the keys the ${key[2]} has`, command: `${k} describe ${key[2]!.toLowerCase()} ${key[4]}` }], { root: { kind: key[2]!, namespace: key[3]!, name: key[4]! }, title: `${key[2]} ${key[3]}/${key[4]} has no key ${key[1]}` });
      }
      if (/^Error: (ErrImagePull|ImagePullBackOff)/.test(message)) return genericPull(ns, name, null, of);
      // The runtime could not start a container (`Error: failed to create containerd task: … executable file not found`).
      if (/^Error: /.test(message)) {
        return of(6, `start:${ns}/${name}`, `a container of pod ${ns}/${name} cannot start: ${message.slice(7, 150)}`,
          `The container runtime cannot start a container of pod ${ns}/${name}: ${message.slice(7)}. A wrong command or entrypoint, a missing file, or a security setting the image does not support.`,
          [{ description: 'See the container\'s state and the start error', command: `${k} describe pod ${name}` }]);
      }
      return null;
    }
    case 'BackOff': {
      const image = message.match(/Back-off pulling image "([^"]+)"/);
      if (image) return genericPull(ns, name, image[1]!, of);
      const container = message.match(/Back-off restarting failed container (\S+)/);
      if (!container) return null;
      const c = container[1] === 'in' ? '' : container[1]!;
      return of(7, `crashloop:${ns}/${name}`, `container ${c ? `${c} ` : ''}of pod ${ns}/${name} keeps crashing`,
        `The pods are created and their images pulled, but a container exits again and again (CrashLoopBackOff): the application fails at start (configuration, a dependency it cannot reach, a missing file or permission, too little memory). Its previous logs say why.`,
        [{ description: 'Read the crashed container\'s last logs', command: `${k} logs ${name}${c ? ` -c ${c}` : ''} --previous` },
          { description: 'See its exit code and reason (OOMKilled, Error)', command: `${k} describe pod ${name}` }]);
    }
    case 'InspectFailed':
    case 'ErrImageNeverPull':
      return of(4, `image:${ns}/${name}`, `pod ${ns}/${name} cannot use its image: ${message.split('\n')[0]}`,
        e.reason === 'InspectFailed'
          ? `The kubelet cannot use the image reference of a container in pod ${ns}/${name} (an invalid reference: a typo, an empty tag, an unsubstituted variable). Fix the image in the manifest or chart values.`
          : `A container of pod ${ns}/${name} has imagePullPolicy: Never and its image is not on the node. Set the policy to IfNotPresent or pre-load the image.`,
        [{ description: 'See the image references of the pod', command: `${k} describe pod ${name}` }]);
    case 'FailedMount':
    case 'FailedAttachVolume':
    case 'FailedMapVolume': {
      const missing = message.match(/(secret|configmap) "([^"]+)" not found/i);
      if (missing) {
        const what = missing[1]!.toLowerCase() === 'secret' ? 'Secret' : 'ConfigMap';
        return of(5, `missing:${ns}/${what}/${missing[2]}`, `a volume of pod ${ns}/${name} refers to ${what} ${ns}/${missing[2]}, which does not exist`,
          `The kubelet cannot mount a volume of pod ${ns}/${name}: it refers to the ${what} ${ns}/${missing[2]}, which does not exist (not created yet, created by an object that failed, or renamed). The pod stays in ContainerCreating.`,
          [{ description: `Check whether the ${what} exists`, command: `${k} get ${what.toLowerCase()} ${missing[2]}` },
            { description: 'See the volume that cannot be mounted', command: `${k} describe pod ${name}` }], { root: { kind: what, namespace: ns, name: missing[2]! }, title: `${what} ${ns}/${missing[2]} does not exist` });
      }
      return of(6, `mount:${ns}/${name}`, `volumes of pod ${ns}/${name} cannot be attached or mounted`,
        `The kubelet cannot attach or mount a volume of pod ${ns}/${name} (the event says which and why: a CSI driver error, a volume still attached to another node, a claim that is not bound). The pod stays in ContainerCreating.`,
        [{ description: 'See the volumes and the mount errors', command: `${k} describe pod ${name}` }]);
    }
    case 'FailedCreatePodSandBox':
      return of(6, 'sandbox', `pod ${ns}/${name} gets no sandbox (pod network)`,
        `The container runtime cannot create the sandbox of pod ${ns}/${name}, usually because the CNI plugin fails to set up its network (CNI pods not running, IP addresses exhausted). This is the node's or the CNI's problem, not the workload's.`,
        [{ description: 'See the sandbox error', command: `${k} describe pod ${name}` },
          { description: 'Check the CNI pods', command: 'kubectl --context {context} -n kube-system get pods -o wide' }], { root: 'cluster', title: 'pods get no sandbox: the pod network (CNI) fails' });
    case 'Unhealthy': {
      const probe = message.match(/^(Readiness|Liveness|Startup) probe failed:/);
      if (!probe) return null;
      return of(8, `probe:${ns}/${name}`, `${probe[1]!.toLowerCase()} probe of pod ${ns}/${name} fails`,
        `The pods run, but their ${probe[1]!.toLowerCase()} probe fails, so they never count as ready: the application is not listening where the probe looks (port, path), starts slower than the probe allows, or fails a dependency check.`,
        [{ description: 'See the probe and its failures', command: `${k} describe pod ${name}` },
          { description: 'Read the application logs', command: `${k} logs ${name}` }]);
    }
    case 'BackoffLimitExceeded':
    case 'DeadlineExceeded':
      return of(9, `job:${ns}/${name}`, `job ${ns}/${name} failed (${e.reason})`,
        `The Job ${ns}/${name} ran out of retries or time (${e.reason}); its pods' logs say why they failed.`,
        [{ description: 'Read the logs of its pods', command: `${k} logs job/${name}` }]);
    case 'Evicted':
      return of(9, `evicted:${ns}/${name}`, `pod ${ns}/${name} was evicted`,
        `The kubelet evicted pod ${ns}/${name} because its node ran short of a resource (memory, disk, PIDs).`,
        [{ description: 'See why and on which node', command: `${k} describe pod ${name}` }]);
    default:
      return null;
  }
}

type Make = (rank: number, key: string, title: string, explanation: string, remediation: RemediationTemplate[], shared?: WorkloadTrouble['shared']) => WorkloadTrouble;

/** FailedCreate: the API server refused the pods (or a StatefulSet's claims) the controller tried to create. */
function refused(e: KubeObject, ns: string, owner: string, message: string, of: Make): WorkloadTrouble {
  const k = kubectl(ns);
  const quota = message.match(/exceeded quota: ([^,\s]+), requested: (.+?), used: (.+?), limited: ([^\n]+)/i);
  if (quota) {
    const [, q, requested, used, limited] = quota;
    // Keyed by name, not namespace: the same quota rolled out to several tenants' namespaces is one change.
    return of(1, `quota-exceeded:${q}`, `pods refused: ResourceQuota ${ns}/${q} exceeded (limited: ${limited})`,
      `The API server refuses the pods ${owner} tries to create: they would exceed the namespace's ResourceQuota ${q} (requested ${requested}, already used ${used}, hard limit ${limited}). No pod is created, so the rollout cannot progress and the wait runs out; a longer timeout cannot help. Lower the workload's requests/limits or replicas in Git, free quota in the namespace, or raise the quota.`,
      [{ description: `See the quota's limits and what is used`, command: `${k} describe resourcequota ${q}` },
        { description: `See the refused creations`, command: `${k} describe ${e.involvedObject?.kind?.toLowerCase() ?? 'replicaset'} ${owner}` }], { root: { kind: 'ResourceQuota', namespace: ns, name: q! }, title: `ResourceQuota ${q} is exhausted` });
  }
  const unspecified = message.match(/failed quota: ([^:\s]+): must specify ([^\n]+)/i);
  if (unspecified) {
    const [, q, what] = unspecified;
    const required = what!.replace(/ for: [^;]+/g, '').replace(/;\s*/g, ',');
    return of(1, `quota-unspecified:${q}`, `pods refused: ResourceQuota ${ns}/${q} requires ${required}`,
      `The namespace's ResourceQuota ${q} limits ${what}, so every container must declare these requests/limits, and the pods ${owner} creates do not (and no LimitRange gives defaults). Set the resources in the manifest or chart values (resources.requests/limits), or add a LimitRange with defaults.`,
      [{ description: 'See the quota', command: `${k} describe resourcequota ${q}` },
        { description: 'See whether a LimitRange gives defaults', command: `${k} get limitrange -o yaml` },
        { description: `In Git, give the namespace a LimitRange with default requests and limits (or set ${required} in the chart values or manifests), or relax the quota` }],
      { root: { kind: 'ResourceQuota', namespace: ns, name: q! }, title: `ResourceQuota ${q} requires ${required}, which the pods do not set` });
  }
  const pss = message.match(/violates PodSecurity "([^"]+)": ([^\n]+)/);
  if (pss) {
    const [, level, detail] = pss;
    return of(1, `podsecurity:${level!.split(':')[0]}`, `pods refused: they violate PodSecurity "${level}"`,
      `The namespace ${ns} enforces the Pod Security Standard "${level}" (label pod-security.kubernetes.io/enforce, or the cluster's default), and the pods ${owner} creates violate it: ${detail}. They are never created. Set what the level requires in the pod template (securityContext in the manifest or chart values), or, if the workload needs it, label the namespace with a less strict level.`,
      [{ description: 'See the namespace\'s Pod Security labels', command: `kubectl --context {context} get namespace ${ns} --show-labels` },
        { description: `See the refused creations`, command: `${k} describe ${e.involvedObject?.kind?.toLowerCase() ?? 'replicaset'} ${owner}` }], { root: 'cluster', title: `pods violate PodSecurity "${level}"` });
  }
  const webhook = message.match(/admission webhook "([^"]+)" denied the request:?\s*([^\n]*)/);
  if (webhook) {
    return of(1, `webhook:${webhook[1]}`, `pods refused by admission webhook ${webhook[1]}`,
      `An admission webhook (${webhook[1]}: a policy engine such as Kyverno or Gatekeeper, or a mutating injector) refuses the pods ${owner} tries to create${webhook[2] ? `: ${webhook[2]}` : ''}. Change the pod template to satisfy the policy, or get an exception for it.`,
      [{ description: 'Find the webhook configuration', command: 'kubectl --context {context} get validatingwebhookconfigurations,mutatingwebhookconfigurations' },
        { description: `See the refusals`, command: `${k} describe ${e.involvedObject?.kind?.toLowerCase() ?? 'replicaset'} ${owner}` }], { root: 'cluster', title: `admission webhook ${webhook[1]} refuses the pods` });
  }
  const unreachable = message.match(/failed calling webhook "([^"]+)"/);
  if (unreachable) {
    return of(1, `webhook:${unreachable[1]}`, `pods cannot be created: admission webhook ${unreachable[1]} does not answer`,
      `Creating the pods of ${owner} needs the admission webhook ${unreachable[1]}, and the API server cannot call it (its Service has no ready pods, a NetworkPolicy blocks it, or its certificate is invalid). With failurePolicy: Fail, no pod is created anywhere it applies.`,
      [{ description: 'Find the webhook and the Service it calls', command: 'kubectl --context {context} get validatingwebhookconfigurations,mutatingwebhookconfigurations' }], { root: 'cluster', title: `admission webhook ${unreachable[1]} does not answer` });
  }
  const vap = message.match(/ValidatingAdmissionPolicy '([^']+)' with binding '([^']+)' denied request/);
  if (vap) {
    return of(1, `vap:${vap[1]}`, `pods refused by ValidatingAdmissionPolicy ${vap[1]}`,
      `The ValidatingAdmissionPolicy ${vap[1]} (binding ${vap[2]}) refuses the pods ${owner} tries to create. Change the pod template to satisfy it.`,
      [{ description: 'Read the policy', command: `kubectl --context {context} get validatingadmissionpolicy ${vap[1]} -o yaml` }], { root: { kind: 'ValidatingAdmissionPolicy', name: vap[1]! }, title: `ValidatingAdmissionPolicy ${vap[1]} refuses the pods` });
  }
  const sa = message.match(/error looking up service account ([^/\s]+)\/([^:\s]+): serviceaccount "[^"]+" not found/);
  if (sa) {
    return of(1, `serviceaccount:${sa[1]}/${sa[2]}`, `pods refused: ServiceAccount ${sa[1]}/${sa[2]} does not exist`,
      `The pod template names the ServiceAccount ${sa[1]}/${sa[2]}, which does not exist, so no pod is created: it is created by something not applied yet, or the chart was told not to create it (serviceAccount.create: false) while still naming it.`,
      [{ description: 'Check the ServiceAccount', command: `kubectl --context {context} -n ${sa[1]} get serviceaccount ${sa[2]}` }], { root: { kind: 'ServiceAccount', namespace: sa[1]!, name: sa[2]! }, title: `ServiceAccount ${sa[1]}/${sa[2]} does not exist` });
  }
  if (/(?:maximum|minimum) \S+ usage per (?:Container|Pod) is|must be less than or equal to \S+ limit/.test(message)) {
    return of(1, `limitrange:${ns}`, `pods refused by a LimitRange in ${ns}`,
      `The pods ${owner} creates ask for more (or less) than the namespace's LimitRange allows, so they are refused. Adjust the resources in the manifest or chart values, or the LimitRange.`,
      [{ description: 'See the LimitRange', command: `${k} describe limitrange` }], { root: { kind: 'Namespace', name: ns }, title: `a LimitRange in ${ns} refuses the pods` });
  }
  // OpenShift's SecurityContextConstraints admission, and PodSecurityPolicy (removed in Kubernetes 1.25).
  const scc = message.match(/unable to validate against any security context constraint: (.*)/);
  if (scc) {
    return of(1, 'scc', 'pods refused: no SecurityContextConstraints admits them',
      `OpenShift refuses the pods ${owner} tries to create: no SecurityContextConstraints usable by their ServiceAccount admits their security settings (${scc[1]!.slice(0, 400)}). Change the pod's securityContext (runAsUser, fsGroup, capabilities) in the manifest or chart values to what restricted-v2 allows, or grant the ServiceAccount a fitting SCC.`,
      [{ description: 'See which SCC the pods would need and which the ServiceAccount may use', command: `${k} describe ${e.involvedObject?.kind?.toLowerCase() ?? 'replicaset'} ${owner}` },
        { description: 'List the SecurityContextConstraints', command: 'kubectl --context {context} get securitycontextconstraints' }],
      { root: 'cluster', title: 'no SecurityContextConstraints admits the pods' });
  }
  if (/unable to validate against any pod security policy/.test(message)) {
    return of(1, 'psp', 'pods refused: no PodSecurityPolicy admits them',
      `PodSecurityPolicy admission refuses the pods ${owner} tries to create: no policy their ServiceAccount may use admits them${/policy: \[\]$/.test(message) ? ' (none is usable by it at all: a missing RoleBinding to a PSP ClusterRole)' : ''}. Bind a PodSecurityPolicy to the ServiceAccount (use verb on the policy), or change the pod to fit an allowed one. PodSecurityPolicy was removed in Kubernetes 1.25: migrate to Pod Security admission.`,
      [{ description: 'List the PodSecurityPolicies', command: 'kubectl --context {context} get podsecuritypolicies' },
        { description: 'See the refusals', command: `${k} describe ${e.involvedObject?.kind?.toLowerCase() ?? 'replicaset'} ${owner}` }],
      { root: 'cluster', title: 'no PodSecurityPolicy admits the pods' });
  }
  const first = message.split('\n')[0]!;
  return of(1, `refused:${ns}/${owner}`, `pods cannot be created: ${first.length > 160 ? `${first.slice(0, 157)}…` : first}`,
    `The controller of ${owner} cannot create its pods: the API server refuses them (the event says why). No pod is created, so the wait runs out.`,
    [{ description: `See the refused creations`, command: `${k} describe ${e.involvedObject?.kind?.toLowerCase() ?? 'replicaset'} ${owner}` }]);
}

/** FailedScheduling: `0/<n> nodes are available: <counts and reasons>. preemption: …`. */
function unschedulable(ns: string, pod: string, message: string, of: Make): WorkloadTrouble {
  const k = kubectl(ns);
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

/** kubelet `Failed to pull image "<ref>": <runtime error>`: the registry's answer says which case. */
function pullFailed(ns: string, pod: string, image: string, detail: string, of: Make): WorkloadTrouble {
  const k = kubectl(ns);
  const registry = registryOf(image) ?? image;
  const steps: RemediationTemplate[] = [{ description: 'See the pull errors of the pod', command: `${k} describe pod ${pod}` }];
  if (/\bnot found\b|manifest unknown|NotFound/i.test(detail)) {
    return of(4, `image-missing:${image}`, `image ${image} does not exist in the registry`,
      `The kubelet cannot pull ${image}: the registry says the tag or digest does not exist (a tag not pushed yet, a typo, an image deleted). Fix the image reference in the manifest or chart values, or push the image.`, steps);
  }
  if (/unauthorized|\b401\b|\b403\b|forbidden|denied|no basic auth credentials|authorization failed|authentication required/i.test(detail)) {
    return of(4, `image-auth:${registry}`, `pulling image ${image} is denied by ${registry}`,
      `The registry ${registry} refuses to let the node pull ${image}: the pod has no or wrong imagePullSecrets for a private image, the pull secret's credentials expired, or (on some registries) the image does not exist. Fix the pull secret (and the ServiceAccount that references it) or the image reference.`,
      [...steps, { description: 'See the pull secrets of the pods\' ServiceAccount', command: `${k} get serviceaccounts -o yaml` }], { root: { kind: 'Host', name: registry }, title: `${registry} denies image pulls` });
  }
  if (/toomanyrequests|\b429\b|rate limit/i.test(detail)) {
    return of(4, `image-ratelimit:${registry}`, `${registry} rate-limits pulls of ${image}`,
      `The registry ${registry} refuses more pulls for now (rate limit; Docker Hub limits anonymous pulls per IP). Use authenticated pulls, a mirror or a pull-through cache.`, steps, { root: { kind: 'Host', name: registry }, title: `${registry} rate-limits image pulls` });
  }
  if (/x509: |tls: failed to verify certificate/i.test(detail)) {
    return of(4, `image-tls:${registry}`, `the nodes do not trust the certificate of registry ${registry}`,
      `The node's container runtime refuses the TLS certificate of ${registry} (signed by a private CA the node does not trust, expired, or for another name), so ${image} cannot be pulled. Add the CA to the nodes' runtime configuration (containerd certs.d) or fix the registry's certificate; it concerns every image from that registry.`, steps,
      { root: { kind: 'Host', name: registry }, title: `the nodes do not trust the certificate of registry ${registry}` });
  }
  if (/dial tcp|i\/o timeout|no such host|connection refused|TLS handshake timeout|context deadline exceeded/i.test(detail)) {
    return of(4, `image-unreachable:${registry}`, `the nodes cannot reach registry ${registry} to pull ${image}`,
      `The node cannot reach ${registry} (DNS, egress firewall, proxy, or the registry's certificate), so ${image} cannot be pulled. It concerns every image from that registry, not only this workload.`, steps, { root: { kind: 'Host', name: registry }, title: `the nodes cannot reach registry ${registry}` });
  }
  return genericPull(ns, pod, image, of);
}

function genericPull(ns: string, pod: string, image: string | null, of: Make): WorkloadTrouble {
  return of(5, `image:${image ?? `${ns}/${pod}`}`, `pod ${ns}/${pod} cannot pull ${image ? `image ${image}` : 'its image'} (ImagePullBackOff)`,
    `The kubelet cannot pull ${image ?? 'an image'} for pod ${ns}/${pod}: the image or tag does not exist, the registry needs credentials the pod lacks, or the node cannot reach the registry. The pod's events say which.`,
    [{ description: 'See the pull errors of the pod', command: `kubectl --context {context} -n ${ns} describe pod ${pod}` }]);
}
