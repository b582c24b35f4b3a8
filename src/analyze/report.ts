// Builds the Report (the JSON contract) from a Snapshot: per cluster, counts, resource states and findings.
import { condition, currentRevision, isSuspended, readyState, readyStatus } from '../flux/conditions';
import { FLUX_KINDS } from '../flux/kinds';
import { keyOf } from '../flux/refs';
import { REPORT_API_VERSION } from '../report/constants';
import type { ClusterReport, Counts, Finding, Report, ResourceStatus } from '../report/schema';
import type { Rule } from '../rules/types';
import { ClusterIndex } from '../snapshot/indexes';
import type { ClusterSnapshot, KubeObject, Snapshot } from '../snapshot/schema';
import { redact } from '../util/redact';
import { runRules } from './engine';
import { earliestFailure } from '../rules/util';
import { linkCauses, sortFindings } from './link';
import { compareText } from '../util/compare';

export interface AnalyzeOptions {
  /** Fixed "now" (--now); defaults to each cluster's collection time. */
  now?: number;
  /** Narrow resources and findings to one namespace (-n). */
  namespace?: string;
}

const KIND_RANK = new Map(FLUX_KINDS.map((k, i) => [k.kind, i]));

export function resourceStatus(obj: KubeObject, index?: ClusterIndex): ResourceStatus {
  const ready = condition(obj, 'Ready');
  const stalled = condition(obj, 'Stalled');
  const shown = stalled?.status === 'True' && ready?.status !== 'False' ? stalled : ready;
  const state = readyState(obj);
  return {
    kind: obj.kind,
    ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}),
    name: obj.metadata.name,
    ready: readyStatus(obj),
    state,
    suspended: isSuspended(obj),
    revision: currentRevision(obj),
    reason: shown?.reason ?? null,
    message: redact(shown?.message ?? null),
    since: index && state === 'failing' ? earliestFailure(obj, shown?.lastTransitionTime ?? null, index) : (shown?.lastTransitionTime ?? null),
  };
}


export function countStates(states: ResourceStatus[]): Counts {
  const counts: Counts = { total: states.length, ready: 0, failing: 0, suspended: 0, progressing: 0 };
  for (const s of states) {
    if (s.state === 'ready' || s.state === 'static') counts.ready++;
    else if (s.state === 'failing') counts.failing++;
    else if (s.state === 'suspended') counts.suspended++;
    else counts.progressing++;
  }
  return counts;
}

function inNamespace(ns: string | undefined, namespace: string | undefined): boolean {
  return namespace === undefined || ns === undefined || ns === namespace;
}

/** With -n, keep findings about the namespace, cluster-level ones, and roots that block something in it. */
function scopeFindings(findings: Finding[], namespace: string | undefined): Finding[] {
  if (namespace === undefined) return findings;
  return findings.filter((f) =>
    f.object.kind === 'Cluster' || inNamespace(f.object.namespace, namespace) || f.blocks.some((b) => b.namespace === namespace));
}

const CONSEQUENCES = new WeakMap<readonly Rule[], ReadonlySet<string>>();

/** Codes of the rules that report a consequence rather than a cause, worked out once per rule set. */
function consequenceCodes(rules: readonly Rule[]): ReadonlySet<string> {
  let set = CONSEQUENCES.get(rules);
  if (!set) CONSEQUENCES.set(rules, (set = new Set(rules.filter((r) => r.consequence).map((r) => r.code))));
  return set;
}

export function analyzeCluster(cluster: ClusterSnapshot, rules: readonly Rule[], options: AnalyzeOptions = {}): ClusterReport {
  const index = new ClusterIndex(cluster);
  const now = options.now ?? Date.parse(cluster.collectedAt);
  const findings = scopeFindings(sortFindings(linkCauses(index, runRules(index, rules, now)), consequenceCodes(rules)), options.namespace);
  const objects = cluster.objects
    .filter((o) => inNamespace(o.metadata.namespace, options.namespace))
    .map((o) => ({ o, rank: KIND_RANK.get(o.kind) ?? 99, key: keyOf(o.kind, o.metadata.namespace, o.metadata.name) }))
    .sort((a, b) => a.rank - b.rank || compareText(a.key, b.key))
    .map((e) => e.o);
  const resources = objects.map((o) => resourceStatus(o, index));
  const kinds = [...new Set(resources.map((r) => r.kind))].map((kind) => ({ kind, ...countStates(resources.filter((r) => r.kind === kind)) }));
  return {
    name: cluster.name,
    context: cluster.context,
    server: cluster.server,
    reachable: cluster.reachable,
    error: cluster.error,
    collectedAt: cluster.collectedAt,
    flux: {
      version: cluster.flux.version,
      distribution: cluster.flux.distribution,
      controllers: cluster.controllers.map((c) => {
        const restarts = c.pods.reduce((n, p) => n + p.restarts, 0);
        const reason = c.pods.map((p) => p.waitingReason ?? p.lastTermination?.reason ?? null).find((r) => r) ?? null;
        return { name: c.name, ready: c.ready, version: c.version, replicas: c.replicas, readyReplicas: c.readyReplicas, restarts, reason };
      }),
    },
    summary: countStates(resources),
    kinds,
    resources,
    findings,
    collectionErrors: cluster.errors,
  };
}

export function analyze(snapshot: Snapshot, rules: readonly Rule[], options: AnalyzeOptions = {}): Report {
  return reportOf(snapshot.clusters.map((c) => analyzeCluster(c, rules, options)), options);
}

/** The Report around cluster reports analysed one by one (live, each as soon as it arrived). */
export function reportOf(clusters: ClusterReport[], options: Pick<AnalyzeOptions, 'now'> = {}): Report {
  const findings = { error: 0, warning: 0, info: 0 };
  for (const c of clusters) for (const f of c.findings) findings[f.severity]++;
  return {
    apiVersion: REPORT_API_VERSION,
    kind: 'Report',
    generatedAt: new Date(options.now ?? Date.now()).toISOString(),
    summary: { clusters: clusters.length, unreachable: clusters.filter((c) => !c.reachable).length, findings },
    clusters,
  };
}
