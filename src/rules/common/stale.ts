// Is an object's status current? The reconcile-stuck rules (FD110–FD114) share this reading so that exactly one
// of them speaks for an object, in this order: never reconciled, requested reconcile not handled, generation not
// observed, not ready while its controller is down, reconciling too long. When the responsible controller is
// unhealthy (cluster/controller-health.ts, reported by FD010), the finding is blocked by its Deployment.
import { condition, conditions, isStatic, isSuspended, type Condition } from '../../flux/conditions';
import { fluxKind } from '../../flux/kinds';
import type { KubeObject } from '../../snapshot/schema';
import { controllerProblemFor, responsibleController, SHARD_LABEL, type ControllerProblem } from '../cluster/controller-health';
import { saturationFor } from '../cluster/controller-saturation';
import { conditionEvidence } from '../evidence';
import type { RuleContext, RuleHit } from '../types';
import { attemptTimeout } from '../timeouts';
import { ageOf, formatDuration } from '../util';

/** How long a controller normally needs to pick up a change (a watch event, a reconcile request). */
export const GRACE_MS = 5 * 60_000;
/** Stuck for longer than this with a healthy controller: an error rather than a warning. */
export const STUCK_ERROR_MS = 3_600_000;
export { REQUESTED_AT } from '../../flux/conditions';
import { REQUESTED_AT } from '../../flux/conditions';

export type Symptom = 'never-reconciled' | 'request-not-handled' | 'generation-not-observed' | 'reconciling-too-long' | 'failing-controller-down';

export interface Stuck {
  symptom: Symptom;
  evidence: string[];
  since: string | null;
  /** How long it has been stuck, when known. */
  ageMs: number | null;
  /** The responsible controller's problem, when it has one. */
  controller: ControllerProblem | null;
}

/** Kinds a controller writes a status for and reconciles; static and non-reconcilable kinds are never stuck. */
export function tracked(obj: KubeObject): boolean {
  const desc = fluxKind(obj.kind);
  return !!desc && desc.hasStatus && desc.reconcilable && !isStatic(obj) && !isSuspended(obj);
}

/** `Reconciling=True ProgressingWithRetry` (R3): a failure the controller will retry; said once, as evidence. */
export function retryEvidence(obj: KubeObject): string[] {
  const r = condition(obj, 'Reconciling');
  return r?.status === 'True' && r.reason === 'ProgressingWithRetry' ? ['Reconciling=True ProgressingWithRetry: the controller retries with backoff'] : [];
}

/** Parses the value of reconcile.fluxcd.io/requestedAt: RFC 3339 (flux CLI) or Unix seconds (`date +%s`). */
export function requestTime(value: string): number | null {
  if (/^\d{9,11}$/.test(value)) return Number(value) * 1000;
  if (/^\d{4}-\d{2}-\d{2}T/.test(value)) {
    const t = Date.parse(value);
    return Number.isNaN(t) ? null : t;
  }
  return null;
}

/** The newest generation any condition was written for: the controller has processed at least this spec. */
function processedGeneration(obj: KubeObject): number | null {
  // A plain loop: asked for every object, and most have one to three conditions.
  let newest: number | null = null;
  for (const c of conditions(obj)) {
    const g = c.observedGeneration;
    if (typeof g === 'number' && (newest === null || g > newest)) newest = g;
  }
  return newest;
}

/** When the spec (or metadata) was last changed by someone other than a controller writing status, from managedFields. */
export function specChangedAt(obj: KubeObject): string | null {
  const fields: any[] = Array.isArray(obj.metadata.managedFields) ? obj.metadata.managedFields : [];
  const times = fields
    .filter((f) => typeof f?.time === 'string' && (f.operation === 'Apply' || (f.operation === 'Update' && !/controller$|^flux-operator$/.test(String(f.manager ?? '')))))
    .map((f) => f.time as string)
    .filter((t) => !Number.isNaN(Date.parse(t)))
    .sort();
  return times.at(-1) ?? null;
}

function readyLine(obj: KubeObject): string[] {
  const ready = condition(obj, 'Ready');
  return ready ? [`last status: ${conditionEvidence(ready)}`] : [];
}

function ago(ms: number | null): string {
  return ms === null ? '' : ` ${formatDuration(ms)} ago`;
}

const MEMO = new WeakMap<KubeObject, { now: number; result: Stuck | null }>();

/** The one stuck symptom of an object (or null), memoized per object and "now". */
export function stuckState(obj: KubeObject, ctx: RuleContext): Stuck | null {
  const memo = MEMO.get(obj);
  if (memo && memo.now === ctx.now) return memo.result;
  const result = evaluate(obj, ctx);
  MEMO.set(obj, { now: ctx.now, result });
  return result;
}

