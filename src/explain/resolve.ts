// Finding the Flux object to explain: the named Flux object, or the one that manages a named workload
// (kustomize/helm owner labels, walking ownerReferences Pod → ReplicaSet → Deployment, as `flux trace` does).
import { ownerOf, refKey, refOf, type ObjRef } from '../flux/refs';
import type { ClusterIndex } from '../snapshot/indexes';
import type { KubeObject } from '../snapshot/schema';
import { closest } from '../util/similar';
import { targetKindName, type ExplainTarget } from './target';

export interface Resolution {
  object: ObjRef | null;
  resolvedFrom: ObjRef | null;
  found: boolean;
  suggestions: string[];
  /** Why a found workload could not be traced to a Flux object. */
  unmanaged?: string;
}

function suggestionsFor(index: ClusterIndex, kind: string, name: string, namespace: string, fromResources: boolean): string[] {
  const pool: KubeObject[] = fromResources ? index.cluster.resources.filter((r) => r.kind === kind) : index.objects(kind);
  const sameName = pool.filter((o) => o.metadata.name === name).map((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`);
  const inNs = pool.filter((o) => (o.metadata.namespace ?? '') === namespace).map((o) => o.metadata.name);
  return [...sameName.map((s) => `${kind}/${name} in namespace ${s.split('/')[0]}`), ...closest(name, inNs).map((n) => `${kind}/${n}`)].slice(0, 6);
}

export function ownerChain(index: ClusterIndex, start: KubeObject): { owner: ObjRef | null; via: KubeObject } {
  let current: KubeObject | undefined = start;
  const seen = new Set<string>();
  while (current) {
    const key = refKey(refOf(current));
    if (seen.has(key)) break;
    seen.add(key);
    const owner = ownerOf(current);
    if (owner) return { owner, via: current };
    const ref = (current.metadata.ownerReferences as any[] | undefined)?.find((o) => o.controller) ?? (current.metadata.ownerReferences as any[] | undefined)?.[0];
    if (!ref) break;
    current = index.resource({ kind: ref.kind, namespace: current.metadata.namespace, name: ref.name });
  }
  return { owner: null, via: start };
}

export function resolveTarget(index: ClusterIndex, target: ExplainTarget): Resolution {
  const kind = targetKindName(target.kind);
  if (target.kind.flux) {
    const ref: ObjRef = { kind, namespace: target.namespace, name: target.name };
    if (index.get(ref)) return { object: ref, resolvedFrom: null, found: true, suggestions: [] };
    return { object: null, resolvedFrom: null, found: false, suggestions: suggestionsFor(index, kind, target.name, target.namespace, false) };
  }
  const ref: ObjRef = target.kind.builtin.namespaced ? { kind, namespace: target.namespace, name: target.name } : { kind, name: target.name };
  const workload = index.resource(ref);
  if (!workload) return { object: null, resolvedFrom: ref, found: false, suggestions: suggestionsFor(index, kind, target.name, target.namespace, true) };
  const { owner } = ownerChain(index, workload);
  if (!owner) return { object: null, resolvedFrom: ref, found: true, suggestions: [], unmanaged: `${refKey(ref)} carries no kustomize.toolkit.fluxcd.io or helm.toolkit.fluxcd.io labels (nor do its owners): it is not managed by Flux` };
  return { object: owner, resolvedFrom: ref, found: index.get(owner) !== undefined, suggestions: [] };
}
