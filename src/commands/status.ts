// `fluxdiag status`: every Flux object on every selected cluster, the controllers, and the findings.
import { analyze } from '../analyze/report';
import { exitCode, parseFailOn } from '../report/exit';
import { RULES } from '../rules/registry';
import { loadInput, type InputOptions } from './input';
import { parseFormat, serialize } from './output';

export interface StatusOptions extends InputOptions {
  namespace?: string;
  allNamespaces?: boolean;
  output?: string;
  json?: boolean;
  failOn?: string;
}

export interface CommandResult {
  stdout: string;
  exitCode: number;
}

export async function status(options: StatusOptions, io: { color: boolean; progress?: (line: string) => void }): Promise<CommandResult> {
  const format = parseFormat(options.output, options.json);
  const failOn = parseFailOn(options.failOn);
  const input = await loadInput(options, io.progress);
  const namespace = options.allNamespaces ? undefined : options.namespace;
  const report = analyze({ apiVersion: 'fluxdiag/v1', kind: 'Snapshot', generatedAt: '', clusters: input.clusters }, RULES, {
    ...(input.now !== undefined ? { now: input.now } : {}),
    ...(namespace ? { namespace } : {}),
  });
  if (format !== 'table') return { stdout: await serialize(report, format), exitCode: exitCode(report, failOn) };
  const [{ palette }, { renderStatus }] = await Promise.all([import('../render/color'), import('../render/status-text')]);
  const stdout = renderStatus(report, palette(io.color), input.now);
  return { stdout, exitCode: exitCode(report, failOn) };
}