function evaluate(obj: KubeObject, { index, now }: RuleContext): Stuck | null {
  if (!tracked(obj)) return null;
  // A controller that is down, or was OOMKilled recently (killed mid-reconcile), explains stale status; a stuck
  // rollout whose old pods still run does not.
  const found = controllerProblemFor(index, obj, now);
  const problem = found && (!found.running || found.vars.oomKilled || found.vars.evicted || found.vars.restarting) ? found : null;
  // Waiting to be picked up is also what happens when every worker of a running controller is busy with timeouts.
  const queued = () => problem ?? saturationFor(index, obj);
  const ready = condition(obj, 'Ready');

  // R40: no Ready condition at all.
  if (!ready) {
    const created = obj.metadata.creationTimestamp ?? null;
    const age = ageOf(created, now);
    if (age !== null && age < GRACE_MS) return null;
    const evidence = [`no Ready condition${created ? `: created${ago(age)}` : ''}, never reconciled`];
    const shard = obj.metadata.labels?.[SHARD_LABEL];
    if (shard) evidence.push(`labelled ${SHARD_LABEL}=${shard}: only a controller shard whose --watch-label-selector selects it reconciles it`);
    const r = responsibleController(index, obj);
    if (r?.missingReason) evidence.push(r.missingReason);
    return { symptom: 'never-reconciled', evidence, since: created, ageMs: age, controller: queued() };
  }

  // (a) A reconcile request (flux reconcile, a receiver) the controller never acknowledged.
  const requested = obj.metadata.annotations?.[REQUESTED_AT];
  const handled = obj.status?.lastHandledReconcileAt;
  if (requested && requested !== handled) {
    const t = requestTime(requested);
    const age = t === null ? null : now - t;
    if ((age !== null && age >= GRACE_MS) || (age === null && problem && !problem.running)) {
      const evidence = [`${REQUESTED_AT}: ${requested}${ago(age)}, status.lastHandledReconcileAt: ${handled ?? '(none)'}`, ...readyLine(obj)];
      return { symptom: 'request-not-handled', evidence, since: t === null ? null : new Date(t).toISOString(), ageMs: age, controller: queued() };
    }
  }

  // R39: the current spec was never looked at (no condition written for this generation).
  const generation = obj.metadata.generation;
  if (typeof generation === 'number') {
    const processed = processedGeneration(obj);
    const observed = obj.status?.observedGeneration;
    const reconciling = condition(obj, 'Reconciling');
    const pending = processed !== null
      ? processed < generation
      // Conditions without observedGeneration (old controllers): only a Ready=True that predates the spec says so.
      : typeof observed === 'number' && observed < generation && ready.status === 'True' && reconciling?.status !== 'True';
    if (pending) {
      const changed = specChangedAt(obj);
      const age = ageOf(changed, now);
      if (age === null || age >= GRACE_MS) {
        const evidence = [
          `metadata.generation ${generation}, last processed generation ${processed ?? observed}${changed ? ` (spec changed${ago(age)})` : ''}`,
          ...readyLine(obj),
        ];
        return { symptom: 'generation-not-observed', evidence, since: changed, ageMs: age, controller: queued() };
      }
    }
  }

  // (b) Not ready, and the controller that would retry is not running: the status is as old as the controller's outage.
  if (problem && !problem.running) {
    const stalled = condition(obj, 'Stalled');
    const failing: Condition | undefined = stalled?.status === 'True' ? stalled : ready.status !== 'True' ? ready : undefined;
    if (failing) {
      return { symptom: 'failing-controller-down', evidence: [conditionEvidence(failing)], since: failing.lastTransitionTime ?? null, ageMs: ageOf(failing.lastTransitionTime, now), controller: problem };
    }
  }
  // (c) An attempt that runs far longer than its timeout (a hung controller, or one killed mid-reconcile).
  const reconciling = condition(obj, 'Reconciling');
  if (reconciling?.status === 'True' && reconciling.reason !== 'ProgressingWithRetry' && ready.status !== 'False') {
    // Reconciling keeps its transition time across attempts; a Ready=Unknown set at the start of this attempt is newer.
    const starts = [reconciling.lastTransitionTime, ready.status === 'Unknown' ? ready.lastTransitionTime : undefined]
      .map((t) => ageOf(t, now)).filter((a): a is number => a !== null);
    const age = starts.length > 0 ? Math.min(...starts) : null;
    const limit = Math.max(3 * attemptTimeout(obj), 15 * 60_000);
    if (age !== null && age > limit) {
      const evidence = [conditionEvidence(reconciling), `in progress for ${formatDuration(age)}, timeout ${formatDuration(attemptTimeout(obj))}`];
      if (ready.status === 'Unknown') evidence.push(conditionEvidence(ready));
      return { symptom: 'reconciling-too-long', evidence, since: new Date(now - age).toISOString(), ageMs: age, controller: problem };
    }
  }

  return null;
}

/** Turns a stuck state into a hit: blocked by the controller when it is unhealthy, error when long or blocked. */
export function stuckHit(stuck: Stuck, title: string, obj: KubeObject, { index }: RuleContext): RuleHit {
  const c = stuck.controller;
  const responsible = responsibleController(index, obj);
  const vars: Record<string, string> = { fluxNamespace: index.cluster.fluxNamespace };
  const controller = responsible?.name ?? fluxKind(obj.kind)?.controller;
  if (controller) vars.controller = controller;
  const shard = obj.metadata.labels?.[SHARD_LABEL];
  if (shard) vars.shard = shard;
  const evidence = [...stuck.evidence];
  if (c) {
    evidence.push(`${c.title}${c.evidence.length > 0 ? `: ${c.evidence.join('; ')}` : ''}`);
  }
  const long = stuck.ageMs !== null && stuck.ageMs > STUCK_ERROR_MS;
  return {
    evidence,
    since: stuck.since,
    vars,
    ...(c ? { blockedBy: [c.ref], title: `${title} because ${c.title}` } : { title }),
    ...(c || long ? { severity: 'error' as const } : {}),
  };
}
