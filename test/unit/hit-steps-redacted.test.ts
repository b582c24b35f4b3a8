// A rule's hit may build remediation steps from cluster values; a credential in them (here a token in spec.url)
// must never reach the report.
import { readFileSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { analyzeCluster } from '../../src/analyze/report';
import { loadOffline } from '../../src/collect/offline';
import { RULES } from '../../src/rules/registry';

const dir = mkdtempSync(join(tmpdir(), 'fluxdiag-redact-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('redacts credentials that a hit puts into its own remediation steps', async () => {
  const fixture = join(import.meta.dirname, '..', '..', 'fixtures', 'rules', 'FD537', 'trigger', 'libgit2-clone-no-callback-set.yaml');
  const file = join(dir, 'token-in-url.yaml');
  writeFileSync(file, readFileSync(fixture, 'utf8').replace('url: https://github.com/', 'url: https://ci-bot:ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com/'));
  const NOW = '2026-11-20T09:00:00Z';
  const clusters = await loadOffline([file], { fluxNamespace: 'flux-system', now: NOW, contextFor: () => 'c' });
  const findings = clusters.flatMap((c) => analyzeCluster(c, RULES, { now: Date.parse(NOW) }).findings);
  const commands = findings.flatMap((f) => f.remediation.map((r) => r.command ?? ''));
  // The step that recreates the Secret quotes the repository URL: the user stays, the token does not.
  expect(commands.some((c) => c.includes('--url=https://ci-bot:***@github.com/'))).toBe(true);
  expect(JSON.stringify(findings)).not.toContain('ghp_abcdefghijklmnopqrstuvwxyz0123456789');
});

it('redacts credentials that a hit puts into its own title and explanation', async () => {
  const fixture = join(import.meta.dirname, '..', '..', 'fixtures', 'rules', 'FD211', 'trigger', 'https-url-of-an-oci-registry.yaml');
  const file = join(dir, 'password-in-helm-url.yaml');
  writeFileSync(file, readFileSync(fixture, 'utf8').replaceAll('https://ghcr.io/', 'https://bot:s3cr3tPassw0rd@ghcr.io/'));
  const NOW = '2026-11-23T12:00:00Z';
  const clusters = await loadOffline([file], { fluxNamespace: 'flux-system', now: NOW, contextFor: () => 'c' });
  const findings = clusters.flatMap((c) => analyzeCluster(c, RULES, { now: Date.parse(NOW) }).findings);
  const f = findings.find((x) => x.rule === 'FD211')!;
  // The title names the URL (its host tells an OCI registry): the user stays, the password does not.
  expect(f.title).toContain('https://bot:***@ghcr.io/');
  expect(JSON.stringify(findings)).not.toContain('s3cr3tPassw0rd');
});
