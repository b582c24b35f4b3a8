// Live collection: every cluster at once, and within a cluster every request at once. Discovery, events and
// the controllers' Deployments/Pods go out together; the Flux kinds follow as soon as discovery answers.
// A per-cluster deadline bounds everything, and one slow or dead cluster never holds up the others.
import { setMaxListeners } from 'node:events';
import { createClient, toCollectionError, type KubeClient } from '../kube/client';
import { discoverFluxKinds } from '../kube/discovery';
import { forgetDiscovery, readDiscovery, writeDiscovery } from '../kube/discovery-cache';
import type { Target } from '../kube/kubeconfig';
import { listAll, resourcePath } from '../kube/list';
import { isWorkloadTroubleEvent } from '../kube/workload-events';
import { FLUX_KINDS } from '../flux/kinds';
import { buildCluster, unreachableCluster } from '../snapshot/build';
import type { ClusterSnapshot, CollectionError, KubeObject, ServedKind } from '../snapshot/schema';

export interface CollectOptions {
  timeoutMs: number;
  fluxNamespace: string;
  pageSize: number;
  /** Called when a cluster is done (progress on stderr). */
  onCluster?: (cluster: ClusterSnapshot, requests: number) => void;
  /** Gets each cluster's snapshot as soon as it is complete, while others are still arriving. */
  onSnapshot?: (cluster: ClusterSnapshot) => void;
  hooks?: CollectHooks;
  /** Reuse served kinds discovered in the last few minutes (kube/discovery-cache.ts). */
  discoveryCache?: boolean;
}

const FLUX_KIND_NAMES = new Set(FLUX_KINDS.map((k) => k.kind));

/**
 * Events are listed cluster-wide, then filtered: those of Flux objects, of the Flux namespace, and those that say why a
 * workload is not ready (kube/workload-events.ts). A busy cluster keeps thousands for their hour-long TTL: in pages of
 * 500 each page would cost a round trip after the previous one. They are small, so pages are larger.
 */
const EVENTS_PAGE_FACTOR = 10;

/** Extra reads a command needs beyond the standard collection (explain uses them). */
export interface CollectHooks {
  /** Reads that can start together with the standard collection. */
  early?(client: KubeClient): Promise<KubeObject[]>;
  /** Reads that need the standard snapshot first. */
  late?(client: KubeClient, cluster: ClusterSnapshot): Promise<{ objects: KubeObject[]; logs: { controller: string; pod: string; lines: string[] }[]; errors: CollectionError[]; details: Record<string, unknown> } | null>;
}

/** Errors that mean the cluster as a whole cannot be read (rather than one resource). */
const FATAL = new Set(['Unreachable', 'Timeout', 'Unauthorized', 'TLSError', 'ConfigError', 'ConnectionReset']);

