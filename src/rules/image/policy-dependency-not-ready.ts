import { readyState } from '../../flux/conditions';
import { refKey, type ObjRef } from '../../flux/refs';
import type { KubeObject } from '../../snapshot/schema';
import { conditionRule } from '../define';
import { conditionEvidence } from '../evidence';
import { ageOf, formatDuration } from '../util';
import { EMPTY_LIST, refState } from './messages';

/** The first scan of a new ImageRepository takes a moment; before this the wait is normal. */
const PATIENCE_MS = 10 * 60_000;

/** The repository scans fine but the policy read no tags: the controller's tag database is empty (or was wiped). */
function emptyDatabase(repo: KubeObject, ref: ObjRef) {
  const count = repo.status?.lastScanResult?.tagCount;
  return {
    title: `The tag database has no tags for ${refKey(ref)}${typeof count === 'number' && count > 0 ? ` although its last scan found ${count}` : ''}: image-reflector-controller lost its database (restart without persistent storage?)`,
    remediation: [
      { description: 'Scan the repository again to refill the tag database, then re-evaluate the policy', command: 'flux --context {context} reconcile image repository {repository} -n {repositoryNamespace}' },
      { description: 'Check whether image-reflector-controller keeps its database (/data) on a persistent volume; with an emptyDir every restart empties it until the next scan', command: 'kubectl --context {context} -n {fluxNamespace} get deploy image-reflector-controller -o jsonpath=\'{.spec.template.spec.volumes}\'' },
    ],
  };
}

/**
 * `referenced ImageRepository has not been scanned yet` meant status.lastScanResult == nil up to image-reflector-controller
 * v0.34; v0.35.0 (Flux 2.6.0) marks it whenever the repository is not Ready, e.g. mid-scan, and does not requeue, so the
 * policy can stay DependencyNotReady after the scan succeeded (fixed in v0.35.1, fluxcd/image-reflector-controller#774).
 * A repository that is Ready with a scan result makes the condition that stale reading.
 */
const NOT_SCANNED = /referenced ImageRepository has not been scanned yet/;

function spuriousNotScanned(policy: KubeObject, repo: KubeObject, ref: ObjRef, now: number) {
  const scan = repo.status?.lastScanResult;
  const scanAge = ageOf(scan?.scanTime, now);
  const latest = policy.status?.latestRef?.tag ?? (typeof policy.status?.latestImage === 'string' ? policy.status.latestImage.split(':').pop() : undefined);
  return {
    severity: 'warning' as const,
    title: `Stale DependencyNotReady: ${refKey(ref)} is Ready${scanAge !== null ? ` (last scan ${formatDuration(scanAge)} ago${typeof scan?.tagCount === 'number' ? `, ${scan.tagCount} tags` : ''})` : ''}: image-reflector-controller v0.35.0 (Flux 2.6.0) bug, fixed in v0.35.1`,
    evidence: [
      `${refKey(ref)} is Ready and has status.lastScanResult${scan?.scanTime ? ` (scanTime ${scan.scanTime})` : ''}: it has been scanned, so "has not been scanned yet" is stale`,
      ...(latest ? [`the policy still resolves a tag (latest ${latest})`] : []),
      'image-reflector-controller v0.35.0 marks the policy DependencyNotReady whenever the repository is not Ready (e.g. during a scan) and does not requeue it (fluxcd/image-reflector-controller#773, fixed by #774 in v0.35.1 / Flux 2.6.1)',
    ],
    remediation: [
      { description: 'Nothing is wrong with the ImageRepository or the policy: re-evaluate the policy to clear the stale condition (flux reconcile image policy exists only from flux CLI 2.7; the annotation works with any)', command: 'kubectl --context {context} -n {namespace} annotate imagepolicy {name} reconcile.fluxcd.io/requestedAt="$(date +%s)" --overwrite' },
      { description: 'See the running controller versions; upgrade to Flux 2.6.1 or later (image-reflector-controller v0.35.1+) to stop it coming back', command: 'flux --context {context} check' },
    ],
    replaceRemediation: true,
  };
}

