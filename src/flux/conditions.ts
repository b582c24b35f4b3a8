// Reading Flux status the way the controllers write it (see docs/architecture in README):
// suspension first, then Stalled/Ready/Reconciling, with observedGeneration taken into account.
import type { KubeObject } from '../snapshot/schema';
import { fluxKind } from './kinds';

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown' | string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

export function conditions(obj: KubeObject): Condition[] {
  const list = obj.status?.conditions;
  return Array.isArray(list) ? list : [];
}

export function condition(obj: KubeObject, type: string): Condition | undefined {
  // Like the flux CLI: when a type appears twice the last one wins.
  let found: Condition | undefined;
  for (const c of conditions(obj)) if (c.type === type) found = c;
  return found;
}

export function isTrue(obj: KubeObject, type: string): boolean {
  return condition(obj, type)?.status === 'True';
}

export function isSuspended(obj: KubeObject): boolean {
  if (obj.spec?.suspend === true) return true;
  const annotations = obj.metadata.annotations ?? {};
  return annotations['fluxcd.controlplane.io/reconcile'] === 'disabled' || annotations['source.extensions.fluxcd.io/reconcile'] === 'disabled';
}

/** Alert, Provider and OCI HelmRepositories carry no status by design; a missing Ready there is normal. */
export function isStatic(obj: KubeObject): boolean {
  const desc = fluxKind(obj.kind);
  if (desc && !desc.hasStatus) return true;
  return obj.kind === 'HelmRepository' && obj.spec?.type === 'oci';
}

export type ReadyState = 'ready' | 'failing' | 'progressing' | 'suspended' | 'unknown' | 'static';

/** One word for an object's state, checking spec.suspend before trusting Ready. */
export function readyState(obj: KubeObject): ReadyState {
  if (isSuspended(obj)) return 'suspended';
  if (isStatic(obj)) return 'static';
  if (isTrue(obj, 'Stalled')) return 'failing';
  const ready = condition(obj, 'Ready');
  if (!ready) return 'unknown';
  if (ready.status === 'True') return 'ready';
  if (ready.status === 'False') return 'failing';
  return 'progressing';
}

/** Statuses fluxdiag prints for Ready: True/False/Unknown, or "-" for static objects. */
export function readyStatus(obj: KubeObject): string {
  if (isStatic(obj)) return '-';
  return condition(obj, 'Ready')?.status ?? 'Unknown';
}

export function generationObserved(obj: KubeObject): boolean {
  const generation = obj.metadata.generation;
  const observed = obj.status?.observedGeneration;
  if (typeof generation !== 'number' || typeof observed !== 'number') return true;
  return observed >= generation;
}

export function isRetrying(obj: KubeObject): boolean {
  return condition(obj, 'Reconciling')?.reason === 'ProgressingWithRetry';
}

/** The revision an object is at: artifact for sources, last applied for appliers, chart version for releases. */
export function currentRevision(obj: KubeObject): string | null {
  const status = obj.status ?? {};
  if (status.artifact?.revision) return status.artifact.revision;
  if (obj.kind === 'HelmRelease') return status.history?.[0]?.chartVersion ?? status.lastAttemptedRevision ?? null;
  return status.lastAppliedRevision ?? status.lastAttemptedRevision ?? null;
}

/** When the suspension started: the update that set spec.suspend (kept from managedFields by the snapshot). */
export function suspendedSince(obj: KubeObject): string | null {
  const fields: any[] = Array.isArray(obj.metadata.managedFields) ? obj.metadata.managedFields : [];
  const owners = fields.filter((m: any) => m?.suspend && typeof m.time === 'string');
  return owners.length > 0 ? owners.map((m: any) => m.time as string).sort().at(-1)! : null;
}

export const REQUESTED_AT = 'reconcile.fluxcd.io/requestedAt';

/** The reconcile request (annotation value) the controller has not handled yet, if any. */
export function pendingReconcileRequest(obj: KubeObject): string | null {
  const requested = obj.metadata.annotations?.[REQUESTED_AT];
  return typeof requested === 'string' && requested !== obj.status?.lastHandledReconcileAt ? requested : null;
}
