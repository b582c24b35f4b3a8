import { condition } from '../../flux/conditions';
import { refOf } from '../../flux/refs';
import { defineRule } from '../define';
import { conditionEvidence, eventEvidence } from '../evidence';
import { eventTime, providersListed, recentWarnings } from './events';

export default defineRule({
  code: 'FD502',
  slug: 'alert-provider-not-found',
  category: 'notification-failed',
  severity: 'error',
  kinds: ['Alert'],
  title: 'Alert refers to a Provider that does not exist',
  signals: [
    'Alert spec.providerRef.name names no Provider in the Alert\'s namespace (judged only when Providers were listed)',
    'Warning event NotificationDispatchFailed: failed to dispatch notification for <Kind>/<ns>/<name>: failed to read provider: … not found',
    "Alert v1beta2 (Flux 2.0) Ready=False: failed to get provider '<ns>/<name>': … not found",
  ],
  explanation: 'An Alert sends the events it selects through the Provider named in spec.providerRef, which must live in the same namespace. That Provider does not exist (a typo, a different namespace, or it was deleted), so every event this Alert matches is dropped: nobody is notified of failures, and commit statuses are not updated. Alerts have no status, so nothing but this check and the Alert\'s events shows it.',
  remediation: [
    { description: 'List the Providers in the namespace', command: 'kubectl --context {context} -n {namespace} get providers.notification.toolkit.fluxcd.io' },
    { description: 'Create the Provider {provider}, or fix spec.providerRef.name in Git', command: 'kubectl --context {context} -n {namespace} get alert {name} -o jsonpath=\'{.spec.providerRef}\'' },
    { description: 'Check the Alert\'s events once fixed', command: 'flux --context {context} events --for Alert/{name} -n {namespace}' },
  ],
  match(obj, { index, now }) {
    const name = obj.spec?.providerRef?.name;
    if (typeof name !== 'string' || !name) return null;
    const ref = { kind: 'Provider', namespace: obj.metadata.namespace, name };
    if (index.get(ref)) return null;
    const events = recentWarnings(index, refOf(obj), ['NotificationDispatchFailed'], now)
      .filter((e) => /failed to read provider: .*not found/i.test(e.message ?? ''));
    const ready = condition(obj, 'Ready');
    const legacy = ready?.status === 'False' && /failed to get provider '[^']*': .*not found/i.test(ready.message ?? '') ? ready : undefined;
    if (!providersListed(index) && events.length === 0 && !legacy) return null;
    const evidence = [`spec.providerRef.name: ${name}, but there is no Provider ${obj.metadata.namespace}/${name}`];
    if (events[0]) evidence.push(eventEvidence(events[0]));
    if (legacy) evidence.push(conditionEvidence(legacy));
    return {
      evidence,
      vars: { provider: name },
      title: `Alert refers to Provider ${name}, which does not exist`,
      since: (events[0] ? eventTime(events[0]) : null) ?? legacy?.lastTransitionTime ?? null,
    };
  },
});
