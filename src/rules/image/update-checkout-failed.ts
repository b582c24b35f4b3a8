import { conditionRule } from '../define';
import { conditionEvidence } from '../evidence';
// The credentials test is FD201's own, so that exactly one of the two rules speaks for a checkout failure.
import { GIT_AUTH, HOST_KEY, LIBGIT2_SSH } from '../source/vocabulary';
import { LIBGIT2_NO_CREDENTIALS, noCredentialsHit } from './git-no-credentials';
import { hostOf } from '../source/rule';
import { BARE_CHECKOUT, gitSourceOf, isBlocking, refState } from './messages';

/** go-git's `empty git-upload-pack given`: an image-automation-controller bug (Flux 0.x), fixed by upgrading. */
const UPLOAD_PACK = {
  title: 'Image automation checkout failed: empty git-upload-pack given (a controller bug fixed in later releases)',
  remediation: [{ description: 'This go-git error is a known image-automation-controller bug, not a repository problem: upgrade Flux (flux check shows the running versions)', command: 'flux --context {context} check' }],
};

/** The host key error named: a changed server key (mismatch) or a host missing from known_hosts. */
function hostKeyTitle(message: string, host: string | null): string {
  const server = host ? `${host}'s` : 'the Git server\'s';
  if (/key is unknown/.test(message)) return `Image automation cannot check out: ${server} SSH host key is not in known_hosts`;
  if (/mismatch|IDENTIFICATION HAS CHANGED/i.test(message)) return `Image automation cannot check out: ${server} SSH host key does not match known_hosts`;
  if (/hostkey could not be verified/i.test(message)) return `Image automation cannot check out: ${server} SSH host key could not be verified against known_hosts`;
  return 'Image automation cannot check out: SSH host key verification failed';
}

export default conditionRule({
  code: 'FD537',
  slug: 'image-update-checkout-failed',
  category: 'image-automation-failed',
  severity: 'error',
  kinds: ['ImageUpdateAutomation'],
  title: 'Image automation cannot check out its Git repository',
  signals: [
    'Ready=False GitOperationFailed: failed to checkout source: <go-git error> (Flux 2.3+), e.g. unable to clone \'<url>\': couldn\'t find remote ref / context deadline exceeded',
    'Flux 2.0–2.2: Ready=False ReconciliationFailed: unable to clone \'<url>\': …',
    'credential errors (authentication required, unable to authenticate …) are left to FD201 (git-auth-failed) unless the GitRepository fails too',
    'the GitRepository failing as well → blocked by it',
    'Ready=False ReconciliationFailed (Flux 0.x) or GitOperationFailed without prefix: unable to fetch-connect to remote \'<url>\': … (e.g. ssh: handshake failed: hostkey could not be verified) / empty git-upload-pack given (a controller bug, fixed by upgrading)',
    'libgit2 (Flux 0.x): unable to clone \'<url>\': remote authentication required but no callback set → no credentials configured (no spec.secretRef on the GitRepository, or no username/password in it)',
    'SSH host key errors (knownhosts: key mismatch / key is unknown / hostkey could not be verified) are named: the known_hosts of the GitRepository\'s Secret no longer match the server',
  ],
  explanation: 'image-automation-controller clones the repository of its GitRepository itself (with the same URL and credentials, and the branch of spec.git.checkout or the GitRepository\'s ref) and could not: the branch does not exist, the server is unreachable, its SSH host key no longer matches the known_hosts of the GitRepository\'s Secret, or the clone timed out (spec.timeout of the GitRepository). When the GitRepository fails with the same error, fix it first: it is the root cause.',
  remediation: [
    { description: 'See the branch the automation checks out and its GitRepository', command: 'kubectl --context {context} -n {namespace} get imageupdateautomation {name} -o jsonpath=\'{.spec.git.checkout}{"\\n"}{.spec.sourceRef}\'' },
    { description: 'See the state of the GitRepository', command: 'flux --context {context} get sources git {gitRepository} -n {gitNamespace}' },
    { description: 'For a host key error, refresh known_hosts in the GitRepository\'s Secret {gitSecretName} with the server\'s current key (compare with ssh-keyscan {gitHost})', command: 'kubectl --context {context} -n {gitNamespace} get secret {gitSecretName} -o jsonpath=\'{.data.known_hosts}\' | base64 -d' },
    { description: 'Retry the automation', command: 'flux --context {context} reconcile image update {name} -n {namespace}' },
  ],
  when: [
    { type: 'Ready', status: 'False', reasons: ['GitOperationFailed'], message: /^failed to checkout source: / },
    // go-git's connection (fetch-connect, i.e. the clone's first round trip) and upload-pack errors come bare.
    { type: 'Ready', status: 'False', reasons: ['GitOperationFailed'], message: BARE_CHECKOUT },
    { type: 'Ready', status: 'False', reasons: ['ReconciliationFailed'], message: /unable to clone|failed to checkout/ },
    { type: 'Ready', status: 'False', reasons: ['ReconciliationFailed'], message: BARE_CHECKOUT },
  ],
  refine(obj, { index }, { condition }) {
    const git = gitSourceOf(obj);
    const gitFailing = git ? isBlocking(index, git) : false;
    const gitObj = git ? index.get(git) : undefined;
    const message = condition.message ?? '';
    // libgit2 with no credentials configured: named here, FD201 (credentials rejected) leaves it.
    const noCredentials = LIBGIT2_NO_CREDENTIALS.test(message);
    // A credentials problem on checkout is FD201's finding (git-auth-failed), unless the GitRepository shares it.
    if ((GIT_AUTH.test(message) || LIBGIT2_SSH.test(message)) && !noCredentials && !gitFailing) return null;
    if (/failed to push/i.test(condition.message ?? '')) return null;
    const vars: Record<string, string> = {};
    const evidence = [conditionEvidence(condition)];
    if (git) {
      vars.gitRepository = git.name;
      vars.gitNamespace = git.namespace ?? obj.metadata.namespace ?? '';
      evidence.push(refState(index, git));
      const secret = gitObj?.spec?.secretRef?.name;
      if (secret && HOST_KEY.test(condition.message ?? '')) vars.gitSecretName = secret;
      vars.gitHost = (gitObj ? hostOf(gitObj) : null) ?? '<host>';
    }
    return {
      vars,
      evidence,
      ...(git && gitFailing ? { blockedBy: [git], title: `Image automation cannot check out: GitRepository ${git.name} fails too` } : {}),
      ...(/couldn't find remote ref|reference not found/.test(condition.message ?? '') ? { title: 'Image automation checkout branch does not exist' } : {}),
      ...(HOST_KEY.test(condition.message ?? '') ? { title: hostKeyTitle(condition.message ?? '', gitObj ? hostOf(gitObj) : null) } : {}),
      ...(/empty git-upload-pack given/.test(condition.message ?? '') ? UPLOAD_PACK : {}),
      ...(noCredentials && !gitFailing ? noCredentialsHit('check out', git, index) : {}),
    };
  },
});
