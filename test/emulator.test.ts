// The API emulator, checked over real HTTPS (HTTP/1.1 and HTTP/2) with the CA it generated, and against the real
// kubectl: if kubectl reads it like a cluster, the live end-to-end tests built on it mean something.
import { build } from 'esbuild';
import { execa } from 'execa';
import { accessSync, constants, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http2 from 'node:http2';
import https from 'node:https';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { KubeObject } from '../src/snapshot/schema';
import { loadFixtureDir, startEmulator, type EmulatedCluster, type Emulator } from './emulator/index';
import { generateCluster } from '../bench/generate';

const TESTDATA = join(import.meta.dirname, 'emulator', 'testdata');
const AGGREGATED_ACCEPT = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json: any;
  ms: number;
}

interface ReqOptions {
  token?: string | null;
  accept?: string;
  method?: string;
  body?: string;
  contentType?: string;
  timeoutMs?: number;
  ca?: string | null;
}

let emu: Emulator;
let alpha: EmulatedCluster;
let beta: EmulatedCluster;
let gamma: EmulatedCluster;
let alphaFixture: ReturnType<typeof loadFixtureDir>;
let tmp: string;

/** HTTP/1.1 request with Node's https (a fresh connection each time, so a cut connection never leaks into the next test). */
function request(cluster: EmulatedCluster, path: string, o: ReqOptions = {}): Promise<Res> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Accept: o.accept ?? 'application/json', 'User-Agent': 'emulator-test/1.0' };
    const token = o.token === undefined ? cluster.token : o.token;
    if (token !== null) headers.Authorization = `Bearer ${token}`;
    if (o.contentType) headers['Content-Type'] = o.contentType;
    // Node sends DELETE bodies without framing unless told the length.
    if (o.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(o.body));
    const req = https.request(`${cluster.url}${path}`, {
      method: o.method ?? 'GET', headers, agent: false, ...(o.ca === null ? {} : { ca: o.ca ?? emu.caPem }),
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('aborted', () => reject(new Error('response aborted')));
      res.on('end', () => {
        if (!res.complete) return reject(new Error('incomplete response body'));
        const body = Buffer.concat(chunks).toString('utf8');
        let json: any;
        try {
          json = JSON.parse(body);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json, ms: performance.now() - started });
      });
    });
    if (o.timeoutMs) req.setTimeout(o.timeoutMs, () => req.destroy(new Error('client timeout')));
    req.on('error', reject);
    req.end(o.body);
  });
}

/** The same over HTTP/2, as kubectl talks. */
function request2(cluster: EmulatedCluster, path: string, o: ReqOptions = {}): Promise<Res> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const session = http2.connect(cluster.url, { ca: emu.caPem });
    session.on('error', reject);
    const stream = session.request({
      ':path': path, ':method': o.method ?? 'GET', accept: o.accept ?? 'application/json', authorization: `Bearer ${o.token ?? cluster.token}`,
    });
    let status = 0;
    let headers: Res['headers'] = {};
    const chunks: Buffer[] = [];
    stream.on('response', (h) => {
      status = Number(h[':status']);
      headers = h as Res['headers'];
    });
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('error', (e) => {
      session.destroy();
      reject(e);
    });
    // Resolve on 'close', not 'end': a stream cut by the server (reset, emulator closing) may still end cleanly.
    stream.on('close', () => {
      session.close();
      if (status === 0 || stream.rstCode !== http2.constants.NGHTTP2_NO_ERROR) {
        return reject(new Error(`stream closed (code ${stream.rstCode}) before a complete response`));
      }
      const body = Buffer.concat(chunks).toString('utf8');
      let json: any;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      resolve({ status, headers, body, json, ms: performance.now() - started });
    });
    stream.end();
  });
}

