// One emulated kube-apiserver: an HTTPS server (HTTP/2 for kubectl, HTTP/1.1 for Node's https) answering
// discovery, get/list (with pagination and selectors), merge patch and pod logs from an ObjectStore, with
// bearer-token auth, latency, fault injection and a request log. Only what fluxdiag and kubectl read is
// implemented; everything else answers the way a real apiserver refuses it (Status objects, same codes).
import http2 from 'node:http2';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { constants as zlibConstants, gzipSync } from 'node:zlib';
import { fluxKind } from '../../src/flux/kinds';
import type { KubeObject } from '../../src/snapshot/schema';
import {
  Catalogue, aggregatedContentType, aggregatedDiscovery, aggregatedVersion, apiGroup, apiGroupList, apiResourceList, apiVersions,
  type Resource,
} from './discovery';
import { FaultSet, type RequestTarget } from './faults';
import { mergePatch } from './patch';
import { SelectorError, fieldMatcher, parseFieldSelector, parseLabelSelector } from './selectors';
import { ObjectStore } from './store';
import { tableVersion, toTable } from './table';
import type { TlsMaterial } from './tls';
import { BAD_REQUEST, METHOD_NOT_ALLOWED, NOT_FOUND, UNAUTHORIZED, faultStatus, json, notFoundObject, statusReply, type Reply } from './responses';
import { parseRoute, type Route } from './routes';
import type { ClusterSpec, Fault, PatchRecord, RequestLogEntry } from './types';

type Request = IncomingMessage | http2.Http2ServerRequest;
type Response = ServerResponse | http2.Http2ServerResponse;

/** The parts of a response both HTTP/1 and HTTP/2 compat responses have, typed once. */
interface Writer {
  writeHead(status: number, headers: Record<string, string | number>): unknown;
  write(chunk: Buffer, cb: () => void): boolean;
  end(chunk?: Buffer): unknown;
  on(event: 'close', listener: () => void): unknown;
  writableFinished: boolean;
  headersSent: boolean;
}

const MAX_PATCH_BYTES = 3 * 1024 * 1024;

const GZIP_THRESHOLD_BYTES = 128 * 1024;

/** The opaque continue token: the last key returned, so pages stay exact even if objects are added meanwhile. */
const encodeContinue = (key: string, rv: string) => Buffer.from(JSON.stringify({ v: 1, rv, k: key })).toString('base64url');
function decodeContinue(token: string): string | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    return parsed?.v === 1 && typeof parsed.k === 'string' ? parsed.k : undefined;
  } catch {
    return undefined;
  }
}

/** The object as conversion to `apiVersion` would return it (a shallow copy only when the version differs). */
const atVersion = (o: KubeObject, apiVersion: string): KubeObject => (o.apiVersion === apiVersion ? o : { ...o, apiVersion });

export class EmulatedCluster {
  readonly name: string;
  readonly token: string;
  /** Live store: `store.put()` / `store.delete()` change what the cluster serves from the next request on. */
  readonly store: ObjectStore;
  readonly requestLog: RequestLogEntry[] = [];
  readonly patches: PatchRecord[] = [];
  private address = '';
  private latencyMs: number;
  private readonly faults = new FaultSet();
  private readonly logs: Record<string, string>;
  private readonly served: Record<string, string[]>;
  private readonly serverVersion: string;
  private catalogue: { shape: number; cat: Catalogue } | undefined;
  private server: http2.Http2SecureServer | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(spec: ClusterSpec) {
    // A typo in `served` would silently serve the default versions; fail instead.
    const unknown = Object.keys(spec.served ?? {}).filter((kind) => !fluxKind(kind));
    if (unknown.length > 0) throw new Error(`cluster ${spec.name}: served names unknown Flux kinds: ${unknown.join(', ')}`);
    this.name = spec.name;
    this.token = spec.token ?? randomBytes(16).toString('hex');
    this.store = new ObjectStore(spec.objects);
    this.latencyMs = spec.latencyMs ?? 0;
    this.logs = spec.logs ?? {};
    this.served = spec.served ?? {};
    this.serverVersion = spec.serverVersion ?? 'v1.32.4';
  }

