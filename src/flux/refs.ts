// References between Flux objects, read from spec/status/labels exactly where the controllers keep them.
import type { KubeObject } from '../snapshot/schema';

export interface ObjRef {
  kind: string;
  namespace?: string;
  name: string;
}

export function refOf(obj: KubeObject): ObjRef {
  return obj.metadata.namespace ? { kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name } : { kind: obj.kind, name: obj.metadata.name };
}

/** `Kind/namespace/name` (or `Kind/name`), the format Flux itself uses in messages. */
export function refKey(ref: ObjRef): string {
  return keyOf(ref.kind, ref.namespace, ref.name);
}

/** refKey of the parts, for callers that have them without an ObjRef (no object made just to build the key). */
export function keyOf(kind: string, namespace: string | null | undefined, name: string): string {
  return namespace ? `${kind}/${namespace}/${name}` : `${kind}/${name}`;
}

export function sameRef(a: ObjRef, b: ObjRef): boolean {
  return a.kind === b.kind && a.name === b.name && (a.namespace ?? '') === (b.namespace ?? '');
}

function ref(kind: unknown, name: unknown, namespace: unknown, fallbackNs: string | undefined): ObjRef | null {
  if (typeof kind !== 'string' || typeof name !== 'string' || !name) return null;
  const ns = typeof namespace === 'string' && namespace ? namespace : fallbackNs;
  return ns ? { kind, namespace: ns, name } : { kind, name };
}

/** The source an object reads its artifact from (Kustomization, HelmChart, ImageUpdateAutomation, ExternalArtifact). */
export function sourceRef(obj: KubeObject): ObjRef | null {
  const ns = obj.metadata.namespace;
  const spec = obj.spec ?? {};
  switch (obj.kind) {
    case 'Kustomization':
    case 'HelmChart':
    case 'ExternalArtifact':
      return ref(spec.sourceRef?.kind, spec.sourceRef?.name, spec.sourceRef?.namespace, ns);
    case 'ImageUpdateAutomation':
      return ref(spec.sourceRef?.kind ?? 'GitRepository', spec.sourceRef?.name, spec.sourceRef?.namespace, ns);
    case 'ImagePolicy':
      return ref('ImageRepository', spec.imageRepositoryRef?.name, spec.imageRepositoryRef?.namespace, ns);
    case 'Alert':
      return ref('Provider', spec.providerRef?.name, undefined, ns);
    default:
      return null;
  }
}

/**
 * The chart a HelmRelease installs from: `spec.chartRef` (OCIRepository/HelmChart/ExternalArtifact), or the
 * HelmChart that helm-controller generates for `spec.chart` (named `<hrNamespace>-<hrName>` in the source's namespace).
 */
export function chartOf(hr: KubeObject): ObjRef | null {
  const ns = hr.metadata.namespace;
  const spec = hr.spec ?? {};
  if (spec.chartRef) return ref(spec.chartRef.kind, spec.chartRef.name, spec.chartRef.namespace, ns);
  const chartSpec = spec.chart?.spec;
  if (!chartSpec) return null;
  const fromStatus = typeof hr.status?.helmChart === 'string' ? hr.status.helmChart.split('/') : null;
  if (fromStatus && fromStatus.length === 2) return { kind: 'HelmChart', namespace: fromStatus[0]!, name: fromStatus[1]! };
  return ref('HelmChart', `${ns}-${hr.metadata.name}`, chartSpec.sourceRef?.namespace, ns);
}

/** The repository behind a HelmRelease's `spec.chart` (HelmRepository, GitRepository or Bucket). */
export function chartSourceOf(hr: KubeObject): ObjRef | null {
  const sref = hr.spec?.chart?.spec?.sourceRef;
  return sref ? ref(sref.kind, sref.name, sref.namespace, hr.metadata.namespace) : null;
}

export function dependsOn(obj: KubeObject): ObjRef[] {
  const list = obj.spec?.dependsOn;
  if (!Array.isArray(list)) return [];
  const out: ObjRef[] = [];
  for (const d of list) {
    const r = ref(typeof d?.kind === 'string' ? d.kind : obj.kind, d?.name, d?.namespace, obj.metadata.namespace);
    if (r) out.push(r);
  }
  return out;
}

