// The diagnostic chain for one object, in the order on-call walks it: source → dependencies → the object →
// what it manages → Helm history → events → controller logs → diagnosis. Reads only the snapshot.
import { condition, conditions, currentRevision, isSuspended, pendingReconcileRequest, readyState, readyStatus, suspendedSince } from '../flux/conditions';
import { FLUX_KINDS, fluxKind } from '../flux/kinds';
import { chartOf, chartSourceOf, dependsOn, inventory, refKey, refOf, sourceRef, targetCluster, type ObjRef } from '../flux/refs';
import { WORKLOAD_KINDS } from '../kube/builtin-kinds';
import { releaseNames } from '../flux/helm';
import type { ClusterReport, Finding } from '../report/schema';
import { STALE_INTERVALS, STALE_MIN_MS } from '../rules/source/source-stale';
import { ageOf, parseDuration } from '../rules/util';
import type { ClusterIndex } from '../snapshot/indexes';
import type { KubeObject } from '../snapshot/schema';
import { redact } from '../util/redact';
import { restatesFailure, troubleOf, workloadEvents } from '../rules/workload-trouble';
import { chainEvents } from './events';
import { linesAbout } from './logs';
import { workloadState } from './workloads';
import type { DependencyNode, ExplainCluster, HelmInfo, Manages, ObjectInfo, SourceInfo } from './schema';
import type { Resolution } from './resolve';

export interface ChainOptions {
  now: number;
  logLines: number;
  logs: boolean;
}

type Ref = ObjRef;
const FLUX_GROUPS = new Set(FLUX_KINDS.map((k) => k.group));

function asRef(kind: string, namespace: string | undefined, name: string): Ref {
  return namespace ? { kind, namespace, name } : { kind, name };
}

function describeRef(obj: KubeObject): string | null {
  const spec = obj.spec ?? {};
  if (obj.kind === 'HelmChart') return `${spec.chart ?? '?'}@${spec.version ?? '*'}`;
  const r = spec.ref;
  if (!r || typeof r !== 'object') return null;
  for (const key of ['commit', 'digest', 'name', 'semver', 'tag', 'branch']) if (typeof r[key] === 'string') return `${key} ${r[key]}`;
  return null;
}

function sourceInfo(index: ClusterIndex, ref: Ref, role: SourceInfo['role'], now: number): SourceInfo {
  const obj = index.get(ref);
  if (!obj) {
    return { object: ref, role, found: false, url: null, ref: null, ready: 'Unknown', reason: null, message: null, since: null, revision: null, storedAt: null, interval: null, lastHandledReconcileAt: null, suspended: false, stale: false, reconcileRequestPending: false, secretRef: null };
  }
  const ready = condition(obj, 'Ready');
  const storedAt = obj.status?.artifact?.lastUpdateTime ?? null;
  const interval = parseDuration(obj.spec?.interval);
  const age = ageOf(storedAt, now);
  const stale = ready?.status === 'False' && age !== null && age > Math.max(STALE_MIN_MS, STALE_INTERVALS * (interval ?? 0));
  return {
    object: ref,
    role,
    found: true,
    url: redact(typeof obj.spec?.url === 'string' ? obj.spec.url : null),
    ref: describeRef(obj),
    ready: readyStatus(obj),
    reason: ready?.reason ?? null,
    message: redact(ready?.message ?? null),
    since: ready?.lastTransitionTime ?? null,
    revision: currentRevision(obj),
    storedAt,
    interval: obj.spec?.interval ?? null,
    lastHandledReconcileAt: obj.status?.lastHandledReconcileAt ?? null,
    suspended: isSuspended(obj),
    stale,
    reconcileRequestPending: pendingReconcileRequest(obj) !== null,
    secretRef: typeof obj.spec?.secretRef?.name === 'string'
      ? { name: obj.spec.secretRef.name, exists: exists(index, { kind: 'Secret', namespace: ref.namespace, name: obj.spec.secretRef.name }) }
      : null,
  };
}