async function collectWith(client: KubeClient, target: Target, options: CollectOptions): Promise<ClusterSnapshot> {
  const ns = options.fluxNamespace;
  const errors: CollectionError[] = [];
  const objects: KubeObject[] = [];
  const page = { pageSize: options.pageSize };
  const base = { name: target.name, context: target.context, server: target.server, origin: 'live' as const, fluxNamespace: ns };

  let answered = 0;
  const guarded = async (targetName: string, resource: string | null, run: () => Promise<KubeObject[]>): Promise<void> => {
    try {
      objects.push(...(await run()));
      answered++;
    } catch (error) {
      errors.push(toCollectionError(targetName, resource, error));
    }
  };

  const side = Promise.all([
    ...(options.hooks?.early ? [guarded('explain', null, () => options.hooks!.early!(client))] : []),
    guarded('events', 'events', async () => (await listAll(client, resourcePath('', 'v1', 'events'), { pageSize: options.pageSize * EVENTS_PAGE_FACTOR }))
      .filter((e) => FLUX_KIND_NAMES.has(e.involvedObject?.kind) || e.metadata.namespace === ns || isWorkloadTroubleEvent(e))),
    guarded('controllers', 'deployments.apps', () => listAll(client, resourcePath('apps', 'v1', 'deployments', ns), page)),
    guarded('controllers', 'pods', () => listAll(client, resourcePath('', 'v1', 'pods', ns), page)),
  ]);

  const cached = options.discoveryCache ? readDiscovery(client.server) : null;
  let served: ServedKind[];
  try {
    served = cached ?? (await discoverFluxKinds(client));
  } catch (error) {
    await side;
    const e = toCollectionError('discovery', '/apis', error);
    if (FATAL.has(e.code) || errors.length === 3) {
      return unreachableCluster({ ...base, collectedAt: new Date().toISOString(), error: { code: e.code, message: e.message } });
    }
    return buildCluster({ ...base, collectedAt: new Date().toISOString(), objects, served: null, errors: [e, ...errors] });
  }

  if (!cached && options.discoveryCache) writeDiscovery(client.server, served);
  const listKind = (s: ServedKind) => guarded(s.kind, `${s.plural}.${s.group}`, () => listAll(client, resourcePath(s.group, s.version, s.plural), page));
  await Promise.all([side, ...served.map(listKind)]);
  // A 404 on a kind the cache said was served: the CRDs changed since. Rediscover and read those kinds again.
  const stale = cached ? errors.filter((e) => e.code === 'NotFound' && served.some((s) => s.kind === e.target)) : [];
  if (stale.length > 0) {
    forgetDiscovery(client.server);
    try {
      const fresh = await discoverFluxKinds(client);
      writeDiscovery(client.server, fresh);
      for (const e of stale) errors.splice(errors.indexOf(e), 1);
      const retry = fresh.filter((f) => stale.some((e) => e.target === f.kind));
      served = fresh;
      await Promise.all(retry.map(listKind));
    } catch (error) {
      errors.push(toCollectionError('discovery', '/apis', error));
    }
  }
  const collectedAt = new Date().toISOString();
  // With cached discovery the lists are the first requests: if none answered, the cluster is unreachable.
  const fatal = errors.find((e) => FATAL.has(e.code));
  if (answered === 0 && fatal) return unreachableCluster({ ...base, collectedAt, error: { code: fatal.code, message: fatal.message } });
  const cluster = buildCluster({ ...base, collectedAt, objects, served, errors });
  if (!options.hooks?.late) return cluster;
  const extra = await options.hooks.late(client, cluster);
  if (!extra) return cluster;
  // Rebuilt from all objects so extra Secrets are sanitized and Helm records decoded the same way.
  const rebuilt = buildCluster({ ...base, collectedAt, objects: [...objects, ...extra.objects], served, errors: [...errors, ...extra.errors], logs: extra.logs });
  return { ...rebuilt, details: { ...(rebuilt.details ?? {}), ...extra.details } };
}

export async function collectCluster(target: Target, options: CollectOptions): Promise<ClusterSnapshot> {
  const controller = new AbortController();
  // Every concurrent request listens on the one deadline signal; that is by design, not a leak.
  setMaxListeners(0, controller.signal);
  const timer = setTimeout(() => controller.abort(new Error('deadline')), options.timeoutMs);
  const base = { name: target.name, context: target.context, server: target.server, origin: 'live' as const, fluxNamespace: options.fluxNamespace };
  let client: KubeClient | undefined;
  try {
    client = await createClient(target, controller.signal);
    const snapshot = await collectWith(client, target, options);
    options.onCluster?.(snapshot, client.requests);
    return snapshot;
  } catch (error) {
    const e = toCollectionError('cluster', null, error);
    const snapshot = unreachableCluster({ ...base, collectedAt: new Date().toISOString(), error: { code: e.code, message: e.message } });
    options.onCluster?.(snapshot, client?.requests ?? 0);
    return snapshot;
  } finally {
    clearTimeout(timer);
    client?.close();
  }
}

export function collectAll(targets: Target[], options: CollectOptions): Promise<ClusterSnapshot[]> {
  // Outside collectCluster's error handling: a failure in the consumer is the command's, not the cluster's.
  return Promise.all(targets.map((t) => collectCluster(t, options).then((snapshot) => {
    options.onSnapshot?.(snapshot);
    return snapshot;
  })));
}