export default conditionRule({
  code: 'FD533',
  slug: 'image-policy-dependency-not-ready',
  category: 'image-automation-failed',
  severity: 'error',
  kinds: ['ImagePolicy'],
  title: 'ImagePolicy waits on its ImageRepository',
  signals: [
    'Ready=False DependencyNotReady: retrying in <d> error: no tags in database (1.1+) / no tags in database / referenced ImageRepository has not been scanned yet (before Flux 2.7)',
    'Ready=False DependencyNotReady: failed to get the referred ImageRepository: referenced ImageRepository does not exist: … not found',
    'Ready=False (DependencyNotReady, Failure, or ReconciliationFailed in Flux 0.x) Cannot determine latest tag for policy: version list argument cannot be empty, without spec.filterTags, while the ImageRepository scans fine: the tag database is empty (image-reflector-controller restarted without persistent storage)',
    'referenced ImageRepository has not been scanned yet while the ImageRepository is Ready with status.lastScanResult → stale condition of image-reflector-controller v0.35.0 (Flux 2.6.0; before, the message meant no scan result), fixed in v0.35.1: warning, reconcile the policy, upgrade; not blocked by the repository',
    'the ImageRepository\'s own state → blocked by it; a repository that is still scanning for less than 10 minutes → warning',
  ],
  explanation: 'An ImagePolicy selects the latest tag from the tags its ImageRepository scanned; it has none to choose from because the ImageRepository does not exist, has never scanned successfully (its scan fails), or is suspended. The problem is upstream: fix the ImageRepository (fluxdiag names it as the root cause) and the policy resolves on its own.',
  remediation: [
    { description: 'See the ImageRepository the policy uses', command: 'flux --context {context} get image repository {repository} -n {repositoryNamespace}' },
    { description: 'Read its events', command: 'flux --context {context} events --for ImageRepository/{repository} -n {repositoryNamespace}' },
    { description: 'Create {missingRepository}, or fix spec.imageRepositoryRef in Git' },
    { description: 'Scan it again, then re-evaluate the policy', command: 'flux --context {context} reconcile image repository {repository} -n {repositoryNamespace}' },
  ],
  when: [
    { type: 'Ready', status: 'False', reasons: ['DependencyNotReady'] },
    // An empty version list without a tag filter: the tag database had nothing (any Flux version's reason).
    { type: 'Ready', status: 'False', reasons: ['Failure', 'ReconciliationFailed'], message: EMPTY_LIST },
  ],
  refine(obj, { index, now }, { condition }) {
    const emptyList = EMPTY_LIST.test(condition.message ?? '');
    if (emptyList && condition.reason !== 'DependencyNotReady' && obj.spec?.filterTags) return null;
    const name = obj.spec?.imageRepositoryRef?.name;
    if (!name) return {};
    const ref = { kind: 'ImageRepository', namespace: obj.spec.imageRepositoryRef.namespace ?? obj.metadata.namespace, name };
    const repo = index.get(ref);
    const vars: Record<string, string> = { repository: name, repositoryNamespace: ref.namespace! };
    const evidence = [conditionEvidence(condition), refState(index, ref)];
    let title: string | undefined;
    let severity: 'warning' | undefined;
    if (!repo) {
      if (/does not exist|not found/.test(condition.message ?? '') || index.objects('ImageRepository').length > 0) {
        vars.missingRepository = `the ImageRepository ${refKey(ref)}`;
        title = `${refKey(ref)} does not exist`;
      }
    } else {
      const state = readyState(repo);
      if (state === 'suspended') title = `Waiting on ${refKey(ref)}, which is suspended`;
      else if (state === 'failing') title = `Waiting on ${refKey(ref)}, which is failing`;
      else if (state === 'ready' && NOT_SCANNED.test(condition.message ?? '') && repo.status?.lastScanResult) {
        // Not blocked by the repository: it is fine, the condition is stale.
        const stale = spuriousNotScanned(obj, repo, ref, now);
        return { ...stale, vars, evidence: [conditionEvidence(condition), ...stale.evidence] };
      }
      else if (emptyList) return { vars: { ...vars, fluxNamespace: index.cluster.fluxNamespace }, evidence, blockedBy: [ref], ...emptyDatabase(repo, ref) };
      else {
        const age = ageOf(condition.lastTransitionTime, now);
        if (age !== null && age < PATIENCE_MS) severity = 'warning';
      }
    }
    return { vars, evidence, blockedBy: [ref], ...(title ? { title } : {}), ...(severity ? { severity } : {}) };
  },
});
