// End to end: shared causes found across many objects, read live over HTTPS from the emulator: the cluster DNS that
// every source times out on, and the Kyverno release whose webhook refuses other objects' applies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fluxdiag } from './helpers/cli';
import { fixtureCluster, startLive, type LiveEnv } from './helpers/live';

let live: LiveEnv;
const key = (r: any) => (r.namespace ? `${r.kind}/${r.namespace}/${r.name}` : `${r.kind}/${r.name}`);

beforeAll(async () => {
  live = await startLive([fixtureCluster('dns', 'fixtures/scenarios/cluster-dns-down'), fixtureCluster('kyverno', 'fixtures/scenarios/webhook-release-broken')]);
});
afterAll(async () => live?.close());

describe('shared causes (live)', () => {
  it('names one root per cluster and links the objects it explains', async () => {
    const r = await fluxdiag(['status', '--all-clusters', '--json', '--now', '2026-11-20T09:00:00Z'], { env: live.env });
    expect(r.exitCode).toBe(1);
    const byName = Object.fromEntries(JSON.parse(r.stdout).clusters.map((c: any) => [c.name, c]));

    const dns = byName.dns.findings;
    const root = dns.find((f: any) => f.rule === 'FD020');
    expect(key(root.object)).toBe('Service/kube-system/kube-dns');
    expect(root.rootCause).toBeNull();
    expect(root.blocks.map(key)).toEqual(expect.arrayContaining(['GitRepository/flux-system/flux-system', 'HelmRepository/flux-system/jetstack']));
    for (const f of dns.filter((x: any) => x.rule === 'FD206')) expect(key(f.rootCause)).toBe('Service/kube-system/kube-dns');

    const kyverno = byName.kyverno.findings;
    const refused = kyverno.filter((f: any) => f.rule === 'FD311' || f.rule === 'FD425');
    expect(refused.length).toBe(6);
    for (const f of refused) expect(key(f.rootCause)).toBe('HelmRelease/kyverno/kyverno');
  });

  it('prints the root once with what it causes folded under it', async () => {
    const r = await fluxdiag(['status', '--context', 'dns', '--now', '2026-11-20T09:00:00Z'], { env: live.env });
    const roots = r.stdout.split('\n').filter((l) => /^ {2}[✗!] FD/.test(l));
    expect(roots).toHaveLength(1);
    expect(roots[0]).toMatch(/FD020 Service\/kube-system\/kube-dns: Cluster DNS does not answer/);
    expect(r.stdout).toMatch(/↳ FD206 GitRepository\/flux-system\/flux-system/);
  });
});
