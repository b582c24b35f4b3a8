// The failure messages of every failing Flux object of a cluster, read once: the shared-cause rules (cluster DNS,
// source-controller's artifact server) look for one infrastructure error behind many objects' failures.
import { condition, readyState } from '../../flux/conditions';
import { refKey, refOf, type ObjRef } from '../../flux/refs';
import type { ClusterIndex } from '../../snapshot/indexes';

export interface Failure {
  ref: ObjRef;
  message: string;
}

const MEMO = new WeakMap<ClusterIndex, Failure[]>();

/** Failing objects with the message of the condition that says why (Ready=False, Stalled, FetchFailed). */
export function failures(index: ClusterIndex): Failure[] {
  let list = MEMO.get(index);
  if (list) return list;
  list = [];
  for (const obj of index.objects()) {
    if (readyState(obj) !== 'failing') continue;
    const messages = ['Ready', 'Stalled', 'FetchFailed']
      .map((t) => condition(obj, t))
      .filter((c) => c && (c.type === 'Ready' ? c.status === 'False' : c.status === 'True'))
      .map((c) => c!.message ?? '');
    const message = messages.find((m) => m.length > 0);
    if (message) list.push({ ref: refOf(obj), message });
  }
  MEMO.set(index, list);
  return list;
}

/** `a, b and N more`, for evidence. */
export function listSome(items: string[], max = 3): string {
  const shown = items.slice(0, max).join(', ');
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}

/** `Kind/ns/name, Kind/ns/name and N more`, for evidence. */
export function listRefs(refs: ObjRef[], max = 3): string {
  return listSome(refs.map(refKey), max);
}
