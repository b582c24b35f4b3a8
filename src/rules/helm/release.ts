// Shared reading of helm-controller status: release names, the controller generation, retry and remediation state,
// the chart source. The Helm action errors themselves are classified in failure.ts.
// Formats: fluxcd/helm-controller internal/reconcile/{install,upgrade,test,unlock,rollback_remediation,
// uninstall_remediation,atomic_release}.go and internal/controller/helmrelease_controller.go (Flux 2.2–2.9, plus the
// v2beta1 controller of Flux 2.1 and older: `Helm upgrade failed: <err>`, `upgrade retries exhausted`); the Helm error
// tails from helm/helm pkg/action and pkg/kube (v3.x up to Flux 2.7, v4 from 2.8, whose waits go through
// fluxcd/pkg/ssa: `timeout waiting for: [...]`, `failed early due to stalled resources: [...]`).
import { condition, readyState, type Condition } from '../../flux/conditions';
import { chartOf, ownerOf, refKey, type ObjRef } from '../../flux/refs';
import type { ClusterIndex } from '../../snapshot/indexes';
import type { KubeObject } from '../../snapshot/schema';
import type { RemediationTemplate } from '../types';
import { helmTimeout } from '../timeouts';
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
  const vars: Record<string, string> = { ...names, timeout: helmTimeout(hr).text };
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
 * Whether the object is handled by the helm-controller of Flux 2.1 or older (v0.36 and before, API v2beta1, served since Flux 0.x): a v2beta1/v2beta2
 * object with none of the status fields or conditions the 2.2+ controller always writes (history,
 * lastAttemptedReleaseAction, lastAttemptedConfigDigest, Reconciling/Stalled, lastHandledForceAt/ResetAt).
 */
export function isLegacyController(hr: KubeObject): boolean {
  if (!/\/v2beta[12]$/.test(hr.apiVersion ?? '')) return false;
  const s = hr.status ?? {};
  if (Array.isArray(s.history) || s.lastAttemptedReleaseAction || s.lastAttemptedConfigDigest || s.lastHandledForceAt || s.lastHandledResetAt) return false;
  return !condition(hr, 'Reconciling') && !condition(hr, 'Stalled');
}

/** On the controller of Flux 2.1 and older: how to run the release again without --force/--reset (dropped elsewhere). */
export function legacySteps(hr: KubeObject): RemediationTemplate[] {
  if (!isLegacyController(hr)) return [];
  return [{
    description: 'This HelmRelease is handled by the helm-controller of Flux 2.1 or older, which has no reconcile --force/--reset: once the cause is fixed, suspend and resume it (the new generation resets the failure counters and runs the release again)',
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

/** `Type=Status Reason: first line of the message`, for evidence. */
export function conditionLine(c: Condition): string {
  return `${c.type}=${c.status}${c.reason ? ` ${c.reason}` : ''}${c.message ? `: ${firstLine(c.message)}` : ''}`;
}

/** Whether helm-controller will try again by itself, quoted from Reconciling/Stalled, plus the failure counters. */
export function retryEvidence(hr: KubeObject, skip: string[] = []): string[] {
  const out: string[] = [];
  const stalled = condition(hr, 'Stalled');
  const reconciling = condition(hr, 'Reconciling');
  const counters = failureCounters(hr);
  if (stalled?.status === 'True' && !skip.includes('Stalled')) {
    out.push(`${conditionLine(stalled)} (Stalled: helm-controller will not retry until the spec, chart or values change, or a reconcile with --reset/--force)`);
  } else if (isLegacyController(hr) && counters && !skip.includes('counters') && /retries exhausted$/.test(condition(hr, 'Ready')?.message ?? '')) {
    out.push(`failure counters: ${counters} (Flux 2.1 and older: no retry until the spec, chart or values change; suspend and resume to reset them)`);
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
      evidence: conditionLine(remediated),
      explanation: `helm-controller rolled the release back${to ? ` to ${to[1]} (${to[2]})` : ''}: the cluster runs the previous version, not the one this spec asks for, and Ready stays False (reason RollbackSucceeded) until an upgrade succeeds.`,
    };
  }
  if (remediated.status === 'True' && remediated.reason === 'UninstallSucceeded') {
    return { evidence: conditionLine(remediated), explanation: 'helm-controller uninstalled the failed release (install remediation): nothing of this chart is running now.' };
  }
  return { evidence: conditionLine(remediated), explanation: '' };
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
  // The header shares its line with the first log line: a reader that shows only the first evidence lines would
  // otherwise print it with nothing after it.
  const [first, ...rest] = lines.slice(-max);
  return [`Last Helm logs${count > 1 ? ` (event x${count})` : ''}: ${first}`, ...rest.map((l) => `  ${l}`)];
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
  return c ? `${refKey(ref)}: ${conditionLine(c)}` : `${refKey(ref)}: no Ready condition yet`;
}

/** The flux CLI noun for remediation about another object (ExternalArtifact has only `get sources external`). */
export function nounOf(kind: string): string {
  return cliNoun(kind) ?? (kind === 'ExternalArtifact' ? 'source external' : kind.toLowerCase());
}

export { escapeRegExp, eventTime };
