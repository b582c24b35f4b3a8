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
  const { managedFields, ...metadata } = obj.metadata as any;
  const compact = compactManagedFields(managedFields);
  if (compact && compact.length > 0) metadata.managedFields = compact;
  if (metadata.annotations?.[LAST_APPLIED]) {
    const { [LAST_APPLIED]: _l, ...annotations } = metadata.annotations;
    metadata.annotations = annotations;
  }
  return { ...obj, metadata };
}

function keysOnly(data: unknown): string[] {
  return data && typeof data === 'object' ? Object.keys(data).sort() : [];
}

export function sanitize(obj: KubeObject): KubeObject {
  const clean = stripMeta(obj);
  if (obj.kind === 'Secret' || obj.kind === 'ConfigMap') {
    const { data, stringData, binaryData, ...rest } = clean as any;
    return { ...rest, dataKeys: [...new Set([...keysOnly(data), ...keysOnly(stringData), ...keysOnly(binaryData)])] };
  }
  if (obj.kind === 'HelmRelease' && obj.spec && 'values' in obj.spec) {
    const { values: _v, ...spec } = obj.spec;
    return { ...clean, spec };
  }
  return clean;
}
