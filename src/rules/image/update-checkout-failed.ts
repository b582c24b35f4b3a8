import { conditionRule } from '../define';
import { conditionEvidence } from '../evidence';
// The credentials test is FD201's own, so that exactly one of the two rules speaks for a checkout failure.
import { AZURE_SSH_RSA, GIT_AUTH, GIT_SERVER_MESSAGE, HOST_KEY, LIBGIT2_SSH, SSH_KEY_NOT_ENCRYPTED, SSH_KEY_PASSPHRASE } from '../source/vocabulary';
import type { RuleHit } from '../types';
import type { KubeObject } from '../../snapshot/schema';
import { LIBGIT2_NO_CREDENTIALS, noCredentialsHit } from './git-no-credentials';
import { hostOf } from '../source/rule';
import { BARE_CHECKOUT, gitSourceOf, isBlocking, refState } from './messages';

/** go-git's `empty git-upload-pack given`: an image-automation-controller bug (Flux 0.x), fixed by upgrading. */
const UPLOAD_PACK = {
  title: 'Image automation checkout failed: empty git-upload-pack given (a controller bug fixed in later releases)',
  remediation: [{ description: 'This go-git error is a known image-automation-controller bug, not a repository problem: upgrade Flux (flux check shows the running versions)', command: 'flux --context {context} check' }],
};

/** libgit2 (Flux 0.x) fetching spec.git.push.branch before committing: `cannot fetch remote branch: <err>`. */
const PUSH_BRANCH_FETCH = /^cannot fetch remote branch: /;

/**
 * image-automation-controller 0.24.0–0.24.1 (Flux 0.31–0.32) fetched the push branch even when it was the checkout branch,
 * and that fetch failed (EOF); fixed by skipping it (image-automation-controller#423). Otherwise the push branch
 * itself could not be fetched.
 */
function pushBranchFetchHit(obj: KubeObject, gitObj: KubeObject | undefined, message: string): Partial<RuleHit> {
  const push: unknown = obj.spec?.git?.push?.branch;
  const checkout: unknown = obj.spec?.git?.checkout?.ref?.branch ?? gitObj?.spec?.ref?.branch;
  const error = message.replace(PUSH_BRANCH_FETCH, '');
  if (typeof push === 'string' && push === checkout) {
    return {
      title: `Image automation cannot fetch its push branch ${push}, which is the branch it checks out: an image-automation-controller bug (Flux 0.31–0.32)`,
      remediation: [
        { description: `spec.git.push.branch names the checkout branch ${push}; these releases fetch it again and fail (${error}). Remove spec.git.push from the automation in Git (it then pushes to the checkout branch), or upgrade Flux (fixed in image-automation-controller 0.24.2, Flux 0.33)`, command: 'flux --context {context} check' },
        { description: 'Retry the automation', command: 'flux --context {context} reconcile image update {name} -n {namespace}' },
      ],
      replaceRemediation: true,
    };
  }
  return {
    title: `Image automation cannot fetch its push branch${typeof push === 'string' ? ` ${push}` : ''}: ${error}`,
    remediation: [{ description: 'The push branch is fetched with the credentials of the GitRepository before the commit: check that they can read it and that the server answers', command: 'kubectl --context {context} -n {namespace} get imageupdateautomation {name} -o jsonpath=\'{.spec.git.push}{"\\n"}\'' }],
  };
}

/** The host key error named: a changed server key (mismatch) or a host missing from known_hosts. */
function hostKeyTitle(message: string, host: string | null): string {
  const server = host ? `${host}'s` : 'the Git server\'s';
  if (/key is unknown/.test(message)) return `Image automation cannot check out: ${server} SSH host key is not in known_hosts`;
  if (/mismatch|IDENTIFICATION HAS CHANGED/i.test(message)) return `Image automation cannot check out: ${server} SSH host key does not match known_hosts`;
  if (/hostkey could not be verified/i.test(message)) return `Image automation cannot check out: ${server} SSH host key could not be verified against known_hosts`;
  return 'Image automation cannot check out: SSH host key verification failed';
}

/**
 * The GitRepository's identity and password do not fit (x/crypto/ssh): image-automation-controller parses them itself,
 * and its libgit2 of Flux 0.x tried a password on an unencrypted key that source-controller's go-git ignores, so the
 * GitRepository may well be Ready (fluxcd/flux2#2094).
 */
