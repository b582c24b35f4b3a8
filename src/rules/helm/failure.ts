// Helm action failures: every error helm-controller records for an install, upgrade, test, rollback or uninstall (and
// the ReconcileError/StateError of the reconciler itself) is classified into exactly one class; each release-failure
// rule takes its classes. Formats: see release.ts; the Helm error tails from helm/helm pkg/action and pkg/kube.
import { condition, type Condition } from '../../flux/conditions';
import type { KubeObject } from '../../snapshot/schema';
import { defineRule } from '../define';
import { isBuiltinApiVersion } from '../apiserver-hints';
import { WEBHOOK_DENIED } from '../admission';
export { WEBHOOK_DENIED };
import { conditionEvidence } from '../evidence';
import type { Rule, RuleContext, RuleHit, RuleMeta } from '../types';
import { conditionLine, helmLogsEvidence, helmVars, isFailing, legacySteps, parentEvidence, preflightBlocked, remediationNote, retryEvidence } from './release';
// ---------------------------------------------------------------------------------------------------------------
// Helm action failures (Released=False InstallFailed/UpgradeFailed).

export type HelmErrorClass =
  | 'unreachable' | 'pending' | 'webhook-unavailable' | 'webhook-denied' | 'api-timeout' | 'forbidden' | 'removed-api'
  | 'crd-missing' | 'namespace' | 'hook' | 'conflict' | 'field-conflict' | 'immutable' | 'render' | 'timeout' | 'no-deployed' | 'generic';

