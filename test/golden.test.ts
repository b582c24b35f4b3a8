// Golden files: the demo fixtures through the CLI with a fixed --now must print exactly what is recorded.
// After an intended change to the output, regenerate with `UPDATE_GOLDEN=1 npx vitest run test/golden.test.ts`
// and review the diff like any other change.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fluxdiag, ROOT } from './helpers/cli';

const NOW = '2026-11-20T09:00:00Z';
const CASES: { name: string; args: string[]; exit: number }[] = [
  { name: 'demo-status.txt', args: ['status', '--all-clusters', '--from', 'fixtures/demo', '--now', NOW], exit: 1 },
  { name: 'demo-status.json', args: ['status', '--all-clusters', '--from', 'fixtures/demo', '--now', NOW, '--json'], exit: 1 },
  { name: 'demo-explain-orders-api.txt', args: ['explain', 'hr/orders-api', '-n', 'orders', '--from', 'fixtures/demo', '--context', 'stpetersburg', '--now', NOW], exit: 1 },
  { name: 'workloads-status.txt', args: ['status', '--from', 'fixtures/scenarios/workloads-not-ready', '--now', NOW], exit: 1 },
  { name: 'demo-explain-apps.txt', args: ['explain', 'ks/apps', '--from', 'fixtures/demo', '--context', 'robbinsdale', '--now', NOW], exit: 1 },
];

describe('golden output on fixtures/demo', () => {
  it.each(CASES)('$name', async ({ name, args, exit }) => {
    const r = await fluxdiag(args);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(exit);
    const file = join(ROOT, 'test', 'golden', name);
    if (process.env.UPDATE_GOLDEN || !existsSync(file)) writeFileSync(file, r.stdout);
    expect(r.stdout).toBe(readFileSync(file, 'utf8'));
  });
});

describe('README', () => {
  it('shows the real demo outputs (node scripts/update-readme.mjs copies them)', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const [name, file] of [['demo-status', 'demo-status.txt'], ['demo-explain', 'demo-explain-orders-api.txt'], ['workloads-status', 'workloads-status.txt']] as const) {
      const m = new RegExp(`<!-- BEGIN ${name}[^>]*-->\\n\`\`\`text\\n([\\s\\S]*?)\\n\`\`\`\\n<!-- END ${name} -->`).exec(readme);
      expect(m, name).not.toBeNull();
      expect(m![1]).toBe(readFileSync(join(ROOT, 'test', 'golden', file), 'utf8').trimEnd());
    }
  });
});
