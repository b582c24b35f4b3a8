// Small helpers shared by rules: durations, ages and object lookups.
import { condition } from '../flux/conditions';
import type { KubeObject } from '../snapshot/schema';
import { eventTimeMs, type ClusterIndex } from '../snapshot/indexes';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses Go durations as Flux specs use them (`1m30s`, `10m`, `1h`); null when absent or invalid. */
export function parseDuration(text: unknown): number | null {
  if (typeof text !== 'string' || text.length === 0) return null;
  let total = 0;
  let matched = '';
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    total += Number(m[1]) * UNITS[m[2]!]!;
    matched += m[0];
  }
  return matched === text ? total : null;
}

/** `3h12m`, `4d2h`, `45s`: the compact age format of kubectl. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '0s';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 && m < 10 ? `${m}m${s % 60}s` : `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h}h${m % 60}m` : `${h}h`;
  const d = Math.floor(h / 24);
  return h % 24 && d < 10 ? `${d}d${h % 24}h` : `${d}d`;
}

export function ageOf(time: string | null | undefined, now: number): number | null {
  if (!time) return null;
  const t = Date.parse(time);
  return Number.isNaN(t) ? null : now - t;
}

/** When the object entered its current Ready state. */
export function readySince(obj: KubeObject): string | null {
  return condition(obj, 'Ready')?.lastTransitionTime ?? null;
}

export function firstLine(text: string | undefined | null): string {
  return (text ?? '').split('\n')[0]!.trim();
}

const FAILING_CONDITION = (c: { type: string; status: string }) =>
  (['Ready', 'SourceVerified', 'Released', 'Healthy'].includes(c.type) && c.status === 'False')
  || (['Stalled', 'FetchFailed', 'BuildFailed', 'StorageOperationFailed', 'IncludeUnavailable'].includes(c.type) && c.status === 'True');

/**
 * Since when an object has been failing, as well as the snapshot can tell: the oldest of its failing conditions'
 * lastTransitionTime and the first Warning event of the same reason since the last Normal event. A condition alone
 * is not enough: its lastTransitionTime moves whenever its message changes (a port, an address, a request id).
 */
export function failureStart(obj: KubeObject, index: ClusterIndex): string | null {
  const memo = FAILURE_START.get(obj);
  if (memo && memo.index === index) return memo.value;
  const value = computeFailureStart(obj, index);
  FAILURE_START.set(obj, { index, value });
  return value;
}

const FAILURE_START = new WeakMap<KubeObject, { index: ClusterIndex; value: string | null }>();

function computeFailureStart(obj: KubeObject, index: ClusterIndex): string | null {
  const list = Array.isArray(obj.status?.conditions) ? obj.status.conditions : [];
  const failing = list.filter(FAILING_CONDITION);
  const times: number[] = failing.map((c: any) => Date.parse(c.lastTransitionTime ?? '')).filter((t: number) => !Number.isNaN(t));
  const reasons = new Set(failing.map((c: any) => c.reason).filter(Boolean));
  const events = index.eventsFor({ kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name });
  const lastNormal = Math.max(0, ...events.filter((e) => e.type !== 'Warning').map(eventTimeMs));
  for (const e of events) {
    if (e.type !== 'Warning' || !reasons.has(e.reason) || eventTimeMs(e) <= lastNormal) continue;
    const first = Date.parse(e.firstTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? '');
    if (!Number.isNaN(first) && first > lastNormal) times.push(first);
  }
  if (times.length === 0) return null;
  return new Date(Math.min(...times)).toISOString().replace('.000Z', 'Z');
}

/**
 * The start of a failure given the time a rule or condition reports: the earlier of that and failureStart(),
 * because controllers reset lastTransitionTime on every retry (and whenever the message changes).
 */
export function earliestFailure(obj: KubeObject, since: string | null, index: ClusterIndex): string | null {
  if (!since) return since;
  const start = failureStart(obj, index);
  return start && Date.parse(start) < Date.parse(since) ? start : since;
}