export function sourcesOf(index: ClusterIndex, obj: KubeObject, now: number): SourceInfo[] {
  const out: SourceInfo[] = [];
  if (obj.kind === 'HelmRelease') {
    const chart = chartOf(obj);
    const chartObj = chart ? index.get(chart) : undefined;
    if (chart) out.push(sourceInfo(index, chart, 'chart', now));
    const upstream = chartObj && chartObj.kind === 'HelmChart' ? sourceRef(chartObj) : chartObj ? null : chartSourceOf(obj);
    if (upstream) out.push(sourceInfo(index, upstream, 'chart-source', now));
    return out;
  }
  const src = sourceRef(obj);
  if (!src) return out;
  const role = obj.kind === 'ImagePolicy' ? 'image-repository' : obj.kind === 'Alert' ? 'provider' : 'source';
  out.push(sourceInfo(index, src, role, now));
  return out;
}

function dependencyTree(index: ClusterIndex, obj: KubeObject, seen: Set<string>): DependencyNode[] {
  return dependsOn(obj).map((ref) => {
    const key = refKey(ref);
    const dep = index.get(ref);
    const repeated = seen.has(key);
    const state = dep ? readyState(dep) : 'unknown';
    const ready = dep ? condition(dep, 'Ready') : undefined;
    const node: DependencyNode = {
      object: ref,
      found: dep !== undefined,
      ready: dep ? readyStatus(dep) : 'Unknown',
      reason: ready?.reason ?? null,
      message: redact(ready?.message ?? null),
      revision: dep ? currentRevision(dep) : null,
      suspended: dep ? isSuspended(dep) : false,
      blocker: !dep || state === 'failing' || state === 'suspended' || state === 'unknown',
      repeated,
      dependsOn: [],
    };
    if (dep && !repeated) {
      seen.add(key);
      node.dependsOn = dependencyTree(index, dep, seen);
      seen.delete(key);
    }
    return node;
  });
}

function exists(index: ClusterIndex, ref: Ref): boolean | null {
  const found = index.lookup(ref);
  return found === 'unknown' ? null : found === 'present';
}

function references(index: ClusterIndex, obj: KubeObject): ObjectInfo['references'] {
  const ns = obj.metadata.namespace ?? '';
  const spec = obj.spec ?? {};
  const refs: { kind: string; name: string; namespace: string; purpose: string; optional: boolean }[] = [];
  const add = (kind: string, name: unknown, purpose: string, optional = false) => {
    if (typeof name === 'string' && name) refs.push({ kind, name, namespace: ns, purpose, optional });
  };
  for (const s of spec.postBuild?.substituteFrom ?? []) add(s.kind, s.name, 'postBuild.substituteFrom', Boolean(s.optional));
  add('Secret', spec.decryption?.secretRef?.name, 'decryption.secretRef');
  for (const v of spec.valuesFrom ?? []) add(v.kind, v.name, `valuesFrom${v.valuesKey ? ` (key ${v.valuesKey})` : ''}`, Boolean(v.optional));
  add('Secret', spec.kubeConfig?.secretRef?.name, 'kubeConfig.secretRef');
  add('ServiceAccount', spec.serviceAccountName, 'serviceAccountName');
  add('Secret', spec.secretRef?.name, 'secretRef (credentials)');
  add('Secret', spec.certSecretRef?.name, 'certSecretRef');
  add('Secret', spec.proxySecretRef?.name, 'proxySecretRef');
  add('Secret', spec.verify?.secretRef?.name, 'verify.secretRef');
  return refs.map((r) => ({ ...r, exists: exists(index, { kind: r.kind, namespace: r.namespace, name: r.name }) }));
}

function retries(obj: KubeObject): ObjectInfo['retries'] {
  if (obj.kind !== 'HelmRelease') return null;
  const s = obj.status ?? {};
  const installRetries = obj.spec?.install?.remediation?.retries ?? 0;
  const upgradeRetries = obj.spec?.upgrade?.remediation?.retries ?? 0;
  const left = (max: number, used: number) => (max < 0 ? -1 : Math.max(0, max - used));
  return {
    failures: s.failures ?? 0,
    installFailures: s.installFailures ?? 0,
    upgradeFailures: s.upgradeFailures ?? 0,
    installRetries,
    upgradeRetries,
    // Remediation stalls when failures > retries: with 0 retries the first failure is final.
    installRetriesLeft: left(installRetries, s.installFailures ?? 0),
    upgradeRetriesLeft: left(upgradeRetries, s.upgradeFailures ?? 0),
  };
}

/**
 * The chart version running for a HelmRelease: the newest history entry Helm marked deployed (the newest entry may
 * be a failed upgrade), or v2beta1's lastAppliedRevision.
 */
