// Runs the built CLI exactly as a user does: `bin/fluxdiag …` in a child process.
import { execa } from 'execa';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'fluxdiag');

export interface CliResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  durationMs: number;
}

export async function fluxdiag(args: string[], options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  const started = Date.now();
  const result = await execa(BIN, args, {
    reject: false,
    cwd: options.cwd ?? ROOT,
    env: { NO_COLOR: '1', ...options.env },
    extendEnv: true,
    timeout: options.timeoutMs ?? 60_000,
  });
  return { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode ?? -1, durationMs: Date.now() - started };
}
