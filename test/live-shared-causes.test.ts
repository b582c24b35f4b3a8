// End to end: shared causes found across many objects, read live over HTTPS from the emulator: the cluster DNS that
// every source times out on, the Kyverno release whose webhook refuses other objects' applies, and the workloads'
// own events (kept from the cluster-wide event list) that say why health checks and Helm waits timed out.
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fluxdiag } from './helpers/cli';
import { fixtureCluster, startLive, type LiveEnv } from './helpers/live';

let live: LiveEnv;
const key = (r: any) => (r.namespace ? `${r.kind}/${r.namespace}/${r.name}` : `${r.kind}/${r.name}`);

beforeAll(async () => {
  live = await startLive([
    fixtureCluster('dns', 'fixtures/scenarios/cluster-dns-down'),
    fixtureCluster('kyverno', 'fixtures/scenarios/webhook-release-broken'),
    fixtureCluster('workloads', 'fixtures/scenarios/workloads-not-ready'),
  ]);
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

  it('reads why workloads never became ready from their events, live', async () => {
    // The emulator serves the workloads' events in their own namespaces, as an API server does (kubectl reads them;
    // test/emulator.test.ts skips its kubectl checks, with a warning, on a machine without kubectl, and so does this).
    const kubectl = await execa('kubectl', ['--context', 'workloads', 'get', 'events', '-n', 'data', '-o', 'json'], { env: live.env, reject: false });
    if ((kubectl as { code?: string }).code === 'ENOENT') console.warn('kubectl is not on PATH: the emulator\'s events are not checked with it');
    else {
      expect(kubectl.exitCode, kubectl.stderr).toBe(0);
      expect(JSON.parse(kubectl.stdout).items.map((e: any) => e.reason)).toEqual(expect.arrayContaining(['ProvisioningFailed', 'FailedScheduling']));
    }

    const r = await fluxdiag(['status', '--context', 'workloads', '--json', '--now', '2026-11-20T09:00:00Z'], { env: live.env });
    expect(r.exitCode).toBe(1);
    const findings = JSON.parse(r.stdout).clusters[0].findings;
    const root = findings.find((f: any) => f.rule === 'FD028');
    expect(key(root.object)).toBe('StorageClass/fast-ssd');
    expect(root.blocks.map(key).sort()).toEqual(['HelmRelease/monitoring/loki', 'Kustomization/flux-system/data']);
    const apps = findings.find((f: any) => f.rule === 'FD317' && f.object.name === 'apps');
    expect(apps.title).toMatch(/pods refused: ResourceQuota apps\/compute-resources exceeded/);
    expect(apps.evidence).toContainEqual(expect.stringMatching(/^ReplicaSet apps\/podinfo-6f8b9c7d4: event Warning FailedCreate \(x14\): Error creating: pods .* is forbidden: exceeded quota/));

    // A snapshot keeps them too, so the same report comes back offline.
    const file = `${live.home}/workloads.json`;
    expect((await fluxdiag(['snapshot', '--context', 'workloads', '-o', file], { env: live.env })).exitCode).toBe(0);
    const offline = await fluxdiag(['status', '--from', file, '--json', '--now', '2026-11-20T09:00:00Z']);
    expect(JSON.parse(offline.stdout).clusters[0].findings.map((f: any) => `${f.rule} ${key(f.object)} ${f.title}`)).toEqual(findings.map((f: any) => `${f.rule} ${key(f.object)} ${f.title}`));
  });
});
