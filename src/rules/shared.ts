// Helpers several rule families need: the state of a referenced object, flux CLI nouns, controller refs.
import { condition, readyState } from '../flux/conditions';
import { fluxKind } from '../flux/kinds';
import { inventory, refKey, refOf, sameRef, targetCluster, type ObjRef } from '../flux/refs';
import type { ClusterIndex } from '../snapshot/indexes';
import type { KubeObject } from '../snapshot/schema';
import { firstLine } from './util';

/** The controllers' refusal under --no-cross-namespace-refs: kustomize/image/notification, then helm-controller's wording. */
export const CROSS_NAMESPACE_BLOCKED = /cross-namespace references have been blocked|cross-namespace references are not allowed/;

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The flux CLI noun of a kind (`source git`), or null where the CLI has none. */
export function nounOf(kind: string): string | null {
  return fluxKind(kind)?.fluxNoun ?? null;
}

/** Whether a referenced object has a problem of its own that blocks its dependants. */
export function isBlocking(index: ClusterIndex, ref: ObjRef): boolean {
  const obj = index.get(ref);
  if (!obj) return false;
  const state = readyState(obj);
  return state === 'failing' || state === 'suspended' || state === 'unknown';
}

/** One line about a referenced object, for evidence. */
export function stateLine(index: ClusterIndex, ref: ObjRef): string {
  const obj = index.get(ref);
  if (!obj) return `${refKey(ref)}: not found in the snapshot`;
  const state = readyState(obj);
  if (state === 'suspended') return `${refKey(ref)}: suspended (spec.suspend: true)`;
  if (state === 'static') return `${refKey(ref)}: no status by design (${obj.kind === 'HelmRepository' ? 'type: oci' : 'static'})`;
  const stalled = condition(obj, 'Stalled');
  const ready = condition(obj, 'Ready');
  const c = stalled?.status === 'True' ? stalled : ready;
  if (!c) return `${refKey(ref)}: no Ready condition yet`;
  const isSource = fluxKind(obj.kind)?.family === 'source';
  const artifact = !isSource ? '' : obj.status?.artifact?.revision ? ` (artifact ${obj.status.artifact.revision})` : ', no artifact';
  return `${refKey(ref)}: ${c.type}=${c.status}${c.reason ? ` ${c.reason}` : ''}${c.message ? `: ${firstLine(c.message)}` : ''}${artifact}`;
}

/** The Deployment of a Flux controller, as the cluster family reports it. */
export function controllerRef(index: ClusterIndex, name: string): ObjRef {
  return { kind: 'Deployment', namespace: index.cluster.fluxNamespace, name };
}

/**
 * Whether the CRD `<plural>.<group>` defines `kind`: a CRD's name is its plural, which by convention is the lower-case
 * kind plus s/es (y → ies). Only used to pick the CRD of one kind among a group's CRDs in an inventory.
 */
export function crdDefinesKind(crdName: string, group: string, kind: string): boolean {
  if (!crdName.endsWith(`.${group}`)) return false;
  const plural = crdName.slice(0, -(group.length + 1));
  const lower = kind.toLowerCase();
  return plural === `${lower}s` || plural === `${lower}es` || plural === lower || (lower.endsWith('y') && plural === `${lower.slice(0, -1)}ies`);
}

/**
 * The Kustomization or HelmRelease whose inventory installs CRDs of `group`, other than `self`; with `kind`, only the
 * one that installs the CRD of that kind.
 */
export function crdProvider(index: ClusterIndex, self: KubeObject, group: string, kinds = ['Kustomization', 'HelmRelease'], kind?: string): ObjRef | null {
  const defines = (name: string) => (kind ? crdDefinesKind(name, group, kind) : name.endsWith(`.${group}`));
  for (const k of kinds) {
    for (const candidate of index.objects(k)) {
      if (sameRef(refOf(candidate), refOf(self)) || targetCluster(candidate) !== targetCluster(self)) continue;
      if (inventory(candidate).some((e) => e.kind === 'CustomResourceDefinition' && defines(e.name))) return refOf(candidate);
    }
  }
  return null;
}
