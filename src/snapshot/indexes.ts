// Indexes over one cluster's snapshot, built once, so rules and root-cause linking look things up
// instead of scanning: by ref, events by involved object, the dependency graph in both directions.
import { fluxKind } from '../flux/kinds';
import { chartOf, chartSourceOf, dependsOn, includes, keyOf, ownerOf, refKey, refOf, sourceRef, type ObjRef } from '../flux/refs';
import type { ClusterSnapshot, Controller, KubeObject } from './schema';
import { dependsOnCycles, type DependsOnNode } from './cycles';

export type Relation = 'source' | 'chart' | 'chart-source' | 'dependsOn' | 'include' | 'parent';

export interface Edge {
  relation: Relation;
  /** The object this edge points to (upstream for `upstream()`, downstream for `downstream()`). */
  ref: ObjRef;
}

/** When an event last happened (series, lastTimestamp, eventTime, creation: as kubectl reads them). */
export function eventTime(e: KubeObject): string | null {
  return e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? null;
}

export function eventTimeMs(e: KubeObject): number {
  const t = eventTime(e);
  const ms = t ? Date.parse(t) : NaN;
  return Number.isNaN(ms) ? 0 : ms;
}

/** An edge with the key of the object it points to, so walks need not rebuild it. */
interface KeyedEdge extends Edge {
  key: string;
}

export interface DependencyCycle {
  members: ObjRef[];
  /** The shortest closed walk through the smallest member: a → b → c → a. */
  path: ObjRef[];
}

export class ClusterIndex {
  readonly cluster: ClusterSnapshot;
  private readonly byKey = new Map<string, KubeObject>();
  private readonly byKind = new Map<string, KubeObject[]>();
  private readonly resourcesByKey = new Map<string, KubeObject>();
  private readonly eventsByKey = new Map<string, KubeObject[]>();
  private readonly up = new Map<string, KeyedEdge[]>();
  private readonly down = new Map<string, KeyedEdge[]>();

  constructor(cluster: ClusterSnapshot) {
    this.cluster = cluster;
    // Each object's ref and key are made once here and reused by link(): the constructor runs over every object.
    const refs: ObjRef[] = [];
    const keys: string[] = [];
    for (const obj of cluster.objects) {
      const ref = refOf(obj);
      const key = refKey(ref);
      refs.push(ref);
      keys.push(key);
      this.byKey.set(key, obj);
      const list = this.byKind.get(obj.kind);
      if (list) list.push(obj);
      else this.byKind.set(obj.kind, [obj]);
    }
    for (const obj of cluster.resources) this.resourcesByKey.set(refKey(refOf(obj)), obj);
    for (const e of cluster.events) {
      const io = e.involvedObject ?? e.regarding;
      if (!io?.kind || !io?.name) continue;
      const key = keyOf(io.kind, io.namespace, io.name);
      const list = this.eventsByKey.get(key);
      if (list) list.push(e);
      else this.eventsByKey.set(key, [e]);
    }
    for (const [key, list] of this.eventsByKey) {
      if (list.length < 2) continue;
      // Each time parsed once, not once per comparison.
      const timed = list.map((e) => ({ e, t: eventTimeMs(e) })).sort((a, b) => b.t - a.t);
      this.eventsByKey.set(key, timed.map((x) => x.e));
    }
    cluster.objects.forEach((obj, i) => this.link(obj, refs[i]!, keys[i]!));
  }

  // An object has a handful of edges: a duplicate is found by scanning them, without building a key per edge.
  private addEdge(self: ObjRef, selfKey: string, relation: Relation, to: ObjRef | null, toKey = to ? refKey(to) : ''): void {
    if (!to) return;
    if (selfKey === toKey) return;
    const ups = this.up.get(selfKey);
    if (ups) for (const e of ups) if (e.relation === relation && e.key === toKey) return;
    const up: KeyedEdge = { relation, ref: to, key: toKey };
    if (ups) ups.push(up);
    else this.up.set(selfKey, [up]);
    const down: KeyedEdge = { relation, ref: self, key: selfKey };
    const downs = this.down.get(toKey);
    if (downs) downs.push(down);
    else this.down.set(toKey, [down]);
  }

  private link(obj: KubeObject, self: ObjRef, key: string): void {
    this.addEdge(self, key, 'source', sourceRef(obj));
    if (obj.kind === 'HelmRelease') {
      const chart = chartOf(obj);
      const chartKey = chart ? refKey(chart) : '';
      this.addEdge(self, key, 'chart', chart, chartKey);
      // The generated HelmChart may be absent from the snapshot; link the repository directly then.
      if (!chart || !this.byKey.has(chartKey)) this.addEdge(self, key, 'chart-source', chartSourceOf(obj));
    }
    for (const d of dependsOn(obj)) this.addEdge(self, key, 'dependsOn', d);
    for (const i of includes(obj)) this.addEdge(self, key, 'include', i);
    const owner = ownerOf(obj);
    if (!owner) return;
    const ownerKey = refKey(owner);
    if (this.byKey.has(ownerKey)) this.addEdge(self, key, 'parent', owner, ownerKey);
  }

