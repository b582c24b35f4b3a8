// A Kustomization in the middle of its health checks (`running health checks with a timeout of <d>`) while Flux
// objects it applied have already failed. kustomize-controller before Flux 2.1 kept waiting until spec.timeout even
// then (kustomize-controller#701; 2.1 fails as soon as a checked object is failed), and a new commit or spec change
// is only picked up after that attempt ends.
import { condition, readyState } from '../../flux/conditions';
import { fluxKind } from '../../flux/kinds';
import { inventory, type ObjRef } from '../../flux/refs';
import type { ClusterIndex } from '../../snapshot/indexes';
import type { KubeObject } from '../../snapshot/schema';

const RUNNING = /^running health checks with a timeout of (\S+)/;

export interface FailedWait {
  timeout: string;
  failed: ObjRef[];
}

export function waitingOnFailed(obj: KubeObject, index: ClusterIndex): FailedWait | null {
  if (obj.kind !== 'Kustomization') return null;
  const ready = condition(obj, 'Ready');
  const m = ready?.status === 'Unknown' ? (ready.message ?? '').match(RUNNING) : null;
  if (!m) return null;
  const failed: ObjRef[] = [];
  for (const e of inventory(obj)) {
    if (fluxKind(e.kind)?.group !== e.group) continue;
    const ref: ObjRef = e.namespace ? { kind: e.kind, namespace: e.namespace, name: e.name } : { kind: e.kind, name: e.name };
    const child = index.get(ref);
    if (child && readyState(child) === 'failing') failed.push(ref);
  }
  return failed.length > 0 ? { timeout: m[1]!, failed } : null;
}
