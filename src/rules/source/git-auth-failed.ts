import { conditionRule } from '../define';

export default conditionRule({
  code: 'FD201',
  slug: 'git-auth-failed',
  category: 'source-auth',
  severity: 'error',
  kinds: ['GitRepository', 'ImageUpdateAutomation'],
  title: 'Git credentials rejected',
  signals: [
    'Ready=False GitOperationFailed: failed to checkout and determine revision: … authentication required | authorization failed (go-git)',
    '… ssh: handshake failed: … unable to authenticate (x/crypto/ssh)',
    'ImageUpdateAutomation GitOperationFailed with the same go-git/ssh errors',
  ],
  explanation: 'source-controller reached the Git server but the server refused the credentials in spec.secretRef: a deploy key that was removed or rotated, an expired or revoked token, or a token without access to this repository. Nothing new is fetched, so every Kustomization built from this source keeps applying the last good revision (or fails, if there is none).',
  remediation: [
    { description: 'Check the Secret the source uses exists and has the expected keys (identity/known_hosts for SSH, username/password or bearerToken for HTTPS)', command: 'kubectl --context {context} -n {namespace} get secret {secretName} -o jsonpath=\'{.data}\' | jq \'keys\'' },
    { description: 'Recreate the credentials (SSH deploy key shown; use --username/--password for HTTPS tokens), then add the public key to the repository', command: 'flux --context {context} create secret git {secretName} -n {namespace} --url={url}' },
    { description: 'Fetch again once the credentials are fixed', command: 'flux --context {context} reconcile {noun} {name} -n {namespace}' },
  ],
  when: {
    type: 'Ready',
    status: 'False',
    reasons: ['GitOperationFailed'],
    message: /authentication required|authorization failed|unable to authenticate|invalid credentials|permission denied \(publickey\)|Invalid username or password|HTTP Basic: Access denied|401 Unauthorized|403 Forbidden/i,
  },
  refine(obj) {
    const vars: Record<string, string> = {};
    if (obj.spec?.secretRef?.name) vars.secretName = obj.spec.secretRef.name;
    if (typeof obj.spec?.url === 'string') vars.url = obj.spec.url;
    return { vars };
  },
});