  get now(): number {
    return Date.parse(this.cluster.collectedAt);
  }

  get(ref: ObjRef): KubeObject | undefined {
    return this.byKey.get(refKey(ref));
  }

  /** A non-Flux object that was collected (controller Deployments/Pods, workloads, ConfigMap/Secret metadata). */
  resource(ref: ObjRef): KubeObject | undefined {
    return this.resourcesByKey.get(refKey(ref));
  }

  /**
   * Whether a non-Flux object exists: 'present' when collected, 'absent' when it was looked up (explain's
   * checkedRefs) and not found, 'unknown' when nobody looked (status does not read ConfigMaps/Secrets).
   */
  lookup(ref: ObjRef): 'present' | 'absent' | 'unknown' {
    if (this.resource(ref)) return 'present';
    return (this.cluster.details?.checkedRefs ?? []).includes(refKey(ref)) ? 'absent' : 'unknown';
  }

  objects(kind?: string): KubeObject[] {
    if (!kind) return this.cluster.objects;
    return this.byKind.get(kind) ?? [];
  }

  kinds(): string[] {
    return [...this.byKind.keys()];
  }

  /** Events about an object, newest first. */
  eventsFor(ref: ObjRef): KubeObject[] {
    return this.eventsByKey.get(refKey(ref)) ?? [];
  }

  upstream(ref: ObjRef): Edge[] {
    return this.up.get(refKey(ref)) ?? [];
  }

  downstream(ref: ObjRef): Edge[] {
    return this.down.get(refKey(ref)) ?? [];
  }

  /**
   * Everything that waits on `ref`, transitively, each once, in breadth-first order: its consumers through
   * sources, charts, includes and dependsOn. Objects merely applied by a failing Kustomization keep running
   * (only their updates wait), so the parent relation does not count as blocking.
   */
  blastRadius(ref: ObjRef): ObjRef[] {
    const seen = new Set<string>([refKey(ref)]);
    const out: ObjRef[] = [];
    const queue: ObjRef[] = [ref];
    while (queue.length > 0) {
      const current = queue.shift()!;
      for (const edge of this.down.get(refKey(current)) ?? []) {
        if (edge.relation === 'parent') continue;
        const key = edge.key;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(edge.ref);
        queue.push(edge.ref);
      }
    }
    return out;
  }

  private cycles?: DependencyCycle[];

  /** The cycles of the dependsOn graph, found once per cluster. */
  dependsOnCycles(): DependencyCycle[] {
    if (!this.cycles) {
      const nodes = new Map<string, DependsOnNode>();
      for (const obj of this.cluster.objects) {
        const deps = dependsOn(obj);
        if (deps.length > 0) nodes.set(refKey(refOf(obj)), { ref: refOf(obj), deps: deps.map(refKey) });
      }
      this.cycles = dependsOnCycles(nodes).map((c) => ({ members: c.members.map((k) => nodes.get(k)!.ref), path: c.path.map((k) => nodes.get(k)!.ref) }));
    }
    return this.cycles;
  }

  /** The dependsOn cycle `ref` is a member of, if any. */
  cycleOf(ref: ObjRef): DependencyCycle | undefined {
    const key = refKey(ref);
    return this.dependsOnCycles().find((c) => c.members.some((m) => refKey(m) === key));
  }

  controller(name: string): Controller | undefined {
    return this.cluster.controllers.find((c) => c.name === name);
  }

  /** The controller Deployment responsible for a kind, if the snapshot knows the controllers. */
  controllerFor(kind: string): Controller | undefined {
    const desc = fluxKind(kind);
    return desc ? this.controller(desc.controller) : undefined;
  }

  /** Whether the cluster serves a Flux kind: true/false from discovery, null when unknown (offline manifests). */
  serves(kind: string): boolean | null {
    if (!this.cluster.served) return null;
    return this.cluster.served.some((s) => s.kind === kind);
  }

  /** The object that cluster-wide findings (matchCluster hits) are about. */
  get clusterRef(): ObjRef {
    return { kind: 'Cluster', name: this.cluster.name };
  }

  /** The context to put in remediation commands. */
  get context(): string {
    return this.cluster.context ?? this.cluster.name;
  }
}