function deployedChartVersion(hr: KubeObject): string | null {
  const history: any[] = Array.isArray(hr.status?.history) ? hr.status.history : [];
  const deployed = history.find((h) => h?.status === 'deployed');
  if (typeof deployed?.chartVersion === 'string') return deployed.chartVersion;
  return typeof hr.status?.lastAppliedRevision === 'string' ? hr.status.lastAppliedRevision : null;
}

function objectInfo(index: ClusterIndex, obj: KubeObject, sources: SourceInfo[]): ObjectInfo {
  const status = obj.status ?? {};
  const primary = sources.find((s) => s.role === 'source' || s.role === 'chart');
  const applied = obj.kind === 'HelmRelease' ? deployedChartVersion(obj) : (status.lastAppliedRevision ?? null);
  const sourceRevision = primary?.revision ?? null;
  return {
    object: refOf(obj),
    conditions: conditions(obj).map((c) => ({ type: c.type, status: c.status, reason: c.reason ?? null, message: redact(c.message ?? null), since: c.lastTransitionTime ?? null })),
    ready: readyStatus(obj),
    state: readyState(obj),
    suspended: isSuspended(obj),
    suspendedSince: isSuspended(obj) ? (suspendedSince(obj) ?? condition(obj, 'Ready')?.lastTransitionTime ?? null) : null,
    generation: obj.metadata.generation ?? null,
    observedGeneration: typeof status.observedGeneration === 'number' ? status.observedGeneration : null,
    lastAppliedRevision: applied,
    lastAttemptedRevision: status.lastAttemptedRevision ?? null,
    sourceRevision,
    behindSource: Boolean(applied && sourceRevision && obj.kind !== 'HelmRelease' && applied !== sourceRevision),
    interval: obj.spec?.interval ?? null,
    timeout: obj.spec?.timeout ?? null,
    lastHandledReconcileAt: status.lastHandledReconcileAt ?? null,
    reconcileRequestPending: pendingReconcileRequest(obj) !== null,
    retries: retries(obj),
    references: references(index, obj),
  };
}

function podReasons(pod: KubeObject): string[] {
  const reasons = new Set<string>();
  for (const c of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    if (c.state?.waiting?.reason) reasons.add(c.state.waiting.reason);
    if (c.state?.terminated?.reason && c.state.terminated.reason !== 'Completed') reasons.add(c.state.terminated.reason);
    if (c.lastState?.terminated?.reason === 'OOMKilled') reasons.add('OOMKilled');
  }
  for (const cond of pod.status?.conditions ?? []) if (cond.type === 'PodScheduled' && cond.status === 'False' && cond.reason) reasons.add(cond.reason);
  return [...reasons];
}


function podsOf(index: ClusterIndex, w: KubeObject): KubeObject[] {
  const selector: Record<string, string> = w.spec?.selector?.matchLabels ?? {};
  const entries = Object.entries(selector);
  if (entries.length === 0) return [];
  return index.cluster.resources.filter((p) => p.kind === 'Pod' && p.metadata.namespace === w.metadata.namespace && entries.every(([k, v]) => p.metadata.labels?.[k] === v));
}

function managedBy(index: ClusterIndex, obj: KubeObject): { ref: Ref; group: string }[] {
  const entries = inventory(obj);
  if (entries.length > 0) return entries.map((e) => ({ ref: asRef(e.kind, e.namespace || undefined, e.name), group: e.group }));
  // HelmReleases before Flux 2.8 have no inventory: use the labels helm-controller puts on rendered objects.
  const labelKey = obj.kind === 'HelmRelease' ? 'helm.toolkit.fluxcd.io' : 'kustomize.toolkit.fluxcd.io';
  return [...index.cluster.resources, ...index.cluster.objects]
    .filter((r) => r.metadata.labels?.[`${labelKey}/name`] === obj.metadata.name && r.metadata.labels?.[`${labelKey}/namespace`] === obj.metadata.namespace)
    .map((r) => ({ ref: refOf(r), group: r.apiVersion.includes('/') ? r.apiVersion.split('/')[0]! : '' }));
}

