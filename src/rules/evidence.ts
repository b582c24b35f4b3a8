// Evidence is quoted from the cluster, after redaction, in one consistent shape.
import type { Condition } from '../flux/conditions';
import type { KubeObject } from '../snapshot/schema';
import { redact } from '../util/redact';

export function conditionEvidence(c: Condition): string {
  const reason = c.reason ? ` ${c.reason}` : '';
  return redact(`${c.type}=${c.status}${reason}: ${c.message ?? ''}`.trimEnd());
}

export function eventEvidence(e: KubeObject): string {
  const count = typeof e.count === 'number' && e.count > 1 ? ` (x${e.count})` : '';
  return redact(`event ${e.type ?? 'Normal'} ${e.reason ?? ''}${count}: ${e.message ?? e.note ?? ''}`.trimEnd());
}
