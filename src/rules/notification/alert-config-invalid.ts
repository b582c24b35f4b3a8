import { refOf } from '../../flux/refs';
import { defineRule } from '../define';
import { eventEvidence } from '../evidence';
import { eventTime, recentWarnings } from './events';

export default defineRule({
  code: 'FD504',
  slug: 'alert-config-invalid',
  category: 'notification-failed',
  severity: 'warning',
  kinds: ['Alert'],
  title: 'Alert filter is invalid',
  signals: [
    'Warning events on the Alert, reason InvalidConfig: failed to compile inclusion regex: <exp> / failed to compile exclusion regex: <exp> / error using matchLabels from event source <Kind>/<ns>/<name>',
  ],
  explanation: 'An expression in the Alert\'s inclusionList or exclusionList is not a valid (Go RE2) regular expression, or an event source\'s matchLabels cannot be used. notification-controller skips the broken expression on every event: an invalid inclusion pattern never matches (events are dropped), an invalid exclusion pattern never excludes (noise gets through).',
  remediation: [
    { description: 'See the Alert\'s filters', command: 'kubectl --context {context} -n {namespace} get alert {name} -o jsonpath=\'{.spec.inclusionList}{"\\n"}{.spec.exclusionList}{"\\n"}{.spec.eventSources}\'' },
    { description: 'Fix the expression in Git (RE2 syntax: no look-around, escape dots and brackets), then check the events again', command: 'flux --context {context} events --for Alert/{name} -n {namespace}' },
  ],
  match(obj, { index, now }) {
    const events = recentWarnings(index, refOf(obj), ['InvalidConfig'], now);
    if (events.length === 0) return null;
    return { evidence: events.slice(0, 3).map(eventEvidence), since: eventTime(events.at(-1)!) ?? null };
  },
});
