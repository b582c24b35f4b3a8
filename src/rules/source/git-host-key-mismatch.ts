import { sourceRule, hostOf } from './rule';

export default sourceRule({
  code: 'FD202',
  slug: 'git-host-key-mismatch',
  category: 'source-auth',
  severity: 'error',
  kinds: ['GitRepository'],
  title: 'Git server host key not in known_hosts',
  signals: [
    'Ready=False GitOperationFailed: failed to checkout and determine revision: unable to clone \'ssh://…\': ssh: handshake failed: knownhosts: key mismatch (the server\'s host key changed)',
    '… ssh: handshake failed: knownhosts: key is unknown (the host is not in the known_hosts of spec.secretRef)',
    '… knownhosts: <parse error> (malformed known_hosts data) / ssh: no common algorithm for host key (known_hosts lists other key types than the server offers)',
  ],
  explanation: 'Over SSH, source-controller only talks to a Git server whose host key is listed in the known_hosts key of the Secret in spec.secretRef. The server presented a key that is not there: the Git host rotated its host keys (GitHub did in 2023), the URL now points to another host or port, or known_hosts is empty, malformed or lists only key types the server no longer offers. The connection is refused before any credential is tried, so nothing is fetched.',
  remediation: [
    { description: 'See the host keys {host} presents now', command: 'ssh-keyscan {host}' },
    { description: 'Check the Secret has a known_hosts key (list keys only)', command: 'kubectl --context {context} -n {namespace} get secret {secretName} -o jsonpath=\'{.data}\' | jq \'keys\'' },
    { description: 'Regenerate the Secret: flux scans the current host keys into known_hosts (pass the existing key with --private-key-file to keep the deploy key)', command: 'flux --context {context} create secret git {secretName} -n {namespace} --url={url} --private-key-file=<path-to-deploy-key>' },
    { description: 'Fetch again', command: 'flux --context {context} reconcile source git {name} -n {namespace}' },
  ],
  classes: ['git-host-key'],
  refine(obj, _ctx, found) {
    const message = found.condition.message ?? '';
    const host = hostOf(obj);
    const title = /key mismatch|IDENTIFICATION HAS CHANGED/i.test(message)
      ? `Host key of ${host ?? 'the Git server'} changed: known_hosts mismatch`
      : /key is unknown/i.test(message)
        ? `Host key of ${host ?? 'the Git server'} is not in known_hosts`
        : /no common algorithm/i.test(message)
          ? 'known_hosts lists no host key type the Git server offers'
          : undefined;
    const vars: Record<string, string> = host ? { host } : {};
    return { vars, ...(title ? { title } : {}) };
  },
});
