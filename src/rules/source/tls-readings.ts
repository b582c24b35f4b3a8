// What a TLS failure says beyond "TLS error": an alert the server sent (crypto/tls `remote error: tls: <alert>`) or a
// certificate outside its validity (crypto/x509 `certificate has expired or is not yet valid`). Neither is fixed by
// trusting another CA, so the readings replace FD206's CA step.
import type { RemediationTemplate } from '../types';
import { formatDuration } from '../util';
import { CERT_VALIDITY, TLS_ALERT } from './vocabulary';

export interface TlsReading {
  title: string;
  evidence: string[];
  remediation: RemediationTemplate[];
}

const SNI_STEPS: RemediationTemplate[] = [
  { description: 'Resolve {tlsHost} from inside the cluster: an address other than the server\'s (a DNS search-domain or wildcard match, split-horizon DNS) sends the handshake to a server that does not serve that name', command: 'kubectl --context {context} -n {fluxNamespace} run fluxdiag-net-test --rm -i --restart=Never --image=busybox:1.36 -- nslookup {tlsHost}' },
  { description: 'A proxy or load balancer between the cluster and {tlsHost} that does not serve that name answers the same: check the proxy source-controller gets from its environment (HTTPS_PROXY, NO_PROXY)', command: 'kubectl --context {context} -n {fluxNamespace} get deploy source-controller -o jsonpath=\'{.spec.template.spec.containers[0].env}\'' },
];

const NEGOTIATION_STEPS: RemediationTemplate[] = [
  { description: '{tlsHost} and source-controller share no TLS version or cipher suite (Go\'s TLS client offers TLS 1.2 and 1.3 only), or a middlebox aborts the handshake: see what the server accepts', command: 'openssl s_client -connect {tlsHost}:{port} -servername {tlsHost} -tls1_2 </dev/null' },
];

const CLIENT_CERT_STEPS: RemediationTemplate[] = [
  { description: '{tlsHost} asks for a client certificate (mutual TLS) or refused the one sent: put tls.crt and tls.key of a certificate it accepts in the Secret of spec.certSecretRef (the Secret of spec.secretRef for Git)' },
  { description: 'List the keys of the TLS Secret {certSecretName}', command: 'kubectl --context {context} -n {namespace} get secret {certSecretName} -o jsonpath=\'{.data}\' | jq \'keys\'' },
];

/** The alert the server sent, by what it means for the fix. */
function alertReading(alert: string, host: string): TlsReading {
  const evidence = [`${host} ended the TLS handshake with the alert "${alert}": the server (or something in front of it) refused the connection; the client did not reject a certificate`];
  if (/unrecognized name/i.test(alert)) {
    return { title: `TLS handshake refused by ${host}: it does not serve that host name (SNI "unrecognized name")`, evidence, remediation: SNI_STEPS };
  }
  if (/handshake failure|protocol version|insufficient security|illegal parameter|inappropriate fallback|no application protocol/i.test(alert)) {
    return { title: `TLS handshake refused by ${host} (${alert}): no common TLS version or cipher, or a middlebox`, evidence, remediation: NEGOTIATION_STEPS };
  }
  if (/certificate|access denied/i.test(alert)) {
    return { title: `TLS handshake refused by ${host} (${alert}): it requires or rejected a client certificate`, evidence, remediation: CLIENT_CERT_STEPS };
  }
  return { title: `TLS handshake refused by ${host} (${alert})`, evidence, remediation: [{ description: `{tlsHost} sent the TLS alert "${alert}": a TLS problem on the server or a proxy in front of it; check its TLS configuration or logs` }] };
}

/** An expired or not yet valid certificate, with the two times Go names when it does. */
function validityReading(m: RegExpMatchArray, host: string): TlsReading {
  const [, now, side, bound] = m;
  const steps: RemediationTemplate[] = [
    { description: 'Renew the certificate of {tlsHost} on the server, or ask its owner to (trusting another CA does not make an expired certificate valid); source-controller retries on its own' },
    { description: 'source-controller checks validity against the clock of its node: if the current time in the message is not the real time, fix the node\'s clock (NTP)' },
  ];
  if (!now || !side || !bound) {
    return { title: `TLS certificate of ${host} has expired or is not yet valid`, evidence: [], remediation: steps };
  }
  const gap = Math.abs(Date.parse(now) - Date.parse(bound));
  const by = Number.isNaN(gap) ? '' : ` (${formatDuration(gap)} ${side === 'after' ? 'after it expired' : 'before it starts'})`;
  if (side === 'after') {
    return {
      title: `TLS certificate of ${host} expired at ${bound}`,
      evidence: [`source-controller checked it at ${now}${by}: the certificate, or an intermediate the server sends, is past its notAfter; a wrong node clock shows as a current time far from the real one`],
      remediation: steps,
    };
  }
  return {
    title: `TLS certificate of ${host} is not valid before ${bound}`,
    evidence: [`source-controller checked it at ${now}${by}: a node clock running behind, or a certificate issued with a start in the future`],
    remediation: [steps[1]!, steps[0]!],
  };
}

/** The reading of a TLS failure that is not a question of trust, or null. */
export function tlsReading(message: string, host: string): TlsReading | null {
  const alert = message.match(TLS_ALERT)?.[1];
  if (alert) return alertReading(alert.trim(), host);
  const validity = message.match(CERT_VALIDITY);
  return validity ? validityReading(validity, host) : null;
}
