import { conditionRule } from '../define';
import { conditionEvidence } from '../evidence';
import { kustomizationTimeout } from '../timeouts';
import { ageOf } from '../util';

export default conditionRule({
  code: 'FD318',
  slug: 'health-check-canceled',
  category: 'health-check-failed',
  severity: 'warning',
  kinds: ['Kustomization'],
  title: 'Health checks canceled by a newer revision',
  signals: [
    'Ready=False HealthCheckCanceled (2.8+): New reconciliation triggered by <Kind>/<ns>/<name>',
    'age of the condition: still there after twice spec.timeout → persisting (title says so)',
  ],
  explanation: 'A new source revision arrived while kustomize-controller was waiting for health checks, so it stopped waiting and started over with the new revision. This is transient and expected with frequent commits (a warning, not an error); it only matters when it persists, which means revisions arrive faster than the workloads become ready.',
  remediation: [
    { description: 'Watch the reconciliation of the newest revision', command: 'flux --context {context} events --for Kustomization/{name} -n {namespace}' },
    { description: 'If it persists, slow down the source (spec.interval) or batch commits; check the workloads become ready within spec.timeout', command: 'flux --context {context} get kustomization {name} -n {namespace}' },
  ],
  when: { type: 'Ready', status: 'False', reasons: ['HealthCheckCanceled'] },
  refine(obj, { now }, { condition }) {
    const timeout = kustomizationTimeout(obj)?.ms ?? 5 * 60_000;
    const age = ageOf(condition.lastTransitionTime, now);
    const persisting = age !== null && age > 2 * timeout;
    return {
      evidence: [conditionEvidence(condition)],
      ...(persisting ? { title: 'Health checks keep being canceled by newer revisions' } : {}),
    };
  },
});
