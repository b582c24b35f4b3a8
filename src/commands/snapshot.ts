// `fluxdiag snapshot -o FILE`: what live collection (or --from input) saw, as a file another machine can diagnose.
import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { makeSnapshot, serializeSnapshot } from '../snapshot/io';
import { UsageError } from '../util/errors';
import { loadInput, type InputOptions } from './input';
import type { CommandResult } from './status';

export interface SnapshotOptions extends InputOptions {
  output?: string;
  /** KIND/NAME: also record what `explain` needs for that object (events, logs tail, Helm release metadata). */
  for?: string;
  namespace?: string;
  logs?: boolean;
}

export async function snapshot(options: SnapshotOptions, io: { progress?: (line: string) => void; stderr: (line: string) => void }): Promise<CommandResult> {
  const file = options.output;
  if (!file) throw new UsageError('snapshot needs -o FILE (.json, .yaml or .yml), or -o - for JSON on stdout');
  const ext = extname(file).toLowerCase();
  const format = file === '-' || ext === '.json' ? 'json' : ext === '.yaml' || ext === '.yml' ? 'yaml' : null;
  if (!format) throw new UsageError(`snapshot -o ${file}: the file name must end in .json, .yaml or .yml`);
  let hooks;
  if (options.for) {
    const [{ parseTarget }, { explainHooks }] = await Promise.all([import('../explain/target'), import('./explain')]);
    hooks = explainHooks(parseTarget(options.for, undefined, options.namespace ?? 'flux-system'), options.logs !== false);
  }
  if (options.for && options.from) throw new UsageError('--for records live reads for explain; it cannot be combined with --from');
  const input = await loadInput(options, { ...(io.progress ? { progress: io.progress } : {}), ...(hooks ? { collect: hooks } : {}) });
  const text = serializeSnapshot(makeSnapshot(input.clusters, new Date(input.now ?? Date.now()).toISOString()), format);
  if (file === '-') return { stdout: text, exitCode: input.clusters.some((c) => !c.reachable) ? 3 : 0 };
  writeFileSync(file, text);
  const objects = input.clusters.reduce((n, c) => n + c.objects.length, 0);
  io.stderr(`wrote ${file}: ${input.clusters.length} cluster(s), ${objects} Flux objects`);
  return { stdout: '', exitCode: input.clusters.some((c) => !c.reachable) ? 3 : 0 };
}
