// How requests reach the API server. HTTP/2 first, as kubectl does: one TLS connection per cluster carries
// every concurrent list, instead of one handshake per request. HTTP/1.1 with a keep-alive pool is the
// fallback (servers without h2, plain-http test servers, proxies).
import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import tls from 'node:tls';
import { gunzip } from 'node:zlib';
import { Readable } from 'node:stream';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface TransportOptions {
  origin: URL;
  /** Path prefix of the server URL (API servers behind a path-based proxy). */
  prefix: string;
  headers: Record<string, string>;
  tls: { ca?: any; cert?: any; key?: any; pfx?: any; passphrase?: string; servername?: string; rejectUnauthorized?: boolean };
  /** A proxy agent from the kubeconfig: forces HTTP/1.1 through it. */
  proxyAgent?: http.Agent;
  signal: AbortSignal;
}

export interface Transport {
  get(path: string, headers: Record<string, string>): Promise<RawResponse>;
  close(): void;
}

/** An error meaning "the connection broke", as opposed to an HTTP answer. */
export class ResetError extends Error {
  readonly code = 'ECONNRESET';
}

/** Inflate output pieces: a large list fits in a few, so the main thread is called back a few times, not hundreds. */
const INFLATE_CHUNK = 1 << 18;

function collect(stream: Readable, gzip: boolean, onEnd: (body: string) => void, onError: (e: Error) => void): void {
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => {
    if (!gzip) return onEnd(Buffer.concat(chunks).toString('utf8'));
    // Inflated in one piece on the thread pool, in 256 KiB pieces rather than zlib's 16 KiB (a main-thread callback each).
    gunzip(Buffer.concat(chunks), { chunkSize: INFLATE_CHUNK }, (error, body) => (error ? onError(error) : onEnd(body.toString('utf8'))));
  });
  stream.on('error', onError);
}

function http1(options: TransportOptions, secureContext: tls.SecureContext | undefined): Transport {
  const isHttps = options.origin.protocol === 'https:';
  const agent = options.proxyAgent ?? (isHttps
    ? new https.Agent({ keepAlive: true, maxSockets: 64, secureContext, servername: options.tls.servername, ...(options.tls.rejectUnauthorized !== undefined ? { rejectUnauthorized: options.tls.rejectUnauthorized } : {}) })
    : new http.Agent({ keepAlive: true, maxSockets: 64 }));
  return {
    get(path, headers) {
      return new Promise((resolve, reject) => {
        const req = (isHttps ? https : http).request({
          protocol: options.origin.protocol, hostname: options.origin.hostname, port: options.origin.port || (isHttps ? 443 : 80),
          path: options.prefix + path, method: 'GET', agent, signal: options.signal, headers: { ...options.headers, ...headers },
        }, (res) => {
          res.on('aborted', () => reject(new ResetError(`connection reset while reading ${path}`)));
          collect(res, res.headers['content-encoding'] === 'gzip', (body) => {
            if (!res.complete) reject(new ResetError(`connection closed before the response to ${path} was complete`));
            else resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
          }, reject);
        });
        req.on('error', reject);
        req.end();
      });
    },
    close() {
      agent.destroy();
    },
  };
}

const STREAM_WINDOW = 4 << 20;
const CONNECTION_WINDOW = 1 << 30;

function http2Session(options: TransportOptions, secureContext: tls.SecureContext | undefined): Promise<http2.ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(options.origin, {
      // Flow-control windows as client-go sets them (4 MiB per stream, 1 GiB per connection) instead of HTTP/2's
      // 64 KiB: lists of a large cluster arrive at full speed even while the process is busy with another one.
      settings: { initialWindowSize: STREAM_WINDOW },
      secureContext, servername: options.tls.servername, ALPNProtocols: ['h2'],
      ...(options.tls.rejectUnauthorized !== undefined ? { rejectUnauthorized: options.tls.rejectUnauthorized } : {}),
    });
    const fail = (e: Error) => {
      session.destroy();
      reject(e);
    };
    session.once('error', fail);
    session.once('connect', () => {
      session.off('error', fail);
      session.setLocalWindowSize(CONNECTION_WINDOW);
      // Later session errors surface on the streams; without a listener they would crash the process.
      session.on('error', () => {});
      if (session.alpnProtocol !== 'h2') fail(new Error('server does not speak HTTP/2'));
      else resolve(session);
    });
    const onAbort = () => fail(options.signal.reason ?? new Error('aborted'));
    if (options.signal.aborted) onAbort();
    else options.signal.addEventListener('abort', onAbort, { once: true });
    session.once('close', () => options.signal.removeEventListener('abort', onAbort));
  });
}

function h2request(session: http2.ClientHttp2Session, options: TransportOptions, path: string, headers: Record<string, string>): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const h: Record<string, string> = { ':method': 'GET', ':path': options.prefix + path };
    for (const [k, v] of Object.entries({ ...options.headers, ...headers })) h[k.toLowerCase()] = v;
    let stream: http2.ClientHttp2Stream;
    try {
      stream = session.request(h, { signal: options.signal, endStream: true });
    } catch (error) {
      return reject(error);
    }
    // Received in full: the body may still be inflating (gzip runs off the main thread), so 'close' can come first.
    let received = false;
    stream.once('end', () => {
      received = true;
    });
    stream.on('response', (res) => {
      collect(stream, res['content-encoding'] === 'gzip', (body) => {
        resolve({ status: Number(res[':status']), headers: res as RawResponse['headers'], body });
      }, reject);
    });
    stream.on('error', (e) => reject(options.signal.aborted ? e : new ResetError(`stream reset while reading ${path}: ${e.message}`)));
    stream.on('close', () => {
      if (!received) reject(options.signal.aborted ? options.signal.reason : new ResetError(`stream closed before the response to ${path} was complete (code ${stream.rstCode})`));
    });
  });
}

export function createTransport(options: TransportOptions): Transport {
  const isHttps = options.origin.protocol === 'https:';
  // One TLS context per cluster: parsing the CA and keys once instead of per connection.
  const secureContext = isHttps ? tls.createSecureContext({ ca: options.tls.ca, cert: options.tls.cert, key: options.tls.key, pfx: options.tls.pfx, passphrase: options.tls.passphrase }) : undefined;
  if (!isHttps || options.proxyAgent) return http1(options, secureContext);
  let fallback: Transport | undefined;
  let session: Promise<http2.ClientHttp2Session | null> | undefined;
  const connect = () => {
    session ??= http2Session(options, secureContext).catch((error: any) => {
      // Refused, unreachable or aborted: HTTP/1.1 would fail the same way, so report it as is.
      if (options.signal.aborted || ['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ETIMEDOUT'].includes(error?.code) || /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(error?.code ?? '')) throw error;
      return null;
    });
    return session;
  };
  return {
    async get(path, headers) {
      const s = await connect();
      if (!s || s.destroyed || s.closed) {
        fallback ??= http1(options, secureContext);
        return fallback.get(path, headers);
      }
      return h2request(s, options, path, headers);
    },
    close() {
      void session?.then((s) => s?.close(), () => {});
      fallback?.close();
    },
  };
}
