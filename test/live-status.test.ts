// End to end: the built CLI against three clusters over HTTPS with a real kubeconfig: one healthy, one failing,
// one unreachable. The unreachable one is reported (exit 3) and the two others are complete.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fluxdiag, ROOT } from './helpers/cli';
import { closedPort, fixtureCluster, startLive, type LiveEnv } from './helpers/live';

let live: LiveEnv;
const NOW = '2026-11-20T09:00:00Z';

beforeAll(async () => {
  live = await startLive(
    [fixtureCluster('healthy', 'fixtures/live/healthy'), fixtureCluster('failing', 'fixtures/live/failing')],
    { extraContexts: [{ name: 'unreachable', server: `https://127.0.0.1:${await closedPort()}`, token: 'x' }] },
  );
});
afterAll(async () => live?.close());

const key = (r: any) => (r.namespace ? `${r.kind}/${r.namespace}/${r.name}` : `${r.kind}/${r.name}`);

describe('fluxdiag status --all-clusters (live)', () => {
  it('reports every cluster, the unreachable one as such, and exits 3', async () => {
    const r = await fluxdiag(['status', '--all-clusters', '--json', '--now', NOW, '--timeout', '10s'], { env: live.env });
    expect(r.exitCode).toBe(3);
    const report = JSON.parse(r.stdout);
    expect(report.summary).toMatchObject({ clusters: 3, unreachable: 1 });
    const byName = Object.fromEntries(report.clusters.map((c: any) => [c.name, c]));
    expect(Object.keys(byName).sort()).toEqual(['failing', 'healthy', 'unreachable']);

    const down = byName.unreachable;
    expect(down).toMatchObject({ reachable: false, context: 'unreachable', error: { code: 'Unreachable' } });
    expect(down.findings.map((f: any) => f.rule)).toEqual(['FD001']);
    expect(down.findings[0].remediation[0].command).toBe('kubectl --context unreachable get --raw /version');

    const ok = byName.healthy;
    expect(ok).toMatchObject({ reachable: true, collectionErrors: [], flux: { version: 'v2.7.5' } });
    expect(ok.flux.controllers.map((c: any) => [c.name, c.ready])).toEqual([
      ['source-controller', true], ['kustomize-controller', true], ['helm-controller', true], ['notification-controller', true],
    ]);
    expect(ok.summary).toEqual({ total: 6, ready: 6, failing: 0, suspended: 0, progressing: 0 });
    expect(ok.findings.filter((f: any) => f.severity !== 'info')).toEqual([]);

    const bad = byName.failing;
    expect(bad.reachable).toBe(true);
    expect(bad.collectionErrors).toEqual([]);
    expect(bad.summary).toMatchObject({ total: 5, failing: 3 });
    const find = (rule: string, object: string) => bad.findings.find((f: any) => f.rule === rule && key(f.object) === object);
    const auth = find('FD201', 'GitRepository/flux-system/apps');
    expect(auth).toMatchObject({ slug: 'git-auth-failed', category: 'source-auth', severity: 'error', rootCause: null, since: '2026-11-19T17:02:13Z' });
    expect(auth.blocks.map(key)).toEqual(['Kustomization/flux-system/apps']);
    expect(auth.evidence[0]).toContain('unable to authenticate');
    expect(auth.remediation.map((x: any) => x.command)).toContain('flux --context failing reconcile source git apps -n flux-system');
    const tenants = find('FD301', 'Kustomization/flux-system/tenants');
    expect(tenants).toMatchObject({ category: 'dependency-not-ready', rootCause: { kind: 'Kustomization', namespace: 'flux-system', name: 'infrastructure' } });
    const infra = bad.findings.find((f: any) => key(f.object) === 'Kustomization/flux-system/infrastructure' && f.severity === 'error');
    expect(infra.category).toBe('decryption-failed');
    expect(infra.blocks.map(key)).toContain('Kustomization/flux-system/tenants');
    const ctl = bad.findings.find((f: any) => key(f.object) === 'Deployment/flux-system/notification-controller');
    expect(ctl).toMatchObject({ rule: 'FD010', category: 'controller-unhealthy', severity: 'error' });
    for (const f of bad.findings) {
      for (const field of ['rule', 'slug', 'category', 'severity', 'object', 'title', 'explanation', 'evidence', 'since', 'rootCause', 'blocks', 'remediation']) expect(f, `${f.rule} ${field}`).toHaveProperty(field);
      expect(f.rule).toMatch(/^FD\d{3}$/);
      expect(f.evidence.length).toBeGreaterThan(0);
      for (const step of f.remediation) if (/^(flux|kubectl) /.test(step.command ?? '')) expect(step.command).toContain('--context failing');
    }
    // Roots come before the findings they block.
    const order = bad.findings.map((f: any) => key(f.object));
    expect(order.indexOf('Kustomization/flux-system/infrastructure')).toBeLessThan(order.indexOf('Kustomization/flux-system/tenants'));
  });

  it('gives the same diagnosis live as from the same objects saved as files', async () => {
    const liveReport = JSON.parse((await fluxdiag(['status', '--context', 'failing', '--context', 'healthy', '--json', '--now', NOW], { env: live.env })).stdout);
    const offline = JSON.parse((await fluxdiag(['status', '--from', join(ROOT, 'fixtures/live'), '--json', '--now', NOW])).stdout);
    for (const name of ['failing', 'healthy']) {
      const a = liveReport.clusters.find((c: any) => c.name === name);
      const b = offline.clusters.find((c: any) => c.name === name);
      const strip = (fs: any[]) => fs.map((f) => ({ ...f, remediation: f.remediation.length }));
      expect(strip(a.findings)).toEqual(strip(b.findings));
      expect(a.resources).toEqual(b.resources);
    }
  });

  it('prints a readable table: a header per cluster, counts, what is not ready, findings, root causes first', async () => {
    const r = await fluxdiag(['status', '--all-clusters', '--now', NOW], { env: live.env });
    expect(r.exitCode).toBe(3);
    expect(r.stdout).toMatch(/^failing  Flux v2\.7\.5  controllers 3\/4 ready$/m);
    expect(r.stdout).toMatch(/^healthy  Flux v2\.7\.5  controllers 4\/4 ready$/m);
    expect(r.stdout).toMatch(/^unreachable  UNREACHABLE Unreachable: /m);
    expect(r.stdout).toMatch(/Kustomization 1 ready, 2 failing/);
    expect(r.stdout).toMatch(/Kustomization\/infrastructure\s+flux-system\s+False\s+BuildFailed/);
    expect(r.stdout).toMatch(/↳ FD301 Kustomization\/flux-system\/tenants/);
    expect(r.stdout).toMatch(/✓ no problems found/);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/^3 clusters, 1 unreachable: \d+ errors?, \d+ warnings?, \d+ info$/);
    expect(r.stdout).not.toMatch(/\x1b\[/);
  });

  it('reads each served kind once, with the events and controllers, in few requests', async () => {
    for (const c of live.emulator.clusters) c.requestLog.length = 0;
    await fluxdiag(['status', '--context', 'failing', '--json', '--no-cache'], { env: live.env });
    const log = live.emulator.cluster('failing').requestLog;
    const requests = log.map((e) => `${e.path}?${new URLSearchParams(e.query)}`);
    expect(new Set(requests).size).toBe(requests.length);
    const served = (await import('../src/flux/kinds')).FLUX_KINDS.length;
    expect(log.filter((e) => e.path.startsWith('/apis/') && /toolkit|controlplane|extensions\.fluxcd/.test(e.path)).length).toBeLessThanOrEqual(served);
    expect(requests).toContain('/api/v1/events?limit=5000');
    expect(requests.some((p) => p.startsWith('/apis/apps/v1/namespaces/flux-system/deployments'))).toBe(true);
    expect(requests.some((p) => p.startsWith('/api/v1/namespaces/flux-system/pods'))).toBe(true);
    expect(log.every((e) => e.method === 'GET')).toBe(true);
  });

  it('reuses discovery for a few minutes, like kubectl: a second run makes one request fewer', async () => {
    const cluster = live.emulator.cluster('healthy');
    await fluxdiag(['status', '--context', 'healthy', '--json'], { env: live.env });
    cluster.requestLog.length = 0;
    await fluxdiag(['status', '--context', 'healthy', '--json'], { env: live.env });
    expect(cluster.requestLog.some((e) => e.path === '/apis')).toBe(false);
    expect(cluster.requestLog.length).toBeGreaterThan(3);
  });

  it('selects contexts with --context (repeatable) and exits 2 on an unknown one, listing the known ones', async () => {
    const r = await fluxdiag(['status', '--context', 'healthy', '--context', 'nope'], { env: live.env });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('unknown context "nope"; contexts in the kubeconfig: healthy, failing, unreachable');
    const one = JSON.parse((await fluxdiag(['status', '--context', 'healthy', '--json'], { env: live.env })).stdout);
    expect(one.clusters.map((c: any) => c.name)).toEqual(['healthy']);
  });

  it('names clusters from the config file and accepts those names for --context; commands keep the context', async () => {
    const config = join(live.home, 'fluxdiag.yaml');
    writeFileSync(config, 'clusters:\n  - name: Staging\n    context: failing\n');
    const r = JSON.parse((await fluxdiag(['status', '--config', config, '--context', 'Staging', '--json', '--now', NOW], { env: live.env })).stdout);
    expect(r.clusters[0]).toMatchObject({ name: 'Staging', context: 'failing' });
    const commands = r.clusters[0].findings.flatMap((f: any) => f.remediation.map((x: any) => x.command ?? ''));
    expect(commands.some((c: string) => c.includes('--context failing'))).toBe(true);
    expect(commands.some((c: string) => c.includes('--context Staging'))).toBe(false);
  });

  it('merges several kubeconfig files from KUBECONFIG and uses --kubeconfig when given', async () => {
    const other = join(live.home, 'other.kubeconfig');
    live.emulator.writeKubeconfig(other, { contextName: (n) => `other-${n}` });
    const r = await fluxdiag(['status', '--all-clusters', '--json'], { env: { ...live.env, KUBECONFIG: `${live.kubeconfig}:${other}:${join(live.home, 'missing')}` } });
    const names = JSON.parse(r.stdout).clusters.map((c: any) => c.name).sort();
    expect(names).toEqual(['failing', 'healthy', 'other-failing', 'other-healthy', 'unreachable']);
    const k = await fluxdiag(['status', '--kubeconfig', other, '--context', 'other-healthy', '--json'], { env: { ...live.env, KUBECONFIG: '' } });
    expect(k.exitCode).toBe(0);
  });

  it('authenticates with an exec credential plugin as the kubeconfig says', async () => {
    const exec = join(live.home, 'exec.kubeconfig');
    live.emulator.writeKubeconfig(exec, { auth: 'exec' });
    const r = await fluxdiag(['status', '--kubeconfig', exec, '--context', 'healthy', '--json'], { env: live.env });
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout).clusters[0].reachable).toBe(true);
  });

  it('saves a live snapshot that --from reproduces exactly', async () => {
    const file = join(live.home, 'snap.yaml');
    const saved = await fluxdiag(['snapshot', '--all-clusters', '-o', file], { env: live.env });
    expect(saved.exitCode).toBe(3);
    const fromLive = JSON.parse((await fluxdiag(['status', '--from', file, '--json', '--now', NOW])).stdout);
    expect(fromLive.clusters.map((c: any) => [c.name, c.reachable])).toEqual([['healthy', true], ['failing', true], ['unreachable', false]]);
    const direct = JSON.parse((await fluxdiag(['status', '--all-clusters', '--json', '--now', NOW], { env: live.env })).stdout);
    expect(fromLive.clusters.find((c: any) => c.name === 'failing').findings).toEqual(direct.clusters.find((c: any) => c.name === 'failing').findings);
  });
});
