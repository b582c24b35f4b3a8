import { condition, readyState } from '../../flux/conditions';
import { refKey, sourceRef } from '../../flux/refs';
import { defineRule } from '../define';
import { conditionEvidence } from '../evidence';
import { ageOf, formatDuration } from '../util';
import { controllerRef, nounOf, stateLine } from './messages';

/** A new artifact not applied after this long, while the Kustomization says Ready, was not picked up. */
const PICKUP_MS = 15 * 60_000;

/** The commit/digest part of a revision (`main@sha1:<hex>`, legacy `main/<hex>`, `sha256:<hex>`), for comparison. */
function digestOf(revision: unknown): string | null {
  if (typeof revision !== 'string' || !revision) return null;
  return revision.match(/([a-f0-9]{40,64})$/)?.[1] ?? revision;
}

export default defineRule({
  code: 'FD321',
  slug: 'stale-revision',
  category: 'source-stale',
  severity: 'warning',
  kinds: ['Kustomization'],
  title: 'Ready, but running a stale revision',
  signals: [
    'Ready=True while the sourceRef is Ready=False/Stalled: the last good artifact is applied, new commits do not arrive',
    'Ready=True while source.status.artifact.revision ≠ status.lastAppliedRevision for more than 15 minutes after artifact.lastUpdateTime (the new revision was not picked up)',
  ],
  explanation: 'kustomize-controller only needs the source to have an artifact, not to be Ready, so a Kustomization stays Ready=True on the last revision that could be fetched while its source fails. The cluster is then silently behind Git: new commits are not applied. When the source is fine but its newest artifact is not applied long after it appeared, kustomize-controller is not processing the Kustomization (controller down, overloaded, or filtered out).',
  remediation: [
    { description: 'See why {failingSource} fails to fetch', command: 'flux --context {context} get {sourceNoun} {sourceName} -n {sourceNamespace}' },
    { description: 'Read the events of {failingSource}', command: 'flux --context {context} events --for {sourceKind}/{sourceName} -n {sourceNamespace}' },
    { description: 'Check kustomize-controller is running and handling {notPickedUp}', command: 'kubectl --context {context} -n {fluxNamespace} get deploy,pods -l app=kustomize-controller' },
    { description: 'Look for errors in kustomize-controller\'s log ({notPickedUp})', command: 'kubectl --context {context} -n {fluxNamespace} logs deploy/kustomize-controller --tail=50' },
    { description: 'Fetch and apply the newest revision (once the source is fixed)', command: 'flux --context {context} reconcile kustomization {name} -n {namespace} --with-source' },
  ],
  match(obj, { index, now }) {
    const ready = condition(obj, 'Ready');
    if (ready?.status !== 'True') return null;
    const src = sourceRef(obj);
    const source = src ? index.get(src) : undefined;
    if (!src || !source) return null;
    const vars: Record<string, string> = {
      sourceKind: src.kind,
      sourceName: src.name,
      sourceNamespace: src.namespace ?? obj.metadata.namespace ?? '',
      fluxNamespace: index.cluster.fluxNamespace,
    };
    const noun = nounOf(src.kind);
    if (noun) vars.sourceNoun = noun;
    const applied = obj.status?.lastAppliedRevision;
    if (readyState(source) === 'failing') {
      const failing = condition(source, 'Stalled')?.status === 'True' ? condition(source, 'Stalled') : condition(source, 'Ready');
      const age = ageOf(failing?.lastTransitionTime, now);
      return {
        evidence: [conditionEvidence(ready), stateLine(index, src)],
        vars: { ...vars, failingSource: refKey(src) },
        blockedBy: [src],
        since: failing?.lastTransitionTime ?? null,
        title: `Still applying ${applied ?? 'the last fetched revision'}: source ${refKey(src)} is failing${age !== null ? ` for ${formatDuration(age)}` : ''}`,
      };
    }
    const artifact = source.status?.artifact;
    const newest = digestOf(artifact?.revision);
    const current = digestOf(applied);
    const age = ageOf(artifact?.lastUpdateTime, now);
    if (readyState(source) === 'ready' && newest && current && newest !== current && age !== null && age > PICKUP_MS) {
      return {
        evidence: [conditionEvidence(ready), `${refKey(src)} has had revision ${artifact.revision} for ${formatDuration(age)}; this Kustomization last applied ${applied}`],
        vars: { ...vars, notPickedUp: `revision ${artifact.revision}` },
        blockedBy: [controllerRef(index, 'kustomize-controller')],
        since: artifact.lastUpdateTime,
        title: `Has not applied the newest revision of ${refKey(src)} for ${formatDuration(age)}`,
      };
    }
    return null;
  },
});
