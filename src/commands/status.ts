// `fluxdiag status`: every Flux object on every selected cluster, the controllers, and the findings.
import { analyzeCluster, reportOf } from '../analyze/report';
import { exitCode, parseFailOn } from '../report/exit';
import { RULES } from '../rules/registry';
import { loadInput, parseNow, type InputOptions } from './input';
import type { ClusterReport } from '../report/schema';
import type { ClusterSnapshot } from '../snapshot/schema';
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
  const now = parseNow(options.now);
  const namespace = options.allNamespaces ? undefined : options.namespace;
  const analyzeOptions = { ...(now !== undefined ? { now } : {}), ...(namespace ? { namespace } : {}) };
  // Live clusters are analysed as each one arrives, while the slower ones are still on the wire.
  const analyzed = new Map<ClusterSnapshot, ClusterReport>();
  const input = await loadInput(options, {
    ...(io.progress ? { progress: io.progress } : {}),
    onSnapshot: (cluster) => analyzed.set(cluster, analyzeCluster(cluster, RULES, analyzeOptions)),
  });
  const report = reportOf(input.clusters.map((c) => analyzed.get(c) ?? analyzeCluster(c, RULES, analyzeOptions)), analyzeOptions);
  if (format !== 'table') return { stdout: await serialize(report, format), exitCode: exitCode(report, failOn) };
  const [{ palette }, { renderStatus }] = await Promise.all([import('../render/color'), import('../render/status-text')]);
  const stdout = renderStatus(report, palette(io.color), input.now);
  return { stdout, exitCode: exitCode(report, failOn) };
}
