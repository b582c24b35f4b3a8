// Whether a controller's workers are taken by reconciliations that wait until they time out.
// kustomize-controller and helm-controller reconcile at most --concurrent objects at once (4 by default). A
// Kustomization whose health checks run into spec.timeout holds a worker for that whole time, and again every
// retryInterval; a HelmRelease whose install/upgrade wait times out does the same for spec.timeout. Enough of them
// keep every worker busy, and the other objects' new revisions and reconcile requests wait in the queue
// (fluxcd/flux2#5622; the Flux docs' "increase the number of workers" advice).
import { condition, isSuspended } from '../../flux/conditions';
import type { ObjRef } from '../../flux/refs';
import { refOf } from '../../flux/refs';
import type { ClusterIndex } from '../../snapshot/indexes';
import type { KubeObject } from '../../snapshot/schema';
import { releaseFailure } from '../helm/failure';
import { helmTimeout, kustomizationTimeout } from '../timeouts';
import { formatDuration, parseDuration } from '../util';
import { controllerFlag, deploymentRef, responsibleController, type ControllerProblem } from './controller-health';

/** The controllers' default --concurrent (kustomize-controller and helm-controller main.go). */
const DEFAULT_CONCURRENT: Record<string, number> = { 'kustomize-controller': 4, 'helm-controller': 4 };

export interface Holder {
  ref: ObjRef;
  /** How long one failing attempt holds a worker. */
  holdMs: number;
  /** How long the object waits before the next attempt. */
  retryMs: number;
  /** What the holding is, for evidence. */
  what: string;
}

// `health check failed after <Go duration>: timeout waiting for: […]` (Flux 0.31+); before 0.8 `Health check timed out for [`.
const HEALTH_TIMEOUT = /^health check failed after (\S+): timeout waiting for: \[/;
const LEGACY_HEALTH_TIMEOUT = /^Health check timed out for \[/;

function kustomizationHolder(ks: KubeObject): Holder | null {
  const ready = condition(ks, 'Ready');
  if (ready?.status !== 'False' || ready.reason !== 'HealthCheckFailed') return null;
  const message = ready.message ?? '';
  const m = message.match(HEALTH_TIMEOUT);
  const timeout = kustomizationTimeout(ks)?.ms ?? null;
  const holdMs = m ? parseDuration(m[1]) : LEGACY_HEALTH_TIMEOUT.test(message) ? timeout : null;
  // On failure kustomize-controller requeues after spec.retryInterval, which defaults to spec.interval.
  const retryMs = parseDuration(ks.spec?.retryInterval) ?? parseDuration(ks.spec?.interval);
  if (holdMs === null || retryMs === null) return null;
  return { ref: refOf(ks), holdMs, retryMs, what: `health checks ran ${formatDuration(holdMs)} before timing out` };
}

function helmReleaseHolder(hr: KubeObject): Holder | null {
  // Stalled: retries are exhausted and helm-controller does not try again by itself.
  if (condition(hr, 'Stalled')?.status === 'True') return null;
  const failure = releaseFailure(hr);
  if (failure?.klass !== 'timeout' || /failed early due to stalled resources/.test(failure.tail)) return null;
  const holdMs = helmTimeout(hr, failure.action).ms;
  // `retrying after <d>` (a retry strategy, 2.6+) says when; otherwise the rate-limited requeue, about spec.interval.
  const reconciling = condition(hr, 'Reconciling');
  const after = reconciling?.status === 'True' ? reconciling.message?.match(/^retrying after (\S+)$/)?.[1] : undefined;
  const retryMs = parseDuration(after) ?? parseDuration(hr.spec?.interval);
  if (retryMs === null) return null;
  return { ref: refOf(hr), holdMs, retryMs, what: `Helm ${failure.action} waited ${formatDuration(holdMs)} (its timeout) before failing` };
}

const HOLDERS: Record<string, { kind: string; holder: (o: KubeObject) => Holder | null }> = {
  'kustomize-controller': { kind: 'Kustomization', holder: kustomizationHolder },
  'helm-controller': { kind: 'HelmRelease', holder: helmReleaseHolder },
};

/** The share of time one holder keeps a worker busy: one timed-out attempt per retry cycle. */
function duty(h: Holder): number {
  return h.holdMs / (h.holdMs + h.retryMs);
}

function saturationOf(index: ClusterIndex, name: string, base: string): ControllerProblem | null {
  const spec = HOLDERS[base];
  if (!spec) return null;
  const flag = controllerFlag(index, name, '--concurrent');
  const parsed = flag !== undefined && /^\d+$/.test(flag) ? Number(flag) : null;
  const concurrent = parsed ?? DEFAULT_CONCURRENT[base]!;
  const holders: Holder[] = [];
  for (const obj of index.objects(spec.kind)) {
    if (isSuspended(obj) || responsibleController(index, obj)?.name !== name) continue;
    const h = spec.holder(obj);
    if (h) holders.push(h);
  }
  const load = holders.reduce((n, h) => n + duty(h), 0);
  // On average every worker is waiting on a timeout: the queue of everything else does not drain.
  if (concurrent === 0 || load < concurrent) return null;
  holders.sort((a, b) => duty(b) - duty(a));
  const shown = holders.slice(0, 5).map((h) => `${h.ref.kind}/${h.ref.namespace}/${h.ref.name}: ${h.what}, retried every ${formatDuration(h.retryMs)}`);
  const busy = load.toFixed(1);
  return {
    ref: deploymentRef(index, name),
    name,
    severity: 'warning',
    running: true,
    title: `${name}'s ${concurrent} workers are held by ${holders.length} ${spec.kind}s that wait until they time out`,
    evidence: [
      `${parsed !== null ? `--concurrent=${concurrent}` : `--concurrent not set: ${name} runs ${concurrent} reconciliations at once (its default)`}`,
      `on average ${busy} of ${concurrent} workers are waiting on timeouts: other ${spec.kind}s' new revisions and reconcile requests wait in the queue`,
      ...shown,
      ...(holders.length > shown.length ? [`and ${holders.length - shown.length} more`] : []),
    ],
    since: null,
    vars: { saturated: 'yes', controller: name, holderKind: spec.kind, holderNoun: spec.kind === 'Kustomization' ? 'kustomizations' : 'helmreleases', concurrent: String(concurrent) },
  };
}

const MEMO = new WeakMap<ClusterIndex, Map<string, ControllerProblem>>();

/** Saturated controllers of the cluster, keyed by Deployment name (shards included). */
export function saturatedControllers(index: ClusterIndex): Map<string, ControllerProblem> {
  let map = MEMO.get(index);
  if (map) return map;
  map = new Map();
  for (const ctl of index.cluster.controllers) {
    const base = Object.keys(HOLDERS).find((b) => ctl.name === b || ctl.name.startsWith(`${b}-`));
    if (!base || !ctl.ready) continue;
    const p = saturationOf(index, ctl.name, base);
    if (p) map.set(ctl.name, p);
  }
  MEMO.set(index, map);
  return map;
}

/** The saturation of the controller responsible for an object, or null. */
export function saturationFor(index: ClusterIndex, obj: KubeObject): ControllerProblem | null {
  const saturated = saturatedControllers(index);
  if (saturated.size === 0) return null;
  const r = responsibleController(index, obj);
  return r ? saturated.get(r.name) ?? null : null;
}
