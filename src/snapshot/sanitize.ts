// What fluxdiag keeps of an object. Secret and ConfigMap data never enter a snapshot (only their key
// names do), Helm values are dropped, and bulky bookkeeping (managedFields, last-applied) is removed.
import type { KubeObject } from './schema';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * managedFields are bulky, but their timestamps are the only record of *when* a field was set: keep who
 * updated the object and when, and whether that update owns spec.suspend (how long a suspension has lasted).
 */
function compactManagedFields(fields: unknown): { manager: string; operation: string; time: string; subresource?: string; suspend?: true }[] | undefined {
  if (!Array.isArray(fields)) return undefined;
  return fields
    .filter((f) => typeof f?.time === 'string')
    .map((f) => ({
      manager: String(f.manager ?? ''),
      operation: String(f.operation ?? ''),
      time: f.time as string,
      ...(typeof f.subresource === 'string' ? { subresource: f.subresource } : {}),
      ...(f.fieldsV1?.['f:spec']?.['f:suspend'] !== undefined ? { suspend: true as const } : {}),
    }));
}

function stripMeta(obj: KubeObject): KubeObject {
  const meta = obj.metadata as Record<string, any>;
  const lastApplied = meta.annotations?.[LAST_APPLIED] !== undefined;
  // Most objects carry neither: they are kept as they are, without a copy (this runs for every object listed).
  if (meta.managedFields === undefined && !lastApplied) return obj;
  const metadata: Record<string, any> = {};
  for (const key of Object.keys(meta)) if (key !== 'managedFields') metadata[key] = meta[key];
  const compact = compactManagedFields(meta.managedFields);
  if (compact && compact.length > 0) metadata.managedFields = compact;
  if (lastApplied) {
    const annotations: Record<string, unknown> = {};
    for (const key of Object.keys(meta.annotations)) if (key !== LAST_APPLIED) annotations[key] = meta.annotations[key];
    metadata.annotations = annotations;
  }
  return { ...obj, metadata: metadata as KubeObject['metadata'] };
}

function keysOnly(data: unknown): string[] {
  return data && typeof data === 'object' ? Object.keys(data).sort() : [];
}

/** Keys present with an empty value: that a value is empty is no secret, and explains `must contain` errors. */
function emptyKeys(...maps: unknown[]): string[] {
  const out = new Set<string>();
  for (const m of maps) if (m && typeof m === 'object') for (const [k, v] of Object.entries(m)) if (v === '' || v === null) out.add(k);
  return [...out].sort();
}

export function sanitize(obj: KubeObject): KubeObject {
  const clean = stripMeta(obj);
  if (obj.kind === 'Secret' || obj.kind === 'ConfigMap') {
    const { data, stringData, binaryData, ...rest } = clean as any;
    const empty = emptyKeys(data, stringData, binaryData);
    return { ...rest, dataKeys: [...new Set([...keysOnly(data), ...keysOnly(stringData), ...keysOnly(binaryData)])], ...(empty.length > 0 ? { emptyDataKeys: empty } : {}) };
  }
  if (obj.kind === 'HelmRelease' && obj.spec && 'values' in obj.spec) {
    const { values: _v, ...spec } = obj.spec;
    return { ...clean, spec };
  }
  return clean;
}
