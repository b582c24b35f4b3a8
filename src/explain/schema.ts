// The `explain --json` contract: the whole diagnostic chain for one object, per cluster.
import { z } from 'zod';
import { Finding, ObjectRef } from '../report/schema';

const ConditionView = z.object({
  type: z.string(),
  status: z.string(),
  reason: z.string().nullable(),
  message: z.string().nullable(),
  since: z.string().nullable(),
});

export const SourceInfo = z.object({
  object: ObjectRef,
  /** How the explained object reaches it: its source, its chart, the chart's repository. */
  role: z.enum(['source', 'chart', 'chart-source', 'image-repository', 'provider']),
  found: z.boolean(),
  url: z.string().nullable(),
  ref: z.string().nullable(),
  ready: z.string(),
  reason: z.string().nullable(),
  message: z.string().nullable(),
  since: z.string().nullable(),
  revision: z.string().nullable(),
  /** When the current artifact was stored. */
  storedAt: z.string().nullable(),
  interval: z.string().nullable(),
  lastHandledReconcileAt: z.string().nullable(),
  suspended: z.boolean(),
  /** Failing while the last artifact grows older than several intervals. */
  stale: z.boolean(),
  /** A reconcile was requested (annotation) and not handled yet. */
  reconcileRequestPending: z.boolean(),
  /** The credentials Secret (spec.secretRef) and whether it exists (null: not checked). */
  secretRef: z.object({ name: z.string(), exists: z.boolean().nullable() }).nullable(),
});
export type SourceInfo = z.infer<typeof SourceInfo>;

export interface DependencyNode {
  object: z.infer<typeof ObjectRef>;
  found: boolean;
  ready: string;
  reason: string | null;
  message: string | null;
  revision: string | null;
  suspended: boolean;
  /** Failing, suspended or missing: this dependency holds the object back. */
  blocker: boolean;
  /** Already shown higher in the tree (a dependsOn cycle or a diamond). */
  repeated: boolean;
  dependsOn: DependencyNode[];
}
export const DependencyNode: z.ZodType<DependencyNode> = z.lazy(() => z.object({
  object: ObjectRef,
  found: z.boolean(),
  ready: z.string(),
  reason: z.string().nullable(),
  message: z.string().nullable(),
  revision: z.string().nullable(),
  suspended: z.boolean(),
  blocker: z.boolean(),
  repeated: z.boolean(),
  dependsOn: z.array(DependencyNode),
}));

const Reference = z.object({
  kind: z.string(),
  name: z.string(),
  namespace: z.string(),
  purpose: z.string(),
  optional: z.boolean(),
  /** true/false when fluxdiag looked; null when it could not (offline input without the object). */
  exists: z.boolean().nullable(),
});

export const ObjectInfo = z.object({
  object: ObjectRef,
  conditions: z.array(ConditionView),
  ready: z.string(),
  state: z.string(),
  suspended: z.boolean(),
  suspendedSince: z.string().nullable(),
  generation: z.number().nullable(),
  observedGeneration: z.number().nullable(),
  lastAppliedRevision: z.string().nullable(),
  lastAttemptedRevision: z.string().nullable(),
  sourceRevision: z.string().nullable(),
  /** The source has a newer revision than the one applied. */
  behindSource: z.boolean(),
  interval: z.string().nullable(),
  timeout: z.string().nullable(),
  lastHandledReconcileAt: z.string().nullable(),
  reconcileRequestPending: z.boolean(),
  retries: z.object({
    failures: z.number(),
    installFailures: z.number(),
    upgradeFailures: z.number(),
    installRetries: z.number(),
    upgradeRetries: z.number(),
    /** What is left before Flux stops retrying (-1 = unlimited). */
    installRetriesLeft: z.number(),
    upgradeRetriesLeft: z.number(),
  }).nullable(),
  references: z.array(Reference),
});

const PodView = z.object({
  name: z.string(),
  phase: z.string().nullable(),
  ready: z.boolean(),
  restarts: z.number(),
  reasons: z.array(z.string()),
});

const WorkloadView = z.object({
  object: ObjectRef,
  ready: z.boolean(),
  summary: z.string(),
  /** Why it cannot become ready, from the events of it, its ReplicaSets, Pods and claims; null when they say nothing. */
  cause: z.string().nullable(),
  pods: z.array(PodView),
});

export type ObjectInfo = z.infer<typeof ObjectInfo>;

export const Manages = z.object({
  inventoryCounts: z.record(z.string(), z.number()),
  total: z.number(),
  fluxObjects: z.array(z.object({ object: ObjectRef, ready: z.string(), reason: z.string().nullable(), message: z.string().nullable(), suspended: z.boolean() })),
  /**
   * Workloads in the inventory that are not ready (live, or when a snapshot for explain carries them); without the
   * workloads themselves, those whose events say they cannot start.
   */
  unreadyWorkloads: z.array(WorkloadView),
  workloadsChecked: z.boolean(),
  /** With spec.kubeConfig: the cluster the managed objects live in (not the one read), e.g. `Secret ns/name`; else null. */
  remoteCluster: z.string().nullable(),
});

export type Manages = z.infer<typeof Manages>;

export const HelmInfo = z.object({
  releaseName: z.string(),
  storageNamespace: z.string(),
  history: z.array(z.object({
    version: z.number().nullable(),
    status: z.string().nullable(),
    chart: z.string().nullable(),
    chartVersion: z.string().nullable(),
    appVersion: z.string().nullable(),
    updated: z.string().nullable(),
    description: z.string().nullable(),
    from: z.enum(['status', 'release-secret', 'both']),
  })),
  hookJobs: z.array(z.object({
    name: z.string(),
    namespace: z.string(),
    status: z.string(),
    reason: z.string().nullable(),
    logTail: z.array(z.string()),
  })),
});

export type HelmInfo = z.infer<typeof HelmInfo>;

export const EventView = z.object({
  object: ObjectRef,
  type: z.string(),
  reason: z.string(),
  message: z.string(),
  count: z.number(),
  lastSeen: z.string().nullable(),
});

export const LogLine = z.object({
  ts: z.string().nullable(),
  level: z.string(),
  message: z.string(),
  error: z.string().nullable(),
});

export const ExplainCluster = z.object({
  cluster: z.string(),
  context: z.string().nullable(),
  collectedAt: z.string(),
  reachable: z.boolean(),
  error: z.string().nullable(),
  /** The Flux object explained; resolvedFrom is the workload the user named, when it was one. */
  object: ObjectRef.nullable(),
  resolvedFrom: ObjectRef.nullable(),
  found: z.boolean(),
  /** When the object was not found: the closest names that exist. */
  suggestions: z.array(z.string()),
  sources: z.array(SourceInfo),
  dependencies: z.array(DependencyNode),
  details: ObjectInfo.nullable(),
  manages: Manages.nullable(),
  helm: HelmInfo.nullable(),
  events: z.array(EventView),
  logs: z.object({ controller: z.string(), available: z.boolean(), lines: z.array(LogLine) }).nullable(),
  findings: z.array(Finding),
});
export type ExplainCluster = z.infer<typeof ExplainCluster>;

export const Explanation = z.object({
  apiVersion: z.literal('fluxdiag/v1'),
  kind: z.literal('Explanation'),
  generatedAt: z.string(),
  target: z.object({ kind: z.string(), name: z.string(), namespace: z.string() }),
  clusters: z.array(ExplainCluster),
});
export type Explanation = z.infer<typeof Explanation>;
