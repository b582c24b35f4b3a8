// Alerts and Providers (v1beta3) have no status: notification-controller reports their problems only as
// Warning events on the Alert (internal/server/event_handlers.go: NotificationDispatchFailed, InvalidConfig,
// SourceFetchFailed) and in its log.
import type { ObjRef } from '../../flux/refs';
import type { ClusterIndex } from '../../snapshot/indexes';
import type { KubeObject } from '../../snapshot/schema';
import { ageOf } from '../util';

/** Events older than this say nothing about now (Kubernetes keeps them for an hour by default anyway). */
export const EVENT_WINDOW_MS = 24 * 3_600_000;

export { eventTime } from '../../snapshot/indexes';
import { eventTime } from '../../snapshot/indexes';

/** Recent Warning events of the given reasons about an object, newest first. */
export function recentWarnings(index: ClusterIndex, ref: ObjRef, reasons: string[], now: number): KubeObject[] {
  return index.eventsFor(ref).filter((e) => {
    if (e.type !== 'Warning' || !reasons.includes(e.reason ?? '')) return false;
    const age = ageOf(eventTime(e), now);
    return age === null || age < EVENT_WINDOW_MS;
  });
}

/** Whether the snapshot can tell that a Provider does not exist: Providers were listed (or discovery says they are served). */
export function providersListed(index: ClusterIndex): boolean {
  if (index.cluster.errors.some((e) => e.target === 'Provider')) return false;
  const served = index.serves('Provider');
  return served === true || (served === null && index.objects('Provider').length > 0);
}
