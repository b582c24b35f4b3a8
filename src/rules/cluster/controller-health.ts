// The health of the Flux controllers, and which controller Deployment is responsible for an object.
// FD010 reports the unhealthy controllers; the reconcile-stuck rules (common/) point the objects a broken
// controller leaves stale at the same Deployment, so the controller becomes their root cause.
import { FLUX_KINDS, fluxKind } from '../../flux/kinds';
import type { ObjRef } from '../../flux/refs';
import type { ClusterIndex } from '../../snapshot/indexes';
import type { Controller, KubeObject } from '../../snapshot/schema';
import { ageOf, formatDuration } from '../util';
import { parseSelector, selectorMatches, type Requirement } from './label-selector';
import { artifactDownloads } from './artifact-downloads';
import { failures, listRefs } from './failure-text';
import { deploymentTrouble, newestTermination, RECENT_OOM_MS, restartLoop, unschedulable } from './controller-pods';

/** Waiting reasons of a container that is not going to run without help. */
export const CRASH_REASONS = new Set([
  'CrashLoopBackOff', 'ImagePullBackOff', 'ErrImagePull', 'InvalidImageName', 'CreateContainerConfigError',
  'CreateContainerError', 'RunContainerError', 'OOMKilled',
]);
export const SHARD_LABEL = 'sharding.fluxcd.io/key';
/** The operator runs in flux-system or in its own namespace: its absence from the Flux namespace proves nothing. */
const LOCATION_VARIES = new Set(['flux-operator']);

export interface ControllerProblem {
  ref: ObjRef;
  name: string;
  /** error: not running (not ready, crash-looping, scaled to 0, missing); warning: running but OOMKilled recently. */
  severity: 'error' | 'warning';
  running: boolean;
  title: string;
  evidence: string[];
  since: string | null;
  vars: Record<string, string>;
  /** For a missing controller: the kinds whose objects nobody reconciles. */
  kinds?: string[];
  /** Objects whose failures the problem explains (e.g. all refused as Unauthorized). */
  explains?: ObjRef[];
}

export { controllerRef as deploymentRef } from '../shared';
import { controllerRef as deploymentRef } from '../shared';

/** Whether the controllers were read at all: without them nothing can be said about their health. */
export function controllersKnown(index: ClusterIndex): boolean {
  return index.cluster.controllers.length > 0;
}

/**
 * Whether an absent controller Deployment means "not deployed". Live collection lists the Flux namespace's Deployments;
 * a plain dump with a single controller Deployment is more likely `kubectl get deploy <one>` than a one-controller install.
 */
function controllerListComplete(index: ClusterIndex): boolean {
  return index.cluster.origin !== 'manifests' || index.cluster.controllers.length >= 2;
}

/** The manager container's args (and command) of a controller Deployment; empty when it was not read. */
function managerArgs(index: ClusterIndex, name: string): string[] {
  const d = index.resource(deploymentRef(index, name));
  const containers: any[] = d?.spec?.template?.spec?.containers ?? [];
  const manager = containers.find((c) => c?.name === 'manager') ?? containers[0];
  return [...(manager?.args ?? []), ...(manager?.command ?? [])].filter((a: unknown): a is string => typeof a === 'string');
}

/** The value of a controller flag (`--flag=value` or `--flag value`); undefined when it is not set or not read. */
export function controllerFlag(index: ClusterIndex, name: string, flag: string): string | undefined {
  const args = managerArgs(index, name);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith(`${flag}=`)) return a.slice(flag.length + 1);
    // A bare boolean flag (`--no-cross-namespace-refs`) is followed by another flag or nothing: it is set, with no value.
    if (a === flag) return args[i + 1] === undefined || args[i + 1]!.startsWith('-') ? '' : args[i + 1];
  }
  return undefined;
}

