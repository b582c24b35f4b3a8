import { sourceRule } from './rule';

export default sourceRule({
  code: 'FD204',
  specFix: true,
  slug: 'git-repository-not-found',
  category: 'source-ref-not-found',
  severity: 'error',
  kinds: ['GitRepository'],
  title: 'Git repository not found at spec.url',
  signals: [
    'Ready=False GitOperationFailed: failed to checkout and determine revision: unable to clone: repository not found: git repository: \'<url>\' (fluxcd/pkg git.ErrRepositoryNotFound around go-git transport.ErrRepositoryNotFound, HTTP 404)',
    '… unable to clone \'<url>\': unexpected client error: unexpected requesting "<url>/git-upload-pack" status code: 404 (go-git, where it has no named error)',
    '… unable to clone \'<url>\': repository not found / ERROR: Repository not found. / does not appear to be a git repository / The project you were looking for could not be found (Git hosts over SSH)',
  ],
  explanation: 'The Git server answered that no repository exists at spec.url. Either the URL is wrong (typo, repository renamed or moved to another organisation, wrong SSH path form) or the repository is private and the credentials cannot see it: GitHub and GitLab answer "not found" rather than "forbidden" when a token or deploy key has no access. This is a wrong reference rather than a network problem: the server was reached. Nothing is fetched until the URL or the access is fixed.',
  remediation: [
    { description: 'See the URL the source fetches', command: 'kubectl --context {context} -n {namespace} get gitrepository {name} -o jsonpath=\'{.spec.url}\'' },
    { description: 'Check the repository exists and your credentials see it', command: 'git ls-remote {url}' },
    { description: 'Check the credentials Secret (list keys only): a deploy key added to another repository, or a token without access, also gives "not found"', command: 'kubectl --context {context} -n {namespace} get secret {secretName} -o jsonpath=\'{.data}\' | jq \'keys\'' },
    { description: 'Fix spec.url (or grant the deploy key/token access), then fetch again', command: 'flux --context {context} reconcile source git {name} -n {namespace}' },
  ],
  classes: ['git-repo-not-found'],
  refine(obj) {
    return typeof obj.spec?.url === 'string' ? { title: `Git repository ${obj.spec.url} not found (wrong URL or no access)` } : {};
  },
});
