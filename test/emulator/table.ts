// meta.k8s.io/v1 Table responses, which kubectl asks for (`Accept: application/json;as=Table;…`) to print its
// human-readable output. The server renders the cells (as the apiserver does from a CRD's printer columns), so
// `kubectl get ks` shows what it would show against a real cluster: NAME, AGE, READY, STATUS for Flux kinds.
import type { KubeObject } from '../../src/snapshot/schema';
import type { Resource } from './discovery';

/** The Table version the Accept header asks for, or null when it wants plain objects. */
export function tableVersion(accept: string | undefined): 'v1' | 'v1beta1' | null {
  if (!accept || !accept.includes('as=Table')) return null;
  for (const range of accept.split(',')) {
    const params = new Map(range.split(';').slice(1).map((p) => p.trim().split('=') as [string, string]));
    if (params.get('as') === 'Table' && params.get('g') === 'meta.k8s.io' && (params.get('v') === 'v1' || params.get('v') === 'v1beta1')) {
      return params.get('v') as 'v1' | 'v1beta1';
    }
  }
  return null;
}

/** k8s.io/apimachinery's duration.HumanDuration, so AGE reads as kubectl users expect ("5d3h", "42m"). */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 8) return hours % 24 === 0 ? `${days}d` : `${days}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.floor(days / 365);
  if (hours < 24 * 365 * 8) return days % 365 === 0 ? `${years}y` : `${years}y${days % 365}d`;
  return `${years}y`;
}

type Column = { name: string; type: string; format: string; description: string; priority: number; cell: (o: KubeObject, now: number) => unknown };

const age = (o: KubeObject, now: number) => {
  const t = Date.parse(String(o.metadata.creationTimestamp ?? ''));
  return Number.isNaN(t) ? '<unknown>' : humanDuration(now - t);
};
const ready = (o: KubeObject) => (o.status?.conditions ?? []).find((c: any) => c?.type === 'Ready');

const NAME: Column = { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0, cell: (o) => o.metadata.name };
const AGE: Column = { name: 'Age', type: 'date', format: '', description: 'CreationTimestamp of the object.', priority: 0, cell: age };
const FLUX_STATUS: Column[] = [
  { name: 'Ready', type: 'string', format: '', description: '', priority: 0, cell: (o) => ready(o)?.status ?? '' },
  { name: 'Status', type: 'string', format: '', description: '', priority: 0, cell: (o) => ready(o)?.message ?? '' },
];
const EVENT: Column[] = [
  { name: 'Last Seen', type: 'string', format: '', description: '', priority: 0, cell: (o, now) => {
    const t = Date.parse(String(o.lastTimestamp ?? o.eventTime ?? o.metadata.creationTimestamp ?? ''));
    return Number.isNaN(t) ? '<unknown>' : humanDuration(now - t);
  } },
  { name: 'Type', type: 'string', format: '', description: '', priority: 0, cell: (o) => o.type ?? '' },
  { name: 'Reason', type: 'string', format: '', description: '', priority: 0, cell: (o) => o.reason ?? '' },
  { name: 'Object', type: 'string', format: '', description: '', priority: 0, cell: (o) => `${String(o.involvedObject?.kind ?? '').toLowerCase()}/${o.involvedObject?.name ?? ''}` },
  { name: 'Message', type: 'string', format: '', description: '', priority: 0, cell: (o) => o.message ?? '' },
];

const col = (name: string, cell: Column['cell'], type = 'string'): Column => ({ name, type, format: '', description: '', priority: 0, cell });

/** kubectl's pod STATUS: a waiting/terminated container's reason wins over the phase (CrashLoopBackOff, OOMKilled). */
function podStatus(o: KubeObject): string {
  for (const c of o.status?.containerStatuses ?? []) {
    const reason = c?.state?.waiting?.reason ?? c?.state?.terminated?.reason;
    if (reason) return reason;
  }
  return o.status?.phase ?? 'Unknown';
}

const POD: Column[] = [
  NAME,
  col('Ready', (o) => `${(o.status?.containerStatuses ?? []).filter((c: any) => c?.ready).length}/${(o.spec?.containers ?? []).length}`),
  col('Status', podStatus),
  col('Restarts', (o) => (o.status?.containerStatuses ?? []).reduce((n: number, c: any) => n + (Number(c?.restartCount) || 0), 0), 'integer'),
  AGE,
];
const DEPLOYMENT: Column[] = [
  NAME,
  col('Ready', (o) => `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 1}`),
  col('Up-to-date', (o) => o.status?.updatedReplicas ?? 0, 'integer'),
  col('Available', (o) => o.status?.availableReplicas ?? 0, 'integer'),
  AGE,
];

function columnsFor(resource: Resource): Column[] {
  if (resource.group === '' && resource.kind === 'Event') return EVENT;
  if (resource.group === '' && resource.kind === 'Pod') return POD;
  if (resource.group === 'apps' && resource.kind === 'Deployment') return DEPLOYMENT;
  if (resource.flux?.hasStatus) return [NAME, AGE, ...FLUX_STATUS];
  return [NAME, AGE];
}

export function toTable(
  resource: Resource, objects: KubeObject[], version: 'v1' | 'v1beta1', includeObject: string | undefined,
  listMeta: Record<string, unknown>, apiVersion: string,
) {
  const columns = columnsFor(resource);
  const now = Date.now();
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${version}`,
    metadata: listMeta,
    columnDefinitions: columns.map(({ cell: _cell, ...def }) => def),
    rows: objects.map((o) => ({
      cells: columns.map((c) => c.cell(o, now)),
      // kubectl reads the namespace (for -A) and labels (--show-labels) from the row's object.
      ...(includeObject === 'None' ? {} : {
        object: includeObject === 'Object'
          ? { ...o, apiVersion }
          : { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: o.metadata },
      }),
    })),
  };
}
