import { refOf } from '../../flux/refs';
import { defineRule } from '../define';
import { eventEvidence } from '../evidence';
import { eventTime } from '../notification/events';
import { ageOf } from '../util';

export default defineRule({
  code: 'FD569',
  slug: 'flux-version-outdated',
  category: 'controller-unhealthy',
  severity: 'info',
  kinds: ['FluxInstance'],
  title: 'Flux version outdated',
  signals: [
    'Normal event OutdatedVersion on the FluxInstance: Flux <v> is outdated, the latest stable version is <v> (emitted when spec.distribution.version pins an older release than the operator ships)',
    'events from the last 7 days; informational',
  ],
  explanation: 'The FluxInstance runs a Flux release older than the latest stable one the operator ships, because spec.distribution.version pins it (e.g. 2.6.x). The controllers are healthy; this only says that fixes and features of newer releases are not deployed. Widen the version range when convenient.',
  remediation: [
    { description: 'See the pinned version and the version running', command: 'kubectl --context {context} -n {namespace} get fluxinstance {name} -o jsonpath=\'{.spec.distribution.version}{" → "}{.status.lastAppliedRevision}\'' },
    { description: 'Widen spec.distribution.version in Git (e.g. 2.x), after reading the release notes of the versions in between' },
  ],
  match(obj, { index, now }) {
    const events = index.eventsFor(refOf(obj)).filter((e) => e.reason === 'OutdatedVersion' && (ageOf(eventTime(e), now) ?? 0) < 7 * 24 * 3_600_000);
    const newest = events[0];
    if (!newest) return null;
    const m = (newest.message ?? '').match(/Flux (\S+) is outdated, the latest stable version is (\S+)/);
    return {
      evidence: [eventEvidence(newest)],
      since: eventTime(newest),
      ...(m ? { title: `Flux ${m[1]} is outdated (latest ${m[2]})` } : {}),
    };
  },
});
