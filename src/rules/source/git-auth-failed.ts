import { condition } from '../../flux/conditions';
import { sourceRef } from '../../flux/refs';
import type { KubeObject } from '../../snapshot/schema';
import { defineRule } from '../define';
import type { RemediationTemplate, RuleContext, RuleHit } from '../types';
import { classify, failureEvidence, isBlocking, sourceVars, stateLine } from './classify';
import { gitUrlVars } from './rule';
import { GIT_AUTH, LIBGIT2_AUTH_REPLAYS, LIBGIT2_KEY_PARSE, LIBGIT2_NO_CREDENTIALS, LIBGIT2_SSH } from './vocabulary';
import type { Condition } from '../../flux/conditions';

/**
 * libgit2 could not negotiate the SSH session or its authentication methods: usually a key format or type its SSH
 * library did not read (OpenSSH-format or ed25519 keys with old libssh2), or a wrong SSH user (AWS CodeCommit wants the
 * SSH key ID). libgit2 was removed in Flux 2.0: go-git handles these keys.
 */
const LIBGIT2_NOTE: RemediationTemplate = {
  description: 'libgit2 (spec.gitImplementation: libgit2) could not set up the SSH session: its SSH library reads few key formats (use an RSA key in PEM format, ssh-keygen -m PEM; ed25519/ECDSA need a newer libssh2) and the SSH user must be right (AWS CodeCommit: the SSH key ID, ssh://<SSH-key-ID>@git-codecommit.<region>.amazonaws.com/…). libgit2 was removed in Flux 2.0: upgrade Flux (or remove gitImplementation to use go-git)',
  command: 'flux --context {context} check',
};

/**
 * libssh2 could not read the private key: nothing reached the server, so recreating the same key changes nothing.
 * Replaces the rule's steps, which assume a rejected credential.
 */
const LIBGIT2_KEY_STEPS: RemediationTemplate[] = [
  { description: 'The SSH library of libgit2 (spec.gitImplementation: libgit2) could not derive the public key from the private key in Secret {secretName}: its libssh2 does not read that key type or format (ed25519 and OpenSSH-format keys with the libgit2 of Flux 0.15–0.16). The key was never offered to the server. See which keys the Secret holds (ssh-keygen -l -f <key-file> shows the type of the key you put in identity)', command: 'kubectl --context {context} -n {namespace} get secret {secretName} -o jsonpath=\'{.data}\' | jq \'keys\'' },
  { description: 'Generate an RSA deploy key instead (add the printed public key to the repository)', command: 'flux --context {context} create secret git {secretName} -n {namespace} --url={url} --ssh-key-algorithm=rsa --ssh-rsa-bits=4096' },
  { description: 'Or let go-git, which reads ed25519 keys, clone: remove spec.gitImplementation (libgit2 was removed in Flux 2.0, so upgrading Flux does the same)', command: 'flux --context {context} check' },
  { description: 'Fetch again', command: 'flux --context {context} reconcile {noun} {name} -n {namespace}' },
];

function titleFor(message: string, url: string | undefined): string {
  if (LIBGIT2_KEY_PARSE.test(message)) return 'libgit2 could not read the SSH private key (key type or format): the server was never asked';
  if (LIBGIT2_AUTH_REPLAYS.test(message)) return 'Git server kept rejecting the HTTPS credentials (libgit2 gave up after repeated authentication challenges)';
  if (LIBGIT2_SSH.test(message)) return 'libgit2 could not set up the SSH session (key format, key type or SSH user)';
  if (LIBGIT2_NO_CREDENTIALS.test(message)) return 'Git server requires credentials and none are configured (no spec.secretRef, or no username/password in it)';
  if (/unable to authenticate|permission denied \(publickey\)|invalid auth method/i.test(message)) return 'Git server rejected the SSH key';
  if (/authorization failed|\b403\b/i.test(message)) return 'Git credentials lack access to the repository';
  if (url && /^ssh:|^[\w.-]+@[\w.-]+:/.test(url)) return 'Git server rejected the SSH credentials';
  return 'Git server rejected the HTTPS credentials';
}

/**
 * The server asked for credentials and the GitRepository has no spec.secretRef: nothing was sent, so nothing was
 * rejected. flux create source git before v0.12 silently dropped --username/--password for http:// URLs
 * (fluxcd/flux2#1220; later versions keep them with an "insecure configuration" warning).
 */
