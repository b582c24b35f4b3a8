import { condition } from '../../flux/conditions';
import { conditionRule } from '../define';
import { conditionEvidence } from '../evidence';
import { helmLogsEvidence, helmVars, legacySteps, preflightBlocked, retryEvidence } from './release';

export default conditionRule({
  code: 'FD419',
  slug: 'helm-uninstall-remediation-failed',
  category: 'helm-install-failed',
  severity: 'error',
  kinds: ['HelmRelease'],
  title: 'Cleanup after a failed install failed',
  signals: [
    'Remediated=False UninstallFailed: Helm uninstall remediation for release <ns>/<name>.v<N> with chart <chart>@<version> failed: <err>',
  ],
  explanation: 'The install failed and the install remediation (uninstalling the failed release before the next attempt) failed as well, typically on a finalizer, a pre-delete hook or missing permissions. Objects of the failed release may be left behind and block the next install (they then exist outside any release). The install failure itself is in the Released condition.',
  remediation: [
    { description: 'See the Helm history of the release', command: 'helm --kube-context {context} history {releaseName} -n {storageNamespace}' },
    { description: 'Read the failure events with their "Last Helm logs"', command: 'flux --context {context} events --for HelmRelease/{name} -n {namespace}' },
    { description: 'See what the failed release left behind', command: 'kubectl --context {context} get all -A -l helm.toolkit.fluxcd.io/name={name},helm.toolkit.fluxcd.io/namespace={namespace}' },
    { description: 'Fix the cause in Git, then install again', command: 'flux --context {context} reconcile helmrelease {name} -n {namespace} {forceFlag}' },
  ],
  when: { type: 'Remediated', status: 'False', reasons: ['UninstallFailed'] },
  refine(obj, { index }, { condition: remediated }) {
    if (preflightBlocked(obj)) return null;
    const released = condition(obj, 'Released');
    return {
      vars: helmVars(obj),
      remediation: legacySteps(obj),
      evidence: [
        conditionEvidence(remediated),
        ...(released?.status === 'False' ? [conditionEvidence(released)] : []),
        ...retryEvidence(obj),
        ...helmLogsEvidence(index, obj, ['UninstallFailed', 'InstallFailed']),
      ],
    };
  },
});