/** The `--watch-label-selector` a controller Deployment runs with; undefined when it watches everything or is unknown. */
export function watchSelector(index: ClusterIndex, name: string): { text: string; reqs: Requirement[] } | undefined {
  const text = controllerFlag(index, name, '--watch-label-selector');
  if (text === undefined) return undefined;
  const reqs = parseSelector(text);
  return reqs ? { text, reqs } : undefined;
}

export interface Responsible {
  /** The controller Deployment that reconciles the object (possibly a shard), or the one that should exist. */
  name: string;
  ref: ObjRef;
  /** Present when the Deployment (or its pods) was seen. */
  controller?: Controller;
  /** Why no controller was found (only set when `controller` is absent). */
  missingReason?: string;
}

/**
 * The controller responsible for an object: the Deployment of its kind's controller (or a shard of it,
 * `<controller>-<shard>`) whose --watch-label-selector selects the object's labels. Null when the controllers
 * were not read, or the kind has no controller in the Flux namespace we can judge.
 */
export function responsibleController(index: ClusterIndex, obj: KubeObject): Responsible | null {
  // The answer depends on the kind and, in sharded installs, on the labels: memoized per cluster on that key.
  const labels = obj.metadata.labels ?? {};
  let memo = RESPONSIBLE.get(index);
  if (!memo) RESPONSIBLE.set(index, (memo = { byKind: new Map(), byLabels: new Map() }));
  const shard = labels[SHARD_LABEL];
  const sharded = shardedIndexes.has(index);
  // The usual case, asked for every object by several rules: only the kind matters, so no key string is built.
  const map = shard === undefined && !sharded ? memo.byKind : memo.byLabels;
  const key = map === memo.byKind ? obj.kind : `${obj.kind}|${shard ?? ''}|${sharded ? JSON.stringify(labels) : ''}`;
  if (map.has(key)) return map.get(key)!;
  const result = findResponsible(index, obj);
  map.set(key, result);
  return result;
}

const RESPONSIBLE = new WeakMap<ClusterIndex, { byKind: Map<string, Responsible | null>; byLabels: Map<string, Responsible | null> }>();
/** Clusters whose controllers declare --watch-label-selector: there any label may matter. */
const shardedIndexes = {
  cache: new WeakMap<ClusterIndex, boolean>(),
  has(index: ClusterIndex): boolean {
    let v = this.cache.get(index);
    if (v === undefined) {
      v = index.cluster.controllers.some((c) => watchSelector(index, c.name) !== undefined);
      this.cache.set(index, v);
    }
    return v;
  },
};

function findResponsible(index: ClusterIndex, obj: KubeObject): Responsible | null {
  const desc = fluxKind(obj.kind);
  if (!desc || !controllersKnown(index)) return null;
  const base = desc.controller;
  const labels = obj.metadata.labels ?? {};
  const shard = labels[SHARD_LABEL];
  const candidates = index.cluster.controllers.filter((c) => c.name === base || c.name.startsWith(`${base}-`));
  const withSelector = candidates.map((c) => ({ c, sel: watchSelector(index, c.name) }));
  const anySelector = withSelector.some((x) => x.sel);
  if (anySelector) {
    // The installation is sharded and the Deployments say what they watch: trust them.
    const match = withSelector.find((x) => !x.sel || selectorMatches(x.sel.reqs, labels));
    if (match) return { name: match.c.name, ref: deploymentRef(index, match.c.name), controller: match.c };
    const name = shard ? `${base}-${shard}` : base;
    const selectors = withSelector.filter((x) => x.sel).map((x) => `${x.c.name}: ${x.sel!.text}`).join('; ');
    return { name, ref: deploymentRef(index, name), missingReason: `no ${base} Deployment in ${index.cluster.fluxNamespace} selects ${shard ? `${SHARD_LABEL}=${shard}` : 'objects without a shard label'} (--watch-label-selector ${selectors})` };
  }
  if (shard) {
    const shardCtl = candidates.find((c) => c.name === `${base}-${shard}`);
    if (shardCtl) return { name: shardCtl.name, ref: deploymentRef(index, shardCtl.name), controller: shardCtl };
    // Without shards at all the main controller watches everything, labelled or not.
    const main = candidates.find((c) => c.name === base);
    if (main && candidates.length === 1) return { name: base, ref: deploymentRef(index, base), controller: main };
    const name = `${base}-${shard}`;
    return { name, ref: deploymentRef(index, name), missingReason: `labelled ${SHARD_LABEL}=${shard} but there is no ${name} Deployment in ${index.cluster.fluxNamespace}` };
  }
  const main = candidates.find((c) => c.name === base);
  if (main) return { name: base, ref: deploymentRef(index, base), controller: main };
  if (LOCATION_VARIES.has(base)) return null;
  return { name: base, ref: deploymentRef(index, base), missingReason: `no ${base} Deployment in ${index.cluster.fluxNamespace}` };
}

