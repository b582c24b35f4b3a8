// Exit codes: 0 nothing at or above --fail-on · 1 findings at or above it · 2 bad invocation or input
// (raised as UsageError/InputError) · 3 a cluster could not be read (the others' results are still printed).
import { UsageError } from '../util/errors';
import type { Severity } from './schema';

/** What the exit code depends on: whether each cluster was read, and its findings' severities. */
export interface ExitInput {
  clusters: { reachable: boolean; findings: { severity: Severity }[] }[];
}

export type FailOn = Severity | 'none';

const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

export function parseFailOn(text: string | undefined): FailOn {
  const value = text ?? 'error';
  if (value === 'none' || value === 'error' || value === 'warning' || value === 'info') return value;
  throw new UsageError(`--fail-on must be one of error, warning, info, none; got "${value}"`);
}

export function exitCode(report: ExitInput, failOn: FailOn): number {
  if (report.clusters.some((c) => !c.reachable)) return 3;
  if (failOn === 'none') return 0;
  const threshold = RANK[failOn];
  return report.clusters.some((c) => c.findings.some((f) => RANK[f.severity] >= threshold)) ? 1 : 0;
}
