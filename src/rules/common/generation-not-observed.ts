import { defineRule } from '../define';
import { GRACE_MS, stuckHit, stuckState } from './stale';
import { OPERATOR_KINDS, controllerSteps } from './steps';
import { waitingOnFailed } from '../kustomize/health-wait';
import { listRefs } from '../cluster/failure-text';
import { stateLine } from '../shared';

export default defineRule({
  code: 'FD111',
  slug: 'generation-not-observed',
  category: 'reconcile-stuck',
  severity: 'warning',
  kinds: ['*'],
  title: 'Current spec never processed',
  signals: [
    'metadata.generation greater than the observedGeneration of every condition (the controller has written no condition for the current spec)',
    'conditions without observedGeneration (old controllers): status.observedGeneration < metadata.generation while Ready=True and not Reconciling',
    `spec changed (managedFields) more than ${GRACE_MS / 60_000} minutes ago, or when unknown`,
    'not for a failing Kustomization whose status.observedGeneration lags: it only moves on success and its Ready condition is current; the failure rule explains it',
    'the responsible controller unhealthy → blocked by it (error); stuck over 1h → error',
    'a Kustomization still `running health checks with a timeout of <d>` (Ready=Unknown) while Flux objects of its inventory have failed: the new spec waits for that attempt (before Flux 2.1 it runs to the timeout even then) → blocked by them',
  ],
  explanation: 'The object was changed (a new generation) but its controller has not written a single condition for the new spec, so everything its status says describes the previous spec. A healthy controller picks a change up within seconds; when it does not, the controller is down or restarting, its work queue is saturated (too many long reconciliations for --concurrent), or no controller shard watches the object. Note the difference with a failing Kustomization, whose status.observedGeneration only advances on success: that object has been processed, and its own failure is reported instead.',
  remediation: [
    ...controllerSteps,
    { description: 'See the controller flags (--concurrent, --watch-label-selector, --requeue-dependency)', command: 'kubectl --context {context} -n {fluxNamespace} get deploy {controller} -o jsonpath=\'{.spec.template.spec.containers[0].args}\'' },
    { description: 'Trigger a reconciliation and wait for it', command: 'flux --context {context} reconcile {noun} {name} -n {namespace}' },
    { description: 'Trigger a reconciliation', command: 'kubectl --context {context} -n {namespace} annotate {resource} {name} reconcile.fluxcd.io/requestedAt="$(date +%s)" --overwrite', kinds: OPERATOR_KINDS },
  ],
  match(obj, ctx) {
    const stuck = stuckState(obj, ctx);
    if (stuck?.symptom !== 'generation-not-observed') return null;
    const hit = stuckHit(stuck, 'Current spec never processed', obj, ctx);
    const wait = stuck.controller ? null : waitingOnFailed(obj, ctx.index);
    if (!wait) return hit;
    return {
      ...hit,
      evidence: [...hit.evidence, ...wait.failed.map((r) => stateLine(ctx.index, r))],
      blockedBy: wait.failed,
      title: `New spec waits for a health check that cannot pass: ${listRefs(wait.failed, 2)} failed`,
      explanation: `kustomize-controller is still in the attempt that applied the previous revision, waiting up to ${wait.timeout} for its health checks, and it processes the new spec only when that attempt ends. Flux objects that attempt waits on have already failed, so it will only end at the timeout: kustomize-controller before Flux 2.1 keeps waiting even when a checked HelmRelease or Kustomization has failed (2.1 stops as soon as one fails).`,
      remediation: [
        { description: `Fix ${listRefs(wait.failed, 2)} first (see its finding); the Kustomization then completes its health checks`, command: 'flux --context {context} get all -A --status-selector ready=false' },
        { description: `Or let the attempt time out (${wait.timeout}); upgrading to Flux 2.1 or later ends such waits as soon as a checked object fails`, command: 'flux --context {context} check' },
      ],
      replaceRemediation: true,
    };
  },
});
