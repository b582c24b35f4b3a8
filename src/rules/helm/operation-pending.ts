import { condition } from '../../flux/conditions';
import { defineRule } from '../define';
import { conditionEvidence } from '../evidence';
import type { RuleHit } from '../types';
import { helmTimeout } from '../timeouts';
import { ageOf, formatDuration } from '../util';
import { helmVars, isLegacyController, preflightBlocked, retryEvidence } from './release';
import { releaseFailure } from './failure';

export default defineRule({
  code: 'FD420',
  slug: 'helm-operation-pending',
  category: 'helm-operation-pending',
  severity: 'error',
  kinds: ['HelmRelease'],
  title: 'Helm release stuck in a pending operation',
  signals: [
    'Released=False PendingRelease: Unlocked Helm release <ns>/<name>.v<N> with chart <chart>@<version> in pending-install|pending-upgrade|pending-rollback state (warning: helm-controller marked it failed and goes on)',
    'Released=False PendingRelease: Unlock of Helm release … in <state> state failed: <err> (error)',
    'Released=False InstallFailed/UpgradeFailed: … another operation (install/upgrade/rollback) is in progress',
    'status.history[0].status pending-* while Ready=False, or while Ready=Unknown (action running) for more than twice the timeout: the controller died mid-action',
  ],
  explanation: 'Helm records a release as pending-install/upgrade/rollback while it works on it and refuses any other operation until that state is cleared. A pending state that outlives the action means the Helm process was killed mid-operation (helm-controller restarted, was OOMKilled, or lost its lease) or someone ran helm by hand at the same time. helm-controller unlocks such releases by marking them failed; if that is not possible the release stays stuck.',
  remediation: [
    { description: 'See the Helm history and the status of the latest revision', command: 'helm --kube-context {context} history {releaseName} -n {storageNamespace}' },
    { description: 'See the status labels of the Helm storage Secrets (metadata only)', command: 'kubectl --context {context} -n {storageNamespace} get secrets -l owner=helm,name={releaseName} -L status,version' },
    { description: 'Check helm-controller was not restarted or OOMKilled during the action', command: 'kubectl --context {context} -n {fluxNamespace} get pods -l app=helm-controller' },
    { description: 'Run the release again (from Flux 2.2 on, helm-controller unlocks the pending revision first)', command: 'flux --context {context} reconcile helmrelease {name} -n {namespace} {forceFlag}' },
    { description: 'If it stays stuck: suspend the HelmRelease, roll back by hand (helm --kube-context {context} rollback {releaseName} -n {storageNamespace}) or delete the pending revision\'s storage Secret, then resume', command: 'flux --context {context} suspend helmrelease {name} -n {namespace}' },
  ],
  match(obj, { index, now }) {
    const released = condition(obj, 'Released');
    const ready = condition(obj, 'Ready');
    let hit: RuleHit | null = null;
    if (!preflightBlocked(obj) && released?.status === 'False' && released.reason === 'PendingRelease') {
      const failed = /^Unlock of Helm release .* failed: /s.test(released.message ?? '');
      const state = (released.message ?? '').match(/in (pending-\w+) state/)?.[1];
      hit = {
        evidence: [conditionEvidence(released)],
        since: released.lastTransitionTime ?? null,
        ...(failed ? { title: `Unlocking the Helm release from ${state ?? 'a pending'} state failed` } : { severity: 'warning', title: `Helm release was left in ${state ?? 'a pending'} state and has been unlocked` }),
      };
    }
    const failure = hit ? null : releaseFailure(obj);
    if (failure && failure.klass === 'pending') {
      hit = { evidence: [conditionEvidence(failure.condition)], since: failure.condition.lastTransitionTime ?? null, title: 'Another Helm operation was in progress on this release' };
    }
    const latest = obj.status?.history?.[0];
    if (!hit && typeof latest?.status === 'string' && latest.status.startsWith('pending-') && ready && !preflightBlocked(obj)) {
      const timeout = helmTimeout(obj).ms;
      const age = ageOf(ready.lastTransitionTime, now);
      const stuck = ready.status === 'False' || (ready.status === 'Unknown' && age !== null && age > 2 * timeout);
      if (stuck) {
        hit = {
          evidence: [`status.history[0]: ${latest.name ?? ''}.v${latest.version ?? '?'} (${latest.chartName ?? ''}@${latest.chartVersion ?? ''}) is ${latest.status}`, conditionEvidence(ready)],
          since: ready.lastTransitionTime ?? null,
          title: `Helm release stuck in ${latest.status}${ready.status === 'Unknown' && age !== null ? ` for ${formatDuration(age)}` : ''}`,
        };
      }
    }
    if (!hit) return null;
    const vars = { ...helmVars(obj), fluxNamespace: index.cluster.fluxNamespace };
    const controller = index.controller('helm-controller');
    const restarts = controller?.pods.reduce((n, p) => n + p.restarts, 0) ?? 0;
    const oom = controller?.pods.find((p) => p.lastTermination?.reason === 'OOMKilled');
    if (oom) hit.evidence.push(`helm-controller pod ${oom.name} was OOMKilled${oom.lastTermination?.finishedAt ? ` at ${oom.lastTermination.finishedAt}` : ''} (${restarts} restarts)`);
    else if (restarts > 0) hit.evidence.push(`helm-controller restarted ${restarts} time(s)`);
    hit.evidence.push(...retryEvidence(obj));
    const blockedBy = controller && (oom || !controller.ready) ? [{ kind: 'Deployment', namespace: controller.namespace, name: controller.name }] : [];
    // The controller of Flux 2.1 and older never unlocks a pending release: it keeps failing until someone clears it by hand.
    const legacy = isLegacyController(obj) ? {
      explanation: 'Helm records a release as pending-install/upgrade/rollback while it works on it and refuses any other operation until that state is cleared. A pending state that outlives the action means the Helm process was killed mid-operation (helm-controller restarted, was OOMKilled, or lost its lease) or someone ran helm by hand at the same time. The helm-controller of Flux 2.1 or older (v2beta1) does not unlock such releases (that came with Flux 2.2): it fails on every attempt until the pending revision is cleared by hand.',
    } : {};
    return { ...hit, vars, ...legacy, ...(blockedBy.length > 0 ? { blockedBy } : {}) };
  },
});