function noCredentialsHit(obj: KubeObject): Partial<RuleHit> {
  const url = typeof obj.spec?.url === 'string' ? obj.spec.url : '';
  const plainHttp = /^http:\/\//i.test(url);
  return {
    title: `Git server requires credentials and the GitRepository has none: no spec.secretRef${plainHttp ? ' (plain http:// URL)' : ''}`,
    explanation: `The Git server asked for authentication and source-controller sent nothing: the GitRepository has no spec.secretRef, so no credentials are configured at all (none were rejected). ${plainHttp ? 'The URL is plain http://: flux create source git before v0.12 silently dropped --username/--password for http:// URLs (fluxcd/flux2#1220), and credentials sent over http:// travel unencrypted. ' : ''}Nothing new is fetched, so every Kustomization built from this source keeps applying the last good revision (or fails, if there is none).`,
    vars: { newSecretName: obj.metadata.name },
    remediation: [
      { description: `Create a Secret with the credentials (username and a token as password)${plainHttp ? '; prefer an https:// URL if the server offers one, http:// sends them in clear text' : ''}`, command: 'flux --context {context} create secret git {newSecretName} -n {namespace} --url={url} --username=<user> --password=<token>' },
      { description: 'Reference it in spec.secretRef of the GitRepository (in Git, if the GitRepository is managed from there)', command: 'kubectl --context {context} -n {namespace} patch gitrepository {name} --type=merge -p \'{"spec":{"secretRef":{"name":"{newSecretName}"}}}\'' },
      { description: 'Fetch again', command: 'flux --context {context} reconcile source git {name} -n {namespace}' },
    ],
    replaceRemediation: true,
  };
}

/** ImageUpdateAutomation clones with its GitRepository's credentials; the checkout (not the push) failed on them. */
function automationHit(obj: KubeObject, { index }: RuleContext): RuleHit | null {
  const ready = condition(obj, 'Ready');
  if (ready?.status !== 'False') return null;
  const message = ready.message ?? '';
  const checkout = (ready.reason === 'GitOperationFailed' && /^failed to checkout source: /.test(message))
    || (ready.reason === 'ReconciliationFailed' && /unable to clone|failed to checkout/.test(message) && !/failed to push/.test(message));
  if (!checkout || !(GIT_AUTH.test(message) || LIBGIT2_SSH.test(message))) return null;
  // libgit2 without credentials is not a rejection: FD536/FD537 name the missing Secret.
  if (LIBGIT2_NO_CREDENTIALS.test(message)) return null;
  const git = sourceRef(obj);
  // When the GitRepository fails as well, the image family's checkout finding is blocked by it and it speaks.
  if (git && isBlocking(index, git)) return null;
  const gitObj = git ? index.get(git) : undefined;
  const vars: Record<string, string> = {};
  if (gitObj) Object.assign(vars, sourceVars(gitObj, index));
  if (git) {
    vars.gitRepository = git.name;
    vars.gitNamespace = git.namespace ?? obj.metadata.namespace ?? '';
  }
  Object.assign(vars, gitUrlVars(vars.url));
  const evidence = failureEvidence(obj, ready as Condition);
  if (git) evidence.push(stateLine(index, git));
  return {
    evidence, vars, since: ready.lastTransitionTime ?? null,
    title: `Image automation: ${titleFor(message, vars.url).replace(/^Git/, 'the Git')}`,
    ...(LIBGIT2_SSH.test(message) || LIBGIT2_KEY_PARSE.test(message) ? { remediation: [LIBGIT2_NOTE] } : {}),
  };
}

