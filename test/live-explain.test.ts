// End to end: `fluxdiag explain` against emulated clusters over HTTPS. The prod cluster holds a Kustomization
// blocked by a dependency whose Git source cannot authenticate, a HelmRelease whose upgrade retries were used
// up by a failed pre-upgrade migration hook (release history in Helm's storage Secrets), a crash-looping
// Deployment, and planted secrets that must never be printed.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fluxdiag } from './helpers/cli';
import { helmReleaseSecret } from './helpers/helm-release';
import { fixtureCluster, startLive, type LiveEnv } from './helpers/live';

let live: LiveEnv;
const NOW = '2026-11-20T09:00:00Z';
const key = (r: any) => (r.namespace ? `${r.kind}/${r.namespace}/${r.name}` : `${r.kind}/${r.name}`);
/** Everything planted in the fixtures and the release records; none of it may reach any output. */
const PLANTED = [/PLANTED/, /ZGF0YWJhc2U6CiAgcGFzc3dvcmQ6IFBMQU5URUQ/, /hunter2/, /s3cr3t/];

const releases = [
  helmReleaseSecret({
    name: 'papi', namespace: 'backend-services', version: 11, status: 'deployed', chart: 'papi', chartVersion: '2.13.2', appVersion: '2.13.2',
    firstDeployed: '2026-03-02T10:15:40Z', lastDeployed: '2026-11-12T14:04:02Z', description: 'Upgrade complete',
    config: { database: { password: 'PLANTED-release-config-s3cr3t' } }, manifest: '---\n# Source: papi/templates/secret.yaml\nstringData:\n  token: PLANTED-manifest-token\n',
    hooks: [{ name: 'papi-db-migrate', kind: 'Job', events: ['pre-upgrade'], phase: 'Succeeded', startedAt: '2026-11-12T14:03:01Z', completedAt: '2026-11-12T14:03:40Z' }],
  }),
  helmReleaseSecret({
    name: 'papi', namespace: 'backend-services', version: 12, status: 'failed', chart: 'papi', chartVersion: '2.14.0', appVersion: '2.14.0',
    firstDeployed: '2026-03-02T10:15:40Z', lastDeployed: '2026-11-20T08:41:26Z',
    description: 'Upgrade "papi" failed: pre-upgrade hooks failed: 1 error occurred:\n\t* job papi-db-migrate failed: BackoffLimitExceeded',
    config: { database: { password: 'PLANTED-release-config-s3cr3t' } }, manifest: '---\nstringData:\n  token: PLANTED-manifest-token\n',
    hooks: [{ name: 'papi-db-migrate', kind: 'Job', events: ['pre-upgrade'], phase: 'Failed', startedAt: '2026-11-20T08:41:26Z', completedAt: '2026-11-20T08:42:31Z' }],
  }),
];

beforeAll(async () => {
  const prod = fixtureCluster('prod', 'fixtures/explain/prod');
  prod.objects.push(...releases);
  live = await startLive([prod, fixtureCluster('staging', 'fixtures/explain/staging')]);
});
afterAll(async () => live?.close());

async function explainJson(args: string[]) {
  const r = await fluxdiag(['explain', ...args, '--json', '--now', NOW], { env: live.env });
  expect(r.stderr).toBe('');
  return { r, x: JSON.parse(r.stdout) };
}

