// Go's resolver errors (net.DNSError: `lookup <name> on <server>: <err>`, the pure-Go resolver every Flux controller
// uses), read out of failure messages.
export type DnsFailure = 'timeout' | 'misbehaving' | 'unreachable' | 'no-such-host' | 'other';

export interface Lookup {
  host: string;
  /** `10.96.0.10:53`; null for `lookup <name>: <err>` (no server named). */
  server: string | null;
  failure: DnsFailure;
  detail: string;
}

const LOOKUP = /lookup (\S+?)(?: on (\S+?:\d+))?: ([^"'\n]+)/g;

function classify(err: string): DnsFailure {
  if (/i\/o timeout/.test(err)) return 'timeout';
  if (/server misbehaving/.test(err)) return 'misbehaving';
  if (/connection refused|network is unreachable|no route to host/.test(err)) return 'unreachable';
  if (/no such host/.test(err)) return 'no-such-host';
  return 'other';
}

export function lookups(message: string): Lookup[] {
  const out: Lookup[] = [];
  for (const m of message.matchAll(LOOKUP)) out.push({ host: m[1]!, server: m[2] ?? null, failure: classify(m[3]!), detail: m[3]!.trim() });
  return out;
}

/** The resolver itself did not answer properly (as opposed to answering that the name does not exist). */
export function resolverFailed(l: Lookup): boolean {
  return l.failure === 'timeout' || l.failure === 'misbehaving' || l.failure === 'unreachable';
}

/** A name only the cluster DNS can answer: a Service name. */
export function inClusterName(host: string): boolean {
  return /\.svc(?:\.|$)|\.cluster\.local\.?$/.test(host);
}
