// What a provider's error in a NotificationDispatchFailed event says about the delivery, for FD503's title and steps.
// Formats: notification-controller internal/notifier (postMessage: `request failed with status code <n>`, Telegram
// `response status code <n> <text>`), Go's x509 errors from the HTTP client, and the transport errors retryablehttp
// wraps as `failed to execute request: …` when the request never got an answer.
import type { RemediationTemplate } from '../types';
import { commitStatusReading, slackReading } from './provider-answers';

export interface DeliveryReading {
  title: string;
  severity?: 'warning';
  explanation?: string;
  remediation?: RemediationTemplate[];
}

const STATUS = /status code:? (\d{3})\b/;

/** No answer at all: DNS, connect or timeout errors under notifier's `failed to execute request: ` (postMessage). */
const UNREACHABLE = /failed to execute request: .*(context deadline exceeded|Client\.Timeout exceeded|i\/o timeout|no such host|server misbehaving|dial tcp|connection refused|connection reset|no route to host|network is unreachable|proxyconnect|EOF)/i;

function unreachable(message: string): DeliveryReading | null {
  const m = message.match(UNREACHABLE);
  if (!m) return null;
  // Only the host of the endpoint, never its path (webhook URLs carry their token in it).
  const host = message.match(/(?:POST|Post) "?https?:\/\/([^/"\s:]+)/)?.[1] ?? '<endpoint-host>';
  const cause = /no such host|server misbehaving/i.test(m[1]!) ? 'its host name does not resolve' : /refused|reset|no route|unreachable|EOF/i.test(m[1]!) ? 'the connection is refused or cut' : /proxyconnect/i.test(m[1]!) ? 'the proxy fails' : 'the request times out';
  return {
    title: `Notifications are not delivered: the endpoint is unreachable from notification-controller (${cause})`,
    remediation: [
      { description: 'notification-controller got no answer from the endpoint: egress from the Flux namespace may be blocked (NetworkPolicies, a firewall or an egress gateway), a proxy may be required (Provider spec.proxySecretRef, or HTTPS_PROXY on notification-controller), or the DNS may filter the host', command: 'kubectl --context {context} -n {fluxNamespace} get networkpolicy' },
      { description: 'Try the endpoint\'s host from inside the cluster (DNS, then HTTPS)', command: `kubectl --context {context} -n {fluxNamespace} run fluxdiag-net-test --rm -i --restart=Never --image=curlimages/curl:8.10.1 -- curl -sSI --max-time 10 https://${host}/` },
      { description: 'Check the proxy settings of Provider {provider} and of notification-controller', command: 'kubectl --context {context} -n {namespace} get provider {provider} -o jsonpath=\'{.spec.proxy}{" "}{.spec.proxySecretRef}{"\\n"}\'' },
    ],
  };
}

export function deliveryError(message: string, providerType?: string): DeliveryReading | null {
  if (/x509: |certificate signed by unknown authority|tls: failed to verify/i.test(message)) {
    return {
      title: 'Notifications are not delivered: the endpoint\'s TLS certificate is not trusted',
      remediation: [{ description: 'Give Provider {provider} the CA that signed the endpoint\'s certificate: a Secret with ca.crt referenced in spec.certSecretRef; behind a TLS-intercepting proxy, that is the proxy\'s CA (or route through spec.proxySecretRef)', command: 'kubectl --context {context} -n {namespace} get provider {provider} -o jsonpath=\'{.spec.certSecretRef}{" "}{.spec.proxySecretRef}{"\\n"}\'' }],
    };
  }
  const network = unreachable(message);
  if (network) return network;
  // The provider's own answer names the cause better than its HTTP status.
  const answer = (providerType === 'slack' || /Slack responded with error: /.test(message) ? slackReading(message) : null) ?? commitStatusReading(message, providerType);
  if (answer) return answer;
  const code = Number(message.match(STATUS)?.[1] ?? 0);
  if (code >= 200 && code < 300 && code !== 200) {
    // notification-controller#441: releases that accepted only 200 report a 2xx answer as a failed delivery.
    return {
      title: `Notifications are delivered, but the endpoint answers HTTP ${code} and this notification-controller counts anything but 200 as a failure`,
      severity: 'warning',
      explanation: `The endpoint accepted the notification with HTTP ${code}, a success status, but this version of notification-controller treats every status other than 200 as a failed delivery: it records NotificationDispatchFailed events (and retries) for notifications that did arrive. Nothing is lost, but these events hide real delivery failures.`,
      remediation: [{ description: `Make the endpoint answer 200, or upgrade notification-controller (later releases accept any 2xx); flux check shows the running versions`, command: 'flux --context {context} check' }],
    };
  }
  if (code >= 400 && code < 500) {
    return {
      title: `Notifications are not delivered: the endpoint rejects them (HTTP ${code})`,
      remediation: [{ description: `HTTP ${code} is the endpoint refusing the request: check the address, token and channel of Provider {provider} (401/403: token; 404: the webhook or channel no longer exists; 400: the payload or chat ID)` }],
    };
  }
  if (code >= 500) {
    return {
      title: `Notifications are not delivered: the endpoint fails (HTTP ${code})`,
      remediation: [{ description: `HTTP ${code} is a server-side failure of the endpoint: check its status or logs; nothing needs to change in the cluster once it recovers` }],
    };
  }
  return null;
}