const names = (list: any) => (list.items as KubeObject[]).map((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`);

function gammaObjects(): KubeObject[] {
  const objects: KubeObject[] = [];
  for (let i = 0; i < 57; i++) {
    objects.push({
      apiVersion: 'v1', kind: 'ConfigMap',
      metadata: { name: `cm-${String(i).padStart(3, '0')}`, namespace: `team-${i % 3}`, labels: { shard: String(i % 2), team: `team-${i % 3}` } },
      data: { index: String(i) },
    });
  }
  objects.push({
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization',
    metadata: { name: 'tenants', namespace: 'flux-system', generation: 4, resourceVersion: '5000' },
    spec: { interval: '10m0s', path: './tenants', prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' } },
    status: { observedGeneration: 4, conditions: [{ type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded', message: 'Applied revision: main@sha1:9642e3ca0300735eae3dbe68547cef63b4c3372b', lastTransitionTime: '2026-11-20T08:00:00Z', observedGeneration: 4 }] },
  });
  return objects;
}

function onPath(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    try {
      accessSync(join(dir, cmd), constants.X_OK);
      return join(dir, cmd);
    } catch {
      // not here
    }
  }
  return undefined;
}
const KUBECTL = onPath('kubectl');
if (!KUBECTL) console.warn('emulator.test.ts: kubectl is not on PATH; the kubectl fidelity tests are skipped');

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'emulator-test-'));
  alphaFixture = loadFixtureDir(join(TESTDATA, 'alpha'));
  const betaFixture = loadFixtureDir(join(TESTDATA, 'beta'));
  emu = await startEmulator([
    { name: 'alpha', ...alphaFixture, token: 'alpha-token' },
    // beta runs without the HelmRelease and ImagePolicy CRDs although it stores a HelmRelease.
    { name: 'beta', ...betaFixture, served: { HelmRelease: [], ImagePolicy: [] } },
    { name: 'gamma', objects: gammaObjects(), served: { Kustomization: ['v1', 'v1beta2'] }, serverVersion: 'v1.31.2' },
  ]);
  alpha = emu.cluster('alpha');
  beta = emu.cluster('beta');
  gamma = emu.cluster('gamma');
});

afterEach(() => {
  for (const c of emu.clusters) {
    c.clearFaults();
    c.setLatency(0);
  }
});

afterAll(async () => {
  await emu?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('fixtures', () => {
  it('loads manifests recursively and logs per pod', () => {
    expect(alphaFixture.objects.filter((o) => o.kind === 'Kustomization')).toHaveLength(3);
    expect(alphaFixture.objects.filter((o) => o.kind === 'Event')).toHaveLength(4); // from an EventList
    expect(Object.keys(alphaFixture.logs)).toEqual(['flux-system/kustomize-controller-6bc5d5b96-tz6kq']);
  });

  it('maps <pod>.<container>.log to a container and refuses unknown Flux kinds in served', async () => {
    const dir = join(tmp, 'fixture');
    mkdirSync(join(dir, 'logs', 'apps'), { recursive: true });
    writeFileSync(join(dir, 'pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: web-1, namespace: apps}\nspec: {containers: [{name: app}, {name: proxy}]}\n');
    writeFileSync(join(dir, 'logs', 'apps', 'web-1.proxy.log'), 'proxy line\n');
    writeFileSync(join(dir, 'logs', 'apps', 'web-1.app.log'), 'app line\n');
    const loaded = loadFixtureDir(dir);
    expect(loaded.logs).toEqual({ 'apps/web-1/app': 'app line\n', 'apps/web-1/proxy': 'proxy line\n' });
    await expect(startEmulator([{ name: 'typo', objects: [], served: { Kustomizations: [] } }])).rejects.toThrow(/unknown Flux kinds: Kustomizations/);
  });
});

describe('TLS and authentication', () => {
  it('serves a certificate that verifies against the emulator CA only', async () => {
    expect((await request(alpha, '/version')).status).toBe(200);
    await expect(request(alpha, '/version', { ca: null })).rejects.toThrow(/certificate/i);
  });

  it('answers 401 with a Status for a wrong or missing token', async () => {
    for (const token of ['wrong', null, beta.token]) {
      const res = await request(alpha, '/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations', { token });
      expect(res.status).toBe(401);
      expect(res.json).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
    }
  });

  it('speaks HTTP/2 and HTTP/1.1', async () => {
    const h2 = await request2(alpha, '/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations');
    const h1 = await request(alpha, '/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations');
    expect(h2.status).toBe(200);
    expect(h2.json).toEqual(h1.json);
    const versions = alpha.requestLog.filter((e) => e.path === '/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations').map((e) => e.httpVersion);
    expect(versions).toContain('2.0');
    expect(versions).toContain('1.1');
  });

  it('reports the configured server version', async () => {
    expect((await request(alpha, '/version')).json.gitVersion).toBe('v1.32.4');
    expect((await request(gamma, '/version')).json).toMatchObject({ gitVersion: 'v1.31.2', major: '1', minor: '31' });
  });
});

describe('discovery', () => {
  it('lists exactly the served versions per Flux group (legacy)', async () => {
    const groups = (await request(alpha, '/apis')).json;
    expect(groups.kind).toBe('APIGroupList');
    const source = groups.groups.find((g: any) => g.name === 'source.toolkit.fluxcd.io');
    // v1 by default, plus v1beta2 because a stored GitRepository was written with it.
    expect(source.versions.map((v: any) => v.version)).toEqual(['v1', 'v1beta2']);
    expect(source.preferredVersion).toEqual({ groupVersion: 'source.toolkit.fluxcd.io/v1', version: 'v1' });
    const v1beta2 = (await request(alpha, '/apis/source.toolkit.fluxcd.io/v1beta2')).json;
    expect(v1beta2.resources.map((r: any) => r.name)).toEqual(['gitrepositories', 'gitrepositories/status']);
    const ks = (await request(alpha, '/apis/kustomize.toolkit.fluxcd.io/v1')).json;
    expect(ks).toMatchObject({ kind: 'APIResourceList', groupVersion: 'kustomize.toolkit.fluxcd.io/v1' });
    expect(ks.resources[0]).toMatchObject({ name: 'kustomizations', singularName: 'kustomization', namespaced: true, kind: 'Kustomization', shortNames: ['ks'] });
    expect(ks.resources[0].verbs).toEqual(expect.arrayContaining(['get', 'list']));
    expect((await request(alpha, '/apis/kustomize.toolkit.fluxcd.io/v1beta2')).status).toBe(404);
    expect((await request(alpha, '/apis/kustomize.toolkit.fluxcd.io')).json.preferredVersion.version).toBe('v1');
  });

  it('describes the core and built-in groups', async () => {
    const api = (await request(alpha, '/api')).json;
    expect(api).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const core = (await request(alpha, '/api/v1')).json;
    const byName = new Map(core.resources.map((r: any) => [r.name, r]));
    for (const n of ['namespaces', 'pods', 'pods/log', 'events', 'secrets', 'configmaps', 'services']) expect(byName.has(n), n).toBe(true);
    expect(byName.get('namespaces')).toMatchObject({ namespaced: false, kind: 'Namespace' });
    const apis = (await request(alpha, '/apis')).json.groups.map((g: any) => g.name);
    expect(apis).toEqual(expect.arrayContaining(['apps', 'batch']));
    const apps = (await request(alpha, '/apis/apps/v1')).json.resources.map((r: any) => r.name);
    expect(apps).toEqual(expect.arrayContaining(['deployments', 'replicasets', 'statefulsets', 'daemonsets']));
  });

  it('hides a Flux kind that is not served, from discovery and from its paths', async () => {
    const groups = (await request(beta, '/apis')).json.groups.map((g: any) => g.name);
    expect(groups).not.toContain('helm.toolkit.fluxcd.io');
    const image = (await request(beta, '/apis/image.toolkit.fluxcd.io/v1')).json.resources.map((r: any) => r.name);
    expect(image).not.toContain('imagepolicies');
    expect(image).toContain('imagerepositories');
    for (const path of ['/apis/helm.toolkit.fluxcd.io/v2/helmreleases', '/apis/helm.toolkit.fluxcd.io/v2/namespaces/ingress/helmreleases/ingress-nginx', '/apis/helm.toolkit.fluxcd.io/v2']) {
      const res = await request(beta, path);
      expect(res.status, path).toBe(404);
      expect(res.json).toMatchObject({ kind: 'Status', reason: 'NotFound', message: 'the server could not find the requested resource', code: 404 });
    }
    // The same kind is served on alpha.
    expect((await request(alpha, '/apis/helm.toolkit.fluxcd.io/v2/helmreleases')).status).toBe(200);
  });

  it('serves aggregated discovery (apidiscovery.k8s.io/v2) when asked, as kubectl 1.32 does', async () => {
    const res = await request(alpha, '/apis', { accept: AGGREGATED_ACCEPT });
    expect(res.headers['content-type']).toBe('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    expect(res.json).toMatchObject({ kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2' });
    const group = (name: string, body = res.json) => body.items.find((i: any) => i.metadata.name === name);
    expect(group('source.toolkit.fluxcd.io').versions.map((v: any) => v.version)).toEqual(['v1', 'v1beta2']);
    const ksv1 = group('kustomize.toolkit.fluxcd.io').versions;
    expect(ksv1).toHaveLength(1);
    expect(ksv1[0].resources[0]).toMatchObject({
      resource: 'kustomizations', responseKind: { group: 'kustomize.toolkit.fluxcd.io', version: 'v1', kind: 'Kustomization' },
      scope: 'Namespaced', singularResource: 'kustomization', shortNames: ['ks'],
    });
    expect(group('apps').versions[0].resources.map((r: any) => r.resource)).toEqual(expect.arrayContaining(['deployments', 'replicasets', 'statefulsets', 'daemonsets']));
    expect(group('batch').versions[0].resources.map((r: any) => r.resource)).toContain('jobs');

    const core = await request(alpha, '/api', { accept: AGGREGATED_ACCEPT });
    expect(core.json.kind).toBe('APIGroupDiscoveryList');
    const coreResources = core.json.items[0].versions[0].resources;
    expect(coreResources.find((r: any) => r.resource === 'namespaces').scope).toBe('Cluster');
    expect(coreResources.find((r: any) => r.resource === 'pods').subresources.map((s: any) => s.subresource)).toContain('log');

    // Served overrides: beta lacks helm entirely; gamma serves Kustomization at two versions.
    expect(group('helm.toolkit.fluxcd.io', (await request(beta, '/apis', { accept: AGGREGATED_ACCEPT })).json)).toBeUndefined();
    expect(group('kustomize.toolkit.fluxcd.io', (await request(gamma, '/apis', { accept: AGGREGATED_ACCEPT })).json).versions.map((v: any) => v.version)).toEqual(['v1', 'v1beta2']);
    // v2beta1 only when that is all the client accepts; legacy when it does not ask.
    const beta1 = await request(alpha, '/apis', { accept: 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList' });
    expect(beta1.json.apiVersion).toBe('apidiscovery.k8s.io/v2beta1');
    expect((await request(alpha, '/apis')).json.kind).toBe('APIGroupList');
  });
});

describe('get and list', () => {
  it('lists cluster-wide, sorted by namespace then name, with apiVersion and kind on items', async () => {
    const list = (await request(alpha, '/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations')).json;
    expect(list).toMatchObject({ kind: 'KustomizationList', apiVersion: 'kustomize.toolkit.fluxcd.io/v1' });
    expect(list.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(names(list)).toEqual(['flux-system/apps', 'flux-system/flux-system', 'flux-system/infrastructure']);
    for (const item of list.items) expect(item).toMatchObject({ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization' });
    const events = (await request(alpha, '/api/v1/events')).json;
    expect(events.kind).toBe('EventList');
    expect(names(events)).toEqual([
      'flux-system/apps.1879a3f0c4d2e6b7', 'flux-system/flux-system.1879a3c1f0a9b8c7', 'flux-system/flux-system.1879a3c2b1e4d5a6', 'podinfo/podinfo.1872c0de9a8b7c6d',
    ]);
  });

  it('lists and gets in a namespace', async () => {
    const hr = (await request(alpha, '/apis/helm.toolkit.fluxcd.io/v2/namespaces/podinfo/helmreleases')).json;
    expect(names(hr)).toEqual(['podinfo/podinfo']);
    expect((await request(alpha, '/apis/helm.toolkit.fluxcd.io/v2/namespaces/flux-system/helmreleases')).json.items).toEqual([]);
    const one = await request(alpha, '/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/apps');
    const stored = alphaFixture.objects.find((o) => o.kind === 'Kustomization' && o.metadata.name === 'apps')!;
    expect(one.json).toEqual(stored);
    const deploy = (await request(alpha, '/apis/apps/v1/namespaces/flux-system/deployments/kustomize-controller')).json;
    expect(deploy.status.readyReplicas).toBe(1);
    expect((await request(alpha, '/api/v1/namespaces/flux-system')).json.status.phase).toBe('Active');
  });

  it('answers 404 Status for a missing object, naming resource and group', async () => {
    const res = await request(alpha, '/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/nope');
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({ kind: 'Status', reason: 'NotFound', code: 404, message: 'kustomizations.kustomize.toolkit.fluxcd.io "nope" not found' });
    expect((await request(alpha, '/api/v1/namespaces/flux-system/pods/nope')).json.message).toBe('pods "nope" not found');
    // A namespaced resource read by name without its namespace is not a route at all.
    expect((await request(alpha, '/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations/apps')).status).toBe(404);
  });

  it('serves an object stored at an older version under every served version, as conversion does', async () => {
    const v1 = (await request(alpha, '/apis/source.toolkit.fluxcd.io/v1/namespaces/flux-system/gitrepositories')).json;
    expect(v1.items.map((o: KubeObject) => [o.metadata.name, o.apiVersion])).toEqual([
      ['flux-system', 'source.toolkit.fluxcd.io/v1'], ['podinfo', 'source.toolkit.fluxcd.io/v1'],
    ]);
    const old = (await request(alpha, '/apis/source.toolkit.fluxcd.io/v1beta2/gitrepositories')).json;
    expect(old.apiVersion).toBe('source.toolkit.fluxcd.io/v1beta2');
    expect(old.items.every((o: KubeObject) => o.apiVersion === 'source.toolkit.fluxcd.io/v1beta2')).toBe(true);
    // The store itself is untouched.
    expect(alpha.store.get('source.toolkit.fluxcd.io', 'GitRepository', 'flux-system', 'podinfo')!.apiVersion).toBe('source.toolkit.fluxcd.io/v1beta2');
  });

  it('gives namespaces that only hold objects a Namespace object, as a real cluster has', async () => {
    const ns = (await request(beta, '/api/v1/namespaces')).json;
    expect(ns.items.map((o: KubeObject) => o.metadata.name)).toEqual(['flux-system', 'ingress']);
  });

  it('paginates with limit/continue, returning every object exactly once', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    const remaining: number[] = [];
    do {
      const q = new URLSearchParams({ limit: '10', ...(token ? { continue: token } : {}) });
      const page = (await request(gamma, `/api/v1/configmaps?${q}`)).json;
      seen.push(...names(page));
      token = page.metadata.continue;
      if (token) remaining.push(page.metadata.remainingItemCount);
      pages++;
    } while (token);
    expect(pages).toBe(6);
    expect(seen).toHaveLength(57);
    expect(new Set(seen).size).toBe(57);
    expect(remaining).toEqual([47, 37, 27, 17, 7]);
    const all = names((await request(gamma, '/api/v1/configmaps')).json);
    expect(seen).toEqual(all);
  });

  it('paginates a filtered, namespaced list exactly too', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const q = new URLSearchParams({ limit: '4', labelSelector: 'shard=1', ...(token ? { continue: token } : {}) });
      const page = (await request(gamma, `/api/v1/namespaces/team-1/configmaps?${q}`)).json;
      expect(page.metadata.remainingItemCount).toBeUndefined();
      expect(page.items.length).toBeGreaterThan(0);
      seen.push(...names(page));
      token = page.metadata.continue;
    } while (token);
    const expected = gammaObjects().filter((o) => o.metadata.namespace === 'team-1' && o.metadata.labels?.shard === '1').map((o) => `team-1/${o.metadata.name}`);
    expect(seen).toEqual(expected.sort());
    expect((await request(gamma, '/api/v1/configmaps?limit=5&continue=garbage')).status).toBe(400);
  });

  it('filters with label selectors', async () => {
    const ks = async (selector: string) =>
      names((await request(alpha, `/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations?labelSelector=${encodeURIComponent(selector)}`)).json).map((n) => n.split('/')[1]);
    expect(await ks('tier=apps')).toEqual(['apps']);
    expect(await ks('tier==infra')).toEqual(['infrastructure']);
    expect(await ks('tier!=apps')).toEqual(['flux-system', 'infrastructure']);
    expect(await ks('tier in (apps, infra)')).toEqual(['apps', 'infrastructure']);
    expect(await ks('tier notin (apps)')).toEqual(['flux-system', 'infrastructure']);
    expect(await ks('tier')).toEqual(['apps', 'infrastructure']);
    expect(await ks('!tier')).toEqual(['flux-system']);
    expect(await ks('kustomize.toolkit.fluxcd.io/name=flux-system,tier in (infra)')).toEqual(['infrastructure']);
    const bad = await request(alpha, `/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations?labelSelector=${encodeURIComponent('tier in (apps')}`);
    expect(bad.status).toBe(400);
    expect(bad.json.reason).toBe('BadRequest');
  });

  it('filters with field selectors, including involvedObject on events', async () => {
    const ev = async (selector: string, ns = 'flux-system') =>
      (await request(alpha, `/api/v1/namespaces/${ns}/events?fieldSelector=${encodeURIComponent(selector)}`)).json.items.map((e: any) => e.reason);
    expect(await ev('involvedObject.name=apps')).toEqual(['HealthCheckFailed']);
    expect(await ev('involvedObject.kind=Kustomization')).toEqual(['HealthCheckFailed', 'ReconciliationSucceeded']);
    expect(await ev('involvedObject.kind=Kustomization,type!=Warning')).toEqual(['ReconciliationSucceeded']);
    expect(await ev('involvedObject.kind==GitRepository,involvedObject.namespace=flux-system')).toEqual(['NewArtifact']);
    expect(await ev('involvedObject.uid=3d4e5f60-7182-493a-bc2d-e3f4a5b6c7d8')).toEqual(['HealthCheckFailed']);
    expect(await ev('involvedObject.apiVersion=helm.toolkit.fluxcd.io/v2,reason=InstallSucceeded', 'podinfo')).toEqual(['InstallSucceeded']);
    expect(await ev('involvedObject.fieldPath=')).toHaveLength(3); // unset reads as empty, as in the apiserver
    const byName = (await request(alpha, '/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations?fieldSelector=metadata.name%3Dapps')).json;
    expect(names(byName)).toEqual(['flux-system/apps']);
    const pods = (await request(alpha, '/api/v1/pods?fieldSelector=status.phase%3DRunning')).json;
    expect(pods.items).toHaveLength(1);
    expect((await request(alpha, '/api/v1/pods?fieldSelector=status.phase%3DPending')).json.items).toHaveLength(0);
    // CRDs only support metadata.name/namespace, like the real apiserver.
    const bad = await request(alpha, '/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations?fieldSelector=status.phase%3DReady');
    expect(bad.status).toBe(400);
    expect(bad.json.message).toBe('field label not supported: status.phase');
  });

  it('answers Table when kubectl asks for it', async () => {
    const table = (await request(alpha, '/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations', {
      accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json',
    })).json;
    expect(table.kind).toBe('Table');
    expect(table.columnDefinitions.map((c: any) => c.name)).toEqual(['Name', 'Age', 'Ready', 'Status']);
    expect(table.rows[0].cells.slice(2)).toEqual(['False', expect.stringContaining('health check failed')]);
    expect(table.rows[0].object).toMatchObject({ kind: 'PartialObjectMetadata', metadata: { name: 'apps', namespace: 'flux-system' } });
  });
});

describe('merge patch', () => {
  const path = '/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/tenants';

  it('applies an RFC 7386 merge patch, bumps resourceVersion and generation, and records it', async () => {
    const before = (await request(gamma, path)).json;
    const res = await request(gamma, path, { method: 'PATCH', contentType: 'application/merge-patch+json', body: JSON.stringify({ spec: { suspend: true, prune: null } }) });
    expect(res.status).toBe(200);
    expect(res.json.spec).toMatchObject({ suspend: true, path: './tenants' });
    expect(res.json.spec).not.toHaveProperty('prune');
    expect(res.json.metadata.generation).toBe(5);
    expect(Number(res.json.metadata.resourceVersion)).toBeGreaterThan(Number(before.metadata.resourceVersion));
    expect((await request(gamma, path)).json.spec.suspend).toBe(true);
    expect(gamma.patches.at(-1)).toMatchObject({ path, body: { spec: { suspend: true, prune: null } } });

    // Metadata-only changes (flux reconcile's annotation) do not bump the generation.
    const annotated = await request(gamma, path, {
      method: 'PATCH', contentType: 'application/merge-patch+json',
      body: JSON.stringify({ metadata: { annotations: { 'reconcile.fluxcd.io/requestedAt': '2026-11-20T09:00:00Z' } } }),
    });
    expect(annotated.json.metadata).toMatchObject({ generation: 5, name: 'tenants', annotations: { 'reconcile.fluxcd.io/requestedAt': '2026-11-20T09:00:00Z' } });
    expect(gamma.patches).toHaveLength(2);
  });

  it('refuses other patch types, other verbs and missing objects like the apiserver', async () => {
    expect((await request(gamma, path, { method: 'PATCH', contentType: 'application/json-patch+json', body: '[]' })).status).toBe(415);
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const res = await request(gamma, path, { method, contentType: 'application/json', body: '{}' });
      expect(res.status, method).toBe(405);
      expect(res.json.reason).toBe('MethodNotAllowed');
    }
    expect((await request(gamma, `${path}-nope`, { method: 'PATCH', contentType: 'application/merge-patch+json', body: '{}' })).status).toBe(404);
  });
});

describe('pod logs', () => {
  const pod = '/api/v1/namespaces/flux-system/pods/kustomize-controller-6bc5d5b96-tz6kq/log';

  it('returns the log text, honouring container and tailLines', async () => {
    const all = await request(alpha, pod, { accept: '*/*' });
    expect(all.status).toBe(200);
    expect(all.headers['content-type']).toMatch(/^text\/plain/);
    expect(all.body.trim().split('\n')).toHaveLength(3);
    const tail = await request(alpha, `${pod}?container=manager&tailLines=1&timestamps=true&sinceSeconds=3600`);
    expect(tail.body.trim().split('\n')).toHaveLength(1);
    expect(tail.body).toContain('Reconciliation failed after 3m0.011s');
  });

  it('answers 404 for a missing pod, 400 for an unknown container, empty text when nothing was logged', async () => {
    expect((await request(alpha, '/api/v1/namespaces/flux-system/pods/nope/log')).status).toBe(404);
    expect((await request(alpha, `${pod}?container=sidecar`)).status).toBe(400);
    alpha.store.put({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'quiet', namespace: 'flux-system' }, spec: { containers: [{ name: 'c' }] } });
    const quiet = await request(alpha, '/api/v1/namespaces/flux-system/pods/quiet/log');
    expect(quiet.status).toBe(200);
    expect(quiet.body).toBe('');
    alpha.store.delete('', 'Pod', 'flux-system', 'quiet');
  });

  it('serves lists that follow every write, although unchanged lists are serialised once', async () => {
    const list = async () => (JSON.parse((await request(alpha, '/api/v1/namespaces/flux-system/pods')).body).items as any[]).map((p) => p.metadata.name);
    const before = await list();
    expect(before).not.toContain('late');
    expect(await list()).toEqual(before);
    // A put keeping its own resourceVersion, as a fixture object does, still shows in the next list.
    alpha.store.put({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'late', namespace: 'flux-system', resourceVersion: '5' }, spec: { containers: [{ name: 'c' }] } });
    expect(await list()).toEqual([...before, 'late'].sort());
    alpha.store.delete('', 'Pod', 'flux-system', 'late');
    expect(await list()).toEqual(before);
  });
});

describe('latency and request log', () => {
  it('delays every answer by the configured latency and logs each request', async () => {
    gamma.setLatency(150);
    const res = await request(gamma, '/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations?limit=5');
    expect(res.status).toBe(200);
    expect(res.ms).toBeGreaterThanOrEqual(145); // timers may fire a hair early
    const entry = gamma.requestLog.at(-1)!;
    expect(entry).toMatchObject({
      method: 'GET', path: '/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations', query: { limit: '5' }, status: 200,
      userAgent: 'emulator-test/1.0', accept: 'application/json', httpVersion: '1.1',
    });
    expect(entry.durationMs).toBeGreaterThanOrEqual(145);
    gamma.setLatency(0);
    expect((await request(gamma, '/version')).ms).toBeLessThan(145);
  });
});

describe('faults', () => {
  const HR = '/apis/helm.toolkit.fluxcd.io/v2/helmreleases';
  const KS = '/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations';

  it('403 on one resource only, while the others answer', async () => {
    alpha.setFaults([{ kind: 'status', status: 403, match: { resource: 'helmreleases' } }]);
    const denied = await request(alpha, HR);
    expect(denied.status).toBe(403);
    expect(denied.json).toMatchObject({ kind: 'Status', reason: 'Forbidden', code: 403 });
    expect(denied.json.message).toMatch(/cannot list resource "helmreleases" in API group "helm.toolkit.fluxcd.io" at the cluster scope/);
    expect((await request(alpha, '/apis/helm.toolkit.fluxcd.io/v2/namespaces/podinfo/helmreleases')).status).toBe(403);
    expect((await request(alpha, KS)).status).toBe(200);
    expect((await request(alpha, '/api/v1/events')).status).toBe(200);
    expect((await request(beta, KS)).status).toBe(200); // faults are per cluster
    expect(alpha.requestLog.filter((e) => e.fault === 'status').length).toBeGreaterThanOrEqual(2);
  });

  it('404 and 500, limited by times', async () => {
    alpha.setFaults([
      { kind: 'status', status: 404, match: { resource: 'kustomizations' }, times: 1 },
      { kind: 'status', status: 500, match: { path: /^\/api\/v1\/namespaces\/[^/]+\/events$/, method: 'GET' }, times: 2 },
    ]);
    expect((await request(alpha, KS)).json).toMatchObject({ code: 404, reason: 'NotFound' });
    expect((await request(alpha, KS)).status).toBe(200);
    const failed = await request(alpha, '/api/v1/namespaces/flux-system/events');
    expect(failed.json).toMatchObject({ code: 500, reason: 'InternalError' });
    expect((await request(alpha, '/api/v1/events')).status).toBe(200); // the regex wants a namespace
    expect((await request(alpha, '/api/v1/namespaces/podinfo/events')).status).toBe(500);
    expect((await request(alpha, '/api/v1/namespaces/podinfo/events')).status).toBe(200);
  });

  it('429 with Retry-After', async () => {
    alpha.addFault({ kind: 'throttle', retryAfterSeconds: 3, match: { group: 'kustomize.toolkit.fluxcd.io', namespace: 'flux-system' } });
    const res = await request(alpha, '/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations');
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('3');
    expect(res.json).toMatchObject({ reason: 'TooManyRequests', details: { retryAfterSeconds: 3 } });
    expect((await request(alpha, KS)).status).toBe(200); // no namespace: not matched
  });

  it('reset cuts an HTTP/1.1 connection mid-body', async () => {
    alpha.addFault({ kind: 'reset', match: { resource: 'events' } });
    const err = await request(alpha, '/api/v1/events').then(() => null, (e: Error) => e);
    expect(err?.message).toMatch(/aborted|incomplete|ECONNRESET|socket hang up/);
    expect(alpha.requestLog.at(-1)).toMatchObject({ path: '/api/v1/events', fault: 'reset', status: 200 });
  });

  it('reset cuts an HTTP/2 stream mid-body', async () => {
    alpha.addFault({ kind: 'reset', match: { resource: 'events' } });
    const err = await request2(alpha, '/api/v1/events').then(() => null, (e: Error & { code?: string }) => e);
    expect(err).not.toBeNull();
    expect(`${(err as any).code} ${err!.message}`).toMatch(/ERR_HTTP2_STREAM_ERROR|INTERNAL_ERROR/);
  });

  it('hang never answers: the client timeout fires', async () => {
    alpha.addFault({ kind: 'hang', match: { resource: 'helmreleases' } });
    const started = performance.now();
    await expect(request(alpha, HR, { timeoutMs: 300 })).rejects.toThrow('client timeout');
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(alpha.requestLog.some((e) => e.fault === 'hang' && e.path === HR && e.status === 0)).toBe(true);
    expect((await request(alpha, KS)).status).toBe(200);
  });

  it('close() cuts hung requests (HTTP/1.1 and HTTP/2) instead of waiting for them', async () => {
    const solo = await startEmulator([{ name: 'solo', objects: [] }]);
    const c = solo.cluster('solo');
    c.addFault({ kind: 'hang', match: {} });
    const savedEmu = emu;
    emu = solo; // the helpers read the CA from `emu`
    const h1 = request(c, '/api/v1/pods').then(() => 'answered', () => 'cut');
    const h2 = request2(c, '/api/v1/pods').then(() => 'answered', () => 'cut');
    emu = savedEmu;
    while (c.requestLog.filter((e) => e.fault === 'hang').length < 2) await new Promise((r) => setTimeout(r, 10));
    const started = performance.now();
    await solo.close();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await h1).toBe('cut');
    expect(await h2).toBe('cut');
  });
});

describe('kubeconfig', () => {
  it('has one cluster/user/context per emulated cluster, the CA inline and token auth', () => {
    const path = join(tmp, 'plain.kubeconfig');
    emu.writeKubeconfig(path, { contextName: (n) => `kind-${n}`, currentContext: 'kind-beta', extraContexts: [{ name: 'down', server: 'https://127.0.0.1:1', token: 'x' }] });
    const kc = parseYaml(readFileSync(path, 'utf8'));
    expect(kc['current-context']).toBe('kind-beta');
    expect(kc.contexts.map((c: any) => c.name)).toEqual(['kind-alpha', 'kind-beta', 'kind-gamma', 'down']);
    const cluster = kc.clusters.find((c: any) => c.name === 'kind-alpha').cluster;
    expect(cluster.server).toBe(alpha.url);
    expect(cluster.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(Buffer.from(cluster['certificate-authority-data'], 'base64').toString()).toBe(emu.caPem);
    expect(kc.users.find((u: any) => u.name === 'kind-alpha').user).toEqual({ token: 'alpha-token' });
  });

  it('can use an exec credential plugin that prints the token', async () => {
    const path = join(tmp, 'exec.kubeconfig');
    emu.writeKubeconfig(path, { auth: 'exec' });
    const user = parseYaml(readFileSync(path, 'utf8')).users[0].user;
    expect(user.exec).toMatchObject({ apiVersion: 'client.authentication.k8s.io/v1', command: 'node', interactiveMode: 'Never' });
    const { stdout } = await execa(process.execPath, user.exec.args);
    expect(JSON.parse(String(stdout))).toEqual({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: 'alpha-token' } });
  });
});

describe('main.ts (by hand)', () => {
  it('serves a folder of cluster folders, writes the kubeconfig and stops on SIGTERM', async () => {
    const bundle = join(tmp, 'emulator.mjs');
    await build({
      entryPoints: [join(import.meta.dirname, 'emulator', 'main.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20',
      outfile: bundle, logLevel: 'warning',
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    });
    const kubeconfig = join(tmp, 'main.kubeconfig');
    const child = execa(process.execPath, [bundle, '--fixtures', TESTDATA, '--kubeconfig', kubeconfig, '--latency', '5'], { reject: false });
    const lines: string[] = [];
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        if (lines.some((l) => l.startsWith('export KUBECONFIG='))) resolve();
      });
      child.catch(reject);
      setTimeout(() => reject(new Error(`emulator did not start: ${lines.join(' | ')}`)), 15_000);
    });
    expect(lines.map((l) => l.split('\t')[0])).toEqual(['alpha', 'beta', `export KUBECONFIG=${kubeconfig}`]);
    const kc = parseYaml(readFileSync(kubeconfig, 'utf8'));
    const server = kc.clusters.find((c: any) => c.name === 'beta').cluster.server;
    expect(lines[1]).toContain(server);
    const token = kc.users.find((u: any) => u.name === 'beta').user.token;
    const ca = Buffer.from(kc.clusters.find((c: any) => c.name === 'beta').cluster['certificate-authority-data'], 'base64').toString();
    const version = await new Promise<any>((resolve, reject) => {
      https.get(`${server}/version`, { ca, headers: { Authorization: `Bearer ${token}` } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(body) }));
      }).on('error', reject);
    });
    expect(version).toMatchObject({ status: 200, body: { gitVersion: 'v1.32.4' } });
    child.kill('SIGTERM');
    expect((await child).exitCode).toBe(0);
  });
});

describe.skipIf(!KUBECTL)('kubectl fidelity', () => {
  let home: string;
  let kubeconfig: string;
  const kubectl = async (args: string[], config = kubeconfig) => {
    const res = await execa(KUBECTL!, ['--kubeconfig', config, '--cache-dir', join(home, 'cache'), ...args], {
      reject: false, timeout: 30_000, extendEnv: false,
      // Own HOME and KUBECONFIG: no user config or discovery cache can leak in. node on PATH for the exec plugin.
      env: { HOME: home, KUBECONFIG: config, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}` },
    });
    if (res.exitCode !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${res.exitCode}): ${res.stderr}`);
    return res.stdout;
  };

  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'emulator-kubectl-home-'));
    kubeconfig = join(home, 'kubeconfig');
    emu.writeKubeconfig(kubeconfig);
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  const pick = (o: KubeObject) => ({ name: o.metadata.name, namespace: o.metadata.namespace, spec: o.spec, status: o.status });

  it('get kustomizations.kustomize.toolkit.fluxcd.io -A -o json returns the stored objects', async () => {
    const out = JSON.parse(await kubectl(['get', 'kustomizations.kustomize.toolkit.fluxcd.io', '-A', '-o', 'json']));
    const stored = alphaFixture.objects.filter((o) => o.kind === 'Kustomization').map(pick);
    expect(out.items.map(pick)).toEqual(expect.arrayContaining(stored));
    expect(out.items).toHaveLength(stored.length);
    // kubectl used HTTP/2 and aggregated discovery.
    const kubectlRequests = alpha.requestLog.filter((e) => e.userAgent?.startsWith('kubectl'));
    expect(kubectlRequests.some((e) => e.httpVersion === '2.0')).toBe(true);
    expect(kubectlRequests.find((e) => e.path === '/apis')?.accept).toContain('as=APIGroupDiscoveryList');
    expect(kubectlRequests.some((e) => e.path.startsWith('/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations'))).toBe(true);
  });

  it('resolves short resource names through discovery, per context', async () => {
    const out = JSON.parse(await kubectl(['--context', 'beta', 'get', 'gitrepositories', '-A', '-o', 'json']));
    expect(out.items.map((o: KubeObject) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual(['flux-system/flux-system']);
    expect(out.items[0].status.conditions[0].reason).toBe('GitOperationFailed');
    const onAlpha = JSON.parse(await kubectl(['get', 'gitrepo', '-A', '-o', 'json']));
    expect(onAlpha.items.map((o: KubeObject) => [o.metadata.name, o.apiVersion])).toEqual([
      ['flux-system', 'source.toolkit.fluxcd.io/v1'], ['podinfo', 'source.toolkit.fluxcd.io/v1'],
    ]);
  });

  it('filters events with --field-selector', async () => {
    const out = JSON.parse(await kubectl(['get', 'events', '-n', 'flux-system', '--field-selector', 'involvedObject.kind=Kustomization', '-o', 'json']));
    expect(out.items.map((e: any) => e.involvedObject.name).sort()).toEqual(['apps', 'flux-system']);
    expect(alpha.requestLog.some((e) => e.path === '/api/v1/namespaces/flux-system/events' && e.query.fieldSelector === 'involvedObject.kind=Kustomization')).toBe(true);
  });

  it('reads pod logs', async () => {
    const out = await kubectl(['logs', '-n', 'flux-system', 'kustomize-controller-6bc5d5b96-tz6kq']);
    expect(out).toBe(alphaFixture.logs['flux-system/kustomize-controller-6bc5d5b96-tz6kq']!.trimEnd());
  });

  it('prints tables with short names (get ks)', async () => {
    const out = await kubectl(['get', 'ks', '-n', 'flux-system']);
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^NAME\s+AGE\s+READY\s+STATUS$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(['apps', 'flux-system', 'infrastructure']);
    expect(out).toContain('Applied revision: main@sha1:f4f1643feb4bd5de1de7bbc9fb20ebdeed8f59d3');
  });

  it('authenticates with an exec credential plugin', async () => {
    const execConfig = join(home, 'exec.kubeconfig');
    emu.writeKubeconfig(execConfig, { auth: 'exec' });
    const out = await kubectl(['--context', 'beta', 'get', 'ks', '-n', 'flux-system', '-o', 'name'], execConfig);
    expect(out.trim()).toBe('kustomization.kustomize.toolkit.fluxcd.io/flux-system');
  });

  it('reports a missing CRD as kubectl does for a real cluster', async () => {
    const res = await execa(KUBECTL!, ['--kubeconfig', kubeconfig, '--cache-dir', join(home, 'cache'), '--context', 'beta', 'get', 'helmreleases', '-A'], {
      reject: false, timeout: 30_000, extendEnv: false, env: { HOME: home, KUBECONFIG: kubeconfig, PATH: process.env.PATH ?? '' },
    });
    expect(res.exitCode).not.toBe(0);
    expect(res.stderr).toMatch(/the server doesn't have a resource type "helmreleases"/);
  });
});

describe('compression of large lists, as kube-apiserver does it', () => {
  let big: Emulator;
  let home: string;
  const kinds = '/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations';
  beforeAll(async () => {
    big = await startEmulator([{ name: 'big', objects: generateCluster('big', 1000).objects }]);
    home = mkdtempSync(join(tmpdir(), 'emulator-gzip-'));
  });
  afterAll(async () => {
    await big.close();
    rmSync(home, { recursive: true, force: true });
  });

  const raw = (path: string, acceptEncoding?: string) => new Promise<{ headers: Record<string, any>; body: Buffer }>((resolve, reject) => {
    const cluster = big.clusters[0]!;
    https.get(`${cluster.url}${path}`, {
      ca: big.caPem, agent: false,
      headers: { Authorization: `Bearer ${cluster.token}`, ...(acceptEncoding ? { 'Accept-Encoding': acceptEncoding } : {}) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });

  it('gzips a body over 128 KiB for a client that accepts gzip, and only then', async () => {
    const plain = await raw(kinds);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.length).toBeGreaterThan(128 * 1024);
    const zipped = await raw(kinds, 'gzip, deflate');
    expect(zipped.headers).toMatchObject({ 'content-encoding': 'gzip', vary: 'Accept-Encoding' });
    expect(zipped.body.length).toBeLessThan(plain.body.length / 3);
    expect(gunzipSync(zipped.body).equals(plain.body)).toBe(true);
    // A small answer stays plain even when gzip is accepted.
    const small = await raw(`${kinds}?limit=2`, 'gzip');
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(small.body.toString()).items).toHaveLength(2);
    expect(big.clusters[0]!.requestLog.filter((e) => e.contentEncoding === 'gzip')).toHaveLength(1);
  });

  it.skipIf(!KUBECTL)('kubectl reads a compressed list like a real cluster\'s', async () => {
    const kubeconfig = join(home, 'kubeconfig');
    big.writeKubeconfig(kubeconfig);
    big.clusters[0]!.requestLog.length = 0;
    const res = await execa(KUBECTL!, ['--kubeconfig', kubeconfig, '--cache-dir', join(home, 'cache'), 'get', 'kustomizations.kustomize.toolkit.fluxcd.io', '-A', '-o', 'json'], {
      reject: false, timeout: 30_000, extendEnv: false, env: { HOME: home, KUBECONFIG: kubeconfig, PATH: process.env.PATH ?? '' },
    });
    expect(res.stderr).toBe('');
    expect(JSON.parse(res.stdout).items).toHaveLength(big.clusters[0]!.store.all().filter((o) => o.kind === 'Kustomization').length);
    expect(big.clusters[0]!.requestLog.some((e) => e.path === kinds && e.contentEncoding === 'gzip')).toBe(true);
  });
});
