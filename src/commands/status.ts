// `fluxdiag status`: every Flux object on every selected cluster, the controllers, and the findings.
import { analyze } from '../analyze/report';
import { exitCode, parseFailOn } from '../report/exit';
import { palette } from '../render/color';
import { renderStatus } from '../render/status-text';
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
  const stdout = format === 'table' ? renderStatus(report, palette(io.color), input.now) : serialize(report, format);
  return { stdout, exitCode: exitCode(report, failOn) };
}
