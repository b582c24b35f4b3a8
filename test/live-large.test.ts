// End to end on a cluster large enough to exercise what small fixtures never do: the API server compresses lists
// over 128 KiB (as kube-apiserver does for clients accepting gzip) and splits lists over --page-size into pages
// (events into pages ten times larger).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCluster } from '../bench/generate';
import { fluxdiag } from './helpers/cli';
import { kubeconfigWithProxy, startLive, type LiveEnv } from './helpers/live';
import { startHttpProxy } from './helpers/proxy';

const NOW = '2026-11-20T09:00:00Z';
let live: LiveEnv;
const { objects, fluxObjects } = generateCluster('large', 1500, { eventsPerObject: 1, now: Date.parse(NOW) });

beforeAll(async () => {
  live = await startLive([{ name: 'large', objects }]);
});
afterAll(async () => live?.close());

describe('a large cluster (compressed and paginated lists)', () => {
  it('reads every object and reports the same as from the same objects saved as a file', async () => {
    const r = await fluxdiag(['status', '--all-clusters', '--json', '--now', NOW, '--page-size', '200'], { env: live.env });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(1);
    const cluster = JSON.parse(r.stdout).clusters[0];
    expect(cluster.collectionErrors).toEqual([]);
    expect(cluster.summary.total).toBe(fluxObjects);

    const log = live.emulator.clusters[0]!.requestLog;
    expect(log.filter((e) => e.contentEncoding === 'gzip').length).toBeGreaterThan(0);
    expect(log.filter((e) => e.query.continue).length).toBeGreaterThan(0);
    // 1,500 events come in one page of 10 × --page-size rather than eight pages fetched one after the other.
    expect(log.filter((e) => e.path === '/api/v1/events').map((e) => e.query)).toEqual([{ limit: '2000' }]);

    const file = join(live.home, 'large.json');
    writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
    const offline = await fluxdiag(['status', '--from', file, '--json', '--now', NOW]);
    const strip = (c: any) => ({ ...c, name: null, context: null, server: null, collectedAt: null });
    expect(strip(cluster)).toEqual(strip(JSON.parse(offline.stdout).clusters[0]));
  });

  it('reads the same through an HTTP proxy, where requests go over HTTP/1.1', async () => {
    const proxy = await startHttpProxy();
    try {
      const viaProxy = kubeconfigWithProxy(live, proxy.url, 'proxy');
      const log = live.emulator.clusters[0]!.requestLog;
      log.length = 0;
      const r = await fluxdiag(['status', '--all-clusters', '--json', '--now', NOW], { env: { ...live.env, KUBECONFIG: viaProxy } });
      expect(r.stderr).toBe('');
      const cluster = JSON.parse(r.stdout).clusters[0];
      expect(cluster.collectionErrors).toEqual([]);
      expect(cluster.summary.total).toBe(fluxObjects);
      expect(proxy.tunnels.length).toBeGreaterThan(0);
      expect(log.every((e) => e.httpVersion === '1.1')).toBe(true);
      expect(log.some((e) => e.contentEncoding === 'gzip')).toBe(true);
    } finally {
      await proxy.close();
    }
  });
});
