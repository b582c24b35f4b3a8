// Faults injected in one emulated cluster: each gives a clear result for that cluster, within --timeout,
// while the other cluster is still read completely.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Fault } from './emulator';
import { fluxdiag } from './helpers/cli';
import { fixtureCluster, startLive, type LiveEnv } from './helpers/live';

let live: LiveEnv;
const TIMEOUT_S = 3;

beforeAll(async () => {
  live = await startLive([fixtureCluster('sick', 'fixtures/live/healthy'), fixtureCluster('control', 'fixtures/live/healthy')]);
});
afterEach(() => {
  for (const c of live.emulator.clusters) c.clearFaults();
});
afterAll(async () => live?.close());

async function statusWith(faults: Fault[]) {
  live.emulator.cluster('sick').setFaults(faults);
  live.emulator.cluster('sick').requestLog.length = 0;
  const r = await fluxdiag(['status', '--context', 'sick', '--context', 'control', '--json', '--no-cache', '--timeout', `${TIMEOUT_S}s`], { env: live.env });
  const report = JSON.parse(r.stdout);
  const sick = report.clusters.find((c: any) => c.name === 'sick');
  const control = report.clusters.find((c: any) => c.name === 'control');
  // The healthy neighbour is always read completely, whatever happens to the sick one.
  expect(control).toMatchObject({ reachable: true, collectionErrors: [], summary: { total: 6, ready: 6 } });
  expect(r.durationMs).toBeLessThan(TIMEOUT_S * 1000 + 2500);
  return { r, sick };
}

describe('fault injection (live)', () => {
  it('403 on one resource: that kind is reported unreadable (access-denied), the rest is read', async () => {
    const { r, sick } = await statusWith([{ kind: 'status', status: 403, match: { resource: 'helmreleases' } }]);
    expect(r.exitCode).toBe(1);
    expect(sick.reachable).toBe(true);
    expect(sick.collectionErrors).toEqual([expect.objectContaining({ target: 'HelmRelease', code: 'Forbidden', status: 403 })]);
    expect(sick.findings).toContainEqual(expect.objectContaining({ rule: 'FD003', category: 'access-denied', severity: 'error' }));
    expect(sick.resources.some((x: any) => x.kind === 'HelmRelease')).toBe(false);
    expect(sick.resources.some((x: any) => x.kind === 'Kustomization')).toBe(true);
  });

  it('404 on a listed kind (CRD removed): reported as such', async () => {
    const { sick } = await statusWith([{ kind: 'status', status: 404, match: { resource: 'kustomizations' } }]);
    expect(sick.collectionErrors).toEqual([expect.objectContaining({ target: 'Kustomization', code: 'NotFound' })]);
    expect(sick.findings).toContainEqual(expect.objectContaining({ rule: 'FD004', category: 'crd-missing' }));
  });

  it('500 on a kind: reported as incomplete, not healthy', async () => {
    const { sick } = await statusWith([{ kind: 'status', status: 500, match: { resource: 'gitrepositories' } }]);
    expect(sick.collectionErrors).toEqual([expect.objectContaining({ target: 'GitRepository', code: 'ServerError', status: 500 })]);
    expect(sick.findings).toContainEqual(expect.objectContaining({ rule: 'FD005' }));
  });

  it('429 with Retry-After: waits as told and succeeds', async () => {
    const { r, sick } = await statusWith([{ kind: 'throttle', retryAfterSeconds: 1, match: { resource: 'helmcharts' }, times: 1 }]);
    expect(r.exitCode).toBe(0);
    expect(sick.collectionErrors).toEqual([]);
    const charts = live.emulator.cluster('sick').requestLog.filter((e) => e.path.endsWith('/helmcharts'));
    expect(charts.map((e) => e.status)).toEqual([429, 200]);
    expect(charts[1]!.time - charts[0]!.time).toBeGreaterThanOrEqual(900);
  });

  it('429 that outlasts the deadline: reported, within --timeout', async () => {
    const { sick } = await statusWith([{ kind: 'throttle', retryAfterSeconds: 30, match: { resource: 'helmcharts' } }]);
    expect(sick.collectionErrors).toEqual([expect.objectContaining({ target: 'HelmChart', code: 'TooManyRequests' })]);
  });

  it('connection reset mid-body: reported for that request only', async () => {
    const { sick } = await statusWith([{ kind: 'reset', match: { resource: 'events' } }]);
    expect(sick.reachable).toBe(true);
    expect(sick.collectionErrors).toEqual([expect.objectContaining({ target: 'events', code: 'ConnectionReset' })]);
    expect(sick.findings).toContainEqual(expect.objectContaining({ rule: 'FD005', severity: 'warning' }));
  });

  it('a hung kind: Timeout for that kind at the deadline, the rest of the cluster is kept', async () => {
    const { sick } = await statusWith([{ kind: 'hang', match: { resource: 'helmrepositories' } }]);
    expect(sick.reachable).toBe(true);
    expect(sick.collectionErrors).toEqual([expect.objectContaining({ target: 'HelmRepository', code: 'Timeout' })]);
    expect(sick.resources.some((x: any) => x.kind === 'Kustomization')).toBe(true);
  });

  it('a hung API server: the cluster is unreachable (Timeout) at the deadline, exit 3', async () => {
    const { r, sick } = await statusWith([{ kind: 'hang', match: {} }]);
    expect(r.exitCode).toBe(3);
    expect(sick).toMatchObject({ reachable: false, error: { code: 'Timeout' } });
    expect(sick.findings.map((f: any) => f.rule)).toEqual(['FD001']);
    expect(r.durationMs).toBeGreaterThanOrEqual(TIMEOUT_S * 1000);
  });

  it('rejected credentials (401): the cluster is reported unreadable with the reason', async () => {
    const { r, sick } = await statusWith([{ kind: 'status', status: 401, match: {} }]);
    expect(r.exitCode).toBe(3);
    expect(sick).toMatchObject({ reachable: false, error: { code: 'Unauthorized' } });
  });
});
