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
    '… no common algorithm for host key; client offered: [ssh-rsa], server offered: [rsa-sha2-512 rsa-sha2-256]: the controller signs the RSA key check only with SHA-1 ssh-rsa, which the server disabled (--ssh-hostkey-algos=rsa-sha2-512,rsa-sha2-256, another key type, or a newer Flux)',
  ],
  explanation: 'Over SSH, source-controller only talks to a Git server whose host key is listed in the known_hosts key of the Secret in spec.secretRef. The server presented a key that is not there: the Git host rotated its host keys (GitHub did in 2023), the URL now points to another host or port, or known_hosts is empty, malformed or lists only key types the server no longer offers. The connection is refused before any credential is tried, so nothing is fetched.',
  remediation: [
    { description: 'See the host keys {host} presents now', command: 'ssh-keyscan {host}' },
    { description: 'Check the Secret has a known_hosts key (list keys only)', command: 'kubectl --context {context} -n {namespace} get secret {secretName} -o jsonpath=\'{.data}\' | jq \'keys\'' },
    { description: 'Regenerate the Secret: flux scans the current host keys into known_hosts (pass the existing key with --private-key-file to keep the deploy key)', command: 'flux --context {context} create secret git {secretName} -n {namespace} --url={url} --private-key-file=<path-to-deploy-key>' },
    { description: 'Fetch again', command: 'flux --context {context} reconcile source git {name} -n {namespace}' },
  ],
  classes: ['git-host-key'],
  refine(obj, ctx, found) {
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
    vars.fluxNamespace = ctx.index.cluster.fluxNamespace;
    // Go's x/crypto/ssh: `no common algorithm for host key; client offered: [..], server offered: [..]`. A client that
    // offers only `ssh-rsa` for an RSA known_hosts entry cannot meet a server that disabled SHA-1 signatures (OpenSSH
    // 8.8+): the key is the same, so scanning it again changes nothing.
    const offered = message.match(/client offered: \[([^\]]*)\],? server offered: \[([^\]]*)\]/);
    const client = offered?.[1]!.split(/[\s,]+/).filter(Boolean) ?? [];
    const server = offered?.[2]!.split(/[\s,]+/).filter(Boolean) ?? [];
    if (client.length > 0 && client.every((a) => /^ssh-rsa(-cert|$)/.test(a)) && server.some((a) => a.startsWith('rsa-sha2-'))) {
      return {
        vars,
        title: `source-controller offers only SHA-1 ssh-rsa for the RSA host key of ${host ?? 'the Git server'}, which accepts only ${server.join(', ')}`,
        explanation: 'known_hosts holds the server\'s RSA host key, and this source-controller verifies an RSA key only with the old SHA-1 signature algorithm ssh-rsa, which the server has disabled (OpenSSH 8.8 and later, Azure DevOps, recent GitLab and Gitea). The key is right: scanning it again changes nothing. Run source-controller (and image-automation-controller) with --ssh-hostkey-algos=rsa-sha2-512,rsa-sha2-256 (flux bootstrap takes the same flag), put the server\'s ECDSA or Ed25519 host key in known_hosts if it has one, or upgrade Flux: newer source-controller releases offer rsa-sha2-256/512 for an RSA known_hosts entry.',
        remediation: [
          { description: 'See the flags source-controller runs with (add --ssh-hostkey-algos=rsa-sha2-512,rsa-sha2-256 through a patch of the flux-system Kustomization, or flux bootstrap --ssh-hostkey-algos)', command: 'kubectl --context {context} -n {fluxNamespace} get deploy source-controller -o jsonpath=\'{.spec.template.spec.containers[0].args}\'' },
          { description: 'Or see which other host key types {host} offers, and put them in known_hosts (flux create secret git scans them; keep the deploy key)', command: 'ssh-keyscan -t ecdsa,ed25519 {host}' },
        ],
        replaceRemediation: true,
      };
    }
    return { vars, ...(title ? { title } : {}) };
  },
});
