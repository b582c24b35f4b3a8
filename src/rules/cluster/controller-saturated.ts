import { defineRule } from '../define';
import { saturatedControllers } from './controller-saturation';

export default defineRule({
  code: 'FD011',
  slug: 'controller-saturated',
  category: 'controller-unhealthy',
  severity: 'warning',
  kinds: ['Cluster'],
  title: 'Flux controller workers held by reconciliations that time out',
  signals: [
    'kustomize-controller: Kustomizations Ready=False HealthCheckFailed `health check failed after <d>: timeout waiting for: [...]` (before Flux 0.8: `Health check timed out for [...]`), each holding a worker for <d> (else spec.timeout) once per spec.retryInterval (default spec.interval)',
    'helm-controller: HelmReleases (not Stalled) whose install/upgrade wait timed out, each holding a worker for spec.timeout (default 5m) once per `Reconciling=True ProgressingWithRetry: retrying after <d>`, else about once per spec.interval (the controller\'s backoff requeue, an approximation)',
    'the sum over them of hold / (hold + retry) is at least the controller\'s --concurrent (manager container args; 4 when unset), shard Deployments counted separately',
    'objects of that controller whose reconcile requests are not handled (FD110) or whose new source revision is not applied (FD321) are blocked by it',
  ],
  explanation: 'kustomize-controller and helm-controller run at most --concurrent reconciliations at once (4 by default). A Kustomization whose health checks time out keeps a worker busy for its whole spec.timeout, then tries again after spec.retryInterval; a HelmRelease whose wait times out does the same. When there are enough of them, on average every worker is waiting on a timeout, and every other object of that controller waits in the queue: new commits are applied late, `flux reconcile` seems to hang, and healthy objects look stuck although nothing is wrong with them. Fix or stop waiting on the failing ones first; more workers only help if the cluster API and the controller\'s CPU and memory can take them.',
  remediation: [
    { description: 'List the failing {holderKind}s that hold the workers', command: 'flux --context {context} get {holderNoun} -A --status-selector ready=false' },
    { description: 'Fix what their health checks wait for, or wait less: spec.wait: false with explicit spec.healthChecks, a shorter spec.timeout, or a spec.retryInterval longer than spec.timeout so a failing object holds a worker less often (all in Git)' },
    { description: 'See the worker count {name} runs with (--concurrent; 4 when absent)', command: 'kubectl --context {context} -n {namespace} get deploy {name} -o jsonpath=\'{.spec.template.spec.containers[0].args}\'' },
    { description: 'If the workload is simply large, raise --concurrent of {name} (now {concurrent}) through the Flux installation: a patch in flux-system/kustomization.yaml or FluxInstance spec.kustomize.patches (a kubectl edit is reverted by the next reconciliation), with CPU and memory limits to match' },
  ],
  matchCluster({ index }) {
    return [...saturatedControllers(index).values()].map((p) => ({
      object: p.ref,
      title: p.title,
      evidence: p.evidence,
      since: p.since,
      vars: p.vars,
    }));
  },
});
