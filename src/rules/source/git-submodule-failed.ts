import { sourceRule } from './rule';

// go-git's errors in the submodule phase of a clone are bare (no submodule path), so the title names the likely cause.
const TITLES: Record<string, string> = {
  entry: 'Git submodule checkout failed: a .gitmodules entry has no submodule in the tree (entry not found)',
  feature: 'Git submodule checkout failed: feature not supported (a source-controller bug fixed in later releases)',
};

export default sourceRule({
  code: 'FD224',
  slug: 'git-submodule-failed',
  category: 'source-ref-not-found',
  severity: 'error',
  kinds: ['GitRepository'],
  title: 'Git submodules cannot be fetched (spec.recurseSubmodules)',
  signals: [
    'GitRepository with spec.recurseSubmodules: true, Ready=False GitOperationFailed: failed to checkout and determine revision: unable to clone \'<url>\': entry not found (go-git: a .gitmodules section whose path has no gitlink in the index)',
    '… unable to clone \'<url>\': feature not supported (source-controller v0.37.x with submodules, fixed by upgrading) / any clone error naming a submodule',
    'without spec.recurseSubmodules these bare errors are not read as submodule problems',
  ],
  explanation: 'spec.recurseSubmodules makes source-controller clone every submodule listed in .gitmodules after the main repository, with the same credentials. That phase failed: go-git aborts the whole clone on a .gitmodules section whose path has no submodule commit in the tree (a submodule removed with git rm but left in .gitmodules, or a path spelled differently, e.g. ./sub), which the git CLI silently ignores; a submodule URL the credentials cannot reach (another host, or a relative URL); or a source-controller bug (feature not supported in v0.37.x, and older libgit2-based releases). Nothing is fetched until the clone succeeds, so Kustomizations built from this source keep the last revision.',
  remediation: [
    { description: 'Clone it with its submodules outside the cluster, then compare the paths in .gitmodules with the submodules really in the tree (git ls-files --stage | grep ^160000)', command: 'git clone --recurse-submodules {url}' },
    { description: 'Remove the .gitmodules sections whose path is no longer a submodule (git does not complain about them, go-git does), and make sure the credentials of Secret {secretName} can read every submodule URL' },
    { description: 'See the versions of the Flux controllers (older source-controller releases fail on submodules with feature not supported): upgrade when they are old', command: 'flux --context {context} check' },
    { description: 'If the manifests do not need the submodules, drop spec.recurseSubmodules in Git; then fetch again', command: 'flux --context {context} reconcile source git {name} -n {namespace}' },
  ],
  classes: ['git-submodule'],
  refine(_obj, _ctx, found) {
    const title = TITLES[found.detail ?? ''];
    return title ? { title } : {};
  },
});
