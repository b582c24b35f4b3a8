// Where the clusters come from: --from files, or live kube contexts. Both end as a list of ClusterSnapshots.
import { loadOffline } from '../collect/offline';
import { contextForName, loadConfig, type FluxdiagConfig } from '../kube/config-file';
import type { ClusterSnapshot } from '../snapshot/schema';
import type { CollectHooks } from '../collect/live';
import { parseDuration } from '../rules/util';
import { UsageError } from '../util/errors';

export interface InputOptions {
  from?: string[];
  context?: string[];
  allClusters?: boolean;
  kubeconfig?: string;
  config?: string;
  now?: string;
  timeout?: string;
  fluxNamespace?: string;
  pageSize?: string;
  /** commander's --no-cache sets cache=false. */
  cache?: boolean;
}

export interface Input {
  clusters: ClusterSnapshot[];
  config: FluxdiagConfig;
  /** Fixed "now" in ms, when --now was given. */
  now?: number;
  live: boolean;
}

export function parseNow(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text) || Number.isNaN(ms)) throw new UsageError(`--now must be an RFC3339 time such as 2026-11-20T09:00:00Z, got "${text}"`);
  return ms;
}

export function parseTimeout(text: string | undefined): number {
  if (text === undefined) return 20_000;
  const ms = /^\d+(\.\d+)?$/.test(text) ? Number(text) * 1000 : parseDuration(text);
  if (ms === null || ms <= 0) throw new UsageError(`--timeout must be a duration such as 20s or 1m, got "${text}"`);
  return ms;
}

export interface LoadHooks {
  /** Progress lines (stderr). */
  progress?: (line: string) => void;
  /** Extra live reads (explain). */
  collect?: CollectHooks;
  /** Each live cluster as soon as it is read, so a command can work on it while the others arrive. */
  onSnapshot?: (cluster: ClusterSnapshot) => void;
  /** Live: called once the requests are on their way, a moment to load what is needed when the answers come. */
  whileWaiting?: () => void;
}

export async function loadInput(options: InputOptions, { progress: onProgress, collect: hooks, onSnapshot, whileWaiting }: LoadHooks = {}): Promise<Input> {
  const config = await loadConfig(options.config);
  const now = parseNow(options.now);
  const fluxNamespace = options.fluxNamespace ?? config.fluxNamespace ?? 'flux-system';
  if (options.from && options.from.length > 0) {
    const loaded = await loadOffline(options.from, {
      fluxNamespace,
      ...(options.now ? { now: new Date(now!).toISOString() } : {}),
      contextFor: (name) => contextForName(config, name),
    });
    // With saved input, --all-clusters means every cluster in it and --context picks some by name or context.
    const wanted = options.allClusters ? [] : (options.context ?? []);
    const clusters = wanted.length === 0 ? loaded : wanted.map((w) => {
      const found = loaded.find((c) => c.name === w || c.context === w || c.name.toLowerCase() === w.toLowerCase());
      if (!found) throw new UsageError(`no cluster "${w}" in ${options.from!.join(', ')}; clusters there: ${loaded.map((c) => (c.context && c.context !== c.name ? `${c.name} (${c.context})` : c.name)).join(', ')}`);
      return found;
    });
    return { clusters, config, ...(now !== undefined ? { now } : {}), live: false };
  }
  const timeoutMs = parseTimeout(options.timeout);
  const pageSize = options.pageSize ? Number(options.pageSize) : 500;
  if (!Number.isInteger(pageSize) || pageSize <= 0) throw new UsageError(`--page-size must be a positive integer, got "${options.pageSize}"`);
  const [{ loadKubeConfig, selectTargets }, { collectAll }] = await Promise.all([import('../kube/kubeconfig'), import('../collect/live')]);
  const kc = await loadKubeConfig(options.kubeconfig);
  const targets = await selectTargets(kc, { contexts: options.context ?? [], allClusters: Boolean(options.allClusters) }, config);
  const started = Date.now();
  const collecting = collectAll(targets, {
    timeoutMs,
    fluxNamespace,
    pageSize,
    discoveryCache: options.cache !== false && !process.env.FLUXDIAG_NO_CACHE,
    ...(hooks ? { hooks } : {}),
    ...(onSnapshot ? { onSnapshot } : {}),
    onCluster: (c, requests) => onProgress?.(`${c.reachable ? '✓' : '✗'} ${c.name}: ${c.reachable ? `${c.objects.length} Flux objects` : c.error?.code} (${requests} requests, ${Date.now() - started} ms)`),
  });
  // On the next turn of the event loop: the connections are being opened by then, and the loop would wait anyway.
  if (whileWaiting) setTimeout(whileWaiting, 0);
  const clusters = await collecting;
  return { clusters, config, ...(now !== undefined ? { now } : {}), live: true };
}
