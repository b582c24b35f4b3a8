// The volume events: the claim's (ProvisioningFailed, FailedBinding, ExternalProvisioning from the volume controllers
// and external-provisioner) and the pod's (FailedMount, FailedAttachVolume, FailedMapVolume from the kubelet).
import type { RemediationTemplate } from '../types';
import type { EventFacts, WorkloadTrouble } from './cause';

export function provisioningFailed(f: EventFacts): WorkloadTrouble {
  const { ns, name, message, k, of } = f;
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

export function bindingFailed(f: EventFacts): WorkloadTrouble | null {
  const { ns, name, message, k, of } = f;
    if (!/no storage class is set/.test(message)) return null;
    return of(2, 'storageclass:(default)', `claim ${ns}/${name} names no StorageClass and the cluster has no default one`,
      `The PersistentVolumeClaim ${ns}/${name} sets no storageClassName and no StorageClass is marked default (annotation storageclass.kubernetes.io/is-default-class), and no existing PersistentVolume matches it: it stays Pending, and so do the pods that mount it. Mark a StorageClass as default, or set the storage class in the manifest or chart values.`,
      [{ description: 'List the StorageClasses (the default one is marked "(default)")', command: 'kubectl --context {context} get storageclass' },
        { description: 'See the claim', command: `${k} describe pvc ${name}` }], { root: 'cluster', title: 'no StorageClass is marked default' });
}

export function waitingForProvisioner(f: EventFacts): WorkloadTrouble {
  const { ns, name, message, k, of } = f;
  const provisioner = message.match(/external provisioner "([^"]+)"|external provisioner '([^']+)'/);
  const p = provisioner?.[1] ?? provisioner?.[2] ?? 'of its StorageClass';
  return of(4, `provisioner:${p}`, `claim ${ns}/${name} waits for provisioner ${p}, which creates no volume`,
    `The PersistentVolumeClaim ${ns}/${name} is waiting for the external provisioner ${p} to create a volume. When this lasts, the provisioner (a CSI driver's controller) is not installed, not running, or failing.`,
    [{ description: 'See the claim and its events', command: `${k} describe pvc ${name}` },
      { description: `See whether a CSI driver for ${p} is installed (its controller pods create the volumes)`, command: 'kubectl --context {context} get csidrivers' }], { root: 'cluster', title: `provisioner ${p} creates no volumes` });
}

export function mountFailed(f: EventFacts): WorkloadTrouble {
  const { ns, name, message, k, of } = f;
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