/** The remote cluster a Kustomization or HelmRelease applies to (spec.kubeConfig), as text; null for its own cluster. */
function remoteClusterOf(obj: KubeObject): string | null {
  if (!targetCluster(obj)) return null;
  const kc = obj.spec.kubeConfig;
  const ns = obj.metadata.namespace ?? '';
  return typeof kc?.secretRef?.name === 'string' ? `spec.kubeConfig Secret ${ns}/${kc.secretRef.name}`
    : typeof kc?.configMapRef?.name === 'string' ? `spec.kubeConfig ConfigMap ${ns}/${kc.configMapRef.name}` : 'spec.kubeConfig';
}

function manages(index: ClusterIndex, obj: KubeObject, now: number): Manages {
  const items = managedBy(index, obj);
  const inventoryCounts: Record<string, number> = {};
  for (const i of items) inventoryCounts[i.ref.kind] = (inventoryCounts[i.ref.kind] ?? 0) + 1;
  // Its inventory lists objects of another cluster: same-named objects here are not them.
  const remoteCluster = remoteClusterOf(obj);
  if (remoteCluster) return { inventoryCounts, total: items.length, fluxObjects: [], unreadyWorkloads: [], workloadsChecked: false, remoteCluster };
  const fluxObjects = items
    .filter((i) => FLUX_GROUPS.has(i.group) && fluxKind(i.ref.kind))
    .map((i) => {
      const child = index.get(i.ref);
      const ready = child ? condition(child, 'Ready') : undefined;
      return { object: i.ref, ready: child ? readyStatus(child) : 'Unknown', reason: ready?.reason ?? (child ? null : 'not found'), message: redact(ready?.message ?? null), suspended: child ? isSuspended(child) : false };
    });
  const workloads = items.filter((i) => (WORKLOAD_KINDS as readonly string[]).includes(i.ref.kind));
  // A failed Job's BackoffLimitExceeded only restates its state: the cause is what its pods' events say.
  const causeOf = (ref: ObjRef) => {
    const trouble = troubleOf(workloadEvents(index, ref, now));
    return trouble && !restatesFailure(trouble) ? trouble.title : null;
  };
  const unreadyWorkloads = workloads
    .map((i) => index.resource(i.ref))
    .filter((w): w is KubeObject => w !== undefined)
    .map((w) => ({ w, state: workloadState(w) }))
    .filter(({ state }) => !state.ready)
    .map(({ w, state }) => ({
      object: refOf(w),
      ready: false,
      summary: state.summary,
      cause: causeOf(refOf(w)),
      pods: podsOf(index, w).map((p) => ({
        name: p.metadata.name,
        phase: p.status?.phase ?? null,
        ready: (p.status?.containerStatuses ?? []).every((c: any) => c.ready),
        restarts: (p.status?.containerStatuses ?? []).reduce((n: number, c: any) => n + (c.restartCount ?? 0), 0),
        reasons: podReasons(p),
      })),
    }));
  const workloadsChecked = Boolean(index.cluster.details?.workloadsChecked);
  // Workloads not read (offline, `status`-like snapshots): their events still say when they cannot start.
  if (!workloadsChecked) {
    for (const i of workloads) {
      if (index.resource(i.ref)) continue;
      const cause = causeOf(i.ref);
      if (cause) unreadyWorkloads.push({ object: i.ref, ready: false, summary: 'not read; its events say it cannot start', cause, pods: [] });
    }
  }
  return { inventoryCounts, total: items.length, fluxObjects, unreadyWorkloads, workloadsChecked, remoteCluster: null };
}

