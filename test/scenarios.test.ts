// Scenario tests: each fixtures/scenarios/<name>/ is a cluster as plain Kubernetes YAML; test/scenarios/<name>.yaml
// says which findings (category, rule, root cause, blast radius) `fluxdiag status --json` must report.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { fluxdiag, ROOT } from './helpers/cli';

const SCENARIOS = join(ROOT, 'fixtures', 'scenarios');
const EXPECT = join(ROOT, 'test', 'scenarios');
const DEFAULT_NOW = '2026-11-20T09:00:00Z';

interface ExpectedFinding {
  object: string;
  category?: string;
  rule?: string;
  severity?: string;
  rootCause?: string | null;
  blocks?: string[];
}

interface Expectation {
  description: string;
  now?: string;
  exit?: number;
  findings: ExpectedFinding[];
  absent?: ExpectedFinding[];
}

const key = (r: { kind: string; namespace?: string; name: string }) => (r.namespace ? `${r.kind}/${r.namespace}/${r.name}` : `${r.kind}/${r.name}`);

const names = existsSync(SCENARIOS) ? readdirSync(SCENARIOS).filter((n) => !n.startsWith('.')).sort() : [];

describe('scenarios', () => {
  it('each scenario folder has an expectation file and each expectation a folder', () => {
    const expectations = existsSync(EXPECT) ? readdirSync(EXPECT).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5)).sort() : [];
    expect(expectations).toEqual(names);
  });

  it.each(names)('%s', async (name) => {
    const expectation = parse(readFileSync(join(EXPECT, `${name}.yaml`), 'utf8')) as Expectation;
    const result = await fluxdiag(['status', '--from', join(SCENARIOS, name), '--json', '--now', expectation.now ?? DEFAULT_NOW]);
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout);
    const findings: any[] = report.clusters.flatMap((c: any) => c.findings);
    const matches = (f: any, e: ExpectedFinding) =>
      key(f.object) === e.object && (!e.category || f.category === e.category) && (!e.rule || f.rule === e.rule) && (!e.severity || f.severity === e.severity);
    for (const e of expectation.findings) {
      const found = findings.filter((f) => matches(f, e));
      const seen = findings.map((f) => `${f.rule} ${f.category} ${key(f.object)} root=${f.rootCause ? key(f.rootCause) : '-'}`).join('\n  ');
      expect(found.length, `expected ${JSON.stringify(e)}; findings were:\n  ${seen}`).toBeGreaterThan(0);
      const f = found[0];
      if (e.rootCause !== undefined) expect(f.rootCause ? key(f.rootCause) : null, `rootCause of ${e.object}`).toBe(e.rootCause);
      if (e.blocks) expect(f.blocks.map(key), `blocks of ${e.object}`).toEqual(expect.arrayContaining(e.blocks));
    }
    for (const e of expectation.absent ?? []) expect(findings.filter((f) => matches(f, e)), `unexpected ${JSON.stringify(e)}`).toEqual([]);
    if (expectation.exit !== undefined) expect(result.exitCode).toBe(expectation.exit);
  });
});
