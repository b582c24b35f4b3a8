// The extra reads `explain` makes on a live cluster, only for the object explained, all at once:
// the workload it names, the workloads it manages and their pods, its Helm release records and hook Jobs
// (with their pods' last log lines), the ConfigMaps/Secrets it references (metadata only), and the
// responsible controller's recent log lines.
import { ownerOf, refKey, targetCluster, type ObjRef } from '../flux/refs';
import { fluxKind } from '../flux/kinds';
import { builtinKind, WORKLOAD_KINDS } from '../kube/builtin-kinds';
import type { KubeClient } from '../kube/client';
import { listAll, resourcePath } from '../kube/list';
import { sourcesOf } from '../explain/chain';
import { workloadState } from '../explain/workloads';
import { releaseNames } from '../flux/helm';
import type { ExplainTarget } from '../explain/target';
import { decodeHelmReleaseSecret, isHelmReleaseSecret } from '../snapshot/helm-storage';
import type { ClusterIndex } from '../snapshot/indexes';
import type { CollectionError, KubeObject } from '../snapshot/schema';
import { toCollectionError } from '../kube/client';
import { compareText } from '../util/compare';

export interface Extras {
  objects: KubeObject[];
  logs: { controller: string; pod: string; lines: string[] }[];
  checkedRefs: string[];
  workloadsChecked: boolean;
  errors: CollectionError[];
}

/** How many controller log lines to scan for the object (the most recent ones). */
const CONTROLLER_LOG_TAIL = 3000;
const JOB_LOG_TAIL = 40;

/** Metadata only, where the server supports it: existence checks of Secrets never transfer their data. */
const METADATA_ONLY = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json';

async function getOrNull(client: KubeClient, path: string, accept = 'application/json'): Promise<KubeObject | null> {
  try {
    return await client.getJSON(path, accept);
  } catch (error) {
    if ((error as { code?: string }).code === 'NotFound') return null;
    throw error;
  }
}

function pathFor(ref: ObjRef): string | null {
  const b = builtinKind(ref.kind);
  if (!b) return null;
  const base = resourcePath(b.group, b.version, b.plural, b.namespaced ? ref.namespace : undefined);
  return `${base}/${encodeURIComponent(ref.name)}`;
}

/** GETs a built-in object and walks its controller ownerReferences until one carries Flux owner labels. */
async function resolveWorkload(client: KubeClient, ref: ObjRef, out: KubeObject[]): Promise<void> {
  let current: ObjRef | null = ref;
  for (let depth = 0; current && depth < 5; depth++) {
    const path = pathFor(current);
    if (!path) return;
    const obj = await getOrNull(client, path);
    if (!obj) return;
    const b = builtinKind(current.kind)!;
    obj.kind ??= b.kind;
    obj.apiVersion ??= b.group ? `${b.group}/${b.version}` : b.version;
    out.push(obj);
    if (ownerOf(obj)) return;
    const owner = ((obj.metadata.ownerReferences ?? []) as any[]).find((o) => o.controller) ?? (obj.metadata.ownerReferences as any[] | undefined)?.[0];
    current = owner ? { kind: owner.kind, namespace: obj.metadata.namespace, name: owner.name } : null;
  }
}

export async function resolveBuiltinTarget(client: KubeClient, target: ExplainTarget): Promise<KubeObject[]> {
  if (!target.kind.builtin) return [];
  const out: KubeObject[] = [];
  const ref: ObjRef = target.kind.builtin.namespaced ? { kind: target.kind.builtin.kind, namespace: target.namespace, name: target.name } : { kind: target.kind.builtin.kind, name: target.name };
  await resolveWorkload(client, ref, out);
  return out;
}

function selectorOf(w: KubeObject): string | null {
  const labels: Record<string, string> = w.spec?.selector?.matchLabels ?? {};
  const parts = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  return parts.length > 0 ? parts.join(',') : null;
}

async function podLogTail(client: KubeClient, pod: KubeObject, tail: number): Promise<string[]> {
  const containers: any[] = pod.spec?.containers ?? [];
  const container = containers.length > 1 ? (containers.find((c) => c.name === 'manager')?.name ?? containers[0]?.name) : undefined;
  const query = new URLSearchParams({ tailLines: String(tail) });
  if (container) query.set('container', container);
  try {
    const text = await client.getText(`/api/v1/namespaces/${encodeURIComponent(pod.metadata.namespace ?? '')}/pods/${encodeURIComponent(pod.metadata.name)}/log?${query}`);
    return text.split('\n').filter((l) => l.length > 0);
  } catch {
    return [];
  }
}

