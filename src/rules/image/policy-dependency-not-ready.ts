import { readyState } from '../../flux/conditions';
import { refKey, type ObjRef } from '../../flux/refs';
import type { KubeObject } from '../../snapshot/schema';
import { conditionRule } from '../define';
import { conditionEvidence } from '../evidence';
import { ageOf } from '../util';
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
      else if (emptyList) return { vars: { ...vars, fluxNamespace: index.cluster.fluxNamespace }, evidence, blockedBy: [ref], ...emptyDatabase(repo, ref) };
      else {
        const age = ageOf(condition.lastTransitionTime, now);
        if (age !== null && age < PATIENCE_MS) severity = 'warning';
      }
    }
    return { vars, evidence, blockedBy: [ref], ...(title ? { title } : {}), ...(severity ? { severity } : {}) };
  },
});
