import { sourceRule } from './rule';

export default sourceRule({
  code: 'FD205',
  slug: 'git-repository-empty',
  category: 'source-ref-not-found',
  severity: 'error',
  kinds: ['GitRepository'],
  title: 'Git repository is empty',
  signals: [
    'Ready=False EmptyGitRepository (FetchFailed=True): git repository is empty',
  ],
  explanation: 'The clone worked but the repository has no commits (go-git: remote repository is empty), so there is no revision to build an artifact from. Usually a freshly created repository that bootstrap or CI has not pushed to yet, or a URL pointing at an empty fork or mirror. Kustomizations that use this source have nothing to apply.',
  remediation: [
    { description: 'Check the remote really has no commits', command: 'git ls-remote {url}' },
    { description: 'Push the manifests (or fix spec.url to the repository that has them), then fetch again', command: 'flux --context {context} reconcile source git {name} -n {namespace}' },
  ],
  classes: ['git-empty'],
});
