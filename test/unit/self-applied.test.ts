// A failing source applied by a Kustomization that reads from it: its spec fix must be made in the cluster first.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCluster } from '../../src/analyze/report';
import { loadOffline } from '../../src/collect/offline';
import { RULES } from '../../src/rules/registry';

const ROOT = join(import.meta.dirname, '..', '..');
const NOW = '2026-11-20T09:00:00Z';

async function findings(file: string) {
  const clusters = await loadOffline([join(ROOT, 'fixtures', file)], { fluxNamespace: 'flux-system', now: NOW, contextFor: () => 'mgmt' });
  return clusters.flatMap((c) => analyzeCluster(c, RULES, { now: Date.parse(NOW) }).findings);
}

describe('a source that applies itself', () => {
  it('leads with fixing its spec in the cluster when the remedy is a spec change', async () => {
    const f = (await findings('rules/FD203/trigger/bootstrap-branch-deleted.yaml')).find((x) => x.rule === 'FD203')!;
    expect(f.evidence.some((e) => e.startsWith('applied by Kustomization flux-system/flux-system, which reads from this GitRepository'))).toBe(true);
    expect(f.remediation[0]!.command).toBe('kubectl --context mgmt -n flux-system edit gitrepository flux-system');
  });

  it('says nothing when the remedy is not in its spec (a rejected key is fixed in the Secret)', async () => {
    const all = await findings('demo/stpetersburg');
    const f = all.find((x) => x.rule === 'FD201')!;
    expect(f).toBeDefined();
    expect(f.evidence.some((e) => e.startsWith('applied by Kustomization'))).toBe(false);
  });
});
