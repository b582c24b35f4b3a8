// Controller log lines about one object. Flux controllers log JSON (controller-runtime/zap): the object is
// named by `name`/`namespace` plus `controllerKind`, or by a `<Kind>: {name, namespace}` field.
import type { ObjRef } from '../flux/refs';

export interface ParsedLine {
  ts: string | null;
  level: string;
  message: string;
  error: string | null;
}

function mentions(entry: any, ref: ObjRef): boolean {
  const nested = entry[ref.kind];
  if (nested && typeof nested === 'object' && nested.name === ref.name && (nested.namespace ?? '') === (ref.namespace ?? '')) return true;
  const kind = entry.controllerKind ?? entry['reconciler kind'] ?? entry.kind;
  return entry.name === ref.name && (entry.namespace ?? '') === (ref.namespace ?? '') && (kind === undefined || kind === ref.kind);
}

function parse(line: string): any | null {
  if (!line.startsWith('{')) return null;
  try {
    return JSON.parse(line);
  } catch {
    return null;
  }
}

/** The last `limit` lines about `ref`, errors first (each group in log order). */
export function linesAbout(lines: string[], ref: ObjRef, limit: number): ParsedLine[] {
  const matching: ParsedLine[] = [];
  for (const line of lines) {
    const entry = parse(line.trim());
    if (!entry || !mentions(entry, ref)) continue;
    const ts = entry.ts;
    matching.push({
      ts: typeof ts === 'number' ? new Date(ts * 1000).toISOString() : typeof ts === 'string' ? ts : null,
      level: String(entry.level ?? 'info'),
      message: String(entry.msg ?? entry.message ?? ''),
      error: entry.error === undefined ? null : String(entry.error),
    });
  }
  const recent = matching.slice(-limit);
  const errors = recent.filter((l) => l.level === 'error');
  return [...errors, ...recent.filter((l) => l.level !== 'error')];
}
