// Shared reading of helm-controller status, so the rules of this family never fight: every Helm action error is
// classified into exactly one class and each release-failure rule takes its classes; the retries-exhausted,
// remediation and test rules read other conditions and are complementary to them.
// Formats: fluxcd/helm-controller internal/reconcile/{install,upgrade,test,unlock,rollback_remediation,
// uninstall_remediation,atomic_release}.go and internal/controller/helmrelease_controller.go (Flux 2.2–2.9, plus the
// v2beta1 controller of Flux 2.0/2.1: `Helm upgrade failed: <err>`, `upgrade retries exhausted`); the Helm error
// tails from helm/helm pkg/action and pkg/kube (v3.x up to Flux 2.7, v4 from 2.8, whose waits go through
// fluxcd/pkg/ssa: `timeout waiting for: [...]`, `failed early due to stalled resources: [...]`).
import { condition, readyState, type Condition } from '../../flux/conditions';
import { chartOf, ownerOf, refKey, type ObjRef } from '../../flux/refs';
import type { ClusterIndex } from '../../snapshot/indexes';
import type { KubeObject } from '../../snapshot/schema';
import { defineRule } from '../define';
import { conditionEvidence } from '../evidence';
import type { RemediationTemplate, Rule, RuleContext, RuleHit, RuleMeta } from '../types';
import { firstLine } from '../util';
import { escapeRegExp, nounOf as cliNoun } from '../shared';
import { releaseNames as releaseNamesOf } from '../../flux/helm';
import { eventTimeMs as eventTime } from '../../snapshot/indexes';

/**
 * Ready reasons of the pre-flight steps (and of a wait canceled by a newer reconciliation, 2.8+): while one of them is
 * current, a Released failure is stale or a side effect, and the Ready reason is the problem to report.
 */
export const PREFLIGHT_REASONS = new Set([
  'DependencyNotReady', 'SourceNotReady', 'HelmChartNotReady', 'ArtifactFailed', 'AccessDenied', 'ValuesError',
  'RESTClientError', 'InvalidCELExpression', 'ChartMutateError', 'ResourceManagerError', 'FactoryError', 'InitFailed',
  'HealthCheckCanceled',
]);

// ---------------------------------------------------------------------------------------------------------------
// Names: release, namespaces, chart.

export { releaseNames, type ReleaseNames } from '../../flux/helm';

/** Vars every rule of this family provides to its remediation templates. */
const HELM_VARS = new WeakMap<KubeObject, Record<string, string>>();

/** Remediation variables of a HelmRelease; every helm rule asks, so they are worked out once per object. */
export function helmVars(hr: KubeObject): Record<string, string> {
  let vars = HELM_VARS.get(hr);
  if (!vars) HELM_VARS.set(hr, (vars = computeHelmVars(hr)));
  return { ...vars };
}

function computeHelmVars(hr: KubeObject): Record<string, string> {
  const names = releaseNamesOf(hr);
  const vars: Record<string, string> = { ...names, timeout: typeof hr.spec?.timeout === 'string' ? hr.spec.timeout : '5m0s (default)' };
  // `flux reconcile helmrelease --force/--reset` act through annotations helm-controller reads only from Flux 2.2 on:
  // steps that use them are dropped for the older controller (legacySteps offers what works there).
  if (!isLegacyController(hr)) {
    vars.forceFlag = '--force';
    vars.resetFlag = '--reset';
  }
  const chart = hr.spec?.chart?.spec;
  if (typeof chart?.chart === 'string') vars.chartName = chart.chart;
  if (typeof chart?.version === 'string') vars.chartVersionSpec = chart.version;
  const latest = hr.status?.history?.[0];
  if (typeof latest?.chartVersion === 'string') vars.deployedVersion = latest.chartVersion;
  return vars;
}

// ---------------------------------------------------------------------------------------------------------------
// Controller generation.

/**
 * Whether the object is handled by the helm-controller of Flux 2.0/2.1 (v0.36, API v2beta1): a v2beta1/v2beta2
 * object with none of the status fields or conditions the 2.2+ controller always writes (history,
 * lastAttemptedReleaseAction, lastAttemptedConfigDigest, Reconciling/Stalled, lastHandledForceAt/ResetAt).
 */
