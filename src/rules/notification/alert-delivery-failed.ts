import { refOf } from '../../flux/refs';
import { defineRule } from '../define';
import { CROSS_NAMESPACE_BLOCKED } from '../shared';
import { eventEvidence } from '../evidence';
import { ageOf } from '../util';
import { deliveryError } from './delivery-error';
import { eventTime, recentWarnings } from './events';

function classify(message: string): string {
  if (/failed to (?:get|read) secret|secrets? "[^"]*" not found/i.test(message)) return 'The Provider\'s Secret cannot be read';
  if (/failed to initialize notifier|invalid .*(?:URL|address)|no address found/i.test(message)) return 'The Provider configuration is invalid';
  if (CROSS_NAMESPACE_BLOCKED.test(message) || /access denied to cross-namespace/i.test(message)) return 'Events from other namespaces are discarded (cross-namespace references blocked)';
  if (/failed to create commit status/i.test(message)) return 'Commit statuses cannot be created';
  if (/failed to send notification/i.test(message)) return 'Notifications are not delivered';
  if (/error getting source object/i.test(message)) return 'The Alert cannot read an event source';
  return 'Notifications are not delivered';
}

export default defineRule({
  code: 'FD503',
  slug: 'alert-delivery-failed',
  category: 'notification-failed',
  severity: 'error',
  kinds: ['Alert'],
  title: 'Notifications are not delivered',
  signals: [
    'Warning events on the Alert, reason NotificationDispatchFailed: failed to send notification for <Kind>/<ns>/<name>: <provider error> (e.g. postMessage failed, request failed with status code 4xx/5xx)',
    '… failed to dispatch notification for <Kind>/<ns>/<name>: failed to initialize notifier for provider \'<name>\': … / failed to get secret \'<ns>/<name>\': … / discarding event, access denied to cross-namespace sources: …',
    'Warning event SourceFetchFailed: error getting source object <Kind>/<ns>/<name>',
    'cause-specific titles: x509 (Provider certSecretRef / a TLS-intercepting proxy), failed to execute request: context deadline exceeded / dial tcp … / no such host / i/o timeout (endpoint unreachable: egress, NetworkPolicy, proxy, DNS filtering), HTTP 4xx (rejected), 5xx (endpoint failing); request failed with status code 2xx other than 200 → warning: delivered, but the controller version counts non-200 as a failure (notification-controller#441)',
    'Slack (Flux 2.6+): … postMessage failed: request failed: Slack responded with error: <code> (incoming webhooks: request failed with status code <n>: <code>): not_in_channel / channel_not_found (invite the app, fix the channel), is_archived, invalid_auth / not_authed / token_revoked / account_inactive (token), missing_scope',
    'commit status providers (github, gitlab, gitea, bitbucket, bitbucketserver, azuredevops): could not list|create commit status(es): <client error with HTTP status> → 401 invalid token, 403 no permission to write statuses (GitHub: Commit statuses permission / repo:status), 404 wrong address or repository the token cannot see',
    'events within the last 24h; the newest older than 1h → warning; not when the Provider is missing (FD502)',
  ],
  explanation: 'notification-controller matched events to this Alert but could not send them through its Provider: the endpoint refused or could not be reached, the Provider\'s Secret (address, token) is missing or incomplete, or its configuration is invalid. Alerts and Providers have no status, so these Warning events (and the controller log) are the only trace; meanwhile failures elsewhere go unannounced.',
  remediation: [
    { description: 'Read the Alert\'s events', command: 'flux --context {context} events --for Alert/{name} -n {namespace}' },
    { description: 'Check the Provider {provider} (type, address, channel, secretRef)', command: 'kubectl --context {context} -n {namespace} get provider {provider} -o jsonpath=\'{.spec}\'' },
    { description: 'Check the keys of the Provider\'s Secret (address, token, headers, ca.crt as the provider type needs)', command: 'kubectl --context {context} -n {namespace} get secret {providerSecret} -o jsonpath=\'{.data}\' | jq \'keys\'' },
    { description: 'Read notification-controller\'s log around the failure', command: 'kubectl --context {context} logs -n {fluxNamespace} deploy/notification-controller --tail=50' },
  ],
  match(obj, { index, now }) {
    const providerName = obj.spec?.providerRef?.name;
    const provider = typeof providerName === 'string' ? index.get({ kind: 'Provider', namespace: obj.metadata.namespace, name: providerName }) : undefined;
    const events = recentWarnings(index, refOf(obj), ['NotificationDispatchFailed', 'SourceFetchFailed'], now)
      // A missing Provider is FD502's finding.
      .filter((e) => !/failed to read provider: .*not found/i.test(e.message ?? ''));
    if (events.length === 0) return null;
    const newest = events[0]!;
    const vars: Record<string, string> = { fluxNamespace: index.cluster.fluxNamespace };
    if (typeof providerName === 'string' && providerName) vars.provider = providerName;
    if (provider?.spec?.secretRef?.name) vars.providerSecret = provider.spec.secretRef.name;
    const age = ageOf(eventTime(newest), now);
    if (typeof provider?.spec?.channel === 'string' && provider.spec.channel) vars.slackChannel = provider.spec.channel;
    const type = typeof provider?.spec?.type === 'string' ? provider.spec.type : undefined;
    const reading = /failed to send notification/i.test(newest.message ?? '') ? deliveryError(newest.message ?? '', type) : null;
    return {
      evidence: events.slice(0, 3).map(eventEvidence),
      vars,
      title: reading?.title ?? classify(newest.message ?? ''),
      since: eventTime(events.at(-1)!) ?? null,
      ...(reading?.explanation ? { explanation: reading.explanation } : {}),
      ...(reading?.remediation ? { remediation: reading.remediation } : {}),
      ...((age !== null && age > 3_600_000) || reading?.severity ? { severity: 'warning' as const } : {}),
    };
  },
});