// ---------------------------------------------------------------------------------------------------------------
// Problems of the controllers themselves.

function problemOf(index: ClusterIndex, ctl: Controller, now: number): ControllerProblem | null {
  const evidence: string[] = [];
  const vars: Record<string, string> = {};
  const crash = ctl.pods.find((p) => p.waitingReason && CRASH_REASONS.has(p.waitingReason));
  const oom = newestTermination(ctl, 'OOMKilled');
  const pending = ctl.pods.find((p) => p.phase === 'Pending' && !p.ready);
  const looping = crash ? undefined : restartLoop(ctl, now);
  const trouble = deploymentTrouble(index, ctl.name);
  const noSchedule = pending ? unschedulable(index, ctl.namespace, pending.name) : undefined;
  const restarts = ctl.pods.reduce((n, p) => n + p.restarts, 0);
  if (restarts > 0) vars.restarted = `${restarts} restart${restarts === 1 ? '' : 's'}`;
  // An evicted pod (node out of ephemeral storage or memory) stopped mid-work like an OOM kill, and will be again.
  const evicted = newestTermination(ctl, 'Evicted');
  const evictedAge = evicted ? ageOf(evicted.lastTermination?.finishedAt, now) : null;
  const recentEviction = evicted !== undefined && (evictedAge === null || evictedAge < RECENT_OOM_MS);
  if (!ctl.ready) {
    if (ctl.replicas === 0) {
      evidence.push('Deployment scaled to 0 replicas');
      vars.scaledDown = 'yes';
    } else evidence.push(`${ctl.readyReplicas}/${ctl.replicas} replicas ready`);
    if (!ctl.deploymentFound) evidence.push('no Deployment found, only its pods');
  }
  const oomAge = oom ? ageOf(oom.lastTermination?.finishedAt, now) : null;
  const oomText = oom ? `last terminated OOMKilled${oomAge !== null ? ` ${formatDuration(oomAge)} ago` : ''}` : '';
  if (crash) evidence.push(`pod ${crash.name}: waiting (${crash.waitingReason})${oom?.name === crash.name ? `, ${oomText}` : ''}, ${crash.restarts} restarts`);
  else if (pending) evidence.push(`pod ${pending.name}: Pending${pending.waitingReason ? ` (${pending.waitingReason})` : ''}${noSchedule ? ` (${noSchedule})` : ''}`);
  if (noSchedule) vars.unschedulable = noSchedule.split(':')[0]!;
  if (trouble.replicaFailure) {
    evidence.push(`Deployment: ReplicaFailure ${trouble.replicaFailure}`);
    vars.replicaFailure = trouble.replicaFailure.split(':')[0]!;
  }
  if (trouble.progressDeadline) evidence.push(`Deployment: Progressing=False ProgressDeadlineExceeded: ${trouble.progressDeadline}`);
  if (looping) {
    const t = looping.lastTermination!;
    const age = ageOf(t.finishedAt, now);
    evidence.push(`pod ${looping.name}: ${looping.restarts} restarts, last exited${t.exitCode !== null ? ` with code ${t.exitCode}` : ''}${t.reason ? ` (${t.reason})` : ''}${age !== null ? ` ${formatDuration(age)} ago` : ''}`);
    vars.restarting = `${looping.restarts} restarts`;
  }
  if (oom) {
    if (oom.name !== crash?.name) evidence.push(`pod ${oom.name}: ${oomText}, ${oom.restarts} restarts`);
    vars.oomKilled = 'yes';
  }
  if (evicted && recentEviction) {
    const resource = evicted.lastTermination?.message?.match(/low on resource: ([\w-]+)/)?.[1];
    evidence.push(`pod ${evicted.name}: evicted${evictedAge !== null ? ` ${formatDuration(evictedAge)} ago` : ''}${evicted.lastTermination?.message ? ` (${evicted.lastTermination.message})` : ''}`);
    vars.evicted = resource ?? 'a node resource';
  }
  if (crash && /ImagePull|ErrImage|InvalidImageName/.test(crash.waitingReason ?? '')) vars.imagePull = ctl.image ?? 'the controller image';
  const recentOom = oom !== undefined && (oomAge === null || oomAge < RECENT_OOM_MS);
  const since = oom?.lastTermination?.finishedAt ?? crash?.startedAt ?? null;
  const ref = deploymentRef(index, ctl.name);
  if (!ctl.ready) {
    const why = ctl.replicas === 0 ? 'scaled to 0' : crash?.waitingReason === 'CrashLoopBackOff' && oom ? 'crash-looping (OOMKilled)' : crash?.waitingReason ?? (pending ? (noSchedule ? 'Pending, no node fits' : 'Pending') : trouble.replicaFailure ? 'its pods cannot be created' : 'not ready');
    return { ref, name: ctl.name, severity: 'error', running: false, title: `${ctl.name} is not running: ${why}`, evidence, since, vars };
  }
  if (!crash && (trouble.replicaFailure || trouble.progressDeadline)) {
    // The old pods still run; the new ones are not created (ReplicaFailure) or never became ready in time.
    evidence.push(`${ctl.readyReplicas}/${ctl.replicas} replicas ready: the running pods still reconcile`);
    return { ref, name: ctl.name, severity: 'warning', running: true, title: `${ctl.name} rollout stuck: ${trouble.replicaFailure ? 'new pods cannot be created' : 'the new pods never became ready'}`, evidence, since, vars };
  }
  if (crash) {
    // Enough replicas are ready: the old pods still serve while a new one (a rollout, a reschedule) cannot start.
    evidence.push(`${ctl.readyReplicas}/${ctl.replicas} replicas ready: the running pods still reconcile`);
    return { ref, name: ctl.name, severity: 'warning', running: true, title: `${ctl.name} rollout stuck: a new pod is in ${crash.waitingReason}`, evidence, since, vars };
  }
  if (recentOom) {
    return { ref, name: ctl.name, severity: 'warning', running: true, title: `${ctl.name} was OOMKilled`, evidence, since, vars };
  }
  if (looping) {
    return { ref, name: ctl.name, severity: 'warning', running: true, title: `${ctl.name} keeps restarting (${looping.restarts} restarts)`, evidence, since: looping.lastTermination?.finishedAt ?? null, vars };
  }
  if (recentEviction) {
    return { ref, name: ctl.name, severity: 'warning', running: true, title: `${ctl.name} was evicted (node low on ${vars.evicted})`, evidence, since: evicted?.lastTermination?.finishedAt ?? null, vars };
  }
  return null;
}