export default defineRule({
  code: 'FD201',
  slug: 'git-auth-failed',
  category: 'source-auth',
  severity: 'error',
  kinds: ['GitRepository', 'ImageUpdateAutomation'],
  title: 'Git credentials rejected',
  signals: [
    'Ready=False GitOperationFailed: failed to checkout and determine revision: unable to clone \'<url>\': authentication required | authorization failed (go-git: HTTP 401/403)',
    '… ssh: handshake failed: ssh: unable to authenticate, attempted methods [none publickey] … (x/crypto/ssh: deploy key removed or wrong)',
    'libgit2 (gitImplementation: libgit2, Flux ≤ 0.41): … Failed to retrieve list of SSH authentication methods / Failed to start SSH session / Unable to exchange encryption keys (key format or type, CodeCommit SSH user; libgit2 is gone in Flux 2.0)',
    '… Invalid username or password / HTTP Basic: Access denied / Bad credentials / could not read Username (Git hosts)',
    'libgit2 HTTPS: unable to clone \'<url>\', error: too many redirects or authentication replays (libgit2 resent the credentials until its replay cap: refused like authentication required)',
    'libgit2 SSH: … Failed to authenticate SSH session: Unable to extract public key from private key[ file: …] → not a rejection: libssh2 could not read the key (ed25519 / OpenSSH format with Flux 0.15–0.16); own title and steps (RSA key, go-git, upgrade)',
    'ImageUpdateAutomation Ready=False GitOperationFailed: failed to checkout source: … (2.3+; ReconciliationFailed: unable to clone … before) with the same errors, while its GitRepository is not failing (else the GitRepository is the finding)',
    'the same on a GitRepository without spec.secretRef → no credentials configured (nothing was rejected): create a Secret and set spec.secretRef; an http:// URL is named (flux create source git < v0.12 dropped --username/--password for http://, fluxcd/flux2#1220)',
    'not: known_hosts mismatches (FD202), a missing or malformed Secret (FD207), repository not found (FD204)',
  ],
  explanation: 'source-controller reached the Git server but the server refused the credentials in spec.secretRef: a deploy key that was removed or rotated, an expired or revoked token, or a token without access to this repository. Nothing new is fetched, so every Kustomization built from this source keeps applying the last good revision (or fails, if there is none).',
  remediation: [
    { description: 'Check the Secret the source uses exists and has the expected keys (identity/known_hosts for SSH, username/password or bearerToken for HTTPS)', command: 'kubectl --context {context} -n {namespace} get secret {secretName} -o jsonpath=\'{.data}\' | jq \'keys\'', kinds: ['GitRepository'] },
    { description: 'Check the Secret of GitRepository {gitRepository} has the expected keys', command: 'kubectl --context {context} -n {gitNamespace} get secret {secretName} -o jsonpath=\'{.data}\' | jq \'keys\'', kinds: ['ImageUpdateAutomation'] },
    { description: 'Recreate the credentials (SSH deploy key shown: add the printed public key to the repository; use --username/--password for HTTPS tokens)', command: 'flux --context {context} create secret git {secretName} -n {namespace} --url={sshUrl}', kinds: ['GitRepository'] },
    { description: 'Recreate the HTTPS credentials with a valid token (--bearer-token=<token> instead for servers that take bearer tokens)', command: 'flux --context {context} create secret git {secretName} -n {namespace} --url={httpsUrl} --username=<user> --password=<token>', kinds: ['GitRepository'] },
    { description: 'Recreate the credentials of GitRepository {gitRepository}, with write access for image automation', command: 'flux --context {context} create secret git {secretName} -n {gitNamespace} --url={sshUrl}', kinds: ['ImageUpdateAutomation'] },
    { description: 'Recreate the HTTPS credentials of GitRepository {gitRepository} with a token that may push', command: 'flux --context {context} create secret git {secretName} -n {gitNamespace} --url={httpsUrl} --username=<user> --password=<token>', kinds: ['ImageUpdateAutomation'] },
    { description: 'Fetch again once the credentials are fixed', command: 'flux --context {context} reconcile {noun} {name} -n {namespace}' },
  ],
  match(obj, ctx) {
    if (obj.kind === 'ImageUpdateAutomation') return automationHit(obj, ctx);
    const found = classify(obj, ctx.index);
    if (found?.cls !== 'git-auth') return null;
    const vars = { ...sourceVars(obj, ctx.index), ...gitUrlVars(obj.spec?.url) };
    const evidence = failureEvidence(obj, found.condition);
    // Without spec.secretRef nothing was sent: not a rejection (a libgit2 key-parse failure implies a key, so it has one).
    if (!obj.spec?.secretRef?.name && found.detail !== 'libgit2-key') {
      evidence.push('spec.secretRef is not set: source-controller sent no credentials');
      const hit = noCredentialsHit(obj);
      return { ...hit, evidence, vars: { ...vars, ...hit.vars }, since: found.condition.lastTransitionTime ?? null };
    }
    if (found.detail === 'libgit2-replays') evidence.push('libgit2 resent the credentials each time the server (or a proxy: 407) answered with another authentication challenge, and gave up: they are refused, as with authentication required');
    return {
      evidence,
      vars,
      since: found.condition.lastTransitionTime ?? null,
      title: titleFor(found.condition.message ?? '', vars.url),
      ...(found.detail === 'libgit2-ssh' ? { remediation: [LIBGIT2_NOTE] } : {}),
      ...(found.detail === 'libgit2-key' ? { remediation: LIBGIT2_KEY_STEPS, replaceRemediation: true } : {}),
    };
  },
});
