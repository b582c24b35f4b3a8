import { condition } from '../../flux/conditions';
import { refOf } from '../../flux/refs';
import type { KubeObject } from '../../snapshot/schema';
import { defineRule } from '../define';
import { eventEvidence } from '../evidence';
import { ksVars } from './messages';

/** History statuses of reconciliations whose apply ran to completion (a ReconciliationFailed one may have applied half). */
const APPLIED = new Set(['ReconciliationSucceeded', 'HealthCheckFailed', 'PruneFailed']);
const TOLERANCE_MS = 1000;

function time(text: unknown): number | null {
  if (typeof text !== 'string') return null;
  const t = Date.parse(text);
  return Number.isNaN(t) ? null : t;
}

function lastSeen(e: KubeObject): number | null {
  return time(e.series?.lastObservedTime) ?? time(e.lastTimestamp) ?? time(e.eventTime) ?? time(e.metadata.creationTimestamp);
}

function firstSeen(e: KubeObject): number | null {
  return time(e.firstTimestamp) ?? time(e.eventTime) ?? time(e.metadata.creationTimestamp);
}

function countOf(e: KubeObject): number {
  if (typeof e.series?.count === 'number') return e.series.count;
  return typeof e.count === 'number' && e.count > 0 ? e.count : 1;
}

/** `Kind/ns/name configured|created` lines of a change-set event (what kustomize-controller emits after an apply). */
function changedObjects(message: string): string[] {
  const out: string[] = [];
  for (const line of message.split('\n')) {
    const m = line.trim().match(/^([A-Za-z][A-Za-z0-9]*\/\S+) (configured|created)$/);
    if (m) out.push(m[1]!);
  }
  return out;
}

/**
 * When the manifests currently applied were first applied completely: from status.history (2.7+), the earliest
 * firstReconciled of the newest digest among reconciliations whose apply completed. Null when unknown.
 */
function baseline(obj: KubeObject): number | null {
  const history: any[] = Array.isArray(obj.status?.history) ? obj.status.history : [];
  if (history.length === 0) return null;
  const newest = [...history].sort((a, b) => (time(b.lastReconciled) ?? 0) - (time(a.lastReconciled) ?? 0))[0];
  if (!newest || !APPLIED.has(newest.lastReconciledStatus)) return null;
  const times = history
    .filter((h) => h.digest === newest.digest && APPLIED.has(h.lastReconciledStatus))
    .map((h) => time(h.firstReconciled))
    .filter((t): t is number => t !== null);
  return times.length > 0 ? Math.min(...times) : null;
}

export default defineRule({
  code: 'FD323',
  slug: 'drift-corrected',
  category: 'apply-conflict',
  severity: 'info',
  kinds: ['Kustomization'],
  title: 'Flux reverted changes made in the cluster',
  signals: [
    'Normal events of the Kustomization listing `<Kind>/<ns>/<name> configured|created` (the apply change set) after the current manifests were first applied: status.history[].firstReconciled of the newest digest (2.7+)',
    'before 2.7 (no history): the same change-set event repeated (count ≥ 2) with the kustomize.toolkit.fluxcd.io/revision annotation equal to lastAppliedRevision',
    'corrected more than once → warning: something keeps changing the object',
  ],
  explanation: 'kustomize-controller re-applied objects although Git did not change: someone (kubectl edit/scale, another controller, a mutating webhook, an HPA) modified fields that Flux manages, and Flux put them back. That is GitOps working as designed, but changes made by hand are silently lost, and an object corrected on every run means two writers are fighting over it (or the manifest holds a value the API server rewrites, such as cpu: 1000m for 1).',
  remediation: [
    { description: 'See who else writes {driftObject} (field managers and when)', command: 'kubectl --context {context} -n {driftNamespace} get {driftResource} {driftName} --show-managed-fields -o jsonpath=\'{.metadata.managedFields}\' | jq -r \'.[] | "\\(.manager) \\(.operation) \\(.time)"\'' },
    { description: 'Preview what Flux would change right now (run at the repository root)', command: 'flux --context {context} diff kustomization {name} -n {namespace} --path {path}' },
    { description: 'Make the change in Git instead; if another controller legitimately owns a field (e.g. replicas under an HPA), remove it from the manifest, or exclude it with spec.ignore (2.9+) or the kustomize.toolkit.fluxcd.io/ssa: IfNotPresent annotation' },
    { description: 'To change it by hand temporarily, suspend the Kustomization first (and resume it afterwards)', command: 'flux --context {context} suspend kustomization {name} -n {namespace}' },
  ],
  match(obj, { index }) {
    if (condition(obj, 'Ready')?.status === 'False') return null;
    const events = index.eventsFor(refOf(obj)).filter((e) => (e.type ?? 'Normal') === 'Normal');
    const since = baseline(obj);
    const applied = obj.status?.lastAppliedRevision;
    const corrections = new Map<string, number>();
    const seen: KubeObject[] = [];
    for (const e of events) {
      const changed = changedObjects(String(e.message ?? e.note ?? ''));
      if (changed.length === 0) continue;
      const count = countOf(e);
      let drift = 0;
      if (since !== null) {
        const last = lastSeen(e);
        if (last === null || last <= since + TOLERANCE_MS) continue;
        const first = firstSeen(e);
        // Occurrences before the baseline were the legitimate first apply of this or an older revision.
        drift = first !== null && first > since + TOLERANCE_MS ? count : 1;
      } else {
        const revision = e.metadata.annotations?.['kustomize.toolkit.fluxcd.io/revision'];
        if (!applied || revision !== applied || count < 2) continue;
        drift = count - 1;
      }
      seen.push(e);
      for (const ref of changed) corrections.set(ref, (corrections.get(ref) ?? 0) + drift);
    }
    if (corrections.size === 0) return null;
    const [top, times] = [...corrections.entries()].sort((a, b) => b[1] - a[1])[0]!;
    const parts = top.split('/');
    const vars = ksVars(obj, index);
    vars.driftObject = top;
    vars.driftResource = parts[0]!.toLowerCase();
    vars.driftName = parts[parts.length - 1]!;
    vars.driftNamespace = parts.length === 3 ? parts[1]! : obj.metadata.namespace ?? '';
    const recurring = times >= 2;
    const others = corrections.size - 1;
    return {
      evidence: seen.slice(0, 3).map((e) => eventEvidence(e)),
      vars,
      since: seen.map((e) => e.firstTimestamp ?? e.eventTime).filter((t) => typeof t === 'string').sort()[0] ?? null,
      ...(recurring ? { severity: 'warning' as const } : {}),
      title: recurring
        ? `Flux keeps reverting changes to ${top} (${times} times since the current manifests were applied)${others > 0 ? ` and ${others} more` : ''}`
        : `Flux reverted a change made in the cluster to ${top}${others > 0 ? ` and ${others} more` : ''}`,
    };
  },
});
