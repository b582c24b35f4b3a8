// A certSecretRef Secret the controllers cannot build a TLS configuration from. fluxcd/pkg runtime/secrets (Flux 2.7+,
// every controller): `secret '<ns>/<name>' must contain either 'ca.crt' or both 'tls.crt' and 'tls.key'`. An empty
// ca.crt counts as missing there, where Flux 2.6 and earlier ignored it; the snapshot keeps which keys are empty.
import type { ClusterIndex } from '../snapshot/indexes';
import type { RemediationTemplate } from './types';

const MUST_CONTAIN = /secret '(?:([^/'\s]+)\/)?([^'\s]+)' must contain either 'ca\.crt' or both 'tls\.crt' and 'tls\.key'/;

export interface TlsSecretHint {
  title: string;
  evidence: string[];
  remediation: RemediationTemplate[];
}

export function tlsSecretHint(message: string, index: ClusterIndex, namespace: string, field = 'spec.certSecretRef'): TlsSecretHint | null {
  const m = message.match(MUST_CONTAIN);
  if (!m) return null;
  const ns = m[1] ?? namespace;
  const name = m[2]!;
  const secret = index.resource({ kind: 'Secret', namespace: ns, name });
  const keys: string[] = Array.isArray(secret?.dataKeys) ? secret.dataKeys : [];
  const empty: string[] = Array.isArray(secret?.emptyDataKeys) ? secret.emptyDataKeys : [];
  const emptyCa = empty.includes('ca.crt');
  const what = emptyCa ? 'its ca.crt is empty' : secret ? `it has neither ca.crt nor tls.crt and tls.key (keys: ${keys.join(', ') || 'none'})` : 'it needs ca.crt, or tls.crt and tls.key';
  return {
    title: `Secret ${ns}/${name} (${field}) gives no TLS settings: ${what}`,
    evidence: secret ? [`Secret ${ns}/${name} keys: ${keys.join(', ') || 'none'}${empty.length > 0 ? ` (empty: ${empty.join(', ')})` : ''}`] : [],
    remediation: [
      { description: `If the server's certificate is publicly trusted, remove ${field} in Git; otherwise put the CA (PEM) in ca.crt of ${ns}/${name}, and tls.crt/tls.key for a client certificate${emptyCa ? ' (an empty ca.crt was ignored before Flux 2.7, and is an error since)' : ''}`, command: `kubectl --context {context} -n ${ns} create secret generic ${name} --from-file=ca.crt=<path/to/ca.crt> --dry-run=client -o yaml` },
    ],
  };
}