export async function explainExtras(client: KubeClient, index: ClusterIndex, object: ObjRef, options: { logs: boolean }): Promise<Extras> {
  const obj = index.get(object);
  const extras: Extras = { objects: [], logs: [], checkedRefs: [], workloadsChecked: false, errors: [] };
  if (!obj) return extras;
  const ns = obj.metadata.namespace ?? '';
  const page = { pageSize: 500 };
  const tasks: Promise<unknown>[] = [];

  // Workloads it manages (by the owner labels the controllers set), then the pods of those not ready.
  const labelKey = obj.kind === 'HelmRelease' ? 'helm.toolkit.fluxcd.io' : 'kustomize.toolkit.fluxcd.io';
  const ownerSelector = `${labelKey}/name=${obj.metadata.name},${labelKey}/namespace=${ns}`;
  // With spec.kubeConfig its workloads and Helm storage are in another cluster: reading this one would find nothing
  // (or someone else's objects) and call it healthy.
  const local = targetCluster(obj) === '';
  if (local && (obj.kind === 'Kustomization' || obj.kind === 'HelmRelease')) {
    tasks.push((async () => {
      const lists = await Promise.all(WORKLOAD_KINDS.map(async (kind) => {
        const b = builtinKind(kind)!;
        const items = await listAll(client, resourcePath(b.group, b.version, b.plural), { ...page, labelSelector: ownerSelector });
        return items.map((i) => ({ ...i, kind, apiVersion: `${b.group}/${b.version}` }));
      }));
      const workloads = lists.flat();
      extras.objects.push(...workloads);
      extras.workloadsChecked = true;
      await Promise.all(workloads.filter((w) => !workloadState(w).ready).map(async (w) => {
        const selector = w.kind === 'Job' ? `job-name=${w.metadata.name}` : selectorOf(w);
        if (!selector) return;
        const pods = await listAll(client, resourcePath('', 'v1', 'pods', w.metadata.namespace), { ...page, labelSelector: selector });
        extras.objects.push(...pods.map((p) => ({ ...p, kind: 'Pod', apiVersion: 'v1' })));
      }));
    })());
  }

  // Helm release records (decoded to metadata on ingestion) and the hook Jobs they name.
  if (local && obj.kind === 'HelmRelease') {
    const { releaseName: release, releaseNamespace: releaseNs, storageNamespace: storage } = releaseNames(obj);
    tasks.push((async () => {
      const secrets = await listAll(client, resourcePath('', 'v1', 'secrets', storage), { ...page, labelSelector: `owner=helm,name=${release}` });
      const records = secrets.map((s) => ({ ...s, kind: 'Secret', apiVersion: 'v1' })).filter(isHelmReleaseSecret);
      extras.objects.push(...records);
      const hooks = new Set(records.flatMap((r) => decodeHelmReleaseSecret(r)?.hooks.filter((h) => h.kind === 'Job').map((h) => h.name) ?? []));
      const jobs = (await Promise.all([...hooks].map((name) => getOrNull(client, `${resourcePath('batch', 'v1', 'jobs', releaseNs)}/${encodeURIComponent(name)}`))))
        .filter((j): j is KubeObject => j !== null)
        .map((j) => ({ ...j, kind: 'Job', apiVersion: 'batch/v1' }));
      extras.objects.push(...jobs);
      await Promise.all(jobs.filter((j) => (j.status?.conditions ?? []).some((c: any) => c.type === 'Failed' && c.status === 'True')).map(async (job) => {
        const pods = await listAll(client, resourcePath('', 'v1', 'pods', job.metadata.namespace), { ...page, labelSelector: `job-name=${job.metadata.name}` });
        extras.objects.push(...pods.map((p) => ({ ...p, kind: 'Pod', apiVersion: 'v1' })));
        const newest = pods.sort((a, b) => compareText(String(b.metadata.creationTimestamp), String(a.metadata.creationTimestamp)))[0];
        if (newest) extras.logs.push({ controller: `job/${job.metadata.name}`, pod: newest.metadata.name, lines: await podLogTail(client, newest, JOB_LOG_TAIL) });
      }));
    })());
  }

  // References: does each ConfigMap/Secret/ServiceAccount exist? (Data is dropped on ingestion.)
  const refs: ObjRef[] = [];
  const spec = obj.spec ?? {};
  const add = (kind: string, name: unknown, namespace = ns) => {
    if (typeof name === 'string' && name) refs.push({ kind, namespace, name });
  };
  for (const s of spec.postBuild?.substituteFrom ?? []) add(s.kind, s.name);
  for (const v of spec.valuesFrom ?? []) add(v.kind, v.name);
  add('Secret', spec.decryption?.secretRef?.name);
  add('Secret', spec.kubeConfig?.secretRef?.name);
  add('ServiceAccount', spec.serviceAccountName);
  add('Secret', spec.secretRef?.name);
  for (const s of sourcesOf(index, obj, Date.now())) {
    const src = index.get(s.object);
    add('Secret', src?.spec?.secretRef?.name, s.object.namespace);
  }
  const unique = [...new Map(refs.filter((r) => builtinKind(r.kind)).map((r) => [refKey(r), r])).values()];
  tasks.push(Promise.all(unique.map(async (r) => {
    const found = await getOrNull(client, pathFor(r)!, METADATA_ONLY);
    extras.checkedRefs.push(refKey(r));
    if (found) extras.objects.push({ ...found, kind: r.kind, apiVersion: 'v1' });
  })));

  // The responsible controller's log lines (the most recent ones; filtered to the object when explained).
  const desc = fluxKind(obj.kind);
  const controller = desc ? index.controller(desc.controller) : undefined;
  const pod = controller?.pods.find((p) => p.ready) ?? controller?.pods[0];
  if (options.logs && desc && pod) {
    const podObj = index.resource({ kind: 'Pod', namespace: index.cluster.fluxNamespace, name: pod.name });
    if (podObj) tasks.push(podLogTail(client, podObj, CONTROLLER_LOG_TAIL).then((lines) => {
      extras.logs.push({ controller: desc.controller, pod: pod.name, lines });
    }));
  }

  // A failed extra read is reported, never fatal: the rest of the chain is still worth showing.
  const results = await Promise.allSettled(tasks);
  for (const r of results) if (r.status === 'rejected') extras.errors.push(toCollectionError('explain', null, r.reason));
  return extras;
}
