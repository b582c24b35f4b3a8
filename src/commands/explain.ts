// `fluxdiag explain KIND/NAME`: the diagnostic chain for one object, on one or several clusters.
import { analyzeCluster } from '../analyze/report';
import type { CollectHooks } from '../collect/live';
import { explainCluster } from '../explain/chain';
import { resolveTarget } from '../explain/resolve';
import { Explanation, type ExplainCluster } from '../explain/schema';
import { parseTarget, targetKindName, type ExplainTarget } from '../explain/target';
import { exitCode as reportExit, parseFailOn } from '../report/exit';
import { palette } from '../render/color';
import { renderExplanation } from '../render/explain-text';
import { RULES } from '../rules/registry';
import { ClusterIndex } from '../snapshot/indexes';
import { UsageError } from '../util/errors';
import { loadInput, type InputOptions } from './input';
import { parseFormat, serialize } from './output';
import type { CommandResult } from './status';

export interface ExplainOptions extends InputOptions {
  namespace?: string;
  output?: string;
  json?: boolean;
  logLines?: string;
  logs?: boolean;
  failOn?: string;
}

/** Live reads explain adds to the standard collection, for this target only. */
export function explainHooks(target: ExplainTarget, logs: boolean): CollectHooks {
  return {
    async early(client) {
      const { resolveBuiltinTarget } = await import('../collect/explain-extras');
      return resolveBuiltinTarget(client, target);
    },
    async late(client, cluster) {
      const index = new ClusterIndex(cluster);
      const resolution = resolveTarget(index, target);
      if (!resolution.object || !index.get(resolution.object)) return null;
      const { explainExtras } = await import('../collect/explain-extras');
      const extras = await explainExtras(client, index, resolution.object, { logs });
      return { objects: extras.objects, logs: extras.logs, errors: extras.errors, details: { checkedRefs: extras.checkedRefs, workloadsChecked: extras.workloadsChecked } };
    },
  };
}

export function parseLogLines(text: string | undefined): number {
  const n = text === undefined ? 20 : Number(text);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--log-lines must be a non-negative integer, got "${text}"`);
  return n;
}

function notFoundMessage(target: ExplainTarget, clusters: ExplainCluster[]): string {
  const what = `${targetKindName(target.kind)}/${target.name} in namespace ${target.namespace}`;
  const lines = clusters.filter((c) => c.reachable).map((c) => {
    const unmanaged = c.found && !c.object ? ' (found, but not managed by Flux)' : '';
    return `  ${c.cluster}: not found${unmanaged}${c.suggestions.length ? `; did you mean: ${c.suggestions.join(', ')}` : ''}`;
  });
  return `${what} does not exist on ${clusters.length === 1 ? 'the cluster' : 'any selected cluster'}\n${lines.join('\n')}`;
}

export async function explain(first: string, second: string | undefined, options: ExplainOptions, io: { color: boolean; progress?: (line: string) => void }): Promise<CommandResult> {
  const format = parseFormat(options.output, options.json);
  const failOn = parseFailOn(options.failOn);
  const logLines = parseLogLines(options.logLines);
  const logs = options.logs !== false;
  const target = parseTarget(first, second, options.namespace ?? 'flux-system');
  const input = await loadInput(options, { ...(io.progress ? { progress: io.progress } : {}), collect: explainHooks(target, logs) });
  const clusters = input.clusters.map((cluster) => {
    const now = input.now ?? Date.parse(cluster.collectedAt);
    const index = new ClusterIndex(cluster);
    const report = analyzeCluster(cluster, RULES, { now });
    const resolution = resolveTarget(index, target);
    const explained = explainCluster(index, report, resolution, { now, logLines, logs });
    return { explained, report };
  });
  const explanation: Explanation = {
    apiVersion: 'fluxdiag/v1',
    kind: 'Explanation',
    generatedAt: new Date(input.now ?? Date.now()).toISOString(),
    target: { kind: targetKindName(target.kind), name: target.name, namespace: target.namespace },
    clusters: clusters.map((c) => c.explained),
  };
  const reachable = explanation.clusters.filter((c) => c.reachable);
  if (reachable.length > 0 && reachable.every((c) => !c.object || !c.found)) {
    const unmanaged = reachable.find((c) => c.found && !c.object);
    throw new UsageError(unmanaged && reachable.length === 1 ? `${targetKindName(target.kind)}/${target.name} exists but is not managed by Flux (no kustomize.toolkit.fluxcd.io or helm.toolkit.fluxcd.io owner labels on it or its owners)` : notFoundMessage(target, explanation.clusters));
  }
  const stdout = format === 'table' ? renderExplanation(explanation, palette(io.color), input.now) : await serialize(Explanation.parse(explanation), format);
  const exit = reportExit({ clusters: explanation.clusters }, failOn);
  return { stdout, exitCode: exit };
}