const MEMO = new WeakMap<ClusterIndex, { now: number; map: Map<string, ControllerProblem> }>();

/** Every controller problem of the cluster, keyed by Deployment name: unhealthy controllers and missing ones. */
export function controllerProblems(index: ClusterIndex, now: number): Map<string, ControllerProblem> {
  const memo = MEMO.get(index);
  if (memo && memo.now === now) return memo.map;
  const map = new Map<string, ControllerProblem>();
  for (const ctl of index.cluster.controllers) {
    const p = problemOf(index, ctl, now);
    if (p) map.set(ctl.name, p);
  }
  // Downloads from a source-controller that is not running fail with it, whatever the download error says.
  const source = map.get('source-controller');
  if (source && !source.running) source.explains = artifactDownloads(index).map((d) => d.ref);
  for (const [name, members] of unauthorizedControllers(index)) {
    if (map.has(name)) continue;
    map.set(name, {
      ref: deploymentRef(index, name), name, severity: 'error', running: true,
      title: `${name}'s own credentials are rejected by the API server (Unauthorized) for ${members.length} objects`,
      evidence: [`${members.length} objects it reconciles fail with a bare Unauthorized from the API server (authentication, not RBAC): ${listRefs(members, 4)}`],
      since: null, vars: { unauthorized: 'Unauthorized' }, explains: members,
    });
  }
  // Several controllers restarting together share a cause outside each of them: most often the API server they renew
  // their leader-election leases against (a firewall idle timeout, an overloaded control plane).
  const looping = [...map.values()].filter((p) => p.vars.restarting);
  if (looping.length >= 2) {
    for (const p of looping) p.evidence.push(`${looping.length} Flux controllers keep restarting at the same time (${looping.map((x) => x.name).join(', ')}): look for a shared cause, e.g. lost leader election (API server unreachable or slow)`);
  }
  if (controllersKnown(index) && controllerListComplete(index)) {
    // Objects whose controller (or shard) is absent: nobody reconciles them.
    const missing = new Map<string, { reason: string; kinds: Map<string, number> }>();
    for (const desc of FLUX_KINDS) {
      if (!desc.reconcilable) continue;
      for (const obj of index.objects(desc.kind)) {
        const r = responsibleController(index, obj);
        if (!r || r.controller || !r.missingReason) continue;
        const entry = missing.get(r.name) ?? { reason: r.missingReason, kinds: new Map() };
        entry.kinds.set(desc.kind, (entry.kinds.get(desc.kind) ?? 0) + 1);
        missing.set(r.name, entry);
      }
    }
    for (const [name, entry] of missing) {
      if (map.has(name)) continue;
      const counts = [...entry.kinds].map(([k, n]) => `${n} ${k} object(s)`).join(', ');
      map.set(name, {
        ref: deploymentRef(index, name), name, severity: 'error', running: false,
        title: `${name} is not deployed`,
        evidence: [`${counts} but ${entry.reason}`],
        since: null, vars: { missing: 'yes' }, kinds: [...entry.kinds.keys()],
      });
    }
  }
  MEMO.set(index, { now, map });
  return map;
}

