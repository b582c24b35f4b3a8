// Nothing secret leaves the process: credentials embedded in URLs, tokens and keys in messages are masked
// before anything is rendered or saved.

const MASK = '***';
const MAYBE_SECRET = /:\/\/[^\s/]*@|pass|token|secret|key|bearer|authoriz|AKIA|ASIA|eyJ|gh[pousr]_|github_pat|glpat-|xox[abprs]-|sops' data format/i;
const SECRETISH = (t: string) => /pass|token|secret|key|bearer|authorization/i.test(t);

// Each pattern runs only when a cheap test says it could match: most messages hold no secret at all, and
// redaction runs on every message of every object.
const PATTERNS: [RegExp, string | ((...m: any[]) => string), (text: string) => boolean][] = [
  // user:password@ (or token@) in any URL scheme: keep the user name, hide the secret.
  [/\b([a-z][a-z0-9+.-]*:\/\/)([^\s/:@'"]+):([^\s/@'"]+)@/gi, (_m, scheme, user) => `${scheme}${user}:${MASK}@`, (t) => t.includes('@') && t.includes('://')],
  [/\b(https?:\/\/)([^\s/:@'"]{12,})@/gi, (_m, scheme) => `${scheme}${MASK}@`, (t) => t.includes('@') && t.includes('://')],
  // Well-known token shapes (GitHub, GitLab, Slack, AWS access keys, age/SOPS keys, JWTs).
  [/\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})\b/g, MASK, (t) => t.includes('_')],
  [/\bglpat-[A-Za-z0-9_-]{16,}\b/g, MASK, (t) => t.includes('glpat-')],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}\b/g, MASK, (t) => t.includes('xox')],
  [/\b(AKIA|ASIA)[A-Z0-9]{16}\b/g, MASK, (t) => t.includes('AKIA') || t.includes('ASIA')],
  [/AGE-SECRET-KEY-1[A-Z0-9]{20,}/g, MASK, (t) => t.includes('AGE-SECRET-KEY')],
  [/\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\b/g, MASK, (t) => t.includes('eyJ')],
  // sops quotes the value it could not parse, which is plaintext when a secret was committed unencrypted.
  [/(Input string )([\s\S]*?)( does not match sops' data format)/g, (_m, a, _v, b) => `${a}${MASK}${b}`, (t) => t.includes("sops' data format")],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, `-----BEGIN PRIVATE KEY----- ${MASK}`, (t) => t.includes('PRIVATE KEY')],
  // key=value / key: value for secret-looking keys, and Authorization headers.
  [/\b(authorization:\s*(?:bearer|basic)\s+)[^\s'",]+/gi, (_m, p) => `${p}${MASK}`, SECRETISH],
  [/\b(bearer\s+)[A-Za-z0-9._~+/=-]{16,}/gi, (_m, p) => `${p}${MASK}`, SECRETISH],
  // key=value and key: value where the key stands alone (not "cloudflare-token': failed", a resource name).
  // Not Go's error wrapping, where prose follows the colon ("failed to fetch anonymous token: unexpected status ..."):
  // a value that is one lowercase word followed by more words is the cause, not a credential.
  [/(?<![\w./'"-])((?:password|passwd|token|secret|api[_-]?key|access[_-]?key|client[_-]?secret)\s*[=:]\s*)([^\s"',;&]+)/gi,
    (m, p, value, offset: number, text: string) => (isWrappedCause(p, value, text.slice(offset + m.length)) ? m : `${p}${MASK}`), SECRETISH],
  [/("(?:password|passwd|token|secret|apiKey|api_key|accessKey|clientSecret|client_secret)"\s*:\s*")([^"]+)"/gi, (_m, p) => `${p}${MASK}"`, SECRETISH],
];

function isWrappedCause(prefix: string, value: string, rest: string): boolean {
  return /:\s+$/.test(prefix) && /^[a-z]+$/.test(value) && /^ [a-z]/.test(rest);
}

export function redact(text: string): string;
export function redact(text: string | null | undefined): string | null;
export function redact(text: string | null | undefined): string | null {
  if (text === null || text === undefined) return null;
  // One cheap test rules out the common case: nothing that could hold a secret.
  if (!MAYBE_SECRET.test(text)) return text;
  let out = text;
  for (const [re, replacement, gate] of PATTERNS) if (gate(out)) out = out.replace(re, replacement as any);
  return out;
}

/** Redacts every string inside a JSON-like value (used before a snapshot is written). */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map(redactDeep) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v);
    return out as T;
  }
  return value;
}