// Helm v3 pkg/kube IsReachable: `Kubernetes cluster unreachable: <err>`; Helm v4 (Flux 2.8+) lower-cases it.
const UNREACHABLE = /kubernetes cluster unreachable/i;
const PENDING = /another operation \(install\/upgrade\/rollback\) is in progress/i;
// API server admission: `failed calling webhook "<name>": failed to call webhook: Post "<url>": <err>` (no
// "failed to call webhook" before Kubernetes 1.18). Its tail often ends in `context deadline exceeded`: the webhook
// did not answer, which is no readiness wait.
export const WEBHOOK_UNAVAILABLE = /failed calling webhook "([^"]+)"/;
// A request to the API server that timed out (client timeout, apiserver request timeout, etcd), not a Helm wait.
const API_TIMEOUT = /\b(?:Get|Post|Patch|Put|Delete) "https?:\/\/[^"]+": (?:context deadline exceeded|net\/http: request canceled|dial tcp [^:]+:\d+: i\/o timeout)|the server was unable to return a response in the time allotted|etcdserver: (?:request timed out|leader changed|no leader|too many requests|mvcc: database space exceeded)/i;
// RBAC escalation prevention (see kustomize/apply-hints): `is forbidden: user "<u>" (groups=[…]) is attempting to grant
// RBAC permissions not currently held` — the account lacks what a Role of the chart grants.
const FORBIDDEN = /is forbidden: User "[^"]*" cannot |forbidden: User "[^"]*" cannot |is forbidden: user "[^"]*" \(groups=\[[^\]]*\]\) is attempting to grant RBAC permissions not currently held/i;
// Helm pkg/action upgrade.go/rollback.go: the manifest stored with the deployed revision cannot be mapped any more.
export const REMOVED_API = /current release manifest contains removed kubernetes api\(s\)|unable to build kubernetes objects from current release manifest/i;
const CRD_MISSING = /no matches for kind "|ensure CRDs are installed first|resource mapping not found for name/i;
// NamespaceLifecycle admission refuses objects, the release storage Secret included, in a namespace being deleted.
const NAMESPACE = /\bnamespaces? "[^"]+" not found|unable to create new content in namespace \S+ because it is being terminated/i;
const HOOK = /\b(?:pre|post)-(?:install|upgrade|rollback|delete) hooks? failed|\bfailed (?:pre|post)-(?:install|upgrade)\b|warning: Hook (?:pre|post)-(?:install|upgrade|rollback|delete) /i;
const CONFLICT = /rendered manifests contain a resource that already exists|exists and cannot be imported into the current release|invalid ownership metadata/i;
// Server-side apply (Helm v4, Flux 2.8+): the object belongs to the release, another field manager owns one of its
// fields (apiserver: `Apply failed with N conflict(s): conflict(s) with "<manager>"[ with subresource "<sub>"] using
// <gv>: <field>`); Helm v4 prefixes `conflict occurred while applying object <ns>/<name> <gvk>: `.
const FIELD_CONFLICT = /conflict occurred while applying object|Apply failed with \d+ conflicts?:|conflicts? with "[^"]+"(?: with subresource "[^"]+")?(?: using [^:\s]+)?:/i;
// Storage validation (StorageClass parameters/provisioner/reclaimPolicy, VolumeAttributesClass driverName/parameters):
// `<field>: Forbidden: updates to <field> are forbidden.`
const IMMUTABLE = /field is immutable|\bis immutable\b|Forbidden: updates to \S+ spec for fields other than|Forbidden: updates to \w+ are forbidden/i;
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
  // The rendered manifest decodes into no object: a value of the wrong JSON type where the API type wants another
  // (sigs.k8s.io/json `json: cannot unmarshal <type> into Go struct field …`; json-iterator before Kubernetes 1.23:
  // `<Type>.<Field>: [<Type>.<Field>: …]ReadString: expects " or n`). The chart wrote it from the values: no cluster state changes it.
  'unable to decode "[^"]*": (?:json: cannot unmarshal \\w+ into Go|(?:[\\w.]+: )+Read\\w+: expects )',
].join('|'), 'i');
// A wait that ran out of time: `context deadline exceeded` only as the whole error, a line of its own (Helm v4 joins
// the not-ready resources and ctx.Err() with newlines) or a multierror item; anywhere else it is some request's timeout.
const TIMEOUT = /(?:^|\n|\t\* )\s*context deadline exceeded\s*$|timed out waiting for the condition|timeout waiting for: \[|failed early due to stalled resources|resource not ready, name: |resource \S+ not ready\. status: |\bjob (?:\S+ )?failed: (?:BackoffLimitExceeded|DeadlineExceeded)|would exceed context deadline|rate limiter Wait returned an error: context deadline exceeded/i;
const NO_DEPLOYED = /has no deployed releases/i;
const SCHEMA_ERROR = /^values don't meet the specifications of the schema/;

/** One class per Helm error; order matters: the most specific (or the one whose fix comes first) wins. */
export function classifyHelmError(tail: string): HelmErrorClass {
  // Values are validated before any request to the cluster: a schema error quoting an HTTP failure (a remote $ref) is
  // the chart's, never the API server's.
  if (SCHEMA_ERROR.test(tail)) return 'render';
  if (UNREACHABLE.test(tail)) return 'unreachable';
  if (PENDING.test(tail)) return 'pending';
  // A webhook or API server that does not answer makes any step fail (hooks included): it comes first.
  if (WEBHOOK_UNAVAILABLE.test(tail)) return 'webhook-unavailable';
  if (WEBHOOK_DENIED.test(tail)) return 'webhook-denied';
  if (API_TIMEOUT.test(tail)) return 'api-timeout';
  if (FORBIDDEN.test(tail)) return 'forbidden';
  if (REMOVED_API.test(tail)) return 'removed-api';
  // The new chart renders a built-in kind at an API version the cluster no longer serves: removed, not a missing CRD.
  const unmapped = tail.match(/no matches for kind "[^"]+" in version "([^"]+)"/);
  if (unmapped && isBuiltinApiVersion(unmapped[1]!)) return 'removed-api';
  if (CRD_MISSING.test(tail)) return 'crd-missing';
  if (NAMESPACE.test(tail)) return 'namespace';
  if (HOOK.test(tail)) return 'hook';
  if (CONFLICT.test(tail)) return 'conflict';
  if (FIELD_CONFLICT.test(tail)) return 'field-conflict';
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
  // 2.2+: `Helm upgrade failed for release <ns>/<name> with chart <chart>@<version>: <err>`; 2.1 and older: `Helm upgrade failed: <err>`.
  const m = message.match(/^Helm (?:install|upgrade) failed for release (\S+) with chart (\S+): ([\s\S]*)$/) ?? null;
  // v2beta1 controllers of Flux 0.x wrote `helm upgrade failed: <err>` in lower case.
  const old = m ? null : message.match(/^Helm (?:install|upgrade) failed: ([\s\S]*)$/i);
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

/** Each HelmRelease's failure, parsed and classified once: every release-failure rule (and FD011) asks for it. */
const FAILURES = new WeakMap<KubeObject, ReleaseFailure | null>();

/** The current Helm action failure of a failing HelmRelease (Released first, then Ready), or null. */
export function releaseFailure(hr: KubeObject): Readonly<ReleaseFailure> | null {
  let failure = FAILURES.get(hr);
  if (failure === undefined) FAILURES.set(hr, (failure = findReleaseFailure(hr)));
  return failure;
}

function findReleaseFailure(hr: KubeObject): ReleaseFailure | null {
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
      if (ready && ready !== failure.condition && ready.status === 'False' && ready.message !== failure.condition.message && ready.message !== remediated?.message) evidence.push(conditionLine(ready));
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