// The API server's answer to a request whose token it does not accept (401): a bare `Unauthorized` ends the error
// (`failed to query with labels: Unauthorized`, `… dry-run failed: Unauthorized`); RBAC denials say `forbidden` instead.
const UNAUTHORIZED = /(?:^|: )Unauthorized\s*$/;

/** Controllers whose own requests are refused as unauthenticated for two or more local objects (not a remote kubeConfig). */
function unauthorizedControllers(index: ClusterIndex): Map<string, ObjRef[]> {
  const by = new Map<string, ObjRef[]>();
  for (const f of failures(index)) {
    if (!UNAUTHORIZED.test(f.message)) continue;
    const obj = index.get(f.ref);
    if (!obj || obj.spec?.kubeConfig) continue;
    const r = responsibleController(index, obj);
    if (!r?.controller) continue;
    by.set(r.name, [...(by.get(r.name) ?? []), f.ref]);
  }
  for (const [name, refs] of by) if (refs.length < 2) by.delete(name);
  return by;
}

/** The problem of the controller responsible for an object, with its ref; null when it is healthy or unknown. */
export function controllerProblemFor(index: ClusterIndex, obj: KubeObject, now: number): ControllerProblem | null {
  // Every object asks (the reconcile-stuck rules): with all controllers healthy there is no need to find its own.
  const problems = controllerProblems(index, now);
  if (problems.size === 0) return null;
  const r = responsibleController(index, obj);
  if (!r) return null;
  return problems.get(r.name) ?? null;
}
