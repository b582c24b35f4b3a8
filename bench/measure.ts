// Running a command repeatedly and summarising wall time and peak memory.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface Sample {
  ms: number;
  maxRssMb: number | null;
  exitCode: number;
}

export interface Summary {
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** Half the range between min and max, relative to the median: how noisy the runs were. */
  spreadPct: number;
  maxRssMb: number | null;
  exitCodes: number[];
}

const TIME = '/usr/bin/time';

/**
 * One run; peak RSS from GNU time when available (it measures the whole child, bundle and all).
 * Asynchronous on purpose: the API emulator serves from this same process and must keep answering.
 */
export function runOnce(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Sample> {
  const useTime = existsSync(TIME);
  const started = process.hrtime.bigint();
  const child = useTime ? spawn(TIME, ['-f', '__RSS_KB=%M', cmd, ...args], { env }) : spawn(cmd, args, { env });
  let stderr = '';
  child.stdout.resume();
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const rss = useTime ? /__RSS_KB=(\d+)/.exec(stderr)?.[1] : undefined;
      resolve({ ms, maxRssMb: rss ? Number(rss) / 1024 : null, exitCode: code ?? -1 });
    });
  });
}

export function summarise(samples: Sample[]): Summary {
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  const median = ms.length % 2 ? ms[(ms.length - 1) / 2]! : (ms[ms.length / 2 - 1]! + ms[ms.length / 2]!) / 2;
  const rss = samples.map((s) => s.maxRssMb).filter((x): x is number => x !== null);
  return {
    runs: samples.length,
    medianMs: round(median),
    minMs: round(ms[0]!),
    maxMs: round(ms[ms.length - 1]!),
    spreadPct: round(((ms[ms.length - 1]! - ms[0]!) / 2 / median) * 100),
    maxRssMb: rss.length ? round(Math.max(...rss)) : null,
    exitCodes: [...new Set(samples.map((s) => s.exitCode))],
  };
}

export async function repeat(runs: number, fn: () => Promise<Sample>): Promise<Summary> {
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) samples.push(await fn());
  return summarise(samples);
}

export function round(n: number): number {
  return Math.round(n * 10) / 10;
}
