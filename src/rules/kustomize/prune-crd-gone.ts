// FD316's case of an inventory entry whose kind no longer exists: the CRD was deleted (which deletes every object
// of that kind), so the garbage collector cannot even look the object up (`query failed: no matches for kind …`)
// and fails on every reconciliation. kubectl cannot get or delete it either; either the CRD comes back (and Flux
// prunes the object), or the stale entry leaves the inventory.
import type { ObjRef } from '../../flux/refs';
import type { KubeObject } from '../../snapshot/schema';
import type { RemediationTemplate } from '../types';
import { escapeRegExp } from './messages';

export interface CrdGone {
  title: string;
  explanation: string;
  evidence: string[];
  vars: Record<string, string>;
  remediation: RemediationTemplate[];
}

/** The raw index of the inventory entry for `ref` (ids are `<ns>_<name>_<group>_<Kind>`), or -1. */
function entryIndex(obj: KubeObject, ref: ObjRef, group: string | null): number {
  const entries: unknown = obj.status?.inventory?.entries;
  if (!Array.isArray(entries)) return -1;
  const id = new RegExp(`^${escapeRegExp(ref.namespace ?? '')}_${escapeRegExp(ref.name)}_${group === null ? '[^_]*' : escapeRegExp(group)}_${escapeRegExp(ref.kind)}$`);
  return entries.findIndex((e) => typeof e?.id === 'string' && id.test(e.id));
}

export function crdGoneCase(obj: KubeObject, message: string, ref: ObjRef): CrdGone | null {
  const at = message.match(new RegExp(`${escapeRegExp(ref.kind)}/(?:${escapeRegExp(ref.namespace ?? '')}/)?${escapeRegExp(ref.name)} query failed: ([^;]*)`));
  const error = at?.[1] ?? '';
  if (!/no matches for kind|could not find the requested resource|the server doesn't have a resource type/i.test(error)) return null;
  const apiVersion = error.match(/no matches for kind "[^"]+" in version "([^"]+)"/)?.[1];
  const group = apiVersion ? (apiVersion.includes('/') ? apiVersion.split('/')[0]! : '') : null;
  const vars: Record<string, string> = { prunedKind: `${ref.kind}${apiVersion ? ` (${apiVersion})` : ''}` };
  if (group) vars.prunedGroup = group;
  const evidence: string[] = [];
  const i = entryIndex(obj, ref, group);
  if (i >= 0) {
    const id = (obj.status!.inventory!.entries as { id: string }[])[i]!.id;
    vars.inventoryIndex = String(i);
    vars.inventoryId = id;
    evidence.push(`status.inventory.entries[${i}] is ${id}`);
  }
  return {
    title: `Cannot prune ${ref.kind}/${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}: its kind ${vars.prunedKind} no longer exists (CRD deleted)`,
    explanation: 'The object is still listed in the Kustomization\'s inventory, but the cluster no longer serves its kind: its CustomResourceDefinition was deleted (or that version was dropped). Deleting a CRD deletes all its objects, so nothing is left to prune, but the garbage collector cannot look the object up and fails on every reconciliation; the revision is never marked as applied and dependents wait.',
    evidence,
    vars,
    remediation: [
      { description: 'If the CRD was removed by mistake, install it again (then Flux prunes the object normally)', command: 'kubectl --context {context} api-resources --api-group={prunedGroup}' },
      { description: 'Otherwise drop the stale entry: suspend the Kustomization so it does not rewrite its status', command: 'flux --context {context} suspend kustomization {name} -n {namespace}' },
      i >= 0
        ? { description: 'Remove entry {inventoryIndex} ({inventoryId}) from status.inventory (the test op makes the patch fail if the list moved)', command: 'kubectl --context {context} -n {namespace} patch kustomization {name} --subresource=status --type=json -p \'[{"op":"test","path":"/status/inventory/entries/{inventoryIndex}/id","value":"{inventoryId}"},{"op":"remove","path":"/status/inventory/entries/{inventoryIndex}"}]\'' }
        : { description: 'Find the entry of {prunedKind} in status.inventory and remove it with kubectl patch --subresource=status', command: 'kubectl --context {context} -n {namespace} get kustomization {name} -o jsonpath=\'{range .status.inventory.entries[*]}{.id}{"\\n"}\\{end\\}\'' },
      { description: 'Resume it; the next garbage collection no longer looks for the object', command: 'flux --context {context} resume kustomization {name} -n {namespace}' },
    ],
  };
}
