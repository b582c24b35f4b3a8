// The CLI on offline input (--from), as a user runs it: the built bin/fluxdiag in a child process.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fluxdiag, ROOT } from './helpers/cli';

const NOW = '2026-11-20T09:00:00Z';
const CHAIN = join(ROOT, 'fixtures', 'rules', 'FD301', 'trigger', 'chain.yaml');
const AUTH = join(ROOT, 'fixtures', 'rules', 'FD201', 'trigger', 'ssh-handshake.yaml');

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function tmp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fluxdiag-test-'));
  made.push(dir);
  return dir;
}

describe('fluxdiag --from', () => {
  it('prints the version', async () => {
    const r = await fluxdiag(['--version']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });

  it('treats a file as one cluster named after it, and prints only JSON on stdout', async () => {
    const r = await fluxdiag(['status', '--from', CHAIN, '--json', '--now', NOW]);
    expect(r.exitCode).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.clusters.map((c: any) => c.name)).toEqual(['chain']);
    expect(report.generatedAt).toBe('2026-11-20T09:00:00.000Z');
    const apps = report.clusters[0].findings.find((f: any) => f.object.name === 'apps');
    expect(apps.rootCause).toEqual({ kind: 'Kustomization', namespace: 'flux-system', name: 'infrastructure' });
  });

  it('treats a folder of folders as one cluster per subfolder, and several --from as several clusters', async () => {
    const dir = tmp();
    for (const [name, file] of [['east', CHAIN], ['west', AUTH]] as const) {
      mkdirSync(join(dir, name));
      copyFileSync(file, join(dir, name, 'objects.yaml'));
    }
    const r = await fluxdiag(['status', '--from', dir, '--json', '--now', NOW]);
    expect(JSON.parse(r.stdout).clusters.map((c: any) => c.name)).toEqual(['east', 'west']);
    const two = await fluxdiag(['status', '--from', join(dir, 'east'), '--from', AUTH, '--json', '--now', NOW]);
    expect(JSON.parse(two.stdout).clusters.map((c: any) => c.name)).toEqual(['east', 'ssh-handshake']);
  });

  it('reads kubectl -o json lists the same as YAML', async () => {
    const dir = tmp();
    const yaml = await fluxdiag(['status', '--from', CHAIN, '--json', '--now', NOW]);
    const items = JSON.parse(yaml.stdout);
    // Re-express the fixture as a `kubectl get -o json` List and compare findings.
    const { parseManifests } = await import('../src/collect/manifests');
    const objects = parseManifests(readFileSync(CHAIN, 'utf8'));
    writeFileSync(join(dir, 'chain.json'), JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
    const json = await fluxdiag(['status', '--from', join(dir, 'chain.json'), '--json', '--now', NOW]);
    expect(JSON.parse(json.stdout).clusters[0].findings).toEqual(items.clusters[0].findings);
  });

  it('round-trips through a snapshot file: same report from the snapshot as from the manifests', async () => {
    const dir = tmp();
    for (const ext of ['json', 'yaml']) {
      const file = join(dir, `snap.${ext}`);
      const saved = await fluxdiag(['snapshot', '--from', CHAIN, '--now', NOW, '-o', file]);
      expect(saved.exitCode).toBe(0);
      expect(saved.stderr).toContain('1 cluster');
      const direct = JSON.parse((await fluxdiag(['status', '--from', CHAIN, '--json', '--now', NOW])).stdout);
      const fromSnap = JSON.parse((await fluxdiag(['status', '--from', file, '--json', '--now', NOW])).stdout);
      expect(fromSnap).toEqual(direct);
    }
  });

  it('uses the snapshot collection time when --now is not given', async () => {
    const dir = tmp();
    const file = join(dir, 'snap.json');
    await fluxdiag(['snapshot', '--from', CHAIN, '--now', NOW, '-o', file]);
    const r = JSON.parse((await fluxdiag(['status', '--from', file, '--json'])).stdout);
    expect(r.clusters[0].collectedAt).toBe('2026-11-20T09:00:00.000Z');
  });

  it('narrows to a namespace with -n', async () => {
    const r = JSON.parse((await fluxdiag(['status', '--from', join(ROOT, 'fixtures', 'rules', 'FD301', 'trigger', 'helmrelease-dependency.yaml'), '-n', 'flux-system', '--json', '--now', NOW])).stdout);
    expect(r.clusters[0].resources).toEqual([]);
  });

  it('exits 2 with a clear message on bad input', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'bad.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: [\n');
    writeFileSync(join(dir, 'broken-config.yaml'), 'clusters:\n  - name: ottawa\n    context: [talos\n');
    writeFileSync(join(dir, 'list-config.yaml'), '- ottawa\n');
    writeFileSync(join(dir, 'nameless-config.yaml'), 'clusters:\n  - context: talos-ottawa\n');
    const cases: [string[], RegExp][] = [
      [['status', '--from', CHAIN, '--config', join(dir, 'broken-config.yaml')], /cannot read config file .*broken-config\.yaml/],
      [['status', '--from', CHAIN, '--config', join(dir, 'list-config.yaml')], /expected a mapping at the top level/],
      [['status', '--from', CHAIN, '--config', join(dir, 'nameless-config.yaml')], /clusters\[0\] needs a "name" and a "context"/],
      [['status', '--from', join(dir, 'missing')], /no such file or folder/],
      [['status', '--from', join(dir, 'bad.yaml')], /invalid YAML/],
      [['status', '--from', CHAIN, '--now', 'yesterday'], /--now must be an RFC3339/],
      [['status', '--from', CHAIN, '-o', 'xml'], /-o\/--output must be one of/],
      [['status', '--from', CHAIN, '--fail-on', 'fatal'], /--fail-on/],
      [['status', '--bogus'], /unknown option/],
      [['explain', 'nonsense/x', '--from', CHAIN], /unknown kind/],
      [['explain', 'ks/app', '--from', CHAIN], /does not exist[\s\S]*Kustomization\/apps/],
    ];
    for (const [args, message] of cases) {
      const r = await fluxdiag(args);
      expect(r.exitCode, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stdout, args.join(' ')).toBe('');
    }
  });

  it('says why a managed workload cannot start from its events, when the workloads themselves were not read', async () => {
    const file = join(ROOT, 'fixtures', 'rules', 'FD325', 'trigger', 'applied-without-wait-quota.yaml');
    const r = await fluxdiag(['explain', 'ks/apps', '-n', 'flux-system', '--from', file, '--json', '--now', '2026-11-20T09:00:00Z']);
    expect(JSON.parse(r.stdout).clusters[0].manages.unreadyWorkloads).toEqual([{
      object: { kind: 'Deployment', namespace: 'apps', name: 'podinfo' }, ready: false, summary: 'not read; its events say it cannot start',
      cause: 'pods refused: ResourceQuota apps/compute-resources exceeded (limited: limits.cpu=8,requests.cpu=4)', pods: [],
    }]);
    const text = (await fluxdiag(['explain', 'ks/apps', '-n', 'flux-system', '--from', file, '--now', '2026-11-20T09:00:00Z'])).stdout;
    expect(text).toMatch(/not ready Deployment\/apps\/podinfo not read; its events say it cannot start\n {4}cause: pods refused: ResourceQuota apps\/compute-resources exceeded/);
  });

  it('does not read a remote Kustomization\'s inventory as objects of this cluster (spec.kubeConfig)', async () => {
    const file = join(ROOT, 'fixtures', 'rules', 'FD322', 'ignore', 'different-target-clusters.yaml');
    const r = await fluxdiag(['explain', 'ks/podinfo', '-n', 'flux-system', '--from', file, '--json', '--now', NOW]);
    const m = JSON.parse(r.stdout).clusters[0].manages;
    expect(m).toMatchObject({ total: 3, fluxObjects: [], unreadyWorkloads: [], workloadsChecked: false, remoteCluster: 'spec.kubeConfig Secret flux-system/eu-west-kubeconfig' });
    const text = (await fluxdiag(['explain', 'ks/podinfo', '-n', 'flux-system', '--from', file, '--now', NOW])).stdout;
    expect(text).toContain('in the remote cluster of spec.kubeConfig Secret flux-system/eu-west-kubeconfig: not read');
    expect(text).not.toContain('all managed workloads are ready');
  });

  it('--fail-on decides between 0 and 1', async () => {
    expect((await fluxdiag(['status', '--from', CHAIN, '--now', NOW, '--fail-on', 'none'])).exitCode).toBe(0);
    expect((await fluxdiag(['status', '--from', join(ROOT, 'fixtures', 'rules', 'FD201', 'ignore', 'healthy.yaml'), '--now', NOW])).exitCode).toBe(0);
  });
});
