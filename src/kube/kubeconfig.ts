// Kubeconfig loading and context selection, through @kubernetes/client-node's KubeConfig
// (KUBECONFIG with several files, --kubeconfig, exec/token/cert auth exactly as the library does them).
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { InputError, UsageError } from '../util/errors';
import { contextForName, nameForContext, type FluxdiagConfig } from './config-file';

/** The library is large; only live paths load it. */
async function kubeConfigClass(): Promise<typeof KubeConfig> {
  const mod = await import('@kubernetes/client-node/dist/config.js');
  return mod.KubeConfig;
}

export interface Target {
  /** The cluster's name in reports (from the config file, else the context). */
  name: string;
  context: string;
  server: string | null;
  /** A KubeConfig whose current context is this target's. */
  kubeconfig: KubeConfig;
}

export async function loadKubeConfig(explicitPath?: string): Promise<KubeConfig> {
  const KC = await kubeConfigClass();
  const kc = new KC();
  const files = explicitPath
    ? [explicitPath]
    : (process.env.KUBECONFIG ?? '').split(delimiter).filter((f) => f.length > 0);
  if (files.length === 0) files.push(join(homedir(), '.kube', 'config'));
  // Like kubectl, missing files in KUBECONFIG are skipped; an explicit --kubeconfig must exist.
  const present = explicitPath ? files : files.filter((f) => existsSync(f));
  if (present.length === 0 || (explicitPath && !existsSync(explicitPath))) {
    throw new InputError(`no kubeconfig found (looked at ${files.join(', ')}); pass --kubeconfig or use --from with saved manifests`);
  }
  try {
    kc.loadFromFile(present[0]!);
    for (const file of present.slice(1)) {
      const other = new KC();
      other.loadFromFile(file);
      kc.mergeConfig(other, true);
    }
  } catch (error) {
    throw new InputError(`invalid kubeconfig: ${(error as Error).message.split('\n')[0]}`);
  }
  return kc;
}

function targetFor(kc: KubeConfig, context: string, config: FluxdiagConfig, KC: typeof KubeConfig): Target {
  const ctx = kc.getContextObject(context)!;
  const cluster = kc.getCluster(ctx.cluster);
  const user = ctx.user ? kc.getUser(ctx.user) : null;
  // One KubeConfig per target: applying auth reads the *current* context, and targets are handled concurrently.
  const single = new KC();
  single.loadFromOptions({
    clusters: cluster ? [cluster] : [],
    users: user ? [user] : [],
    contexts: [ctx],
    currentContext: context,
  });
  return { name: nameForContext(config, context), context, server: cluster?.server ?? null, kubeconfig: single };
}

export interface ContextSelection {
  contexts: string[];
  allClusters: boolean;
}

export async function selectTargets(kc: KubeConfig, selection: ContextSelection, config: FluxdiagConfig): Promise<Target[]> {
  const KC = await kubeConfigClass();
  const known = kc.getContexts().map((c) => c.name);
  if (known.length === 0) throw new InputError('the kubeconfig has no contexts');
  let chosen: string[];
  if (selection.allClusters) chosen = known;
  else if (selection.contexts.length > 0) {
    chosen = selection.contexts.map((requested) => {
      if (known.includes(requested)) return requested;
      const aliased = contextForName(config, requested);
      if (aliased && known.includes(aliased)) return aliased;
      const names = config.clusters.length > 0 ? `\nclusters in ${config.path}: ${config.clusters.map((c) => `${c.name} (${c.context})`).join(', ')}` : '';
      throw new UsageError(`unknown context "${requested}"; contexts in the kubeconfig: ${known.join(', ')}${names}`);
    });
  } else {
    const current = kc.getCurrentContext();
    if (!current || !known.includes(current)) {
      throw new UsageError(`no current context set; pass --context NAME or --all-clusters (contexts: ${known.join(', ')})`);
    }
    chosen = [current];
  }
  return [...new Set(chosen)].map((c) => targetFor(kc, c, config, KC));
}