function keyPasswordHit(message: string, secret: string | undefined, git: string | undefined): Partial<RuleHit> | null {
  const notEncrypted = SSH_KEY_NOT_ENCRYPTED.test(message);
  if (!notEncrypted && !SSH_KEY_PASSPHRASE.test(message)) return null;
  const where = secret ? `Secret ${secret}` : `the Secret of GitRepository ${git ?? ''}`.trim();
  return {
    title: notEncrypted
      ? `Image automation cannot use the SSH key: ${where} has a password, but the key is not encrypted`
      : `Image automation cannot use the SSH key: it is passphrase-protected and the password of ${where} is missing or wrong`,
    remediation: [
      { description: notEncrypted
        ? 'The identity is not encrypted, yet the Secret has a password key, and the Git client of this image-automation-controller (libgit2, Flux 0.x) then parses the key as an encrypted one. Remove the password key from the Secret (or upgrade Flux: current releases ignore it); the key itself is fine and the server never saw it'
        : 'Put the passphrase of the identity in the password key of the Secret, or store an unencrypted deploy key', command: 'kubectl --context {context} -n {gitNamespace} get secret {gitSecretName} -o jsonpath=\'{.data}\' | jq \'keys\'' },
      { description: 'Retry the automation', command: 'flux --context {context} reconcile image update {name} -n {namespace}' },
    ],
    replaceRemediation: true,
  };
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
    'x/crypto/ssh key parsing: unable to clone: ssh: not an encrypted key (a password key next to an unencrypted identity, libgit2 of Flux 0.x; fluxcd/flux2#2094) / ssh: this private key is passphrase protected / x509: decryption password incorrect → the Secret of the GitRepository, named with its keys',
    'libgit2 (Flux 0.x): Ready=False ReconciliationFailed: cannot fetch remote branch: <err> (fetching spec.git.push.branch); when it is the checkout branch, an image-automation-controller 0.24.0–0.24.1 bug (image-automation-controller#422): remove spec.git.push or upgrade',
    'the Git server\'s own refusal, go-git `unknown error: remote: <text>` (e.g. Azure DevOps refusing ssh-rsa signatures → --ssh-hostkey-algos on image-automation-controller) is the title',
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
    { type: 'Ready', status: 'False', reasons: ['ReconciliationFailed'], message: PUSH_BRANCH_FETCH },
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
    const vars: Record<string, string> = { fluxNamespace: index.cluster.fluxNamespace };
    const evidence = [conditionEvidence(condition)];
    if (git) {
      vars.gitRepository = git.name;
      vars.gitNamespace = git.namespace ?? obj.metadata.namespace ?? '';
      evidence.push(refState(index, git));
      const secret = gitObj?.spec?.secretRef?.name;
      if (secret && (HOST_KEY.test(message) || SSH_KEY_NOT_ENCRYPTED.test(message) || SSH_KEY_PASSPHRASE.test(message))) vars.gitSecretName = secret;
      vars.gitHost = (gitObj ? hostOf(gitObj) : null) ?? '<host>';
    }
    if (PUSH_BRANCH_FETCH.test(message) && !gitFailing) return { vars, evidence, ...pushBranchFetchHit(obj, gitObj, message) };
    const keyPassword = keyPasswordHit(message, gitObj?.spec?.secretRef?.name, git?.name);
    if (keyPassword && !gitFailing) return { vars, evidence, ...keyPassword };
    // The Git server explained its refusal (go-git `unknown error: remote: …`): its text is the title.
    const serverText = gitFailing ? undefined : message.match(GIT_SERVER_MESSAGE)?.[1];
    if (serverText) {
      return {
        vars, evidence,
        title: `Image automation cannot check out: the Git server refused: ${serverText.length > 160 ? `${serverText.slice(0, 157)}…` : serverText}`,
        ...(AZURE_SSH_RSA.test(message) ? { remediation: [{ description: 'Azure DevOps only accepts rsa-sha2-256/512 signatures over SSH: run image-automation-controller (and source-controller) with --ssh-hostkey-algos=rsa-sha2-512,rsa-sha2-256, or clone over HTTPS with a personal access token', command: 'kubectl --context {context} -n {fluxNamespace} get deploy image-automation-controller -o jsonpath=\'{.spec.template.spec.containers[0].args}\'' }] } : {}),
      };
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
