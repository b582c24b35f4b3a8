import { condition } from '../../flux/conditions';
import { defineRule } from '../define';
import { conditionEvidence } from '../evidence';
import { failureCounters, helmLogsEvidence, helmVars, isLegacyController, legacySteps, parentEvidence, preflightBlocked, remediationNote } from './release';
import { classifyHelmError, type HelmErrorClass } from './failure';

const CAUSE: Record<HelmErrorClass, string> = {
  hook: 'a Helm hook failed',
  timeout: 'resources not ready in time',
  conflict: 'an object already exists outside the release',
  'field-conflict': 'another field manager owns a field of the release',
  'crd-missing': 'a CRD is missing or no longer serves the version the chart uses',
  immutable: 'an immutable field changed',
  namespace: 'the namespace does not exist or is being deleted',
  forbidden: 'forbidden by RBAC',
  render: 'the chart cannot be rendered with these values',
  pending: 'another Helm operation was in progress',
  'no-deployed': 'no deployed revision to upgrade',
  unreachable: 'the target cluster is unreachable',
  'api-timeout': 'the Kubernetes API did not answer in time',
  'webhook-unavailable': 'an admission webhook did not answer',
  'webhook-denied': 'an admission webhook denied an object',
  'removed-api': 'a Kubernetes API version the cluster no longer serves (in the chart or the stored release)',
  generic: '',
};

const LEGACY_EXPLANATION = 'The install or upgrade failed as many times as spec.install/upgrade.remediation.retries allows (the default is 0: a single failure is enough), so the helm-controller of Flux 2.1 or older (API v2beta1) stopped trying: nothing happens on the next interval, even if the cause goes away. It only tries again when the generation, chart version or values change (suspending and resuming the HelmRelease is enough); that controller has no reconcile --force/--reset. The cause is the Released condition quoted below; fix it first.';

const EXPLANATION = 'The install or upgrade failed as many times as spec.install/upgrade.remediation.retries allows (the default is 0: a single failure is enough), so helm-controller stopped trying: the HelmRelease is stalled and nothing happens on the next interval, even if the cause goes away. It only retries when the spec, chart version or values change, or when asked with a --reset or --force reconcile. The cause is the Released condition quoted below; fix it first.';

export default defineRule({
  code: 'FD417',
  consequence: true,
  slug: 'helm-retries-exhausted',
  category: 'helm-retries-exhausted',
  severity: 'error',
  kinds: ['HelmRelease'],
  title: 'Helm remediation retries exhausted',
  signals: [
    'Stalled=True RetriesExceeded: Failed to <install|upgrade> after <N> attempt(s) (2.2+)',
    'Ready=False InstallFailed/UpgradeFailed: install|upgrade retries exhausted (v2beta1 controller, Flux 2.1 and older)',
    'the cause is quoted from Released (InstallFailed/UpgradeFailed) or TestSuccess=False, with Remediated, the failure counters, spec.<action>.remediation.retries and the "Last Helm logs"',
  ],
  explanation: EXPLANATION,
  remediation: [
    { description: 'Find the cause: the Released message and the failure events with their "Last Helm logs"', command: 'flux --context {context} events --for HelmRelease/{name} -n {namespace}' },
    { description: 'See the Helm release history (failed revisions and their descriptions)', command: 'helm --kube-context {context} history {releaseName} -n {storageNamespace}' },
    { description: 'Describe the HelmRelease (conditions, failure counters)', command: 'kubectl --context {context} -n {namespace} describe helmrelease {name}' },
    { description: 'Fix the cause in Git (a new chart version or values resets the failure counters by itself); if the fix is outside Git, reset the counters so helm-controller tries again', command: 'flux --context {context} reconcile helmrelease {name} -n {namespace} {resetFlag}' },
    { description: 'Or force a one-off {action} now, even without changes', command: 'flux --context {context} reconcile helmrelease {name} -n {namespace} {forceFlag}' },
    { description: 'Consider spec.{action}.remediation.retries (now {retries}; -1 retries forever) or, on 2.7+, spec.{action}.strategy.name: RetryOnFailure so transient failures are retried' },
    { description: 'List every HelmRelease that is not ready (a Kustomization that applies a HelmRelease stays Ready when the release fails)', command: 'flux --context {context} get helmreleases -A --status-selector ready=false' },
  ],
  match(obj, { index }) {
    if (preflightBlocked(obj)) return null;
    const stalled = condition(obj, 'Stalled');
    const ready = condition(obj, 'Ready');
    let signal = null;
    let action: string | null = null;
    let attempts: string | null = null;
    if (stalled?.status === 'True' && stalled.reason === 'RetriesExceeded') {
      signal = stalled;
      const m = (stalled.message ?? '').match(/^Failed to (\S+) after (\d+) attempt/);
      action = m?.[1] ?? null;
      attempts = m?.[2] ?? null;
    } else if (ready?.status === 'False' && /^(install|upgrade) retries exhausted$/.test((ready.message ?? '').trim())) {
      signal = ready;
      action = (ready.message ?? '').trim().split(' ')[0]!;
    }
    if (!signal) return null;
    if (action !== 'install' && action !== 'upgrade') action = obj.status?.lastAttemptedReleaseAction === 'install' ? 'install' : 'upgrade';
    const vars: Record<string, string> = { ...helmVars(obj), action };
    const retries = obj.spec?.[action]?.remediation?.retries;
    vars.retries = typeof retries === 'number' ? String(retries) : '0 (default)';
    const evidence = [conditionEvidence(signal)];
    const released = condition(obj, 'Released');
    let cause = '';
    if (released && released.status === 'False') {
      evidence.push(conditionEvidence(released));
      const tail = (released.message ?? '').replace(/^Helm (?:install|upgrade) failed for release \S+ with chart \S+: |^Helm (?:install|upgrade) failed: /i, '');
      if (['InstallFailed', 'UpgradeFailed'].includes(released.reason ?? '')) cause = CAUSE[classifyHelmError(tail)];
    }
    const test = condition(obj, 'TestSuccess');
    if (!cause && test?.status === 'False') {
      evidence.push(conditionEvidence(test));
      cause = 'Helm tests failed';
    }
    if (ready && ready !== signal && ready.message !== test?.message && ready.status === 'False' && ready.message !== released?.message) evidence.push(conditionEvidence(ready));
    const note = remediationNote(obj);
    if (note && !evidence.some((e) => e.startsWith('Remediated='))) evidence.push(note.evidence);
    const counters = failureCounters(obj);
    evidence.push(`spec.${action}.remediation.retries: ${vars.retries}${counters ? `; ${counters}` : ''}`);
    evidence.push(...helmLogsEvidence(index, obj, ['InstallFailed', 'UpgradeFailed', 'TestFailed']), ...parentEvidence(index, obj));
    const legacy = isLegacyController(obj);
    const base = legacy ? LEGACY_EXPLANATION : EXPLANATION;
    const title = `Helm ${action} retries exhausted${attempts ? ` after ${attempts} attempt${attempts === '1' ? '' : 's'}` : ''}${cause ? `: ${cause}` : ''}`;
    return {
      evidence,
      vars,
      title,
      since: signal.lastTransitionTime ?? null,
      ...(note?.explanation ? { explanation: `${base} ${note.explanation}` } : legacy ? { explanation: base } : {}),
      ...(legacy ? { remediation: legacySteps(obj) } : {}),
    };
  },
});
