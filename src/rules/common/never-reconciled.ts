import { defineRule } from '../define';
import { GRACE_MS, stuckHit, stuckState } from './stale';
import { controllerSteps } from './steps';

export default defineRule({
  code: 'FD113',
  slug: 'never-reconciled',
  category: 'reconcile-stuck',
  severity: 'warning',
  kinds: ['*'],
  title: 'Never reconciled: no Ready condition',
  signals: [
    `no Ready condition at all, on an object created more than ${GRACE_MS / 60_000} minutes ago (or of unknown age)`,
    'not for kinds without status by design: Alert, Provider (v1beta3), HelmRepository of type oci; not for suspended objects',
    'label sharding.fluxcd.io/key and the --watch-label-selector of the controller Deployments: no controller (shard) selects the object',
    'the responsible controller missing or unhealthy → blocked by its Deployment (error)',
  ],
  explanation: 'No controller has ever reconciled this object: it has no Ready condition (flux get shows "waiting to be reconciled"). Either the controller for its kind is not installed or not running, or the installation is sharded and no controller shard\'s --watch-label-selector selects it (a sharding.fluxcd.io/key label naming a shard that has no controller, or selectors that leave the object out). Nothing it describes has been applied.',
  remediation: [
    { description: 'Check the Flux installation and its controllers', command: 'flux --context {context} check' },
    ...controllerSteps,
    { description: 'See the object\'s labels (sharding.fluxcd.io/key decides which controller shard reconciles it)', command: 'kubectl --context {context} -n {namespace} get {resource} {name} --show-labels' },
  ],
  match(obj, ctx) {
    const stuck = stuckState(obj, ctx);
    return stuck?.symptom === 'never-reconciled' ? stuckHit(stuck, 'Never reconciled', obj, ctx) : null;
  },
});