export function isLegacyController(hr: KubeObject): boolean {
  if (!/\/v2beta[12]$/.test(hr.apiVersion ?? '')) return false;
  const s = hr.status ?? {};
  if (Array.isArray(s.history) || s.lastAttemptedReleaseAction || s.lastAttemptedConfigDigest || s.lastHandledForceAt || s.lastHandledResetAt) return false;
  return !condition(hr, 'Reconciling') && !condition(hr, 'Stalled');
}

/** On the Flux 2.0/2.1 controller: how to run the release again without --force/--reset (dropped elsewhere). */
export function legacySteps(hr: KubeObject): RemediationTemplate[] {
  if (!isLegacyController(hr)) return [];
  return [{
    description: 'This HelmRelease is handled by the helm-controller of Flux 2.0/2.1, which has no reconcile --force/--reset: once the cause is fixed, suspend and resume it (the new generation resets the failure counters and runs the release again)',
    command: 'flux --context {context} suspend helmrelease {name} -n {namespace} && flux --context {context} resume helmrelease {name} -n {namespace}',
  }];
}

// ---------------------------------------------------------------------------------------------------------------
// State.

/** Ready=False or Stalled=True: a settled failure (Ready=Unknown means an action or a retry is running). */
export function isFailing(hr: KubeObject): boolean {
  return condition(hr, 'Stalled')?.status === 'True' || condition(hr, 'Ready')?.status === 'False';
}

/** Ready=False for a pre-flight reason: the current problem is before any Helm action. */
export function preflightBlocked(hr: KubeObject): boolean {
  const ready = condition(hr, 'Ready');
  return ready?.status === 'False' && PREFLIGHT_REASONS.has(ready.reason ?? '');
}

function line(c: Condition): string {
  return `${c.type}=${c.status}${c.reason ? ` ${c.reason}` : ''}${c.message ? `: ${firstLine(c.message)}` : ''}`;
}

/** Whether helm-controller will try again by itself, quoted from Reconciling/Stalled, plus the failure counters. */
export function retryEvidence(hr: KubeObject, skip: string[] = []): string[] {
  const out: string[] = [];
  const stalled = condition(hr, 'Stalled');
  const reconciling = condition(hr, 'Reconciling');
  const counters = failureCounters(hr);
  if (stalled?.status === 'True' && !skip.includes('Stalled')) {
    out.push(`${line(stalled)} (Stalled: helm-controller will not retry until the spec, chart or values change, or a reconcile with --reset/--force)`);
  } else if (isLegacyController(hr) && counters && !skip.includes('counters') && /retries exhausted$/.test(condition(hr, 'Ready')?.message ?? '')) {
    out.push(`failure counters: ${counters} (Flux 2.0/2.1: no retry until the spec, chart or values change; suspend and resume to reset them)`);
  } else if (reconciling?.status === 'True' && reconciling.reason === 'ProgressingWithRetry' && !skip.includes('Reconciling')) {
    const after = reconciling.message && /^retrying after /.test(reconciling.message) ? ` ${reconciling.message.slice('retrying '.length)}` : '';
    out.push(`Reconciling=True ProgressingWithRetry: helm-controller will retry${after}${counters ? ` (${counters})` : ''}`);
  } else if (counters && !skip.includes('counters')) {
    out.push(`failure counters: ${counters}`);
  }
  return out;
}

export function failureCounters(hr: KubeObject): string {
  const s = hr.status ?? {};
  const parts: string[] = [];
  for (const key of ['failures', 'installFailures', 'upgradeFailures']) if (typeof s[key] === 'number' && s[key] > 0) parts.push(`${key}: ${s[key]}`);
  return parts.join(', ');
}

/** The Remediated condition after a rollback/uninstall remediation: the live release is not the attempted one. */
export function remediationNote(hr: KubeObject): { evidence: string; explanation: string } | null {
  const remediated = condition(hr, 'Remediated');
  if (!remediated) return null;
  if (remediated.status === 'True' && remediated.reason === 'RollbackSucceeded') {
    const to = remediated.message?.match(/previous release (\S+) with chart (\S+)/);
    return {
      evidence: line(remediated),
      explanation: `helm-controller rolled the release back${to ? ` to ${to[1]} (${to[2]})` : ''}: the cluster runs the previous version, not the one this spec asks for, and Ready stays False (reason RollbackSucceeded) until an upgrade succeeds.`,
    };
  }
  if (remediated.status === 'True' && remediated.reason === 'UninstallSucceeded') {
    return { evidence: line(remediated), explanation: 'helm-controller uninstalled the failed release (install remediation): nothing of this chart is running now.' };
  }
  return { evidence: line(remediated), explanation: '' };
}

