import { refText } from './classify';
import { sourceRule } from './rule';

function titleFor(message: string, ref: string | null): string | undefined {
  const remote = message.match(/couldn't find remote ref:? "?refs\/(heads|tags)\/([^"\s]+)"?/);
  if (remote) return `Git ${remote[1] === 'heads' ? 'branch' : 'tag'} '${remote[2]}' does not exist`;
  const semver = message.match(/no match found for semver: (\S+)/);
  if (semver) return `No Git tag matches semver ${semver[1]}`;
  if (/semver parse error/.test(message)) return 'spec.ref.semver is not a valid semver range';
  if (/sparse checkout/.test(message)) return 'A spec.sparseCheckout directory does not exist in the repository';
  const commit = message.match(/unable to (?:resolve commit object for|checkout commit) '([0-9a-f]{7,64})'/);
  if (commit) return `Git commit ${commit[1]!.slice(0, 12)} not found in the repository`;
  const refName = message.match(/unable to resolve ref '([^']+)'/);
  if (refName) return `Git ref ${refName[1]} does not exist`;
  return ref ? `Git ${ref} not found` : undefined;
}

/**
 * A bare `object not found` on a branch clone: the ref exists but an object the fetch expected does not, the mark of a
 * force-push or history rewrite meeting go-git's fetch negotiation (fluxcd/flux2#4875); not a missing branch.
 */
const HISTORY = {
  title: 'Git clone failed with object not found: the fetched history does not match the remote (force-push or history rewrite?)',
  explanation: 'The branch exists, but the clone stopped because an object the fetch negotiated is missing. It follows a force-push or another history rewrite (git reset --hard + push --force, a rebased or squashed branch), where go-git (source-controller\'s Git client) can fail although the git CLI clones fine; it is not a missing branch. Nothing is fetched, so Kustomizations built from this source keep the last revision.',
  remediation: [
    { description: 'Check the branch exists and which commit it points to now', command: 'git ls-remote {url}' },
    { description: 'Force a fresh clone: restart source-controller, then fetch again', command: 'kubectl --context {context} -n {fluxNamespace} rollout restart deployment source-controller' },
    { description: 'If it persists, upgrade source-controller (go-git fixes; flux check shows the running versions)', command: 'flux --context {context} check' },
  ],
};

export default sourceRule({
  code: 'FD203',
  specFix: true,
  slug: 'git-ref-not-found',
  category: 'source-ref-not-found',
  severity: 'error',
  kinds: ['GitRepository'],
  title: 'Git branch, tag or commit not found',
  signals: [
    'Ready=False GitOperationFailed: failed to checkout and determine revision: unable to clone \'<url>\': couldn\'t find remote ref "refs/heads/<branch>" (go-git v5; `couldn\'t find remote ref: refs/…` in v6; also wrapped as `unable to clone: couldn\'t find remote ref …: git repository: \'<url>\'`)',
    '… object not found with a branch (no pinned commit/tag, none named in the message): the fetched history does not match the remote after a force-push (own title; a pinned commit keeps \'not found\')',
    '… reference not found / object not found / unable to resolve commit object for \'<sha>\' / unable to resolve ref \'<name>\' to a specific commit / unable to find reference for tag',
    '… no match found for semver: <range> / semver parse error (spec.ref.semver)',
    'failed to sparse checkout directories : sparse checkout dir \'<dir>\' does not exist in repository (spec.sparseCheckout)',
  ],
  explanation: 'The repository was reached and the credentials work, but what spec.ref asks for does not exist there: the branch was renamed or deleted (master → main), the tag was never pushed, no tag matches the semver range, the pinned commit is gone after a force-push, or a sparse-checkout directory does not exist. Nothing new is fetched; Kustomizations built from this source keep the last revision it did fetch.',
  remediation: [
    { description: 'See what spec.ref asks for ({ref})', command: 'kubectl --context {context} -n {namespace} get gitrepository {name} -o jsonpath=\'{.spec.ref}\'' },
    { description: 'List the branches and tags the remote has', command: 'git ls-remote --heads --tags {url}' },
    { description: 'Fix spec.ref (or spec.sparseCheckout) in the GitRepository manifest in Git, then fetch again', command: 'flux --context {context} reconcile source git {name} -n {namespace}' },
  ],
  classes: ['git-ref'],
  refine(obj, _ctx, found) {
    if (found.detail === 'history') return HISTORY;
    const title = titleFor(found.condition.message ?? '', refText(obj));
    return title ? { title } : {};
  },
});
