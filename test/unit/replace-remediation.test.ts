// A hit can replace its rule's general steps when they would send the user elsewhere (RuleHit.replaceRemediation).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCluster } from '../../src/analyze/report';
import { loadOffline } from '../../src/collect/offline';
import { RULES } from '../../src/rules/registry';

const NOW = '2026-11-20T09:00:00Z';

async function steps(file: string, rule: string) {
  const clusters = await loadOffline([join(import.meta.dirname, '..', '..', 'fixtures', 'rules', file)], { fluxNamespace: 'flux-system', now: NOW, contextFor: () => 'c' });
  const f = clusters.flatMap((c) => analyzeCluster(c, RULES, { now: Date.parse(NOW) }).findings).find((x) => x.rule === rule)!;
  return f.remediation.map((r) => r.description);
}

describe('replaced remediation', () => {
  it('a SOPS file holding plaintext gets re-encryption steps, not the decryption-key checks', async () => {
    const plaintext = await steps('FD307/trigger/value-not-in-sops-format.yaml', 'FD307');
    expect(plaintext.some((d) => d.includes('re-encrypt'))).toBe(true);
    expect(plaintext.some((d) => d.startsWith('Check the decryption Secret exists'))).toBe(false);
    // A key problem keeps the rule's own steps.
    const wrongKey = await steps('FD307/trigger/wrong-age-key.yaml', 'FD307');
    expect(wrongKey.some((d) => d.startsWith('Check the decryption Secret exists'))).toBe(true);
  });
});