/** The `Last Helm logs` lines of the newest Warning event with one of these reasons (helm-controller appends them to failure events). */
export function helmLogs(index: ClusterIndex, hr: KubeObject, reasons: string[]): { lines: string[]; count: number } {
  const ref = { kind: 'HelmRelease', namespace: hr.metadata.namespace, name: hr.metadata.name };
  const event = index.eventsFor(ref).find((e) => e.type === 'Warning' && reasons.includes(e.reason ?? ''));
  const message: string = event?.message ?? event?.note ?? '';
  const at = message.indexOf('Last Helm logs:');
  if (!event || at < 0) return { lines: [], count: 0 };
  const lines = message.slice(at + 'Last Helm logs:'.length).split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
  return { lines, count: typeof event.count === 'number' ? event.count : 1 };
}

export function helmLogsEvidence(index: ClusterIndex, hr: KubeObject, reasons: string[], max = 4): string[] {
  const { lines, count } = helmLogs(index, hr, reasons);
  if (lines.length === 0) return [];
  return [`Last Helm logs${count > 1 ? ` (event x${count})` : ''}:`, ...lines.slice(-max).map((l) => `  ${l}`)];
}

/** The newest event about the HelmRelease with one of these reasons. */
export function newestEvent(index: ClusterIndex, hr: KubeObject, reasons: string[], type?: string): KubeObject | undefined {
  const ref = { kind: 'HelmRelease', namespace: hr.metadata.namespace, name: hr.metadata.name };
  return index.eventsFor(ref).find((e) => reasons.includes(e.reason ?? '') && (!type || e.type === type));
}


/**
 * "Failed silently": the Kustomization that applies this HelmRelease reports Ready=True, because without spec.wait
 * or a health check on the HelmRelease it only checks the HelmRelease object was applied.
 */
export function parentEvidence(index: ClusterIndex, hr: KubeObject): string[] {
  const owner = ownerOf(hr);
  if (!owner || owner.kind !== 'Kustomization') return [];
  const parent = index.get(owner);
  if (!parent || readyState(parent) !== 'ready') return [];
  return [`${refKey(owner)} (which applies this HelmRelease) reports Ready=True: without spec.wait or a health check on the HelmRelease it does not wait for the release, so this failure is silent there`];
}

// ---------------------------------------------------------------------------------------------------------------
// Helm action failures (Released=False InstallFailed/UpgradeFailed).

export type HelmErrorClass =
  | 'unreachable' | 'pending' | 'webhook-unavailable' | 'webhook-denied' | 'api-timeout' | 'forbidden' | 'removed-api'
  | 'crd-missing' | 'namespace' | 'hook' | 'conflict' | 'immutable' | 'render' | 'timeout' | 'no-deployed' | 'generic';

