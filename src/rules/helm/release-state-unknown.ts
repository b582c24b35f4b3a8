import { condition } from '../../flux/conditions';
import { defineRule } from '../define';
import { conditionEvidence } from '../evidence';
import { helmVars, legacySteps, retryEvidence } from './release';
import { classifyHelmError, STATE_ERROR } from './failure';
import { clusterStateHint } from './cluster-state-hint';
import { impersonationHint } from './impersonation-hint';
import type { RuleHit } from '../types';

// helm-controller internal/reconcile/state.go (2.2+), after `Could not determine release state: `.
const STUCK_STATUS = /^unable to determine state for release with status '([\w-]+)'/;
const STORAGE = /^failed to retrieve last release from storage: /;
const CLUSTER_STATE = /^unable to determine cluster state: /;

export default defineRule({
  code: 'FD429',
  slug: 'helm-release-state-unknown',
  category: 'reconcile-stuck',
  severity: 'error',
  kinds: ['HelmRelease'],
  title: 'helm-controller cannot determine the state of the Helm release',
  signals: [
    "Ready=False StateError: Could not determine release state: unable to determine state for release with status '<status>' (e.g. uninstalling: an interrupted helm uninstall) (2.2+)",
    '… failed to retrieve last release from storage: <err> / unable to determine cluster state: <err> / failed to verify release object: <err>, when <err> is none of the causes with their own rule (RBAC FD414, API unreachable or slow FD427)',
    "… unable to determine cluster state: <Kind>/<ns>/<name> dry-run failed (<Reason>): <API error>: drift detection's server-side dry-run (spec.driftDetection.mode enabled or warn) refused a release object: the chart renders it invalid; the steps fix the chart or exclude the object from drift detection, not the storage",
    'Ready=False GetLastReleaseFailed: failed to get last release revision[: <err>] (v2beta1, Flux 2.1 and older; without <err> the cause is only in the events and logs)',
    '… serviceaccounts "<sa>" is forbidden: User "<helm-controller>" cannot impersonate resource "serviceaccounts": helm-controller\'s own RBAC lacks impersonate',
  ],
  explanation: 'Before choosing an action, helm-controller reads the latest revision of the release from the Helm storage (the sh.helm.release.v1.* Secrets in the storage namespace) and compares it with the cluster. That failed, so nothing is installed, upgraded or remediated until it works: the storage cannot be read (permissions of the impersonated account, an API error, a corrupt Secret), or the latest revision is in a status helm-controller cannot act on, such as uninstalling after an interrupted `helm uninstall`.',
  remediation: [
    { description: 'See the revisions in the Helm storage and their status', command: 'kubectl --context {context} -n {storageNamespace} get secrets -l owner=helm,name={releaseName} -L status,version' },
    { description: 'See the Helm history', command: 'helm --kube-context {context} history {releaseName} -n {storageNamespace}' },
    { description: 'A revision stuck in {stuckStatus}: finish the interrupted operation by hand (helm --kube-context {context} uninstall {releaseName} -n {storageNamespace}, after which helm-controller installs afresh), or delete that revision\'s storage Secret so the previous one is the latest again', command: 'kubectl --context {context} -n {storageNamespace} delete secret sh.helm.release.v1.{releaseName}.v{stuckRevision}' },
    { description: 'Read the errors helm-controller logged for this release', command: 'flux --context {context} logs --kind=HelmRelease --name={name} -n {namespace} --level=error' },
    { description: 'Check the account helm-controller impersonates may read the storage Secrets', command: 'kubectl --context {context} auth can-i list secrets -n {storageNamespace} --as=system:serviceaccount:{namespace}:{serviceAccount}' },
    { description: 'Retry once fixed', command: 'flux --context {context} reconcile helmrelease {name} -n {namespace}' },
  ],
  match(obj) {
    const ready = condition(obj, 'Ready');
    if (ready?.status !== 'False') return null;
    const vars = helmVars(obj);
    if (typeof obj.spec?.serviceAccountName === 'string') vars.serviceAccount = obj.spec.serviceAccountName;
    let title: string | undefined;
    let hint: Partial<RuleHit> = {};
    const evidence = [conditionEvidence(ready)];
    if (ready.reason === 'StateError') {
      const tail = (ready.message ?? '').match(STATE_ERROR)?.[1] ?? ready.message ?? '';
      // Causes with their own rule (FD414 RBAC, FD427 API, …) are classified from the same tail.
      if (classifyHelmError(tail) !== 'generic') return null;
      const stuck = tail.match(STUCK_STATUS)?.[1];
      if (stuck) {
        vars.stuckStatus = stuck;
        const latest = obj.status?.history?.[0];
        if (latest?.status === stuck && typeof latest.version === 'number') vars.stuckRevision = String(latest.version);
        if (latest) evidence.push(`status.history[0]: ${latest.name ?? ''}.v${latest.version ?? '?'} (${latest.chartName ?? ''}@${latest.chartVersion ?? ''}) is ${latest.status ?? 'unknown'}`);
        title = `Helm release is stuck in status '${stuck}'`;
      } else if (STORAGE.test(tail)) {
        title = 'helm-controller cannot read the Helm release storage';
      } else if (CLUSTER_STATE.test(tail)) {
        title = 'helm-controller cannot compare the release with the cluster';
        hint = clusterStateHint(tail);
      }
    } else if (ready.reason === 'GetLastReleaseFailed') {
      // v2beta1 usually records no cause; some versions append the error (`failed to get last release revision: <err>`).
      const impersonation = impersonationHint(ready.message ?? '', obj.metadata.namespace ?? '');
      if (impersonation) {
        return { ...impersonation, evidence: [...evidence, ...retryEvidence(obj)], vars, since: ready.lastTransitionTime ?? null, remediation: [...(impersonation.remediation ?? []), ...legacySteps(obj)] };
      }
      title = 'helm-controller cannot read the last Helm release revision';
      if (!/failed to get last release revision: \S/.test(ready.message ?? '')) evidence.push('Flux 2.1 and older (v2beta1) record no cause here: the helm-controller log and the HelmRelease events have it (often the impersonated account cannot list Secrets in the storage namespace, or the API timed out)');
    } else {
      return null;
    }
    return {
      ...(title ? { title } : {}),
      ...hint,
      evidence: [...evidence, ...retryEvidence(obj)],
      vars,
      since: ready.lastTransitionTime ?? null,
      remediation: [...(hint.remediation ?? []), ...legacySteps(obj)],
    };
  },
});
