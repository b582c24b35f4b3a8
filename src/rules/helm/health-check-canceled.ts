import { conditionRule } from '../define';
import { conditionEvidence } from '../evidence';
import { helmTimeout } from '../timeouts';
import { ageOf } from '../util';
import { helmVars, newestEvent } from './release';

export default conditionRule({
  code: 'FD424',
  slug: 'helm-health-check-canceled',
  category: 'health-check-failed',
  severity: 'warning',
  kinds: ['HelmRelease'],
  title: 'Helm action wait canceled by a newer reconciliation',
  signals: [
    'Ready=False HealthCheckCanceled (2.8+): New reconciliation triggered by <Kind>/<ns>/<name>',
    'Normal event HealthCheckCanceled: Health checks canceled due to new reconciliation triggered by …',
    'still there after twice the timeout: the release never gets to finish its wait',
  ],
  explanation: 'While helm-controller was waiting for the release\'s resources to become ready, a new reconciliation was requested (a new chart artifact, a values or spec change, a manual reconcile), so it stopped waiting and starts over with the newer input. This is transient and expected while changes arrive; it only matters when it persists, which means new revisions arrive faster than the release becomes ready.',
  remediation: [
    { description: 'Watch the reconciliation of the newest input', command: 'flux --context {context} events --for HelmRelease/{name} -n {namespace}' },
    { description: 'If it persists, see what keeps triggering it ({trigger}) and slow it down (its interval), or make the release become ready within spec.timeout (now {timeout})', command: 'flux --context {context} get helmrelease {name} -n {namespace}' },
  ],
  when: { type: 'Ready', status: 'False', reasons: ['HealthCheckCanceled'] },
  refine(obj, { index, now }, { condition }) {
    const vars = helmVars(obj);
    const trigger = (condition.message ?? '').match(/triggered by (\S+)/)?.[1];
    if (trigger) vars.trigger = trigger;
    const timeout = helmTimeout(obj).ms;
    const age = ageOf(condition.lastTransitionTime, now);
    const persisting = age !== null && age > 2 * timeout;
    const event = newestEvent(index, obj, ['HealthCheckCanceled']);
    const count = typeof event?.count === 'number' && event.count > 1 ? event.count : null;
    return {
      vars,
      evidence: [conditionEvidence(condition), ...(count ? [`canceled ${count} times (event HealthCheckCanceled)`] : [])],
      ...(persisting ? { title: 'Helm action waits keep being canceled by newer reconciliations' } : {}),
    };
  },
});
