// Which Flux kinds a cluster serves, and in which versions. One request with aggregated discovery
// (Kubernetes ≥1.30 serves it); the legacy per-group-version walk is the fallback.
import { FLUX_KINDS, type FluxKind } from '../flux/kinds';
import type { ServedKind } from '../snapshot/schema';
import type { KubeClient } from './client';

const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

const FLUX_GROUPS = new Set(FLUX_KINDS.map((k) => k.group));

/** Served versions per resource, keyed `group/plural`, in the server's preference order. */
type ServedMap = Map<string, string[]>;

function add(map: ServedMap, group: string, plural: string, version: string): void {
  if (plural.includes('/')) return; // subresources (status, log)
  const key = `${group}/${plural}`;
  const list = map.get(key) ?? [];
  if (!list.includes(version)) list.push(version);
  map.set(key, list);
}

async function legacy(client: KubeClient, groups: any[]): Promise<ServedMap> {
  const map: ServedMap = new Map();
  const pairs = groups
    .filter((g) => FLUX_GROUPS.has(g?.name))
    .flatMap((g) => (g.versions ?? []).map((v: any) => ({ group: g.name as string, version: v.version as string })));
  const lists = await Promise.all(pairs.map((p) => client.getJSON(`/apis/${p.group}/${p.version}`).then((body) => ({ p, body }))));
  for (const { p, body } of lists) for (const r of body?.resources ?? []) add(map, p.group, r.name, p.version);
  return map;
}

function choose(kind: FluxKind, served: string[]): string {
  return kind.versions.find((v) => served.includes(v)) ?? served[0]!;
}

export async function discoverFluxKinds(client: KubeClient): Promise<ServedKind[]> {
  const body = await client.getJSON('/apis', AGGREGATED);
  let map: ServedMap;
  if (body?.kind === 'APIGroupDiscoveryList') {
    map = new Map();
    for (const group of body.items ?? []) {
      const name = group?.metadata?.name;
      if (!FLUX_GROUPS.has(name)) continue;
      for (const v of group.versions ?? []) for (const r of v.resources ?? []) add(map, name, r.resource, v.version);
    }
  } else {
    map = await legacy(client, body?.groups ?? []);
  }
  const out: ServedKind[] = [];
  for (const kind of FLUX_KINDS) {
    const versions = map.get(`${kind.group}/${kind.plural}`);
    if (!versions || versions.length === 0) continue;
    out.push({ kind: kind.kind, group: kind.group, plural: kind.plural, version: choose(kind, versions), versions });
  }
  return out;
}
