// What the emulated cluster serves: the resource catalogue and the discovery documents built from it.
// Flux resources come from FLUX_KINDS (never CRD files) so that discovery and the CLI agree by construction;
// the few built-in groups the CLI and kubectl need are described here. Kinds found in the store that neither
// knows (an Ingress in a fixture, say) are served too, under a derived plural, so "any stored kind" can be listed.
import { FLUX_KINDS, type FluxKind } from '../../src/flux/kinds';

export interface Resource {
  group: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  /** Served versions, preferred first. */
  versions: string[];
  shortNames: string[];
  categories: string[];
  /** Subresources besides the object itself (`status`, `log`). */
  subresources: string[];
  /** Field labels the apiserver accepts in fieldSelector for this resource. */
  fields: ReadonlySet<string>;
  flux?: FluxKind;
}

/** What a real apiserver advertises; kubectl and client-go decide on these, so they match reality even though the emulator only answers get/list/patch. */
const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const META_FIELDS = ['metadata.name', 'metadata.namespace'];
const EVENT_FIELDS = [
  'involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion',
  'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type',
];
const POD_FIELDS = ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'status.phase', 'status.podIP', 'status.nominatedNodeName'];

interface BuiltinSpec {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  subresources?: string[];
  fields?: string[];
}

const BUILTINS: BuiltinSpec[] = [
  { group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false, shortNames: ['ns'], subresources: ['status'], fields: ['status.phase'] },
  { group: '', version: 'v1', kind: 'Pod', plural: 'pods', namespaced: true, shortNames: ['po'], categories: ['all'], subresources: ['log', 'status'], fields: POD_FIELDS },
  { group: '', version: 'v1', kind: 'Event', plural: 'events', namespaced: true, shortNames: ['ev'], fields: EVENT_FIELDS },
  { group: '', version: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true, fields: ['type'] },
  { group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true, shortNames: ['cm'] },
  { group: '', version: 'v1', kind: 'Service', plural: 'services', namespaced: true, shortNames: ['svc'], categories: ['all'], subresources: ['status'] },
  { group: '', version: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts', namespaced: true, shortNames: ['sa'] },
  { group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', namespaced: true, shortNames: ['deploy'], categories: ['all'], subresources: ['status'] },
  { group: 'apps', version: 'v1', kind: 'ReplicaSet', plural: 'replicasets', namespaced: true, shortNames: ['rs'], categories: ['all'], subresources: ['status'], fields: ['status.replicas'] },
  { group: 'apps', version: 'v1', kind: 'StatefulSet', plural: 'statefulsets', namespaced: true, shortNames: ['sts'], categories: ['all'], subresources: ['status'] },
  { group: 'apps', version: 'v1', kind: 'DaemonSet', plural: 'daemonsets', namespaced: true, shortNames: ['ds'], categories: ['all'], subresources: ['status'] },
  { group: 'batch', version: 'v1', kind: 'Job', plural: 'jobs', namespaced: true, categories: ['all'], subresources: ['status'], fields: ['status.successful'] },
];

/** Kubernetes version priority: GA > beta > alpha, higher numbers first; anything else after, alphabetically. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return null;
    return { major: Number(m[1]), stage: m[2] === undefined ? 2 : m[2] === 'beta' ? 1 : 0, minor: Number(m[3] ?? 0) };
  };
  const pa = parse(a);
  const pb = parse(b);
  if (pa && pb) return pb.stage - pa.stage || pb.major - pa.major || pb.minor - pa.minor;
  if (pa) return -1;
  if (pb) return 1;
  return a.localeCompare(b);
}

/** A plural for a kind the catalogue does not know, following the usual English rules Kubernetes kinds obey. */
export function derivePlural(kind: string): string {
  const lower = kind.toLowerCase();
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(lower)) return `${lower}es`;
  return `${lower}s`;
}

export const groupKind = (group: string, kind: string) => `${group}/${kind}`;

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** What the store holds, as discovery needs it: group/kind → versions in use and whether objects carry a namespace. */
export interface StoredKinds {
  get(key: string): { group: string; kind: string; versions: Set<string>; namespaced: boolean } | undefined;
  values(): Iterable<{ group: string; kind: string; versions: Set<string>; namespaced: boolean }>;
}

const uniqueSorted = (versions: Iterable<string>) => [...new Set(versions)].sort(compareVersions);

/** The resources served, looked up by group+plural (paths) and group+kind (objects). */
export class Catalogue {
  readonly byPath = new Map<string, Resource>();
  readonly byKind = new Map<string, Resource>();
  private cache = new Map<string, string>();

  constructor(stored: StoredKinds, served: Record<string, string[]> = {}) {
    for (const b of BUILTINS) {
      const used = stored.get(groupKind(b.group, b.kind))?.versions ?? [];
      this.add({
        group: b.group, kind: b.kind, plural: b.plural, singular: b.kind.toLowerCase(), namespaced: b.namespaced,
        versions: uniqueSorted([b.version, ...used]), shortNames: b.shortNames ?? [], categories: b.categories ?? [],
        subresources: b.subresources ?? [], fields: new Set([...META_FIELDS, ...(b.fields ?? [])]),
      });
    }
    for (const f of FLUX_KINDS) {
      const override = served[f.kind];
      const used = stored.get(groupKind(f.group, f.kind))?.versions ?? [];
      const versions = override ? uniqueSorted(override) : uniqueSorted([f.versions[0]!, ...used]);
      if (versions.length === 0) continue; // CRD absent
      const own = new Set([f.kind.toLowerCase(), f.singular, f.plural]);
      this.add({
        group: f.group, kind: f.kind, plural: f.plural, singular: f.singular, namespaced: true, versions,
        shortNames: f.aliases.filter((a) => !own.has(a)), categories: [], subresources: f.hasStatus ? ['status'] : [],
        fields: new Set(META_FIELDS), flux: f,
      });
    }
    for (const s of stored.values()) {
      const key = groupKind(s.group, s.kind);
      if (this.byKind.has(key) || FLUX_KINDS.some((f) => f.group === s.group && f.kind === s.kind)) continue;
      this.add({
        group: s.group, kind: s.kind, plural: derivePlural(s.kind), singular: s.kind.toLowerCase(), namespaced: s.namespaced,
        versions: uniqueSorted(s.versions), shortNames: [], categories: [], subresources: [], fields: new Set(META_FIELDS),
      });
    }
  }

  private add(r: Resource): void {
    if (this.byPath.has(`${r.group}/${r.plural}`)) return;
    this.byPath.set(`${r.group}/${r.plural}`, r);
    this.byKind.set(groupKind(r.group, r.kind), r);
  }

  /** The resource at /api(s)/GROUP/VERSION/PLURAL, if that version is served. */
  resolve(group: string, version: string, plural: string): Resource | undefined {
    const r = this.byPath.get(`${group}/${plural}`);
    return r && r.versions.includes(version) ? r : undefined;
  }

  /** Group → served versions (preferred first) and the resources of each version. */
  groups(): { name: string; versions: { version: string; resources: Resource[] }[] }[] {
    const groups = new Map<string, Map<string, Resource[]>>();
    for (const r of this.byPath.values()) {
      const versions = groups.get(r.group) ?? new Map<string, Resource[]>();
      groups.set(r.group, versions);
      for (const v of r.versions) versions.set(v, [...(versions.get(v) ?? []), r]);
    }
    return [...groups].map(([name, versions]) => ({
      name,
      versions: [...versions.keys()].sort(compareVersions).map((version) => ({ version, resources: versions.get(version)! })),
    }));
  }

  /** Discovery documents are immutable for a catalogue: serialise each once, whatever the request rate. */
  memo(key: string, build: () => unknown): string {
    let text = this.cache.get(key);
    if (text === undefined) {
      text = JSON.stringify(build());
      this.cache.set(key, text);
    }
    return text;
  }
}

// ---- Legacy discovery documents -------------------------------------------------------------------------------

export function apiVersions(serverAddress: string) {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function groupDoc(g: ReturnType<Catalogue['groups']>[number]) {
  const versions = g.versions.map((v) => ({ groupVersion: `${g.name}/${v.version}`, version: v.version }));
  return { name: g.name, versions, preferredVersion: versions[0] };
}

export function apiGroupList(cat: Catalogue) {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: cat.groups().filter((g) => g.name !== '').map(groupDoc) };
}

export function apiGroup(cat: Catalogue, group: string) {
  const g = cat.groups().find((x) => x.name === group && group !== '');
  return g ? { kind: 'APIGroup', apiVersion: 'v1', ...groupDoc(g) } : undefined;
}

export function apiResourceList(cat: Catalogue, group: string, version: string) {
  const v = cat.groups().find((g) => g.name === group)?.versions.find((x) => x.version === version);
  if (!v) return undefined;
  const resources = [];
  for (const r of v.resources) {
    resources.push({
      name: r.plural, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: VERBS,
      ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
      ...(r.categories.length ? { categories: r.categories } : {}),
      storageVersionHash: '',
    });
    for (const sub of r.subresources) {
      resources.push({ name: `${r.plural}/${sub}`, singularName: '', namespaced: r.namespaced, kind: r.kind, verbs: sub === 'log' ? ['get'] : ['get', 'patch', 'update'] });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}

// ---- Aggregated discovery (apidiscovery.k8s.io) --------------------------------------------------------------

/** The aggregated-discovery version the Accept header asks for (v2 preferred), or null for the legacy documents. */
export function aggregatedVersion(accept: string | undefined): 'v2' | 'v2beta1' | null {
  if (!accept || !accept.includes('APIGroupDiscoveryList')) return null;
  const offered = new Set<string>();
  for (const range of accept.split(',')) {
    const params = new Map(range.split(';').slice(1).map((p) => p.trim().split('=') as [string, string]));
    if (params.get('g') === 'apidiscovery.k8s.io' && params.get('as') === 'APIGroupDiscoveryList') offered.add(params.get('v') ?? '');
  }
  return offered.has('v2') ? 'v2' : offered.has('v2beta1') ? 'v2beta1' : null;
}

export const aggregatedContentType = (v: 'v2' | 'v2beta1') => `application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList`;

/** APIGroupDiscoveryList for /api (core group only) or /apis (every named group). */
export function aggregatedDiscovery(cat: Catalogue, v: 'v2' | 'v2beta1', core: boolean) {
  const items = cat.groups().filter((g) => (g.name === '') === core).map((g) => ({
    metadata: g.name ? { name: g.name, creationTimestamp: null } : { creationTimestamp: null },
    versions: g.versions.map((gv) => ({
      version: gv.version,
      resources: gv.resources.map((r) => ({
        resource: r.plural,
        responseKind: { group: r.group, version: gv.version, kind: r.kind },
        scope: r.namespaced ? 'Namespaced' : 'Cluster',
        singularResource: r.singular,
        verbs: VERBS,
        ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
        ...(r.categories.length ? { categories: r.categories } : {}),
        ...(r.subresources.length ? {
          subresources: r.subresources.map((sub) => ({
            subresource: sub,
            responseKind: { group: r.group, version: gv.version, kind: sub === 'log' ? 'Pod' : r.kind },
            verbs: sub === 'log' ? ['get'] : ['get', 'patch', 'update'],
          })),
        } : {}),
      })),
      freshness: 'Current',
    })),
  }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${v}`, metadata: {}, items };
}
