import { condition, isSuspended, suspendedSince } from '../../flux/conditions';
import type { KubeObject } from '../../snapshot/schema';
import { defineRule } from '../define';
import type { RuleHit } from '../types';
import { ageOf, formatDuration, parseDuration } from '../util';

/** Past this, a suspension is more likely forgotten than deliberate (seed 001: "forgotten suspensions cause drift"). */
const FORGOTTEN_MS = 24 * 3_600_000;

function how(obj: KubeObject): string {
  if (obj.spec?.suspend === true) return 'spec.suspend: true';
  const a = obj.metadata.annotations ?? {};
  if (a['fluxcd.controlplane.io/reconcile'] === 'disabled') return 'annotation fluxcd.controlplane.io/reconcile: disabled';
  return 'annotation source.extensions.fluxcd.io/reconcile: disabled';
}

/**
 * The last time the controller reconciled the object, from timestamps it refreshes on every run (not Ready's
 * lastTransitionTime, which stays put while nothing changes): the suspension began within one interval after it.
 */
function lastReconciled(obj: KubeObject): string | null {
  const s = obj.status ?? {};
  const times = [s.history?.[0]?.lastReconciled, s.lastScanResult?.scanTime, s.lastAutomationRunTime]
    .filter((t): t is string => typeof t === 'string' && !Number.isNaN(Date.parse(t)));
  return times.sort().at(-1) ?? null;
}

export default defineRule({
  code: 'FD100',
  slug: 'suspended',
  category: 'suspended',
  severity: 'warning',
  kinds: ['*'],
  onSuspended: true,
  title: 'Reconciliation suspended',
  signals: [
    'spec.suspend: true, or the annotation fluxcd.controlplane.io/reconcile: disabled (Flux Operator kinds) / source.extensions.fluxcd.io/reconcile: disabled (ArtifactGenerator)',
    'when it started: the managedFields entry that set spec.suspend; else at least (now − last reconciled − interval) from status.history[0].lastReconciled, lastScanResult.scanTime or lastAutomationRunTime',
    'suspended for more than 24h → likely forgotten (warning); a fresh suspension → info; unknown start → warning',
  ],
  explanation: 'The controller skips this object entirely: its status is frozen at the moment it was suspended, so its Ready condition says nothing about now, changes in Git do not reach the cluster, drift is not corrected, and anything that depends on it waits (fluxdiag lists them as blocked). Suspensions are meant to be short, for debugging or an emergency manual change; one older than a day is usually forgotten and lets the cluster drift from Git.',
  remediation: [
    { description: 'See who suspended it and when (managedFields: the manager that owns spec.suspend)', command: 'kubectl --context {context} -n {namespace} get {resource} {name} --show-managed-fields -o custom-columns=MANAGER:.metadata.managedFields[*].manager,OPERATION:.metadata.managedFields[*].operation,TIME:.metadata.managedFields[*].time' },
    { description: 'Resume it when the reason for suspending is gone', command: 'flux --context {context} resume {noun} {name} -n {namespace}' },
    { description: 'Resume it (the operator reconciles it again once the annotation is gone)', command: 'kubectl --context {context} -n {namespace} annotate {resource} {name} fluxcd.controlplane.io/reconcile-', kinds: ['FluxInstance', 'ResourceSet', 'ResourceSetInputProvider'] },
    { description: 'Resume it', command: 'kubectl --context {context} -n {namespace} annotate {resource} {name} source.extensions.fluxcd.io/reconcile-', kinds: ['ArtifactGenerator'] },
  ],
  match(obj, { index, now }) {
    if (!isSuspended(obj)) return null;
    const hit = suspensionHit(obj, now);
    // A suspended parent keeps this object's changes in Git from arriving even once it is resumed: resume the parent first.
    const labels = obj.metadata.labels ?? {};
    const parentRef = labels['kustomize.toolkit.fluxcd.io/name'] && labels['kustomize.toolkit.fluxcd.io/namespace']
      ? { kind: 'Kustomization', namespace: labels['kustomize.toolkit.fluxcd.io/namespace'], name: labels['kustomize.toolkit.fluxcd.io/name'] } : null;
    const parent = parentRef ? index.get(parentRef) : undefined;
    if (!parent || !isSuspended(parent)) return hit;
    return { ...hit, evidence: [...hit.evidence, `applied by Kustomization ${parentRef!.namespace}/${parentRef!.name}, which is suspended too: resume it first, or changes to this object in Git do not arrive`], blockedBy: [parentRef!] };
  },
});

/** The finding for a suspended object, dated by its managedFields, else its last reconcile. */
function suspensionHit(obj: KubeObject, now: number): RuleHit {
  const evidence = [how(obj)];
  const ready = condition(obj, 'Ready');
  if (ready) evidence.push(`last status before suspension: Ready=${ready.status}${ready.reason ? ` ${ready.reason}` : ''}: ${ready.message ?? ''}`.trimEnd());

  const at = suspendedSince(obj);
  const atAge = ageOf(at, now);
  if (atAge !== null) {
    evidence.push(`suspended at ${at} (managedFields)`);
    if (atAge > FORGOTTEN_MS) return { evidence, since: at, title: `Suspended for ${formatDuration(atAge)}: likely forgotten`, severity: 'warning' };
    // A fresh suspension is usually deliberate (someone is debugging); still worth knowing.
    return { evidence, since: at, title: `Suspended ${formatDuration(atAge)} ago`, severity: 'info' };
  }

  const last = lastReconciled(obj);
  const lastAge = ageOf(last, now);
  if (lastAge !== null) {
    const atLeast = lastAge - (parseDuration(obj.spec?.interval) ?? 0);
    evidence.push(`last reconciled ${formatDuration(lastAge)} ago (${last})`);
    if (atLeast > FORGOTTEN_MS) return { evidence, since: last, title: `Suspended for more than ${formatDuration(atLeast)}: likely forgotten`, severity: 'warning' };
    return { evidence, since: last, title: `Suspended, last reconciled ${formatDuration(lastAge)} ago`, severity: 'info' };
  }

  // Only Ready's transition time is known: it bounds nothing (a healthy object keeps it for weeks), so no age is claimed.
  if (ready?.lastTransitionTime) {
    const age = ageOf(ready.lastTransitionTime, now);
    if (age !== null) evidence.push(`last status change ${formatDuration(age)} ago; when the suspension started is unknown`);
  }
  return { evidence, since: null, severity: 'warning' };
}
