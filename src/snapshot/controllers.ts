// The Flux controllers' health, from their Deployments and Pods in the Flux namespace.
import { FLUX_CONTROLLERS } from '../flux/kinds';
import type { Controller, ControllerPod, KubeObject } from './schema';
import { compareText } from '../util/compare';

const KNOWN = new Set<string>(FLUX_CONTROLLERS);

function isController(d: KubeObject): boolean {
  return KNOWN.has(d.metadata.name) || d.metadata.labels?.['app.kubernetes.io/part-of'] === 'flux';
}

function podBelongsTo(pod: KubeObject, deployment: string): boolean {
  const labels = pod.metadata.labels ?? {};
  if (labels.app === deployment || labels['app.kubernetes.io/name'] === deployment) return true;
  return ((pod.metadata.ownerReferences ?? []) as any[]).some((o: any) => o.kind === 'ReplicaSet' && new RegExp(`^${deployment}-[a-z0-9]+$`).test(o.name));
}

function podStatus(pod: KubeObject): ControllerPod {
  const statuses: any[] = pod.status?.containerStatuses ?? [];
  const main = statuses.find((c) => c.name === 'manager') ?? statuses[0];
  const terminated = main?.lastState?.terminated ?? main?.state?.terminated;
  // An evicted pod stays behind as Failed with status.reason Evicted: the pod, not a container, was stopped.
  const evicted = pod.status?.reason === 'Evicted';
  const evictedAt = (pod.status?.conditions ?? []).find((c: any) => c?.type === 'DisruptionTarget')?.lastTransitionTime ?? terminated?.finishedAt ?? null;
  return {
    name: pod.metadata.name,
    phase: pod.status?.phase ?? null,
    ready: statuses.length > 0 && statuses.every((c) => c.ready === true),
    restarts: statuses.reduce((n, c) => n + (c.restartCount ?? 0), 0),
    waitingReason: main?.state?.waiting?.reason ?? null,
    lastTermination: evicted
      ? { reason: 'Evicted', exitCode: null, finishedAt: evictedAt, ...(typeof pod.status?.message === 'string' ? { message: pod.status.message.trim() } : {}) }
      : terminated ? { reason: terminated.reason ?? null, exitCode: terminated.exitCode ?? null, finishedAt: terminated.finishedAt ?? null } : null,
    startedAt: main?.state?.running?.startedAt ?? pod.status?.startTime ?? null,
  };
}

function imageVersion(image: string | null): string | null {
  const tag = image?.split('@')[0]?.split('/').pop()?.split(':')[1];
  return tag ?? null;
}

export function deriveControllers(resources: KubeObject[], namespace: string): { controllers: Controller[]; fluxVersion: string | null } {
  const deployments = resources.filter((r) => r.kind === 'Deployment' && r.metadata.namespace === namespace && isController(r));
  const pods = resources.filter((r) => r.kind === 'Pod' && r.metadata.namespace === namespace);
  const names = new Set(deployments.map((d) => d.metadata.name));
  // Pods of a known controller whose Deployment was not collected still tell about its health.
  for (const name of FLUX_CONTROLLERS) if (!names.has(name) && pods.some((p) => podBelongsTo(p, name))) names.add(name);
  let fluxVersion: string | null = null;
  const controllers: Controller[] = [];
  for (const name of names) {
    const d = deployments.find((x) => x.metadata.name === name);
    const own = pods.filter((p) => podBelongsTo(p, name) && !p.metadata.deletionTimestamp).map(podStatus);
    const containers: any[] = d?.spec?.template?.spec?.containers ?? [];
    const image = (containers.find((c) => c.name === 'manager') ?? containers[0])?.image ?? null;
    const replicas = d ? (typeof d.spec?.replicas === 'number' ? d.spec.replicas : 1) : own.length;
    const readyReplicas = d ? (d.status?.readyReplicas ?? 0) : own.filter((p) => p.ready).length;
    // The Flux Operator carries its own release number (v0.x), not Flux's.
    if (name !== 'flux-operator') fluxVersion ??= d?.metadata.labels?.['app.kubernetes.io/version'] ?? null;
    controllers.push({
      name,
      namespace,
      image,
      version: imageVersion(image),
      replicas,
      readyReplicas,
      ready: replicas > 0 && readyReplicas >= replicas,
      deploymentFound: d !== undefined,
      pods: own,
    });
  }
  const order = (n: string) => {
    const i = (FLUX_CONTROLLERS as readonly string[]).indexOf(n);
    return i < 0 ? FLUX_CONTROLLERS.length : i;
  };
  controllers.sort((a, b) => order(a.name) - order(b.name) || compareText(a.name, b.name));
  return { controllers, fluxVersion };
}
