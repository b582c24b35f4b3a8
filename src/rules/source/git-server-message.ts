import type { RemediationTemplate, RuleHit } from '../types';
import { sourceRule } from './rule';
import { GIT_SERVER_MESSAGE } from './vocabulary';

/** Azure DevOps turned away SHA-1 (ssh-rsa) signatures: the key and the repository are fine, the algorithm is not. */
const AZURE_SSH_RSA_STEPS: RemediationTemplate[] = [
  { description: 'Azure DevOps only accepts rsa-sha2-256/rsa-sha2-512 signatures over SSH. Run source-controller and image-automation-controller with --ssh-hostkey-algos=rsa-sha2-512,rsa-sha2-256 (a patch in the flux-system Kustomization; --ssh-kex-algos sets the key exchange the same way), keep the RSA deploy key, and regenerate known_hosts for ssh.dev.azure.com (flux create secret git … --private-key-file=<key> scans it). See the flags source-controller runs with', command: 'kubectl --context {context} -n {fluxNamespace} get deploy source-controller -o jsonpath=\'{.spec.template.spec.containers[0].args}\'' },
  { description: 'Or clone over HTTPS with a personal access token: set spec.url to https://dev.azure.com/<org>/<project>/_git/<repository> and create its Secret', command: 'flux --context {context} create secret git {secretName} -n {namespace} --url=https://dev.azure.com/<org>/<project>/_git/<repository> --username=<user> --password=<pat>' },
  { description: 'Fetch again', command: 'flux --context {context} reconcile source git {name} -n {namespace}' },
];

/**
 * The Azure DevOps SSH URL for the path of spec.url: ssh://git@ssh.dev.azure.com/v3/<org>/<project>/<repo> (the user git
 * and the v3/ segment; the scp form git@ssh.dev.azure.com:v3/… the portal shows is written with ssh:// and a / for Flux).
 */
function azureSshUrl(url: string): string {
  const path = url.replace(/^ssh:\/\/(?:[^@/]*@)?[^/]+\/|^[\w.-]+@[\w.-]+:/, '').replace(/^\/+/, '').replace(/\.git$/, '');
  const parts = path.split('/').filter((p) => p && p !== 'v3' && p !== '_git' && p !== '_ssh');
  return parts.length >= 3 ? `ssh://git@ssh.dev.azure.com/v3/${parts.slice(-3).join('/')}` : 'ssh://git@ssh.dev.azure.com/v3/<org>/<project>/<repo>';
}

const AZURE_SSH_PATH_STEPS: RemediationTemplate[] = [
  { description: 'Azure DevOps did not recognise the repository path of spec.url ({url}): over SSH it must be ssh://git@ssh.dev.azure.com/v3/<org>/<project>/<repo> (user git, the v3/ segment, ssh:// with a / instead of the portal\'s git@ssh.dev.azure.com:v3/…). Set spec.url to {azureSshUrl} in Git. Authentication itself worked' },
  { description: 'Check the URL outside the cluster with the same key', command: 'git ls-remote {azureSshUrl}' },
  { description: 'On Flux before 0.37 (source-controller before v0.32) go-git cannot clone Azure DevOps at all: set spec.gitImplementation: libgit2 there, or upgrade Flux', command: 'flux --context {context} check' },
  { description: 'Fetch again once spec.url is fixed', command: 'flux --context {context} reconcile source git {name} -n {namespace}' },
];

export default sourceRule({
  code: 'FD225',
  slug: 'git-server-message',
  category: 'source-unreachable',
  severity: 'error',
  kinds: ['GitRepository'],
  title: 'Git server refused the request with its own message',
  signals: [
    'Ready=False GitOperationFailed: failed to checkout and determine revision: unable to list remote for \'<url>\' | unable to clone \'<url>\': unknown error: remote: <server text> (go-git v5 relays the first line the server wrote to stderr that it has no error of its own for)',
    'Azure DevOps: … unknown error: remote: Command git-upload-pack: You’re using ssh-rsa that is about to be deprecated … Please use rsa-sha2-256 or rsa-sha2-512 instead (fluxcd/flux2#4726) → --ssh-hostkey-algos on the controllers, or HTTPS with a PAT',
    'Azure DevOps over SSH: … unknown error: remote: Command git-upload-pack \'<path>\' is not in expected format. (source-controller#197: the SSH URL lacks the git user / v3/ segment) → ssh://git@ssh.dev.azure.com/v3/<org>/<project>/<repo>',
    'not: texts go-git or this family already read (repository not found FD204, credentials FD201, network FD206)',
  ],
  explanation: 'source-controller reached the Git server and the server refused the request, explaining why on its error stream; go-git has no error of its own for that text and passes it on as "unknown error: remote: …". The server\'s words are the cause: a server policy (Azure DevOps refusing SHA-1 ssh-rsa signatures, a blocked or archived repository, a quota or an IP allow-list), not a Flux error. Nothing new is fetched until the server accepts the request.',
  remediation: [
    { description: 'The server\'s message names the cause ({serverText}): act on it on the Git server or in the credentials it expects. Reproduce outside the cluster with the same credentials', command: 'git ls-remote {url}' },
    { description: 'Fetch again once it is fixed', command: 'flux --context {context} reconcile source git {name} -n {namespace}' },
  ],
  classes: ['git-server'],
  refine(obj, _ctx, found, base): Partial<RuleHit> {
    const text = (found.condition.message ?? '').match(GIT_SERVER_MESSAGE)?.[1]?.trim() ?? '';
    const short = text.length > 160 ? `${text.slice(0, 157)}…` : text;
    if (found.detail === 'azure-ssh-rsa') {
      return {
        title: 'Azure DevOps refuses the SSH-RSA (SHA-1) signature of the controller: use rsa-sha2-256/512 or HTTPS',
        evidence: [...base.evidence, `the server said: ${short}`],
        remediation: AZURE_SSH_RSA_STEPS,
        replaceRemediation: true,
      };
    }
    if (found.detail === 'azure-ssh-path') {
      return {
        title: 'Wrong Azure DevOps SSH URL form: it must be ssh://git@ssh.dev.azure.com/v3/<org>/<project>/<repo>',
        vars: { azureSshUrl: azureSshUrl(typeof obj.spec?.url === 'string' ? obj.spec.url : '') },
        evidence: [...base.evidence, `the server said: ${short}`],
        remediation: AZURE_SSH_PATH_STEPS,
        replaceRemediation: true,
      };
    }
    return { title: `Git server refused the request: ${short}`, vars: { serverText: short }, evidence: [...base.evidence, `the server said: ${short}`] };
  },
});
