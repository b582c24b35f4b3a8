import { defineRule } from '../define';
import { stuckHit, stuckState } from './stale';
import { OPERATOR_KINDS, controllerSteps } from './steps';

export default defineRule({
  code: 'FD114',
  slug: 'stale-while-controller-down',
  category: 'reconcile-stuck',
  severity: 'error',
  kinds: ['*'],
  title: 'Status is stale: its controller is not running',
  signals: [
    'Ready=False/Unknown or Stalled=True on an object whose responsible controller Deployment (shard-aware) is not running: not ready, crash-looping, scaled to 0 or missing',
    'blocked by that Deployment, so the controller finding (FD010) becomes the root cause and lists the object',
  ],
  explanation: 'The controller that reconciles this object is not running, so its failure (or progress) status is frozen at the moment the controller went down: it is neither retried nor updated, and may not describe the current spec or source revision. Fix the controller first; the object is reconciled again as soon as it runs, and only a failure that persists after that is real.',
  remediation: [
    ...controllerSteps,
    { description: 'Once the controller runs, reconcile and read the fresh status', command: 'flux --context {context} reconcile {noun} {name} -n {namespace}' },
    { description: 'Once the operator runs, reconcile and read the fresh status', command: 'kubectl --context {context} -n {namespace} annotate {resource} {name} reconcile.fluxcd.io/requestedAt="$(date +%s)" --overwrite', kinds: OPERATOR_KINDS },
  ],
  match(obj, ctx) {
    const stuck = stuckState(obj, ctx);
    return stuck?.symptom === 'failing-controller-down' ? stuckHit(stuck, 'Status is stale', obj, ctx) : null;
  },
});