// Helm v3 pkg/kube IsReachable: `Kubernetes cluster unreachable: <err>`; Helm v4 (Flux 2.8+) lower-cases it.
const UNREACHABLE = /kubernetes cluster unreachable/i;
const PENDING = /another operation \(install\/upgrade\/rollback\) is in progress/i;
// API server admission: `failed calling webhook "<name>": failed to call webhook: Post "<url>": <err>` (no
// "failed to call webhook" before Kubernetes 1.18). Its tail often ends in `context deadline exceeded`: the webhook
// did not answer, which is no readiness wait.
export const WEBHOOK_UNAVAILABLE = /failed calling webhook "([^"]+)"/;
export const WEBHOOK_DENIED = /admission webhook "([^"]+)" denied the request/;
// A request to the API server that timed out (client timeout, apiserver request timeout, etcd), not a Helm wait.
const API_TIMEOUT = /\b(?:Get|Post|Patch|Put|Delete) "https?:\/\/[^"]+": (?:context deadline exceeded|net\/http: request canceled|dial tcp [^:]+:\d+: i\/o timeout)|the server was unable to return a response in the time allotted|etcdserver: request timed out/i;
const FORBIDDEN = /is forbidden: User "[^"]*" cannot |forbidden: User "[^"]*" cannot /i;
// Helm pkg/action upgrade.go/rollback.go: the manifest stored with the deployed revision cannot be mapped any more.
const REMOVED_API = /current release manifest contains removed kubernetes api\(s\)|unable to build kubernetes objects from current release manifest/i;
const CRD_MISSING = /no matches for kind "|ensure CRDs are installed first|resource mapping not found for name/i;
const NAMESPACE = /\bnamespaces? "[^"]+" not found/i;
const HOOK = /\b(?:pre|post)-(?:install|upgrade|rollback|delete) hooks? failed|\bfailed (?:pre|post)-(?:install|upgrade)\b|warning: Hook (?:pre|post)-(?:install|upgrade|rollback|delete) /i;
const CONFLICT = /rendered manifests contain a resource that already exists|exists and cannot be imported into the current release|invalid ownership metadata|Apply failed with \d+ conflicts?:|conflicts? with "[^"]+"(?: using [^:]+)?:/i;
const IMMUTABLE = /field is immutable|\bis immutable\b|Forbidden: updates to \S+ spec for fields other than/i;
const RENDER = new RegExp([
  'execution error at \\(',
  'YAML parse error on ',
  'parse error at \\(',
  'template: [^\\s:]+:\\d+(?::\\d+)?: ',
  'values don\'t meet the specifications of the schema',
  'error validating "[^"]*": error validating data',
  'error validating data: ',
  'error converting YAML to JSON',
  'function "[^"]+" not defined',
  'unable to parse YAML',
].join('|'), 'i');
// A wait that ran out of time: `context deadline exceeded` only as the whole error, a line of its own (Helm v4 joins
// the not-ready resources and ctx.Err() with newlines) or a multierror item; anywhere else it is some request's timeout.
const TIMEOUT = /(?:^|\n|\t\* )\s*context deadline exceeded\s*$|timed out waiting for the condition|timeout waiting for: \[|failed early due to stalled resources|resource not ready, name: |resource \S+ not ready\. status: |\bjob (?:\S+ )?failed: (?:BackoffLimitExceeded|DeadlineExceeded)|would exceed context deadline|rate limiter Wait returned an error: context deadline exceeded/i;
const NO_DEPLOYED = /has no deployed releases/i;

/** One class per Helm error; order matters: the most specific (or the one whose fix comes first) wins. */
export function classifyHelmError(tail: string): HelmErrorClass {
  if (UNREACHABLE.test(tail)) return 'unreachable';
  if (PENDING.test(tail)) return 'pending';
  // A webhook or API server that does not answer makes any step fail (hooks included): it comes first.
  if (WEBHOOK_UNAVAILABLE.test(tail)) return 'webhook-unavailable';
  if (WEBHOOK_DENIED.test(tail)) return 'webhook-denied';
  if (API_TIMEOUT.test(tail)) return 'api-timeout';
  if (FORBIDDEN.test(tail)) return 'forbidden';
  if (REMOVED_API.test(tail)) return 'removed-api';
  if (CRD_MISSING.test(tail)) return 'crd-missing';
  if (NAMESPACE.test(tail)) return 'namespace';
  if (HOOK.test(tail)) return 'hook';
  if (CONFLICT.test(tail)) return 'conflict';
  if (IMMUTABLE.test(tail)) return 'immutable';
  if (RENDER.test(tail)) return 'render';
  if (TIMEOUT.test(tail)) return 'timeout';
  if (NO_DEPLOYED.test(tail)) return 'no-deployed';
  return 'generic';
}

export interface ReleaseFailure {
  /** The condition holding the Helm error: Released=False, or Ready=False on older controllers. */
  condition: Condition;
  action: 'install' | 'upgrade';
  /** `<ns>/<name>` of the Helm release and `<chart>@<version>`, when the message names them. */
  release: string | null;
  chart: string | null;
  /** The Helm error. */
  tail: string;
  klass: HelmErrorClass;
  /**
   * Where the error comes from: an install/upgrade, or (Ready=False) `ReconcileError` (an action failed while Ready was
   * True, e.g. drift correction) or `StateError` (reading the release state failed before any action). For the last two
   * only the classes with their own cause are reported by the class rules; the generic ones are left to their own rules.
   */
  source: 'action' | 'ReconcileError' | 'StateError';
}

const FAILED_REASON: Record<string, 'install' | 'upgrade'> = { InstallFailed: 'install', UpgradeFailed: 'upgrade' };

function parseFailure(c: Condition): ReleaseFailure | null {
  const action = FAILED_REASON[c.reason ?? ''];
  if (!action || c.status !== 'False') return null;
  const message = c.message ?? '';
  // 2.2+: `Helm upgrade failed for release <ns>/<name> with chart <chart>@<version>: <err>`; 2.0/2.1: `Helm upgrade failed: <err>`.
  const m = message.match(/^Helm (?:install|upgrade) failed for release (\S+) with chart (\S+): ([\s\S]*)$/) ?? null;
  const old = m ? null : message.match(/^Helm (?:install|upgrade) failed: ([\s\S]*)$/);
  const tail = (m ? m[3] : old ? old[1] : message) ?? '';
  // v2beta1 Ready copies only `upgrade retries exhausted`: not a Helm error.
  if (!m && !old && /^(?:install|upgrade) retries exhausted$/.test(message.trim())) return null;
  return { condition: c, action, release: m?.[1] ?? null, chart: m?.[2] ?? null, tail, klass: classifyHelmError(tail), source: 'action' };
}

/** StateError tails (helm-controller internal/reconcile/state.go) after `Could not determine release state: `. */
export const STATE_ERROR = /^Could not determine release state: ([\s\S]*)$/;

/** Ready=False ReconcileError / StateError (2.2+): the raw error, classified like a Helm action error. */
function parseReadyError(hr: KubeObject, c: Condition): ReleaseFailure | null {
  if (c.status !== 'False' || (c.reason !== 'ReconcileError' && c.reason !== 'StateError')) return null;
  const message = c.message ?? '';
  const tail = c.reason === 'StateError' ? message.match(STATE_ERROR)?.[1] ?? message : message;
  const action = hr.status?.lastAttemptedReleaseAction === 'install' ? 'install' : 'upgrade';
  return { condition: c, action, release: null, chart: null, tail, klass: classifyHelmError(tail), source: c.reason };
}

/** The current Helm action failure of a failing HelmRelease (Released first, then Ready), or null. */
export function releaseFailure(hr: KubeObject): ReleaseFailure | null {
  if (!isFailing(hr) || preflightBlocked(hr)) return null;
  const released = condition(hr, 'Released');
  const fromReleased = released ? parseFailure(released) : null;
  if (fromReleased) return fromReleased;
  const ready = condition(hr, 'Ready');
  return ready ? parseFailure(ready) ?? parseReadyError(hr, ready) : null;
}

export interface ReleaseFailureRuleSpec extends RuleMeta {
  classes: HelmErrorClass[];
  actions?: ('install' | 'upgrade')[];
  /** Extra vars/evidence/title for the hit; return null to reject. */
  enrich?(obj: KubeObject, ctx: RuleContext, failure: ReleaseFailure, vars: Record<string, string>): Partial<RuleHit> | null;
  /** Also match Ready=False with this remediation reason when no Helm error is recorded (the generic rules). */
  remediatedReason?: 'RollbackSucceeded' | 'UninstallSucceeded';
}

/** Ready=False RollbackSucceeded/UninstallSucceeded with no Helm error left in Released (it was overwritten). */
function remediatedOnly(obj: KubeObject, reason: string): ReleaseFailure | null {
  if (!isFailing(obj) || preflightBlocked(obj)) return null;
  const ready = condition(obj, 'Ready');
  if (ready?.status !== 'False' || ready.reason !== reason) return null;
  const released = condition(obj, 'Released');
  if (released && (released.status === 'True' || parseFailure(released))) return null;
  // After failed Helm tests the release itself succeeded (Released=True …Succeeded): the test rule explains it.
  if (condition(obj, 'TestSuccess')?.status === 'False') return null;
  return { condition: ready, action: reason === 'RollbackSucceeded' ? 'upgrade' : 'install', release: null, chart: null, tail: '', klass: 'generic', source: 'action' };
}

/** A rule for one or more classes of Helm action failure, with the shared evidence (retry state, remediation, Helm logs). */
export function releaseFailureRule(spec: ReleaseFailureRuleSpec): Rule {
  const { classes, actions, enrich, remediatedReason, ...meta } = spec;
  return defineRule({
    ...meta,
    match(obj, ctx) {
      const failure = releaseFailure(obj) ?? (remediatedReason ? remediatedOnly(obj, remediatedReason) : null);
      if (!failure || !classes.includes(failure.klass)) return null;
      // A generic ReconcileError/StateError is no failed install or upgrade: other rules (or the fallback) report it.
      if (failure.source !== 'action' && failure.klass === 'generic') return null;
      if (actions && !actions.includes(failure.action)) return null;
      const vars: Record<string, string> = { ...helmVars(obj), action: failure.action };
      if (failure.release) {
        const [ns, name] = failure.release.split('/');
        if (ns && name) {
          vars.releaseNamespace = ns;
          vars.releaseName = name;
        }
      }
      const extra = enrich ? enrich(obj, ctx, failure, vars) : {};
      if (extra === null) return null;
      const note = remediationNote(obj);
      const ready = condition(obj, 'Ready');
      const remediated = condition(obj, 'Remediated');
      const evidence = [conditionEvidence(failure.condition)];
      // Ready copies Remediated (RollbackSucceeded…) or Released: quote each message once.
      if (ready && ready !== failure.condition && ready.status === 'False' && ready.message !== failure.condition.message && ready.message !== remediated?.message) evidence.push(line(ready));
      if (note && !evidence.includes(note.evidence)) evidence.push(note.evidence);
      evidence.push(...(extra.evidence ?? []), ...retryEvidence(obj), ...helmLogsEvidence(ctx.index, obj, ['InstallFailed', 'UpgradeFailed']), ...parentEvidence(ctx.index, obj));
      const explanation = note?.explanation ? `${extra.explanation ?? meta.explanation} ${note.explanation}` : extra.explanation;
      const rolledBack = remediated?.status === 'True' ? remediated.message?.match(/previous release (\S+) with chart/)?.[1] : undefined;
      const title = extra.title ?? meta.title;
      const legacy = legacySteps(obj);
      return {
        ...extra,
        ...(legacy.length > 0 || extra.remediation ? { remediation: [...(extra.remediation ?? []), ...legacy] } : {}),
        title: remediated?.status === 'True' ? `${title} (${rolledBack ? `rolled back to ${rolledBack}` : remediated.reason === 'UninstallSucceeded' ? 'uninstalled by remediation' : 'remediated'})` : title,
        evidence,
        vars: { ...vars, ...(extra.vars ?? {}) },
        since: failure.condition.lastTransitionTime ?? null,
        ...(explanation ? { explanation } : {}),
      };
    },
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Chart source.

/** The chart object (HelmChart/OCIRepository/ExternalArtifact), and its own source when that one is failing. */
export function chartBlockers(index: ClusterIndex, hr: KubeObject, named: ObjRef | null): ObjRef[] {
  const chart = named ?? chartOf(hr);
  if (!chart) return [];
  const out: ObjRef[] = [];
  const chartObj = index.get(chart);
  // HelmChart → HelmRepository/GitRepository/Bucket: when that source fails, it is the deeper cause; listing it first
  // lets the linker reach it even when the HelmChart's own finding does not point at it.
  if (chartObj?.kind === 'HelmChart') {
    const src = chartObj.spec?.sourceRef;
    if (src?.kind && src?.name) {
      const srcRef: ObjRef = { kind: src.kind, namespace: src.namespace ?? chartObj.metadata.namespace, name: src.name };
      const srcObj = index.get(srcRef);
      if (srcObj && ['failing', 'suspended'].includes(readyState(srcObj))) out.push(srcRef);
    }
  }
  out.push(chart);
  return out;
}

export function objectLine(index: ClusterIndex, ref: ObjRef): string {
  const obj = index.get(ref);
  if (!obj) return `${refKey(ref)}: not found in the snapshot`;
  const state = readyState(obj);
  if (state === 'suspended') return `${refKey(ref)}: suspended (spec.suspend: true)`;
  const stalled = condition(obj, 'Stalled');
  const ready = condition(obj, 'Ready');
  const c = stalled?.status === 'True' ? stalled : ready;
  return c ? `${refKey(ref)}: ${line(c)}` : `${refKey(ref)}: no Ready condition yet`;
}

/** The flux CLI noun for remediation about another object (ExternalArtifact has only `get sources external`). */
export function nounOf(kind: string): string {
  return cliNoun(kind) ?? (kind === 'ExternalArtifact' ? 'source external' : kind.toLowerCase());
}

export { escapeRegExp, eventTime };
