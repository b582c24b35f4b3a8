// `fluxdiag status`: every Flux object on every selected cluster, the controllers, and the findings.
import { analyzeCluster, reportOf } from '../analyze/report';
import { exitCode, parseFailOn } from '../report/exit';
import type { Rule } from '../rules/types';
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
  // The rules are the largest chunk of the bundle: live, they are loaded while the requests are on the wire, and
  // each cluster is analysed as soon as it has arrived, while slower ones are still coming.
  let loading: Promise<readonly Rule[]> | undefined;
  const rules = () => (loading ??= import('../rules/registry').then((m) => m.RULES));
  const analyzed = new Map<ClusterSnapshot, Promise<ClusterReport>>();
  const input = await loadInput(options, {
    ...(io.progress ? { progress: io.progress } : {}),
    whileWaiting: () => void rules(),
    onSnapshot: (cluster) => {
      const report = rules().then((r) => analyzeCluster(cluster, r, analyzeOptions));
      // A failure surfaces below, where every report is awaited; until then it must not count as unhandled.
      report.catch(() => {});
      analyzed.set(cluster, report);
    },
  });
  const all = await rules();
  const report = reportOf(await Promise.all(input.clusters.map((c) => analyzed.get(c) ?? analyzeCluster(c, all, analyzeOptions))), analyzeOptions);
  if (format !== 'table') return { stdout: await serialize(report, format), exitCode: exitCode(report, failOn) };
  const [{ palette }, { renderStatus }] = await Promise.all([import('../render/color'), import('../render/status-text')]);
  const stdout = renderStatus(report, palette(io.color), input.now);
  return { stdout, exitCode: exitCode(report, failOn) };
}
