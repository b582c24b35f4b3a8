// Findings on objects that apply to another cluster (spec.kubeConfig) say so and show how to reach that cluster.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCluster } from '../../src/analyze/report';
import { loadOffline } from '../../src/collect/offline';
import { RULES } from '../../src/rules/registry';

const ROOT = join(import.meta.dirname, '..', '..');
const NOW = '2026-11-20T09:00:00Z';

async function findings(file: string) {
  const clusters = await loadOffline([join(ROOT, 'fixtures', 'rules', file)], { fluxNamespace: 'flux-system', now: NOW, contextFor: () => 'mgmt' });
  return clusters.flatMap((c) => analyzeCluster(c, RULES, { now: Date.parse(NOW) }).findings);
}

describe('findings on remote-cluster objects', () => {
  it('name the remote cluster and lead with the command that saves its kubeconfig', async () => {
    const all = await findings('FD427/trigger/remote-cluster-unreachable-helm3.yaml');
    const f = all.find((x) => x.rule === 'FD427')!;
    expect(f.evidence.some((e) => /applies to a remote cluster through spec\.kubeConfig \(Secret [^,]+, key value\)/.test(e))).toBe(true);
    expect(f.remediation[0]!.command).toMatch(/^kubectl --context mgmt -n \S+ get secret \S+ -o jsonpath='\{\.data\.value\}' \| base64 -d > \S+-remote\.kubeconfig$/);
  });

  it('leave findings about the kubeconfig itself to their own steps', async () => {
    const f = (await findings('FD314/trigger/remote-unauthorized.yaml')).find((x) => x.rule === 'FD314')!;
    expect(f.evidence.some((e) => e.includes('applies to a remote cluster'))).toBe(false);
    expect(f.remediation.some((r) => (r.command ?? '').includes('-remote.kubeconfig'))).toBe(false);
  });

  it('say nothing on objects that apply to their own cluster', async () => {
    const all = await findings('FD409/trigger/helm3-context-deadline.yaml');
    expect(all.length).toBeGreaterThan(0);
    for (const f of all) expect(f.evidence.some((e) => e.includes('remote cluster'))).toBe(false);
  });
});
