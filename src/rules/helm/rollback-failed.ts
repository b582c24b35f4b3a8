import { condition } from '../../flux/conditions';
import { fluxKind } from '../../flux/kinds';
import { refKey } from '../../flux/refs';
import type { ClusterIndex } from '../../snapshot/indexes';
import type { RuleHit } from '../types';
import { defineRule } from '../define';
import { conditionEvidence } from '../evidence';
import { FORCE_WITH_SSA, forceWithSsaHint } from './force-hint';
import { helmLogsEvidence, helmVars, legacySteps, preflightBlocked, retryEvidence } from './release';
import { waitedOn, workloadEvidence } from '../workloads';

// The rollback's own error, after `Helm rollback to previous release <ns>/<name>.v<N> with chart <c>@<v> failed: `:
// its waits name the workloads as FD409's do (kstatus lists, Helm v4 waiter lines, `job <name> failed`).
function rollbackHint(index: ClusterIndex, message: string, vars: Record<string, string>): Partial<RuleHit> {
  if (FORCE_WITH_SSA.test(message)) return forceWithSsaHint('rollback');
  const items = waitedOn(message, vars.releaseNamespace ?? '').filter((i) => !fluxKind(i.ref.kind));
  const first = items[0]?.ref;
  if (!first) return {};
  const names = items.map((i) => `${refKey(i.ref)} (${i.status})`);
  const stalled = /failed early due to stalled resources/.test(message);
  return {
    title: `Rollback after a failed upgrade failed too: ${stalled ? 'stalled' : 'not ready'} ${names.slice(0, 2).join(', ')}${names.length > 2 ? ` and ${names.length - 2} more` : ''}`,
    explanation: `The upgrade failed, and the rollback to the previous revision ${stalled ? 'stopped early because a resource it waits on failed' : 'timed out waiting for its resources'}: the previous version does not become ready either, so the problem is likely in the workload or what it needs (image, configuration, storage, a dependency), not only in the new chart version. Fix ${refKey(first)} first; the release is left failed with a mix of old and new objects until an upgrade succeeds.`,
    evidence: items.flatMap((i) => workloadEvidence(index, i.ref)),
    vars: { workloadRef: refKey(first), workloadResource: first.kind.toLowerCase(), workloadName: first.name, workloadNamespace: first.namespace ?? vars.releaseNamespace ?? '' },
    remediation: [{ description: 'Describe the resource the rollback waited on ({workloadRef}): its conditions and events say why it fails', command: 'kubectl --context {context} -n {workloadNamespace} describe {workloadResource} {workloadName}' }],
  };
}

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
    'Ready=False RollbackFailed: Helm rollback failed: <err> (v2beta1, Flux 2.1 and older)',
    "<err> naming what the rollback waited on (failed early due to stalled resources: [<Kind>/<ns>/<name> status: 'Failed'] / timeout waiting for: […], Helm v4 waiter lines, job <name> failed): those workloads, described from the snapshot when it has them",
    '<err> = invalid operation: cannot use force conflicts and force replace together: spec.rollback.force under server-side apply (helm-controller v1.5.0–v1.5.3)',
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
    const vars = helmVars(obj);
    const hint = signal.reason === 'RollbackFailed' ? rollbackHint(index, signal.message ?? '', vars) : {};
    return {
      ...hint,
      evidence: [...evidence, ...(hint.evidence ?? []), ...retryEvidence(obj, signal.type === 'Stalled' ? ['Stalled'] : []), ...helmLogsEvidence(index, obj, ['RollbackFailed', 'UpgradeFailed'])],
      vars: { ...vars, ...(hint.vars ?? {}) },
      remediation: [...(hint.remediation ?? []), ...legacySteps(obj)],
      since: signal.lastTransitionTime ?? null,
      ...(signal.reason === 'MissingRollbackTarget' ? { title: 'Upgrade failed and there is no revision to roll back to' } : {}),
    };
  },
});
