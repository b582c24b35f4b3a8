import { defineRule } from '../define';
import { GRACE_MS, stuckHit, stuckState } from './stale';
import { OPERATOR_KINDS, controllerSteps } from './steps';

export default defineRule({
  code: 'FD110',
  slug: 'reconcile-request-not-handled',
  category: 'reconcile-stuck',
  severity: 'warning',
  kinds: ['*'],
  title: 'Requested reconciliation not handled',
  signals: [
    `metadata.annotations["reconcile.fluxcd.io/requestedAt"] differs from status.lastHandledReconcileAt for more than ${GRACE_MS / 60_000} minutes (the annotation's RFC 3339 or Unix-seconds value gives its age)`,
    'the responsible controller Deployment (shard-aware) unhealthy → blocked by it (error); stuck over 1h → error',
  ],
  explanation: 'Someone (flux reconcile, a webhook Receiver, a CI job) asked for a reconciliation by setting reconcile.fluxcd.io/requestedAt, and the controller never copied the value into status.lastHandledReconcileAt: it has not reconciled the object since. The usual causes are a controller that is down, crash-looping or OOMKilled, a controller whose work queue is saturated by long reconciliations, or a sharded installation where no controller shard watches this object. Its status is as old as the last handled run.',
  remediation: [
    ...controllerSteps,
    { description: 'Request the reconciliation again once the controller runs', command: 'flux --context {context} reconcile {noun} {name} -n {namespace}' },
    { description: 'Request the reconciliation again once the operator runs', command: 'kubectl --context {context} -n {namespace} annotate {resource} {name} reconcile.fluxcd.io/requestedAt="$(date +%s)" --overwrite', kinds: OPERATOR_KINDS },
  ],
  match(obj, ctx) {
    const stuck = stuckState(obj, ctx);
    return stuck?.symptom === 'request-not-handled' ? stuckHit(stuck, 'Requested reconciliation not handled', obj, ctx) : null;
  },
});
