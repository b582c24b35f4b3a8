// The kubelet's events about containers and pods: config errors, start errors, crash loops, probes, the pod sandbox,
// evictions; and the Job controller's BackoffLimitExceeded / DeadlineExceeded.
import type { EventFacts, WorkloadTrouble } from './cause';
import { genericPull, PULL, pullFailed } from './images';

/** kubelet `Failed`: an image pull, a container config error (CreateContainerConfigError) or a start error. */
export function kubeletFailed(f: EventFacts): WorkloadTrouble | null {
  const { ns, name, message, k, of } = f;
  const pull = message.match(PULL);
  if (pull) return pullFailed(f, pull[1]!, pull[2]!);
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
  if (/^Error: (ErrImagePull|ImagePullBackOff)/.test(message)) return genericPull(f, null);
  // The runtime could not start a container (`Error: failed to create containerd task: … executable file not found`).
  if (/^Error: /.test(message)) {
    return of(6, `start:${ns}/${name}`, `a container of pod ${ns}/${name} cannot start: ${message.slice(7, 150)}`,
      `The container runtime cannot start a container of pod ${ns}/${name}: ${message.slice(7)}. A wrong command or entrypoint, a missing file, or a security setting the image does not support.`,
      [{ description: 'See the container\'s state and the start error', command: `${k} describe pod ${name}` }]);
  }
  return null;
}

/** kubelet `BackOff`: pulling an image again, or restarting a crashed container. */
export function backOff(f: EventFacts): WorkloadTrouble | null {
  const { ns, name, message, k, of } = f;
  const image = message.match(/Back-off pulling image "([^"]+)"/);
  if (image) return genericPull(f, image[1]!);
  const container = message.match(/Back-off restarting failed container (\S+)/);
  if (!container) return null;
  const c = container[1] === 'in' ? '' : container[1]!;
  return of(7, `crashloop:${ns}/${name}`, `container ${c ? `${c} ` : ''}of pod ${ns}/${name} keeps crashing`,
    `The pods are created and their images pulled, but a container exits again and again (CrashLoopBackOff): the application fails at start (configuration, a dependency it cannot reach, a missing file or permission, too little memory). Its previous logs say why.`,
    [{ description: 'Read the crashed container\'s last logs', command: `${k} logs ${name}${c ? ` -c ${c}` : ''} --previous` },
      { description: 'See its exit code and reason (OOMKilled, Error)', command: `${k} describe pod ${name}` }]);
}

export function sandboxFailed(f: EventFacts): WorkloadTrouble {
  const { ns, name, k, of } = f;
    return of(6, 'sandbox', `pod ${ns}/${name} gets no sandbox (pod network)`,
      `The container runtime cannot create the sandbox of pod ${ns}/${name}, usually because the CNI plugin fails to set up its network (CNI pods not running, IP addresses exhausted). This is the node's or the CNI's problem, not the workload's.`,
      [{ description: 'See the sandbox error', command: `${k} describe pod ${name}` },
        { description: 'Check the CNI pods', command: 'kubectl --context {context} -n kube-system get pods -o wide' }], { root: 'cluster', title: 'pods get no sandbox: the pod network (CNI) fails' });
}

export function probeFailed(f: EventFacts): WorkloadTrouble | null {
  const { ns, name, message, k, of } = f;
  const probe = message.match(/^(Readiness|Liveness|Startup) probe failed:/);
  if (!probe) return null;
  return of(8, `probe:${ns}/${name}`, `${probe[1]!.toLowerCase()} probe of pod ${ns}/${name} fails`,
    `The pods run, but their ${probe[1]!.toLowerCase()} probe fails, so they never count as ready: the application is not listening where the probe looks (port, path), starts slower than the probe allows, or fails a dependency check.`,
    [{ description: 'See the probe and its failures', command: `${k} describe pod ${name}` },
      { description: 'Read the application logs', command: `${k} logs ${name}` }]);
}

export function jobFailed(f: EventFacts): WorkloadTrouble {
  const { e, ns, name, k, of } = f;
    return of(9, `job:${ns}/${name}`, `job ${ns}/${name} failed (${e.reason})`,
      `The Job ${ns}/${name} ran out of retries or time (${e.reason}); its pods' logs say why they failed.`,
      [{ description: 'Read the logs of its pods', command: `${k} logs job/${name}` }]);
}

export function evicted(f: EventFacts): WorkloadTrouble {
  const { ns, name, k, of } = f;
    return of(9, `evicted:${ns}/${name}`, `pod ${ns}/${name} was evicted`,
      `The kubelet evicted pod ${ns}/${name} because its node ran short of a resource (memory, disk, PIDs).`,
      [{ description: 'See why and on which node', command: `${k} describe pod ${name}` }]);
}
