// A minimal read-only Kubernetes HTTP client for one context. Authentication and TLS come from
// @kubernetes/client-node's KubeConfig (applyToHTTPSOptions); the transport is Node's own, so that every
// request shares one keep-alive connection pool and one per-cluster deadline (an AbortSignal).
import http from 'node:http';
import type https from 'node:https';
import { createTransport } from './transport';
import type { CollectionError, ErrorCode } from '../snapshot/schema';
import type { Target } from './kubeconfig';

declare const __FLUXDIAG_VERSION__: string;
const USER_AGENT = `fluxdiag/${typeof __FLUXDIAG_VERSION__ === 'string' ? __FLUXDIAG_VERSION__ : 'dev'}`;

export class KubeError extends Error {
  constructor(readonly code: ErrorCode, readonly status: number | null, message: string) {
    super(message);
  }
}

export function toCollectionError(target: string, resource: string | null, error: unknown): CollectionError {
  const e = error instanceof KubeError ? error : new KubeError('Unreachable', null, String((error as Error)?.message ?? error));
  return { target, resource, code: e.code, status: e.status, message: e.message };
}

export interface KubeClient {
  readonly server: string;
  /** Number of HTTP requests sent (retries included). */
  readonly requests: number;
  getJSON<T = any>(path: string, accept?: string): Promise<T>;
  getText(path: string): Promise<string>;
  close(): void;
}

const NETWORK_CODES: Record<string, ErrorCode> = {
  ECONNREFUSED: 'Unreachable', ENOTFOUND: 'Unreachable', EHOSTUNREACH: 'Unreachable', ENETUNREACH: 'Unreachable',
  EAI_AGAIN: 'Unreachable', ETIMEDOUT: 'Timeout', ECONNRESET: 'ConnectionReset', EPIPE: 'ConnectionReset',
  ERR_STREAM_PREMATURE_CLOSE: 'ConnectionReset',
};

function classify(error: any, signal: AbortSignal): KubeError {
  if (error instanceof KubeError) return error;
  if (signal.aborted) return new KubeError('Timeout', null, 'deadline exceeded (--timeout) before the API server answered');
  const code: string = error?.code ?? '';
  if (NETWORK_CODES[code]) return new KubeError(NETWORK_CODES[code]!, null, `${error.message}`);
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|SSL/i.test(code)) return new KubeError('TLSError', null, `TLS: ${error.message}`);
  if (/socket hang up|aborted|premature/i.test(error?.message ?? '')) return new KubeError('ConnectionReset', null, error.message);
  return new KubeError('Unreachable', null, error?.message ?? String(error));
}

function statusError(status: number, body: string, path: string): KubeError {
  let message = body.trim().slice(0, 300);
  try {
    const parsed = JSON.parse(body);
    if (typeof parsed?.message === 'string') message = parsed.message;
  } catch {
    // Not a Status object; keep the raw text.
  }
  const code: ErrorCode = status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : status === 404 ? 'NotFound'
    : status === 429 ? 'TooManyRequests' : status >= 500 ? 'ServerError' : 'BadResponse';
  return new KubeError(code, status, `${status} ${path}: ${message || http.STATUS_CODES[status] || 'error'}`);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

const MAX_THROTTLE_RETRIES = 5;

export async function createClient(target: Target, signal: AbortSignal): Promise<KubeClient> {
  const server = target.server;
  if (!server) throw new KubeError('ConfigError', null, `context ${target.context} has no cluster server`);
  const options: https.RequestOptions & { headers: Record<string, string> } = { headers: {} };
  try {
    await target.kubeconfig.applyToHTTPSOptions(options as any);
  } catch (error) {
    throw new KubeError('Unauthorized', null, `cannot get credentials for context ${target.context}: ${(error as Error).message}`);
  }
  const base = new URL(server);
  const cluster = target.kubeconfig.getCurrentCluster();
  const auth: Record<string, string> = options.auth ? { Authorization: `Basic ${Buffer.from(options.auth).toString('base64')}` } : {};
  const transport = createTransport({
    origin: base,
    prefix: base.pathname.replace(/\/$/, ''),
    headers: { ...(options.headers as Record<string, string>), ...auth, 'Accept-Encoding': 'gzip', 'User-Agent': USER_AGENT },
    tls: {
      ca: options.ca, cert: options.cert, key: options.key, pfx: options.pfx, passphrase: options.passphrase, servername: options.servername,
      ...(options.rejectUnauthorized !== undefined ? { rejectUnauthorized: options.rejectUnauthorized } : {}),
    },
    // The library builds a proxy agent when the kubeconfig names a proxy-url.
    ...(cluster?.proxyUrl ? { proxyAgent: options.agent as http.Agent } : {}),
    signal,
  });
  let requests = 0;
  const once = (path: string, accept: string) => {
    requests++;
    return transport.get(path, { Accept: accept });
  };

  const request = async (path: string, accept: string): Promise<string> => {
    for (let attempt = 0; ; attempt++) {
      let res;
      try {
        res = await once(path, accept);
      } catch (error) {
        throw classify(error, signal);
      }
      if (res.status >= 200 && res.status < 300) return res.body;
      const retryAfter = Number(res.headers['retry-after']);
      // Like client-go: honour Retry-After on 429 (and 5xx that carry it), within the deadline.
      if ((res.status === 429 || (res.status >= 500 && res.headers['retry-after'])) && attempt < MAX_THROTTLE_RETRIES) {
        try {
          await sleep((Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : 1) * 1000, signal);
        } catch {
          throw new KubeError('TooManyRequests', 429, `429 ${path}: throttled by the API server and the deadline passed while waiting (Retry-After ${res.headers['retry-after'] ?? '?'}s)`);
        }
        continue;
      }
      throw statusError(res.status, res.body, path);
    }
  };

  return {
    server,
    get requests() {
      return requests;
    },
    async getJSON(path, accept = 'application/json') {
      const body = await request(path, accept);
      try {
        return JSON.parse(body);
      } catch {
        throw new KubeError('BadResponse', null, `invalid JSON from ${path}`);
      }
    },
    getText(path) {
      return request(path, 'text/plain, */*');
    },
    close() {
      transport.close();
    },
  };
}