/** GitRepositories included into a GitRepository's artifact (`spec.include`). */
export function includes(obj: KubeObject): ObjRef[] {
  if (obj.kind !== 'GitRepository' || !Array.isArray(obj.spec?.include)) return [];
  return obj.spec.include
    .map((i: any) => ref('GitRepository', i?.repository?.name, undefined, obj.metadata.namespace))
    .filter((r: ObjRef | null): r is ObjRef => r !== null);
}

/** The Flux object that applied this one, from the labels kustomize-controller and helm-controller set. */
export function ownerOf(obj: KubeObject): ObjRef | null {
  const labels = obj.metadata.labels ?? {};
  const ks = labels['kustomize.toolkit.fluxcd.io/name'];
  if (ks) return ref('Kustomization', ks, labels['kustomize.toolkit.fluxcd.io/namespace'], undefined);
  const hr = labels['helm.toolkit.fluxcd.io/name'];
  if (hr) return ref('HelmRelease', hr, labels['helm.toolkit.fluxcd.io/namespace'], undefined);
  return null;
}

export interface InventoryEntry {
  namespace: string;
  name: string;
  group: string;
  kind: string;
  version: string;
}

/** Parses `<namespace>_<name>_<group>_<kind>` inventory ids (cli-utils ObjMetadata: `__` in the name means `:`). */
export function parseInventoryId(id: string, version = ''): InventoryEntry | null {
  const first = id.indexOf('_');
  const last = id.lastIndexOf('_');
  if (first < 0 || last <= first) return null;
  const kind = id.slice(last + 1);
  const rest = id.slice(first + 1, last);
  const groupSep = rest.lastIndexOf('_');
  if (groupSep < 0) return null;
  return {
    namespace: id.slice(0, first),
    name: rest.slice(0, groupSep).replaceAll('__', ':'),
    group: rest.slice(groupSep + 1),
    kind,
    version,
  };
}

/**
 * The cluster a Kustomization or HelmRelease applies to: '' for its own cluster, else what spec.kubeConfig names.
 * Inventories (and Helm releases) of objects with different targets describe different clusters: they never overlap,
 * and one cannot provide a CRD or Namespace the other needs.
 */
export function targetCluster(obj: KubeObject): string {
  const kc = obj.spec?.kubeConfig;
  if (!kc || typeof kc !== 'object') return '';
  const ns = obj.metadata.namespace ?? '';
  if (typeof kc.secretRef?.name === 'string') return `secret:${ns}/${kc.secretRef.name}/${kc.secretRef.key ?? ''}`;
  if (typeof kc.configMapRef?.name === 'string') return `configmap:${ns}/${kc.configMapRef.name}`;
  return 'remote';
}

/** Parsed once per object: several rules look through every Kustomization's inventory for each of their hits. */
const INVENTORIES = new WeakMap<object, InventoryEntry[]>();

export function inventory(obj: KubeObject): readonly InventoryEntry[] {
  const entries = obj.status?.inventory?.entries;
  if (!Array.isArray(entries)) return [];
  const memo = INVENTORIES.get(entries);
  if (memo) return memo;
  const out: InventoryEntry[] = [];
  for (const e of entries) {
    const parsed = typeof e?.id === 'string' ? parseInventoryId(e.id, typeof e.v === 'string' ? e.v : '') : null;
    if (parsed) out.push(parsed);
  }
  INVENTORIES.set(entries, out);
  return out;
}

/**
 * Items of kstatus lists in Flux messages: `Kind/ns/name status: 'InProgress'` (health checks, helm waits).
 */
export function parseStatusItems(message: string): { ref: ObjRef; status: string; detail?: string }[] {
  const out: { ref: ObjRef; status: string; detail?: string }[] = [];
  const re = /([A-Za-z]+)\/(?:([^/\s,\]]+)\/)?([^\s/,\]]+) status: '(\w+)'(?:: ([^,\]]*))?/g;
  for (const m of message.matchAll(re)) {
    const [, kind, namespace, name, status, detail] = m;
    out.push({ ref: namespace ? { kind: kind!, namespace, name: name! } : { kind: kind!, name: name! }, status: status!, ...(detail ? { detail: detail.trim() } : {}) });
  }
  return out;
}
