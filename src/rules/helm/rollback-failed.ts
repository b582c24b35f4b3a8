import { condition } from '../../flux/conditions';
import { defineRule } from '../define';
import { conditionEvidence } from '../evidence';
import { helmLogsEvidence, helmVars, legacySteps, preflightBlocked, retryEvidence } from './release';

export default defineRule({
  code: 'FD418',
  slug: 'helm-rollback-failed',
  category: 'helm-upgrade-failed',
  severity: 'error',
  kinds: ['HelmRelease'],
  title: 'Rollback after a failed upgrade failed too',
  signals: [
    'Remediated=False RollbackFailed (Ready copies it): Helm rollback to previous release <ns>/<name>.v<N> with chart <chart>@<version> failed: <err>',
    'Stalled=True MissingRollbackTarget: Failed to perform remediation: missing target release for rollback …',
    'Ready=False RollbackFailed: Helm rollback failed: <err> (v2beta1, Flux 2.0/2.1)',
  ],
  explanation: 'The upgrade failed and the upgrade remediation (a Helm rollback to the previous revision) failed as well, or there was no previous revision to roll back to. The release is left in a failed state with a mix of old and new objects: neither the new configuration nor the last good one is guaranteed to be running. The upgrade failure itself is in the Released condition.',
  remediation: [
    { description: 'See the Helm history: the failed upgrade, the failed rollback and the last deployed revision', command: 'helm --kube-context {context} history {releaseName} -n {storageNamespace}' },
    { description: 'Read the failure events with their "Last Helm logs"', command: 'flux --context {context} events --for HelmRelease/{name} -n {namespace}' },
    { description: 'Fix what made the upgrade fail in Git, then force a new upgrade', command: 'flux --context {context} reconcile helmrelease {name} -n {namespace} {forceFlag}' },
    { description: 'If the release must go back first, roll back by hand to the last deployed revision (helm --kube-context {context} rollback {releaseName} <revision> -n {storageNamespace}) with the HelmRelease suspended', command: 'flux --context {context} suspend helmrelease {name} -n {namespace}' },
  ],
  match(obj, { index }) {
    if (preflightBlocked(obj)) return null;
    const remediated = condition(obj, 'Remediated');
    const stalled = condition(obj, 'Stalled');
    const ready = condition(obj, 'Ready');
    const signal = remediated?.status === 'False' && remediated.reason === 'RollbackFailed' ? remediated
      : stalled?.status === 'True' && stalled.reason === 'MissingRollbackTarget' ? stalled
        : ready?.status === 'False' && ready.reason === 'RollbackFailed' ? ready : null;
    if (!signal) return null;
    const evidence = [conditionEvidence(signal)];
    const released = condition(obj, 'Released');
    if (released?.status === 'False') evidence.push(conditionEvidence(released));
    return {
      evidence: [...evidence, ...retryEvidence(obj, signal.type === 'Stalled' ? ['Stalled'] : []), ...helmLogsEvidence(index, obj, ['RollbackFailed', 'UpgradeFailed'])],
      vars: helmVars(obj),
      remediation: legacySteps(obj),
      since: signal.lastTransitionTime ?? null,
      ...(signal.reason === 'MissingRollbackTarget' ? { title: 'Upgrade failed and there is no revision to roll back to' } : {}),
    };
  },
});
