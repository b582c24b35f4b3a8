// A HelmRelease whose install or upgrade is still running (or does not wait) while the release's workloads cannot
// start: helm-controller reports the failure only when the action's timeout runs out, or, with disableWait, never.
import { condition } from '../../flux/conditions';
import { defineRule } from '../define';
import { conditionEvidence } from '../evidence';
import { keepsPodsFromStarting, lasting, releaseEvents, troubleOf } from '../workload-trouble';
import { helmVars } from './release';


function skipsWait(hr: { spec?: any }): boolean {
  return hr.spec?.install?.disableWait === true || hr.spec?.upgrade?.disableWait === true;
}

export default defineRule({
  code: 'FD433',
  slug: 'release-workloads-not-starting',
  category: 'health-check-failed',
  severity: 'warning',
  kinds: ['HelmRelease'],
  title: 'Install or upgrade running, but the release\'s workloads cannot start',
  signals: [
    'Ready=Unknown while an install or upgrade runs, or Ready=True with spec.install/upgrade.disableWait',
    'Warning events of the workloads in its status.inventory, and of objects in the release namespace named after the release (`<release>`, `<release>-…`: its Deployments\' ReplicaSets and Pods, StatefulSet claims), saying they cannot start: pods refused (ResourceQuota, PodSecurity, a webhook, a missing ServiceAccount), no volume, unschedulable, image pull failures, missing Secrets/ConfigMaps, no pod sandbox',
    'not for crash loops or failing probes, not once the action failed (FD409 and the other failure rules say why)',
    'only a cause that lasts: the event repeating for 5 minutes and seen in the last 15',
  ],
  explanation: 'helm-controller is waiting for the release\'s resources to become ready, but they cannot start: the action will fail when its timeout runs out (and remediation, if configured, will retry or roll back). With disableWait it reports success at once and never notices. The events of the workloads say why.',
  remediation: [
    { description: 'See the pods of the release namespace and their events', command: 'kubectl --context {context} -n {releaseNamespace} get pods,events --sort-by=.metadata.creationTimestamp' },
  ],
  match(obj, { index, now }) {
    const ready = condition(obj, 'Ready');
    if (!ready || ready.status === 'False' || (ready.status === 'True' && !skipsWait(obj))) return null;
    const vars = helmVars(obj);
    const trouble = troubleOf(releaseEvents(index, obj, vars.releaseNamespace!, vars.releaseName!, now));
    if (!trouble || !keepsPodsFromStarting(trouble) || !lasting(trouble, now)) return null;
    const running = ready.status === 'Unknown';
    return {
      title: running ? `Helm action running, but it cannot succeed: ${trouble.title}` : `Released without waiting, but its workloads cannot start: ${trouble.title}`,
      explanation: `${running ? 'helm-controller is waiting for the release\'s resources, which cannot start: the action will fail when its timeout runs out.' : 'The release does not wait for its resources (disableWait), so helm-controller reports success, but they cannot start.'} ${trouble.explanation}`,
      evidence: [conditionEvidence(ready), trouble.evidence],
      remediation: trouble.remediation,
      vars,
    };
  },
});