function helmInfo(index: ClusterIndex, hr: KubeObject): HelmInfo {
  const { releaseName: name, releaseNamespace: releaseNs, storageNamespace } = releaseNames(hr);
  const records = (index.cluster.details?.helmReleases ?? []).filter((r) => r.name === name && (r.storageNamespace ?? r.namespace) === storageNamespace);
  const byVersion = new Map<number, HelmInfo['history'][number]>();
  for (const h of hr.status?.history ?? []) {
    const version = typeof h.version === 'number' ? h.version : null;
    const entry = { version, status: h.status ?? null, chart: h.chartName ?? null, chartVersion: h.chartVersion ?? null, appVersion: h.appVersion ?? null, updated: h.lastDeployed ?? h.firstDeployed ?? null, description: null, from: 'status' as const };
    if (version !== null) byVersion.set(version, entry);
  }
  for (const r of records) {
    const existing = byVersion.get(r.version);
    byVersion.set(r.version, {
      version: r.version,
      status: r.status ?? existing?.status ?? null,
      chart: r.chart ?? existing?.chart ?? null,
      chartVersion: r.chartVersion ?? existing?.chartVersion ?? null,
      appVersion: r.appVersion ?? existing?.appVersion ?? null,
      updated: r.lastDeployed ?? existing?.updated ?? null,
      description: redact(r.description),
      from: existing ? 'both' : 'release-secret',
    });
  }
  const history = [...byVersion.values()].sort((a, b) => (b.version ?? 0) - (a.version ?? 0));
  // Hook Jobs named in the release records, plus failed Jobs carrying Helm's hook annotation.
  const hookNames = new Set(records.flatMap((r) => r.hooks.filter((h) => h.kind === 'Job').map((h) => h.name)));
  const jobs = index.cluster.resources.filter((r) => r.kind === 'Job' && (hookNames.has(r.metadata.name) || (r.metadata.annotations?.['helm.sh/hook'] && r.metadata.namespace === releaseNs && (r.metadata.labels?.['helm.toolkit.fluxcd.io/name'] === hr.metadata.name || r.metadata.annotations?.['meta.helm.sh/release-name'] === name))));
  const logs = index.cluster.details?.logs ?? [];
  const hookJobs = jobs.map((j) => {
    const failed = (j.status?.conditions ?? []).find((c: any) => c.type === 'Failed' && c.status === 'True');
    const complete = (j.status?.conditions ?? []).find((c: any) => c.type === 'Complete' && c.status === 'True');
    const tail = logs.filter((l) => l.controller === `job/${j.metadata.name}`).flatMap((l) => l.lines).slice(-20).map((l) => redact(l));
    return { name: j.metadata.name, namespace: j.metadata.namespace ?? '', status: failed ? 'Failed' : complete ? 'Complete' : 'Running', reason: failed?.reason ?? null, logTail: tail };
  });
  return { releaseName: name, storageNamespace, history, hookJobs };
}

function relevantFindings(report: ClusterReport, chain: Set<string>): Finding[] {
  const inChain = (r: Ref | null) => r !== null && chain.has(refKey(r));
  return report.findings.filter((f) => inChain(f.object) || inChain(f.rootCause) || f.blocks.some(inChain));
}

export function explainCluster(index: ClusterIndex, report: ClusterReport, resolution: Resolution, options: ChainOptions): ExplainCluster {
  const c = index.cluster;
  const base: ExplainCluster = {
    cluster: c.name, context: c.context, collectedAt: c.collectedAt, reachable: c.reachable, error: c.error ? `${c.error.code}: ${c.error.message}` : null,
    object: resolution.object, resolvedFrom: resolution.resolvedFrom, found: false, suggestions: resolution.suggestions,
    sources: [], dependencies: [], details: null, manages: null, helm: null, events: [], logs: null, findings: [],
  };
  const obj = resolution.object ? index.get(resolution.object) : undefined;
  if (!c.reachable || !obj) return { ...base, findings: c.reachable ? [] : report.findings };
  const sources = sourcesOf(index, obj, options.now);
  const dependencies = dependencyTree(index, obj, new Set([refKey(refOf(obj))]));
  const chain = new Set<string>([refKey(refOf(obj)), ...sources.map((s) => refKey(s.object))]);
  const walk = (nodes: DependencyNode[]) => nodes.forEach((n) => { chain.add(refKey(n.object)); walk(n.dependsOn); });
  walk(dependencies);
  const desc = fluxKind(obj.kind);
  if (desc) chain.add(refKey({ kind: 'Deployment', namespace: c.fluxNamespace, name: desc.controller }));
  const managed = manages(index, obj, options.now);
  for (const child of managed.fluxObjects) chain.add(refKey(child.object));
  const controllerLogs = (c.details?.logs ?? []).filter((l) => desc && l.controller === desc.controller);
  return {
    ...base,
    found: true,
    sources,
    dependencies,
    details: objectInfo(index, obj, sources),
    manages: managed,
    helm: obj.kind === 'HelmRelease' ? helmInfo(index, obj) : null,
    events: chainEvents(index, [refOf(obj), ...sources.map((s) => s.object)]),
    logs: options.logs && desc
      ? { controller: desc.controller, available: controllerLogs.length > 0, lines: linesAbout(controllerLogs.flatMap((l) => l.lines), refOf(obj), options.logLines).map((l) => ({ ...l, message: redact(l.message), error: redact(l.error) })) }
      : null,
    findings: relevantFindings(report, chain),
  };
}
