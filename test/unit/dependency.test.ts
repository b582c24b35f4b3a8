// FD301 reads the dependency's side: another controller shard that cannot see it, or a dependency Ready by now.
import { readFileSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeCluster } from '../../src/analyze/report';
import { loadOffline } from '../../src/collect/offline';
import { RULES } from '../../src/rules/registry';

const ROOT = join(import.meta.dirname, '..', '..');
const CROSS = join(ROOT, 'fixtures', 'rules', 'FD301', 'trigger', 'cross-shard-dependency.yaml');
const dir = mkdtempSync(join(tmpdir(), 'fluxdiag-dep-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function fd301(file: string, now: string) {
  const clusters = await loadOffline([file], { fluxNamespace: 'flux-system', now, contextFor: () => 'c' });
  return clusters.flatMap((c) => analyzeCluster(c, RULES, { now: Date.parse(now) }).findings).filter((f) => f.rule === 'FD301');
}

describe('FD301 and the dependency it waits on', () => {
  it('names the other controller shard when the controller says "not found" about an existing dependency', async () => {
    const [f] = await fd301(CROSS, '2026-11-23T12:00:00Z');
    expect(f!.title).toBe('Dependency Kustomization/application2-namespace/app belongs to another controller shard (kustomize-controller-shard-2): kustomize-controller-shard-1 cannot see it');
    expect(f!.remediation.some((r) => (r.command ?? '').includes('-L sharding.fluxcd.io/key'))).toBe(true);
  });

  it('says a dependency that is Ready now will pass the next check, as a warning while the wait is young', async () => {
    // The same objects, unsharded, with the wording of a plain wait that began minutes ago.
    const text = readFileSync(CROSS, 'utf8')
      .replace(/'dependency ''application2-namespace\/app'' not found: [^']*'/, "'dependency ''application2-namespace/app'' is not ready'")
      .replace(/\n    sharding\.fluxcd\.io\/key: shard-\d/g, '');
    const file = join(dir, 'ready-now.yaml');
    writeFileSync(file, text);
    // The wait began at 10:00 (the fixture's lastTransitionTime): five minutes later it is young.
    const [f] = await fd301(file, '2026-11-23T10:05:00Z');
    expect(f!.title).toBe('Waiting on Kustomization/application2-namespace/app, which is Ready now: the next dependency check should pass');
    expect(f!.severity).toBe('warning');
  });
});