  /** `https://127.0.0.1:PORT` once listening. */
  get url(): string {
    return this.address;
  }

  /** Every stored object (live references; use `store` to add or remove). */
  get objects(): KubeObject[] {
    return this.store.all();
  }

  setFaults(faults: Fault[]): void {
    this.faults.set(faults);
  }

  addFault(fault: Fault): void {
    this.faults.add(fault);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  /** The discovery catalogue, rebuilt only when the store gained a kind or version. */
  get resources(): Catalogue {
    if (this.catalogue?.shape !== this.store.shape) {
      this.catalogue = { shape: this.store.shape, cat: new Catalogue(this.store.kinds(), this.served) };
    }
    return this.catalogue.cat;
  }

  async listen(tls: TlsMaterial, host: string): Promise<void> {
    const server = http2.createSecureServer({ allowHTTP1: true, key: tls.keyPem, cert: tls.certPem }, (req, res) => {
      void this.handle(req, res);
    });
    // Tracked so close() can cut keep-alive connections and hung requests instead of waiting for them.
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    // Clients vanishing mid-session is routine here (timeouts, injected resets); it is not an emulator error.
    server.on('sessionError', () => {});
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, host, () => resolve());
    });
    this.server = server;
    const { port } = server.address() as AddressInfo;
    this.address = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Destroying the sockets also ends hung requests and idle HTTP/2 sessions, which server.close() would wait for.
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private async handle(req: Request, rawRes: Response): Promise<void> {
    const res = rawRes as unknown as Writer;
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'https://emulator.invalid');
    const method = (req.method ?? 'GET').toUpperCase();
    const entry: RequestLogEntry = {
      time: Date.now(), method, path: url.pathname, query: Object.fromEntries(url.searchParams), status: 0, durationMs: 0,
      userAgent: req.headers['user-agent'], accept: req.headers.accept, httpVersion: req.httpVersion,
    };
    const finish = (status: number, fault?: Fault['kind'], encoding?: 'gzip') => {
      entry.status = status;
      if (encoding) entry.contentEncoding = encoding;
      entry.durationMs = performance.now() - started;
      if (fault) entry.fault = fault;
      this.requestLog.push(entry);
    };
    let gone = false;
    res.on('close', () => {
      gone = true;
    });
    try {
      if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
      if (gone) return finish(0);
      if (req.headers.authorization !== `Bearer ${this.token}`) return this.send(res, UNAUTHORIZED(), (s) => finish(s));

      const route = parseRoute(url.pathname);
      const target: RequestTarget = { method, path: url.pathname };
      if (route.type === 'resource') Object.assign(target, { group: route.group, resource: route.plural, namespace: route.namespace });
      else if (route.type === 'group' || route.type === 'groupVersion') target.group = route.group;
      const fault = this.faults.take(target);
      // Never answered: the socket stays open until the client gives up or close() destroys it.
      if (fault?.kind === 'hang') return finish(0, 'hang');
      if (fault?.kind === 'status') return this.send(res, faultStatus(fault.status, route, method, url.pathname), (s) => finish(s, 'status'));
      if (fault?.kind === 'throttle') {
        const reply = statusReply(429, 'TooManyRequests', 'Too many requests, please try again later.',
          { retryAfterSeconds: fault.retryAfterSeconds }, { 'retry-after': String(fault.retryAfterSeconds) });
        return this.send(res, reply, (s) => finish(s, 'throttle'));
      }
      const reply = await this.respond(route, method, url, req);
      if (fault?.kind === 'reset') return this.cut(req, rawRes, reply, (s) => finish(s, 'reset'));
      this.send(res, reply, (status, encoding) => finish(status, undefined, encoding), /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')));
    } catch (error) {
      if (!gone && !res.headersSent) this.send(res, statusReply(500, 'InternalError', `Internal error occurred: ${(error as Error).message}`, {}), (s) => finish(s));
    }
  }

  /**
   * Like kube-apiserver (APIResponseCompression, on by default since 1.16): a body over 128 KiB is gzipped at level 1
   * for a client that accepts gzip (client-go and kubectl always do). Encoded bodies are kept on the reply, which
   * cached list replies reuse.
   */
  private send(res: Writer, reply: Reply, done: (status: number, encoding?: 'gzip') => void, gzipOk = false): void {
    const encoded = reply as Reply & { raw?: Buffer; gzipped?: Buffer };
    encoded.raw ??= Buffer.from(reply.body);
    const gzip = gzipOk && encoded.raw.length > GZIP_THRESHOLD_BYTES;
    if (gzip) encoded.gzipped ??= gzipSync(encoded.raw, { level: zlibConstants.Z_BEST_SPEED });
    const body = gzip ? encoded.gzipped! : encoded.raw;
    res.writeHead(reply.status, {
      ...reply.headers, 'content-length': body.length, 'cache-control': 'no-cache, private',
      ...(gzip ? { 'content-encoding': 'gzip', vary: 'Accept-Encoding' } : {}),
    });
    res.end(body);
    done(reply.status, gzip ? 'gzip' : undefined);
  }

  /** Headers and half the body (announced at full length), then the connection or HTTP/2 stream is cut. */
  private cut(req: Request, res: Response, reply: Reply, done: (status: number) => void): void {
    const body = Buffer.from(reply.body);
    const w = res as unknown as Writer;
    w.writeHead(reply.status, { ...reply.headers, 'content-length': body.length });
    w.write(body.subarray(0, Math.max(1, Math.floor(body.length / 2))), () => {
      if (req.httpVersion === '2.0') (res as http2.Http2ServerResponse).stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
      else (res as ServerResponse).socket?.destroy();
    });
    done(reply.status);
  }

  private async respond(route: Route, method: string, url: URL, req: Request): Promise<Reply> {
    const accept = req.headers.accept;
    if (route.type !== 'resource' && method !== 'GET' && method !== 'HEAD') return METHOD_NOT_ALLOWED();
    const cat = this.resources;
    switch (route.type) {
      case 'root':
        return json(200, { paths: ['/api', '/api/v1', '/apis', ...cat.groups().filter((g) => g.name).flatMap((g) => [`/apis/${g.name}`, ...g.versions.map((v) => `/apis/${g.name}/${v.version}`)]), '/healthz', '/version'] });
      case 'version':
        return json(200, this.versionInfo());
      case 'health':
        return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'ok' };
      case 'api':
      case 'apis': {
        const aggregated = aggregatedVersion(accept);
        const core = route.type === 'api';
        if (aggregated) {
          return json(200, cat.memo(`agg:${aggregated}:${core}`, () => aggregatedDiscovery(cat, aggregated, core)), { 'content-type': aggregatedContentType(aggregated) });
        }
        if (core) return json(200, apiVersions(new URL(this.url).host));
        return json(200, cat.memo('apis', () => apiGroupList(cat)));
      }
      case 'group': {
        const doc = apiGroup(cat, route.group);
        return doc ? json(200, doc) : NOT_FOUND();
      }
      case 'groupVersion': {
        const doc = cat.memo(`gv:${route.group}/${route.version}`, () => apiResourceList(cat, route.group, route.version) ?? null);
        return doc === 'null' ? NOT_FOUND() : json(200, doc);
      }
      case 'notFound':
        return NOT_FOUND();
      case 'resource':
        return this.resource(route, method, url, req);
    }
  }

  private versionInfo() {
    const m = /^v(\d+)\.(\d+)/.exec(this.serverVersion);
    return {
      major: m?.[1] ?? '1', minor: m?.[2] ?? '32', gitVersion: this.serverVersion, gitCommit: '0'.repeat(40), gitTreeState: 'clean',
      buildDate: '2025-04-22T16:00:00Z', goVersion: 'go1.23.8', compiler: 'gc', platform: 'linux/amd64',
    };
  }

  private async resource(route: Extract<Route, { type: 'resource' }>, method: string, url: URL, req: Request): Promise<Reply> {
    const r = this.resources.resolve(route.group, route.version, route.plural);
    // Wrong scope for the path (a namespaced resource read by name without its namespace, or the reverse) is a 404 too.
    if (!r || (route.namespace !== undefined && !r.namespaced) || (route.namespace === undefined && route.name !== undefined && r.namespaced)) {
      return NOT_FOUND();
    }
    if (route.sub !== undefined && !r.subresources.includes(route.sub)) return NOT_FOUND();
    const apiVersion = route.group ? `${route.group}/${route.version}` : route.version;
    const query = url.searchParams;
    if (method === 'PATCH') {
      if (route.name === undefined || route.sub === 'log') return METHOD_NOT_ALLOWED();
      return this.patch(r, route.namespace, route.name, apiVersion, url.pathname, req);
    }
    if (method !== 'GET' && method !== 'HEAD') return METHOD_NOT_ALLOWED();
    if (query.get('watch') === 'true' || query.get('watch') === '1') {
      return statusReply(405, 'MethodNotAllowed', 'watch is not supported by the fluxdiag API emulator', {});
    }
    if (route.sub === 'log') return this.podLog(route.namespace!, route.name!, query);
    if (route.name !== undefined) {
      const obj = this.store.get(r.group, r.kind, route.namespace, route.name);
      if (!obj) return notFoundObject(r, route.name);
      const table = tableVersion(req.headers.accept);
      if (table) return json(200, toTable(r, [obj], table, query.get('includeObject') ?? undefined, { resourceVersion: obj.metadata.resourceVersion ?? '' }, apiVersion));
      return json(200, atVersion(obj, apiVersion));
    }
    // A real API server serves lists on its own CPU; here it shares the client's cores, so an unchanged list
    // is serialised once rather than on every request (benchmarks would otherwise time the emulator).
    if (this.listCacheRevision !== this.store.revision) {
      this.listCache.clear();
      this.listCacheRevision = this.store.revision;
    }
    const key = `${apiVersion}|${r.kind}|${route.namespace}|${query}|${req.headers.accept}`;
    let reply = this.listCache.get(key);
    if (!reply) {
      reply = this.list(r, route.namespace, apiVersion, query, req.headers.accept);
      if (reply.status === 200) this.listCache.set(key, reply);
    }
    return reply;
  }

  private listCache = new Map<string, Reply>();
  private listCacheRevision = -1;

  private list(r: Resource, namespace: string | undefined, apiVersion: string, query: URLSearchParams, accept: string | undefined): Reply {
    let labelTest: ((l: Record<string, string> | undefined) => boolean) | undefined;
    let fieldTest: ((o: Record<string, any>) => boolean) | undefined;
    try {
      const labelSelector = query.get('labelSelector');
      if (labelSelector) labelTest = parseLabelSelector(labelSelector);
      const fieldSelector = query.get('fieldSelector');
      if (fieldSelector) {
        const reqs = parseFieldSelector(fieldSelector);
        const unsupported = reqs.find((q) => !r.fields.has(q.field));
        if (unsupported) {
          return BAD_REQUEST(`field label not supported: ${unsupported.field}`);
        }
        if (reqs.length > 0) fieldTest = fieldMatcher(reqs);
      }
    } catch (error) {
      if (error instanceof SelectorError) return BAD_REQUEST(error.message);
      throw error;
    }
    const limitParam = Number(query.get('limit') ?? '');
    const limit = Number.isInteger(limitParam) && limitParam > 0 ? limitParam : Infinity;
    const token = query.get('continue');
    let after: string | undefined;
    if (token) {
      after = decodeContinue(token);
      if (after === undefined) return BAD_REQUEST('continue key is not valid: illegal base64 data');
    }
    const { objects, keys, start, end } = this.store.range(r.group, r.kind, namespace, after);
    const items: KubeObject[] = [];
    let last = -1;
    let more = false;
    for (let i = start; i < end; i++) {
      const o = objects[i]!;
      if (labelTest && !labelTest(o.metadata.labels)) continue;
      if (fieldTest && !fieldTest(o)) continue;
      // Look one match ahead so the last page never carries a continue token leading to an empty page.
      if (items.length === limit) {
        more = true;
        break;
      }
      items.push(o);
      last = i;
    }
    const rv = this.store.resourceVersion;
    const metadata: Record<string, unknown> = { resourceVersion: rv };
    if (more) {
      metadata.continue = encodeContinue(keys[last]!, rv);
      // Like the apiserver, the count is only given when it is exact (no selector filtering).
      if (!labelTest && !fieldTest) metadata.remainingItemCount = end - last - 1;
    }
    const table = tableVersion(accept);
    if (table) return json(200, toTable(r, items, table, query.get('includeObject') ?? undefined, metadata, apiVersion));
    return json(200, { kind: `${r.kind}List`, apiVersion, metadata, items: items.map((o) => atVersion(o, apiVersion)) });
  }

  private async patch(r: Resource, namespace: string | undefined, name: string, apiVersion: string, path: string, req: Request): Promise<Reply> {
    const contentType = String(req.headers['content-type'] ?? '').split(';')[0]!.trim();
    const text = await readBody(req);
    if (text === null) return statusReply(413, 'RequestEntityTooLarge', 'Request entity too large', {});
    if (contentType !== 'application/merge-patch+json') {
      return statusReply(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/merge-patch+json (got ${contentType || 'none'})`, {});
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      return BAD_REQUEST(`error decoding patch: ${(error as Error).message}`);
    }
    const existing = this.store.get(r.group, r.kind, namespace, name);
    if (!existing) return notFoundObject(r, name);
    const merged = mergePatch(existing, body) as KubeObject;
    // Identity is not patchable: the apiserver would reject a changed name; here it is simply kept.
    const patched: KubeObject = {
      ...merged, apiVersion: existing.apiVersion, kind: existing.kind,
      metadata: { ...(typeof merged.metadata === 'object' && merged.metadata ? merged.metadata : {}), name, ...(namespace ? { namespace } : {}) },
    };
    if (JSON.stringify(patched) !== JSON.stringify(existing)) {
      if (JSON.stringify(patched.spec) !== JSON.stringify(existing.spec)) {
        patched.metadata.generation = (existing.metadata.generation ?? 0) + 1;
      }
      patched.metadata.resourceVersion = this.store.nextResourceVersion();
      this.store.put(patched);
    }
    this.patches.push({ path, body, time: Date.now() });
    return json(200, atVersion(this.store.get(r.group, r.kind, namespace, name)!, apiVersion));
  }

  private podLog(namespace: string, name: string, query: URLSearchParams): Reply {
    const pod = this.store.get('', 'Pod', namespace, name);
    if (!pod) return statusReply(404, 'NotFound', `pods "${name}" not found`, { name, kind: 'pods' });
    const containers: string[] = [
      ...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []), ...(pod.spec?.ephemeralContainers ?? []),
    ].map((c: any) => String(c?.name));
    let container = query.get('container') ?? undefined;
    const main = (pod.spec?.containers ?? []).map((c: any) => String(c?.name));
    if (container === undefined && main.length > 1) {
      return BAD_REQUEST(`a container name must be specified for pod ${name}, choose one of: [${main.join(' ')}]`);
    }
    if (container !== undefined && containers.length > 0 && !containers.includes(container)) {
      return BAD_REQUEST(`container ${container} is not valid for pod ${name}`);
    }
    container ??= main[0];
    let text = (container !== undefined ? this.logs[`${namespace}/${name}/${container}`] : undefined) ?? this.logs[`${namespace}/${name}`] ?? '';
    const tail = Number(query.get('tailLines') ?? '');
    if (query.has('tailLines') && Number.isInteger(tail) && tail >= 0) {
      const lines = text.split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
      text = lines.slice(Math.max(0, lines.length - tail)).map((l) => `${l}\n`).join('');
    }
    const limitBytes = Number(query.get('limitBytes') ?? '');
    if (Number.isInteger(limitBytes) && limitBytes > 0) text = Buffer.from(text).subarray(0, limitBytes).toString('utf8');
    return { status: 200, headers: { 'content-type': 'text/plain' }, body: text };
  }
}

/** Reads a request body (a patch) up to MAX_PATCH_BYTES; null when larger. */
function readBody(req: Request): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_PATCH_BYTES) chunks.push(c);
    });
    req.on('end', () => resolve(size > MAX_PATCH_BYTES ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