describe('fluxdiag explain (live)', () => {
  it('walks a blocked Kustomization to the source that cannot authenticate', async () => {
    const { r, x } = await explainJson(['ks/platform-apps', '--context', 'prod']);
    expect(r.exitCode).toBe(1);
    const c = x.clusters[0];
    expect(c).toMatchObject({ cluster: 'prod', found: true, object: { kind: 'Kustomization', namespace: 'flux-system', name: 'platform-apps' } });
    // 1. source
    expect(c.sources.map((s: any) => [s.role, key(s.object), s.ready])).toEqual([['source', 'GitRepository/flux-system/flux-system', 'True']]);
    // 2. dependencies: platform-infra is the blocker
    expect(c.dependencies).toHaveLength(1);
    expect(c.dependencies[0]).toMatchObject({ object: { name: 'platform-infra' }, ready: 'False', reason: 'ArtifactFailed', blocker: true });
    // 3. the object: references checked live (a ConfigMap that exists, a Secret that does not)
    expect(c.details.references).toEqual(expect.arrayContaining([
      expect.objectContaining({ kind: 'ConfigMap', name: 'cluster-settings', exists: true }),
      expect.objectContaining({ kind: 'Secret', name: 'cluster-secrets', exists: false }),
    ]));
    expect(c.details.behindSource).toBe(true);
    // 4. what it manages: the crash-looping Deployment, with its pod's reason
    expect(c.manages.inventoryCounts).toMatchObject({ Deployment: 1, Service: 1 });
    expect(c.manages.workloadsChecked).toBe(true);
    expect(c.manages.unreadyWorkloads).toEqual([expect.objectContaining({ object: { kind: 'Deployment', namespace: 'web', name: 'web' }, pods: [expect.objectContaining({ reasons: expect.arrayContaining(['CrashLoopBackOff']) })] })]);
    // 6/7. events and controller logs about this object
    expect(c.events.map((e: any) => e.reason)).toContain('DependencyNotReady');
    expect(c.logs.available).toBe(true);
    expect(c.logs.lines.map((l: any) => l.message)).toContain('Dependencies do not meet ready condition, retrying in 30s');
    // 8. diagnosis: the source is the root cause; the chain is what it blocks
    const own = c.findings.find((f: any) => key(f.object) === 'Kustomization/flux-system/platform-apps');
    expect(own.rootCause).toEqual({ kind: 'GitRepository', namespace: 'flux-system', name: 'platform' });
    const root = c.findings.find((f: any) => key(f.object) === 'GitRepository/flux-system/platform');
    expect(root).toMatchObject({ category: 'source-auth', rootCause: null });
    expect(root.blocks.map(key)).toEqual(expect.arrayContaining(['Kustomization/flux-system/platform-infra', 'Kustomization/flux-system/platform-apps']));
    expect(c.findings.indexOf(root)).toBeLessThan(c.findings.indexOf(own));
  });

  it('tells the story in sections, root cause first, with commands for this context', async () => {
    const r = await fluxdiag(['explain', 'ks', 'platform-apps', '--context', 'prod', '--now', NOW], { env: live.env });
    const text = r.stdout;
    const sections = ['1. Source', '2. Dependencies', '3. The object', '4. What it manages', '5. Events', '6. Controller logs', '7. Diagnosis'];
    let last = -1;
    for (const s of sections) {
      const at = text.indexOf(s);
      expect(at, s).toBeGreaterThan(last);
      last = at;
    }
    expect(text).toMatch(/Kustomization\/flux-system\/platform-infra .*← blocker/);
    expect(text).toMatch(/not ready Deployment\/web\/web 0\/2 ready/);
    expect(text).toMatch(/Secret flux-system\/cluster-secrets \(postBuild\.substituteFrom\): MISSING/);
    expect(text).toContain('flux --context prod reconcile source git platform -n flux-system');
    expect(text.indexOf('FD201')).toBeLessThan(text.indexOf('FD301'));
  });

  it('explains a HelmRelease whose upgrade retries were exhausted by a failed pre-upgrade hook', async () => {
    const { x } = await explainJson(['hr/papi', '-n', 'backend-services', '--context', 'prod']);
    const c = x.clusters[0];
    expect(c.sources.map((s: any) => [s.role, s.object.kind])).toEqual([['chart', 'HelmChart'], ['chart-source', 'HelmRepository']]);
    expect(c.details.retries).toMatchObject({ upgradeFailures: 1, upgradeRetries: 0, upgradeRetriesLeft: 0 });
    // What runs is the newest deployed revision, not the failed upgrade at the head of the history.
    expect(c.details).toMatchObject({ lastAppliedRevision: '2.13.2', lastAttemptedRevision: '2.14.0' });
    // History merged from status.history and the release Secrets (the description only the Secret has).
    const v12 = c.helm.history.find((h: any) => h.version === 12);
    expect(v12).toMatchObject({ status: 'failed', chartVersion: '2.14.0', from: 'both' });
    expect(v12.description).toContain('pre-upgrade hooks failed');
    expect(c.helm.history.find((h: any) => h.version === 11)).toMatchObject({ status: 'deployed', from: 'both' });
    // The hook Job and the last lines of its pod's log.
    expect(c.helm.hookJobs).toEqual([expect.objectContaining({ name: 'papi-db-migrate', status: 'Failed', reason: 'BackoffLimitExceeded' })]);
    expect(c.helm.hookJobs[0].logTail.join('\n')).toContain('column "quota_bytes" of relation "papi_workspace" already exists');
    expect(c.logs.lines.some((l: any) => l.level === 'error' && /pre-upgrade hooks failed/.test(l.error ?? ''))).toBe(true);
    const commands = c.findings.flatMap((f: any) => f.remediation.map((s: any) => s.command ?? ''));
    expect(commands.some((cmd: string) => /^flux --context prod reconcile (helmrelease|hr) papi -n backend-services --(reset|force)/.test(cmd))).toBe(true);
    expect(commands).toContain('kubectl --context prod logs job/papi-db-migrate -n backend-services');
    expect(c.details.references).toEqual([expect.objectContaining({ kind: 'Secret', name: 'papi-db', exists: true })]);
  });

  it('resolves a Deployment to the Kustomization that manages it', async () => {
    const { x } = await explainJson(['deployment/web', '-n', 'web', '--context', 'prod']);
    expect(x.clusters[0]).toMatchObject({ resolvedFrom: { kind: 'Deployment', namespace: 'web', name: 'web' }, object: { kind: 'Kustomization', namespace: 'flux-system', name: 'platform-apps' }, found: true });
    const pod = await explainJson(['pod/web-5d7f9c8b6d-q2w8e', '-n', 'web', '--context', 'prod']);
    expect(pod.x.clusters[0].object).toEqual({ kind: 'Kustomization', namespace: 'flux-system', name: 'platform-apps' });
  });

  it('shows the same object on two clusters side by side', async () => {
    const { x } = await explainJson(['hr/papi', '-n', 'backend-services', '--context', 'prod', '--context', 'staging']);
    expect(x.clusters.map((c: any) => [c.cluster, c.details.ready])).toEqual([['prod', 'False'], ['staging', 'True']]);
    const text = (await fluxdiag(['explain', 'hr/papi', '-n', 'backend-services', '--context', 'prod', '--context', 'staging', '--now', NOW], { env: live.env })).stdout;
    expect(text).toMatch(/^CLUSTER\s+READY\s+REASON\s+APPLIED\s+SOURCE\s+ROOT CAUSE$/m);
    // prod's upgrade to 2.14.0 failed: it still runs 2.13.2.
    expect(text).toMatch(/^prod\s+✗ False\s+UpgradeFailed\s+2\.13\.2\s+2\.14\.0/m);
    expect(text).toMatch(/^staging\s+✓ True\s+UpgradeSucceeded\s+2\.13\.2/m);
    expect(text.indexOf('== prod')).toBeLessThan(text.indexOf('== staging'));
  });

  it('exits 2 with the closest names when the object does not exist', async () => {
    const r = await fluxdiag(['explain', 'ks/platform-ap', '--context', 'prod'], { env: live.env });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('Kustomization/platform-apps');
    const ns = await fluxdiag(['explain', 'hr/papi', '--context', 'prod'], { env: live.env });
    expect(ns.exitCode).toBe(2);
    expect(ns.stderr).toContain('HelmRelease/papi in namespace backend-services');
  });

  it('never prints planted secrets: Secret data, Helm values, release config, a token in a Git URL', async () => {
    const dir = live.home;
    const outputs: string[] = [];
    for (const format of [[], ['--json'], ['-o', 'yaml']]) {
      outputs.push((await fluxdiag(['explain', 'hr/papi', '-n', 'backend-services', '--context', 'prod', ...format], { env: live.env })).stdout);
      outputs.push((await fluxdiag(['explain', 'gitrepo/platform', '--context', 'prod', ...format], { env: live.env })).stdout);
      outputs.push((await fluxdiag(['status', '--context', 'prod', ...format], { env: live.env })).stdout);
    }
    for (const ext of ['json', 'yaml']) {
      const file = join(dir, `secrets.${ext}`);
      await fluxdiag(['snapshot', '--context', 'prod', '--for', 'hr/papi', '-n', 'backend-services', '-o', file], { env: live.env });
      outputs.push((await import('node:fs')).readFileSync(file, 'utf8'));
    }
    expect(outputs.join('\n')).toContain('github.com/acme/platform.git');
    for (const out of outputs) for (const pattern of PLANTED) expect(out).not.toMatch(pattern);
  });

  it('reproduces the same explanation offline from `snapshot --for`', async () => {
    const file = join(live.home, 'papi.json');
    const saved = await fluxdiag(['snapshot', '--context', 'prod', '--for', 'hr/papi', '-n', 'backend-services', '-o', file], { env: live.env });
    expect(saved.exitCode).toBe(0);
    const online = (await explainJson(['hr/papi', '-n', 'backend-services', '--context', 'prod'])).x;
    const offline = JSON.parse((await fluxdiag(['explain', 'hr/papi', '-n', 'backend-services', '--from', file, '--json', '--now', NOW])).stdout);
    const strip = (c: any) => ({ ...c, collectedAt: undefined });
    expect(offline.clusters.map(strip)).toEqual(online.clusters.map(strip));
  });

  it('does not look for a remote Kustomization\'s workloads in the cluster it reads (spec.kubeConfig)', async () => {
    const cluster = live.emulator.cluster('prod');
    cluster.requestLog.length = 0;
    const { x } = await explainJson(['ks/edge-apps', '-n', 'flux-system', '--context', 'prod']);
    expect(x.clusters[0].manages).toMatchObject({ total: 2, workloadsChecked: false, unreadyWorkloads: [], remoteCluster: 'spec.kubeConfig Secret flux-system/edge-kubeconfig' });
    // The edge cluster's workloads are not looked for in prod (no owner-label lists); the kubeconfig Secret is checked (metadata).
    const selectors = cluster.requestLog.map((e) => String(new URLSearchParams(e.query).get('labelSelector') ?? ''));
    expect(selectors.some((s) => s.includes('kustomize.toolkit.fluxcd.io/name=edge-apps'))).toBe(false);
    expect(x.clusters[0].details.references).toEqual([expect.objectContaining({ kind: 'Secret', name: 'edge-kubeconfig' })]);
  });

  it('reads only what it needs, each once (request count reported)', async () => {
    const cluster = live.emulator.cluster('prod');
    cluster.requestLog.length = 0;
    await fluxdiag(['explain', 'hr/papi', '-n', 'backend-services', '--context', 'prod', '--json', '--no-cache'], { env: live.env });
    const requests = cluster.requestLog.map((e) => `${e.path}?${new URLSearchParams(e.query)}`);
    console.log(`explain hr/papi made ${requests.length} API requests:\n  ${requests.join('\n  ')}`);
    expect(new Set(requests).size).toBe(requests.length);
    expect(cluster.requestLog.every((e) => e.method === 'GET')).toBe(true);
    expect(requests.some((r) => r.startsWith('/api/v1/namespaces/backend-services/secrets?') && r.includes('owner%3Dhelm'))).toBe(true);
    expect(requests.some((r) => r.startsWith('/api/v1/namespaces/flux-system/pods/helm-controller-5c8f7d6b9a-q8wzs/log'))).toBe(true);
    expect(requests.length).toBeLessThan(40);
    // No write of any kind, ever: explain is read-only.
    expect(cluster.patches).toEqual([]);
  });
});
