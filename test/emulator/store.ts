// The objects one emulated cluster stores, indexed for the request rates of the benchmarks (30 clusters × 500
// objects, many concurrent lists): objects are bucketed by group+kind, and each bucket keeps a sorted view
// (namespace, then name) rebuilt only after a change, so a list is a binary search plus a slice, never a sort.
import type { KubeObject } from '../../src/snapshot/schema';
import { groupKind, splitApiVersion, type StoredKinds } from './discovery';

interface Bucket {
  group: string;
  kind: string;
  /** Versions the stored objects were written with; discovery serves them (as a CRD's stored versions). */
  versions: Set<string>;
  namespaced: boolean;
  byKey: Map<string, KubeObject>;
  sorted: { keys: string[]; objects: KubeObject[] } | null;
}

/** Sort/identity key: namespace then name ('\u0000' sorts before every character a name can hold). */
const keyOf = (namespace: string | undefined, name: string) => `${namespace ?? ''}\u0000${name}`;

function lowerBound(keys: string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class ObjectStore {
  private buckets = new Map<string, Bucket>();
  private rv: number;
  /** Bumped when a group/kind/version appears, so the discovery catalogue knows to rebuild. */
  shape = 0;
  /** Bumped on every write, so serialised list replies are reused only while nothing changed. */
  revision = 0;

  constructor(objects: KubeObject[]) {
    let max = 1000;
    for (const o of objects) {
      const n = Number(o.metadata.resourceVersion);
      if (Number.isSafeInteger(n) && n > max) max = n;
    }
    this.rv = max;
    for (const o of objects) this.put(o);
  }

  /** The cluster's current resourceVersion (lists report it). */
  get resourceVersion(): string {
    return String(this.rv);
  }

  /** A fresh resourceVersion, for a write. */
  nextResourceVersion(): string {
    return String(++this.rv);
  }

  /**
   * Inserts or replaces an object (identity: group, kind, namespace, name). Objects without a resourceVersion get one;
   * a namespace that holds objects but has no Namespace object gets one, as no real cluster stores objects without it.
   */
  put(input: KubeObject): KubeObject {
    const obj = input.metadata.resourceVersion === undefined
      ? { ...input, metadata: { ...input.metadata, resourceVersion: this.nextResourceVersion() } }
      : input;
    const { group, version } = splitApiVersion(obj.apiVersion);
    const gk = groupKind(group, obj.kind);
    let bucket = this.buckets.get(gk);
    if (!bucket) {
      bucket = { group, kind: obj.kind, versions: new Set(), namespaced: false, byKey: new Map(), sorted: null };
      this.buckets.set(gk, bucket);
      this.shape++;
    }
    if (!bucket.versions.has(version)) {
      bucket.versions.add(version);
      this.shape++;
    }
    const ns = obj.metadata.namespace;
    if (ns && !bucket.namespaced) {
      bucket.namespaced = true;
      this.shape++;
    }
    const key = keyOf(ns, obj.metadata.name);
    this.revision++;
    if (!bucket.byKey.has(key)) bucket.sorted = null;
    bucket.byKey.set(key, obj);
    if (bucket.sorted) bucket.sorted.objects[lowerBound(bucket.sorted.keys, key)] = obj;
    if (ns && obj.kind !== 'Namespace' && !this.get('', 'Namespace', undefined, ns)) {
      this.put({
        apiVersion: 'v1', kind: 'Namespace',
        metadata: { name: ns, labels: { 'kubernetes.io/metadata.name': ns }, creationTimestamp: obj.metadata.creationTimestamp },
        spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' },
      });
    }
    return obj;
  }

  get(group: string, kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.buckets.get(groupKind(group, kind))?.byKey.get(keyOf(namespace, name));
  }

  delete(group: string, kind: string, namespace: string | undefined, name: string): boolean {
    const bucket = this.buckets.get(groupKind(group, kind));
    const removed = bucket?.byKey.delete(keyOf(namespace, name)) ?? false;
    if (removed) {
      bucket!.sorted = null;
      this.revision++;
    }
    return removed;
  }

  /**
   * The objects of a kind, sorted by namespace then name, restricted to a namespace when given, from position
   * `after` (exclusive; a key from `keyAt`) on. Returns the live sorted arrays and an index range: no copy.
   */
  range(group: string, kind: string, namespace: string | undefined, after?: string): { objects: KubeObject[]; keys: string[]; start: number; end: number } {
    const bucket = this.buckets.get(groupKind(group, kind));
    if (!bucket) return { objects: [], keys: [], start: 0, end: 0 };
    if (!bucket.sorted) {
      const keys = [...bucket.byKey.keys()].sort();
      bucket.sorted = { keys, objects: keys.map((k) => bucket.byKey.get(k)!) };
    }
    const { keys, objects } = bucket.sorted;
    let start = 0;
    let end = keys.length;
    if (namespace !== undefined) {
      start = lowerBound(keys, `${namespace}\u0000`);
      end = lowerBound(keys, `${namespace}\u0001`);
    }
    if (after !== undefined) {
      const i = lowerBound(keys, after);
      start = Math.max(start, keys[i] === after ? i + 1 : i);
    }
    return { objects, keys, start, end };
  }

  /** Every stored object (live references). */
  all(): KubeObject[] {
    return [...this.buckets.values()].flatMap((b) => [...b.byKey.values()]);
  }

  /** Group/kind → versions in use, for the discovery catalogue. */
  kinds(): StoredKinds {
    const view = new Map<string, { group: string; kind: string; versions: Set<string>; namespaced: boolean }>();
    for (const [k, b] of this.buckets) view.set(k, { group: b.group, kind: b.kind, versions: b.versions, namespaced: b.namespaced });
    return view;
  }
}
