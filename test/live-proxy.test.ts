// End to end through the kubeconfig's proxy-url: an HTTP CONNECT proxy and a SOCKS5 proxy in front of the
// emulator. The report must be the same as without the proxy, and the proxy must have carried the traffic.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fluxdiag } from './helpers/cli';
import { fixtureCluster, kubeconfigWithProxy, startLive, type LiveEnv } from './helpers/live';
import { startHttpProxy, startSocksProxy, type TestProxy } from './helpers/proxy';

let live: LiveEnv;
let proxies: TestProxy[] = [];
const NOW = '2026-11-20T09:00:00Z';

beforeAll(async () => {
  live = await startLive([fixtureCluster('failing', 'fixtures/live/failing')]);
  proxies = [await startHttpProxy(), await startSocksProxy()];
});
afterAll(async () => {
  await Promise.all(proxies.map((p) => p.close()));
  await live?.close();
});

const kubeconfigVia = (proxy: TestProxy, name: string) => kubeconfigWithProxy(live, proxy.url, name);

const status = (env: Record<string, string>) => fluxdiag(['status', '--all-clusters', '--json', '--now', NOW, '--timeout', '10s', '--no-cache'], { env });
const comparable = (stdout: string) => JSON.parse(stdout).clusters.map((c: any) => ({ ...c, collectedAt: null }));

describe('proxy-url from the kubeconfig', () => {
  it.each([['HTTP CONNECT', 0], ['SOCKS5', 1]])('reads the cluster through an %s proxy, with the same report as directly', async (_label, i) => {
    const proxy = proxies[i]!;
    const direct = await status(live.env);
    expect(direct.exitCode).toBe(1);
    const viaProxy = await status({ ...live.env, KUBECONFIG: kubeconfigVia(proxy, `proxy-${i}`) });
    expect(viaProxy.stderr).toBe('');
    expect(viaProxy.exitCode).toBe(1);
    const port = new URL(live.emulator.clusters[0]!.url).port;
    expect(proxy.tunnels.length).toBeGreaterThan(0);
    expect(proxy.tunnels.every((t) => t.endsWith(`:${port}`))).toBe(true);
    const report = comparable(viaProxy.stdout);
    expect(report[0].reachable).toBe(true);
    expect(report[0].collectionErrors).toEqual([]);
    expect(report).toEqual(comparable(direct.stdout));
  });

  it('reports a proxy that refuses connections as the cluster being unreachable, not a crash', async () => {
    const proxy = await startSocksProxy();
    const path = kubeconfigVia(proxy, 'dead-proxy');
    await proxy.close();
    const r = await status({ ...live.env, KUBECONFIG: path });
    expect(r.exitCode).toBe(3);
    const cluster = JSON.parse(r.stdout).clusters[0];
    expect(cluster).toMatchObject({ reachable: false, error: { code: 'Unreachable' } });
  });
});
