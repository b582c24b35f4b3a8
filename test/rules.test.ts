// The rule tester: every rule has fixtures that must trigger it and fixtures that must not, run through the
// whole engine (all rules, root-cause linking), plus meta-checks on the catalog itself.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCluster } from '../src/analyze/report';
import { loadOffline } from '../src/collect/offline';
import { fluxKind } from '../src/flux/kinds';
import { rulesMarkdown } from '../src/render/rules-text';
import { CATEGORIES } from '../src/report/constants';
import { RULES } from '../src/rules/registry';

const ROOT = join(import.meta.dirname, '..');
const CASES = join(ROOT, 'fixtures', 'rules');
const NOW = '2026-11-20T09:00:00Z';

function caseFiles(code: string, kind: 'trigger' | 'ignore'): string[] {
  const dir = join(CASES, code, kind);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f)).sort().map((f) => join(dir, f));
}

async function findingsFor(file: string) {
  const clusters = await loadOffline([file], { fluxNamespace: 'flux-system', now: NOW, contextFor: () => 'test-ctx' });
  return clusters.flatMap((c) => analyzeCluster(c, RULES, { now: Date.parse(NOW) }).findings);
}

describe.each(RULES.map((r) => [r.code, r] as const))('%s', (code, rule) => {
  for (const file of caseFiles(code, 'trigger')) {
    it(`triggers on ${file.slice(CASES.length + 1)}`, async () => {
      const hits = (await findingsFor(file)).filter((f) => f.rule === code);
      expect(hits.length, `no ${code} finding`).toBeGreaterThan(0);
      for (const f of hits) {
        expect(f.category).toBe(rule.category);
        const onKind = rule.kinds.includes(f.object.kind) || (rule.kinds.includes('*') && fluxKind(f.object.kind)) || (rule.kinds.includes('Cluster') && !fluxKind(f.object.kind));
        expect(onKind, `finding on ${f.object.kind}`).toBeTruthy();
        expect(f.evidence.length).toBeGreaterThan(0);
        for (const r of f.remediation) if (r.command && /^(flux|kubectl) /.test(r.command)) expect(r.command).toContain('--context test-ctx');
      }
    });
  }
  for (const file of caseFiles(code, 'ignore')) {
    it(`ignores ${file.slice(CASES.length + 1)}`, async () => {
      expect((await findingsFor(file)).filter((f) => f.rule === code)).toEqual([]);
    });
  }
});

describe('the rule catalog', () => {
  it('has unique, well-formed codes and slugs, sorted', () => {
    const codes = RULES.map((r) => r.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of codes) expect(c).toMatch(/^FD\d{3}$/);
    expect([...codes].sort()).toEqual(codes);
    const slugs = RULES.map((r) => r.slug);
    expect(new Set(slugs).size).toBe(slugs.length);
    for (const s of slugs) expect(s).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it('gives every rule fixtures that trigger it and fixtures that must not', () => {
    const missing = RULES.filter((r) => caseFiles(r.code, 'trigger').length === 0 || caseFiles(r.code, 'ignore').length === 0).map((r) => r.code);
    expect(missing).toEqual([]);
  });

  it('has no fixture folder for a rule that does not exist', () => {
    const codes = new Set(RULES.map((r) => r.code));
    expect(readdirSync(CASES).filter((d) => !codes.has(d))).toEqual([]);
  });

  it('covers every category', () => {
    const covered = new Set(RULES.map((r) => r.category));
    expect(CATEGORIES.filter((c) => !covered.has(c))).toEqual([]);
  });

  it('documents every rule with signals, an explanation and remediation', () => {
    for (const r of RULES) {
      expect(r.signals.length, r.code).toBeGreaterThan(0);
      expect(r.explanation.length, r.code).toBeGreaterThan(40);
      expect(r.remediation.length, r.code).toBeGreaterThan(0);
      for (const step of r.remediation) if (step.command && /^(flux|kubectl) /.test(step.command)) expect(step.command, r.code).toContain('--context {context}');
    }
  });

  it('has docs/rules.md generated from the current metadata (npm run docs)', () => {
    expect(readFileSync(join(ROOT, 'docs', 'rules.md'), 'utf8')).toBe(rulesMarkdown(RULES));
  });
});
