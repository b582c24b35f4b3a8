import { fluxKind } from '../../flux/kinds';
import { ownerOf, refKey, type ObjRef } from '../../flux/refs';
import { defineRule } from '../define';
import { conditionEvidence } from '../evidence';
import { customResourceHint, forbiddenHint, healthCheckFailure, healthCheckItems, healthCheckTrouble, namespacedClusterKindHint, terminatingHint, unmappedKindHint } from './health-hints';
import { ksVars, revisionEvidence, stateLine } from './messages';
import { workloadEvidence } from '../workloads';

export default defineRule({
  code: 'FD317',
  slug: 'health-check-failed',
  category: 'health-check-failed',
  severity: 'error',
  kinds: ['Kustomization'],
  title: 'Health checks failed',
  signals: [
    "Ready=False HealthCheckFailed: [health check failed after <d>: ]timeout waiting for: [<Kind>/<ns>/<name> status: '<kstatus>', …]",
    "… failed early due to stalled resources: [<Kind>/<ns>/<name> status: 'Failed', …] / can't determine status for <Kind>/<ns>/<name> / <Kind>/<ns>/<name> (unknown status) (Flux 2.0–2.2)",
    "… Health check timed out for [<plural>.<group> '<ns>/<name>', …] (kustomize-controller before Flux 0.8)",
    "items with status 'Terminating': objects stuck in deletion (finalizers), not a slow rollout",
    'Healthy=False HealthCheckFailed (spec.wait or spec.healthChecks)',
    '… (status \'Unknown\'): no matches for kind "<Kind>" in group|version "<g>": the health check cannot look the kind up (a spec.healthChecks entry with the wrong apiVersion, e.g. Job as v1 instead of batch/v1, or a CRD not installed)',
    "… <Kind>/<ns>/<name>: 'Unknown': <resource> is forbidden: User \"<user>\" cannot get|list|watch resource …: the account may apply but not read the objects it waits for (RBAC, not the timeout)",
    'items that are all custom resources (their group, from status.inventory or spec.healthChecks, is not one Kubernetes serves itself): the operator\'s status conditions, the operator itself, and spec.healthCheckExprs (Flux 2.5+) for a status kstatus cannot read, instead of pods and the timeout',
    'listed Flux objects (HelmRelease, Kustomization…) become the root cause; listed workloads are described from the snapshot when it has them',
    'why the listed workloads never became ready, from the Warning events of them, their ReplicaSets, Pods and claims (status keeps these): pods refused by a ResourceQuota, PodSecurity, a webhook or a missing ServiceAccount, a missing StorageClass, unschedulable pods, image pulls, missing Secrets/ConfigMaps, crash loops, failing probes; the cause is the title and its steps come first, without the "raise spec.timeout" step',
  ],
  explanation: 'The revision was applied, but the objects kustomize-controller waits for (every applied object with spec.wait: true, or those in spec.healthChecks) did not become ready within spec.timeout. Usually a workload cannot start (ImagePullBackOff, CrashLoopBackOff, failing probes, unschedulable pods, a missing Secret or ConfigMap) or a listed HelmRelease failed. The Kustomization stays not ready and its dependents wait; the objects themselves stay applied.',
  remediation: [
    { description: 'See the Flux object it waits on ({blockerRef})', command: 'flux --context {context} get {blockerNoun} {blockerName} -n {blockerNamespace}' },
    { description: 'Read that object\'s events', command: 'flux --context {context} events --for {blockerKind}/{blockerName} -n {blockerNamespace}' },
    { description: 'Describe the workload that is not ready ({workloadRef})', command: 'kubectl --context {context} -n {workloadNamespace} describe {workloadResource} {workloadName}' },
    { description: 'Look at its pods (ImagePullBackOff, CrashLoopBackOff, Pending) and their recent events', command: 'kubectl --context {context} -n {workloadNamespace} get pods,events --sort-by=.metadata.creationTimestamp' },
    { description: 'If the workloads are healthy but slow to become ready, raise spec.timeout (now {timeout}) in Git' },
    { description: 'Run the health checks again', command: 'flux --context {context} reconcile kustomization {name} -n {namespace}' },
  ],
  match(obj, { index, now }) {
    const failed = healthCheckFailure(obj);
    if (!failed) return null;
    const message = failed.message ?? '';
    const items = healthCheckItems(message);
    const vars = ksVars(obj, index);
    const evidence = [conditionEvidence(failed), ...revisionEvidence(obj)];
    // The status could not be read (RBAC): the objects listed are not the cause, so no blockers and no workload steps.
    const forbidden = forbiddenHint(message, obj);
    if (forbidden) {
      const { vars: rbacVars, ...hint } = forbidden;
      // Without {timeout} the "raise spec.timeout" step is left out: waiting longer cannot help here.
      const { timeout: _timeout, ...rest } = vars;
      return { ...hint, evidence, vars: { ...rest, ...rbacVars }, since: failed.lastTransitionTime ?? null, ...(failed.type === 'Healthy' ? { severity: 'warning' as const } : {}) };
    }
    const unmapped = unmappedKindHint(message, obj);
    if (unmapped) {
      const { timeout: _timeout, ...rest } = vars;
      return { ...unmapped, evidence, vars: rest, since: failed.lastTransitionTime ?? null, ...(failed.type === 'Healthy' ? { severity: 'warning' as const } : {}) };
    }
    const blockedBy: ObjRef[] = [];
    let workload: ObjRef | null = null;
    for (const item of items) {
      if (fluxKind(item.ref.kind)) {
        // A Flux object the health check waits on: its own finding (if it has one) is the cause.
        blockedBy.push(item.ref);
        if (index.get(item.ref)) evidence.push(stateLine(index, item.ref));
        continue;
      }
      workload ??= item.ref;
      evidence.push(...workloadEvidence(index, item.ref));
      // A workload rendered by a HelmRelease: the release is what to look at.
      const w = index.resource(item.ref);
      const owner = w ? ownerOf(w) : null;
      if (owner?.kind === 'HelmRelease' && index.get(owner)) {
        blockedBy.push(owner);
        evidence.push(stateLine(index, owner));
      }
    }
    const blocker = blockedBy[0];
    if (blocker) {
      vars.blockerRef = refKey(blocker);
      vars.blockerKind = blocker.kind;
      vars.blockerName = blocker.name;
      vars.blockerNamespace = blocker.namespace ?? '';
      vars.blockerNoun = fluxKind(blocker.kind)?.fluxNoun ?? blocker.kind.toLowerCase();
    }
    if (workload) {
      vars.workloadRef = refKey(workload);
      vars.workloadResource = workload.kind.toLowerCase();
      vars.workloadName = workload.name;
      vars.workloadNamespace = workload.namespace ?? obj.metadata.namespace ?? '';
    }
    const early = /failed early due to stalled resources/.test(message);
    const names = items.map((i) => `${refKey(i.ref)} (${i.status})`);
    const title = items.length === 0 ? undefined
      : `${early ? 'Health check failed early' : items.some((i) => i.status === 'Terminating') ? 'Health check waits for objects stuck in deletion' : 'Health check timed out'} waiting for ${names.slice(0, 2).join(', ')}${names.length > 2 ? ` and ${names.length - 2} more` : ''}`;
    const terminating = terminatingHint(items.filter((i) => i.status === 'Terminating').map((i) => i.ref));
    const scoped = namespacedClusterKindHint(items);
    // Why the workloads never became ready, from their events: a longer timeout cannot help (no {timeout} step).
    const trouble = scoped ? null : healthCheckTrouble(obj, index, now);
    if (trouble) {
      evidence.push(trouble.evidence);
      delete vars.timeout;
    }
    const custom = scoped || trouble || terminating ? null : customResourceHint(obj, items);
    return {
      evidence,
      vars,
      since: failed.lastTransitionTime ?? null,
      ...(terminating ? { explanation: terminating.explanation, remediation: terminating.remediation } : {}),
      // Healthy=False from the last attempt while a new one runs (Ready=Unknown): worth knowing, not yet final.
      ...(failed.type === 'Healthy' ? { severity: 'warning' as const } : {}),
      ...(blockedBy.length > 0 ? { blockedBy } : {}),
      ...(title ? { title } : {}),
      ...(scoped ?? {}),
      ...(custom ?? {}),
      ...(trouble ? { title: `${title ?? 'Health check failed'}: ${trouble.title}`, explanation: trouble.explanation, remediation: trouble.remediation } : {}),
    };
  },
});
