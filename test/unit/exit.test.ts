import { describe, expect, it } from 'vitest';
import { exitCode, parseFailOn } from '../../src/report/exit';
import type { Report } from '../../src/report/schema';

function report(findings: ('error' | 'warning' | 'info')[], reachable = true): Report {
  return {
    apiVersion: 'fluxdiag/v1', kind: 'Report', generatedAt: '', summary: { clusters: 1, unreachable: reachable ? 0 : 1, findings: { error: 0, warning: 0, info: 0 } },
    clusters: [{
      name: 'c', context: 'c', server: null, reachable, error: null, collectedAt: '', flux: { version: null, distribution: null, controllers: [] },
      summary: { total: 0, ready: 0, failing: 0, suspended: 0, progressing: 0 }, kinds: [], resources: [], collectionErrors: [],
      findings: findings.map((severity) => ({ rule: 'FD199', slug: 'x', category: 'unknown', severity, object: { kind: 'Cluster', name: 'c' }, title: '', explanation: '', evidence: [], since: null, rootCause: null, blocks: [], remediation: [] })),
    }],
  };
}

describe('exit codes', () => {
  it('is 0 with nothing at or above --fail-on, 1 with something', () => {
    expect(exitCode(report(['warning']), 'error')).toBe(0);
    expect(exitCode(report(['warning']), 'warning')).toBe(1);
    expect(exitCode(report(['error']), 'error')).toBe(1);
    expect(exitCode(report(['error']), 'none')).toBe(0);
    expect(exitCode(report(['info']), 'info')).toBe(1);
  });
  it('is 3 when a cluster could not be read, whatever the findings', () => {
    expect(exitCode(report([], false), 'error')).toBe(3);
    expect(exitCode(report(['error'], false), 'none')).toBe(3);
  });
  it('rejects an unknown --fail-on', () => {
    expect(() => parseFailOn('fatal')).toThrow(/fail-on/);
  });
});
