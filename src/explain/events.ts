// Events for the explained chain: newest first, warnings first, identical ones merged with their counts.
import type { ObjRef } from '../flux/refs';
import { eventTime, type ClusterIndex } from '../snapshot/indexes';
import { redact } from '../util/redact';
import type { z } from 'zod';
import type { EventView } from './schema';

type View = z.infer<typeof EventView>;

export function chainEvents(index: ClusterIndex, refs: ObjRef[], limit = 30): View[] {
  const merged = new Map<string, View>();
  for (const ref of refs) {
    for (const e of index.eventsFor(ref)) {
      const type = String(e.type ?? 'Normal');
      const reason = String(e.reason ?? '');
      const message = redact(String(e.message ?? e.note ?? ''));
      const key = `${ref.kind}/${ref.namespace}/${ref.name}|${type}|${reason}|${message}`;
      const count = typeof e.count === 'number' ? e.count : (e.series?.count ?? 1);
      const seen = eventTime(e);
      const existing = merged.get(key);
      if (existing) {
        existing.count += count;
        if (seen && (!existing.lastSeen || seen > existing.lastSeen)) existing.lastSeen = seen;
      } else {
        merged.set(key, { object: ref, type, reason, message, count, lastSeen: seen });
      }
    }
  }
  const time = (v: View) => (v.lastSeen ? Date.parse(v.lastSeen) || 0 : 0);
  return [...merged.values()]
    .sort((a, b) => Number(b.type === 'Warning') - Number(a.type === 'Warning') || time(b) - time(a))
    .slice(0, limit);
}
