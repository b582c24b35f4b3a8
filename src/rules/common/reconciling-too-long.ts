import { defineRule } from '../define';
import { stuckHit, stuckState } from './stale';
import { OPERATOR_KINDS, controllerSteps } from './steps';

export default defineRule({
  code: 'FD112',
  slug: 'reconciling-too-long',
  category: 'reconcile-stuck',
  severity: 'warning',
  kinds: ['*'],
  fallback: true,
  title: 'Reconciliation in progress far longer than its timeout',
  signals: [
    'Reconciling=True reason Progressing (not ProgressingWithRetry) with Ready Unknown or True',
    'the current attempt (the newer of Reconciling\'s and Ready=Unknown\'s lastTransitionTime) older than max(3 × timeout, 15m); timeout = spec.timeout, else 5m (HelmRelease), 60s (sources), spec.interval',
    'a fallback: silent when a specific rule explains the object (e.g. a Helm release stuck pending); a controller that is not running is FD114',
    'the responsible controller OOMKilled recently → blocked by it (error)',
  ],
  explanation: 'The controller marked the object as reconciling and never finished: no success, no failure, far beyond the time an attempt may take. The typical cause is a controller that was killed in the middle of a reconciliation (OOMKilled, evicted, node lost) and has not come back or has not reached this object again; a controller stuck on a hung network call or an overloaded API server is another. Until it finishes, nothing new is applied.',
  remediation: [
    ...controllerSteps,
    { description: 'Read the events of the object', command: 'flux --context {context} events --for {kind}/{name} -n {namespace}' },
    { description: 'Trigger a new attempt', command: 'flux --context {context} reconcile {noun} {name} -n {namespace}' },
    { description: 'Trigger a new attempt', command: 'kubectl --context {context} -n {namespace} annotate {resource} {name} reconcile.fluxcd.io/requestedAt="$(date +%s)" --overwrite', kinds: OPERATOR_KINDS },
  ],
  match(obj, ctx) {
    const stuck = stuckState(obj, ctx);
    return stuck?.symptom === 'reconciling-too-long' ? stuckHit(stuck, 'Reconciliation in progress far longer than its timeout', obj, ctx) : null;
  },
});
