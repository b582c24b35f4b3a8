import { conditionRule } from '../define';
import { ageOf } from '../util';
import { attemptTimeout } from '../timeouts';
import { OPERATOR_STEPS } from './messages';

export default conditionRule({
  code: 'FD568',
  slug: 'operator-health-checks-canceled',
  category: 'health-check-failed',
  severity: 'info',
  kinds: ['FluxInstance', 'ResourceSet'],
  title: 'Health checks canceled by a new reconciliation',
  signals: [
    'Ready=False HealthCheckCanceled: New reconciliation triggered by <Kind>/<ns>/<name> (event: Health checks canceled due to new reconciliation triggered by …)',
    'still there after max(2 × timeout, 10m) → warning',
  ],
  explanation: 'While the operator waited for the applied objects to become ready, a change to something it watches queued a new reconciliation, so it stopped waiting and started over. This is transient; when it persists, changes arrive faster than the objects become ready, and the instance or ResourceSet never completes a reconciliation.',
  remediation: [
    ...OPERATOR_STEPS,
    { description: 'Watch the events to see what keeps triggering new reconciliations', command: 'kubectl --context {context} -n {namespace} get events --field-selector involvedObject.name={name} --sort-by=.lastTimestamp' },
  ],
  when: { type: 'Ready', status: 'False', reasons: ['HealthCheckCanceled'] },
  refine(obj, { index, now }, { condition }) {
    const age = ageOf(condition.lastTransitionTime, now);
    const persisting = age !== null && age > Math.max(2 * attemptTimeout(obj), 10 * 60_000);
    return {
      vars: { fluxNamespace: index.cluster.fluxNamespace },
      ...(persisting ? { severity: 'warning' as const, title: 'Health checks keep being canceled by new reconciliations' } : {}),
    };
  },
});
