// Why a workload that a health check or a Helm wait timed out on never became ready, read from the events of the
// workload and of the ReplicaSets, Pods and claims its controller creates (kube/workload-events.ts: which are kept).
// A quota, PodSecurity or a missing StorageClass shows nowhere in the Flux objects: only "timeout waiting for".
import { isWorkloadTroubleEvent, WORKLOAD_EVENT_KINDS } from '../kube/workload-events';
import { inventory, type ObjRef } from '../flux/refs';
import { eventTimeMs, type ClusterIndex } from '../snapshot/indexes';
import type { KubeObject } from '../snapshot/schema';
import { escapeRegExp } from './shared';
import { classify, involved, type WorkloadTrouble } from './workload-causes';

export type { WorkloadTrouble } from './workload-causes';

/** Events older than this before "now" describe an earlier rollout (the API server keeps them an hour by default). */
const MAX_AGE_MS = 3 * 3600_000;

// What a workload's controller names its children: ReplicaSets `<deploy>-<hash>`, their Pods `<rs>-<5>`, StatefulSet
// Pods `<sts>-<ordinal>` and claims `<template>-<sts>-<ordinal>`, DaemonSet/Job Pods `<name>-<5>`, CronJob Jobs `<name>-<n>`.
const CHILD_SUFFIX: Record<string, { kind: string; suffix: RegExp }[]> = {
  Deployment: [{ kind: 'ReplicaSet', suffix: /^[a-z0-9]{1,10}$/ }, { kind: 'Pod', suffix: /^[a-z0-9]{1,10}-[a-z0-9]{5}$/ }],
  ReplicaSet: [{ kind: 'Pod', suffix: /^[a-z0-9]{5}$/ }],
  StatefulSet: [{ kind: 'Pod', suffix: /^\d+$/ }],
  DaemonSet: [{ kind: 'Pod', suffix: /^[a-z0-9]{5}$/ }],
  Job: [{ kind: 'Pod', suffix: /^[a-z0-9]{5}$/ }],
  CronJob: [{ kind: 'Job', suffix: /^\d+$/ }, { kind: 'Pod', suffix: /^\d+-[a-z0-9]{5}$/ }],
};

function belongsTo(ref: ObjRef, e: KubeObject): boolean {
  const { kind, name } = involved(e);
  if (kind === ref.kind && name === ref.name) return true;
  // A StatefulSet's claims: `<volumeClaimTemplate>-<sts>-<ordinal>`.
  if (ref.kind === 'StatefulSet' && kind === 'PersistentVolumeClaim') return new RegExp(`-${escapeRegExp(ref.name)}-\\d+$`).test(name);
  if (!name.startsWith(`${ref.name}-`)) return false;
  const rest = name.slice(ref.name.length + 1);
  return (CHILD_SUFFIX[ref.kind] ?? []).some((c) => c.kind === kind && c.suffix.test(rest));
}

const BY_NAMESPACE = new WeakMap<ClusterIndex, Map<string, KubeObject[]>>();

/** The cluster's workload events by namespace, newest first: grouped once per cluster, as few as they are. */
function troubleNamespaces(index: ClusterIndex): Map<string, KubeObject[]> {
  let byNs = BY_NAMESPACE.get(index);
  if (!byNs) {
    byNs = new Map();
    const timed = index.cluster.events.filter(isWorkloadTroubleEvent).map((e) => ({ e, t: eventTimeMs(e) })).sort((a, b) => b.t - a.t);
    for (const { e } of timed) {
      const ns = String((e.involvedObject ?? e.regarding)?.namespace ?? e.metadata.namespace ?? '');
      const list = byNs.get(ns);
      if (list) list.push(e);
      else byNs.set(ns, [e]);
    }
    BY_NAMESPACE.set(index, byNs);
  }
  return byNs;
}

function recent(index: ClusterIndex, namespace: string | undefined, now: number): KubeObject[] {
  return (troubleNamespaces(index).get(namespace ?? '') ?? []).filter((e) => now - eventTimeMs(e) <= MAX_AGE_MS);
}

/** Events that say why a workload (or what it creates) is not ready, newest first. */
export function workloadEvents(index: ClusterIndex, ref: ObjRef, now: number): KubeObject[] {
  return recent(index, ref.namespace, now).filter((e) => belongsTo(ref, e));
}

/**
 * Events of the workloads a Kustomization or HelmRelease lists in status.inventory (the kinds whose events are kept).
 * Nothing to look through when the cluster has no such events, the common case for a healthy object.
 */
export function inventoryEvents(index: ClusterIndex, obj: KubeObject, now: number): KubeObject[] {
  if (troubleNamespaces(index).size === 0) return [];
  return inventory(obj).filter((i) => WORKLOAD_EVENT_KINDS.has(i.kind))
    .flatMap((i) => workloadEvents(index, { kind: i.kind, namespace: i.namespace || obj.metadata.namespace, name: i.name }, now));
}

/**
 * The same for a Helm release whose failure named no object (Helm v3's `context deadline exceeded`): the workloads of
 * its status.inventory (helm-controller records it in recent releases), and objects of the release namespace named
 * after the release, as charts name them (`<release>` or `<release>-<component>`).
 */
export function releaseEvents(index: ClusterIndex, hr: KubeObject, namespace: string, release: string, now: number): KubeObject[] {
  const named = recent(index, namespace, now).filter((e) => {
    const { name } = involved(e);
    return name === release || name.startsWith(`${release}-`);
  });
  return [...new Set([...inventoryEvents(index, hr, now), ...named])];
}

/**
 * A cause outside the application itself: its pods are refused, unschedulable, without volume, image, config or
 * network (not a crash loop or a failing probe, which are the application's own behaviour).
 */
export function keepsPodsFromStarting(t: WorkloadTrouble): boolean {
  return t.rank <= 6;
}

/**
 * A cause that lasts, for warnings about objects Flux reports as fine or still working: repeating for 5 minutes and
 * seen in the last 15. A pod unschedulable for a minute while the cluster autoscaler adds a node is no finding.
 */
export function lasting(t: WorkloadTrouble, now: number): boolean {
  return t.repeatingMs >= 5 * 60_000 && now - t.lastSeen <= 15 * 60_000;
}

/** A Job's BackoffLimitExceeded or an eviction only restate that something failed: no cause to name. */
export function restatesFailure(t: WorkloadTrouble): boolean {
  return t.rank >= 9;
}

/** The most telling cause among the events (the newest of the best rank). */
/** A reading of one Flux object that several rules ask for, worked out once per run (`now` tells runs apart). */
export function oncePerObject(read: (obj: KubeObject, index: ClusterIndex, now: number) => WorkloadTrouble | null) {
  const memo = new WeakMap<KubeObject, { now: number; trouble: WorkloadTrouble | null }>();
  return (obj: KubeObject, index: ClusterIndex, now: number): WorkloadTrouble | null => {
    const known = memo.get(obj);
    if (known?.now === now) return known.trouble;
    const trouble = read(obj, index, now);
    memo.set(obj, { now, trouble });
    return trouble;
  };
}

export function troubleOf(events: KubeObject[]): WorkloadTrouble | null {
  let best: WorkloadTrouble | null = null;
  for (const e of events) {
    const t = classify(e);
    if (t && (!best || t.rank < best.rank)) best = t;
  }
  return best;
}
