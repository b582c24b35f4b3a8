import type { ObjRef } from '../../flux/refs';
import type { KubeObject } from '../../snapshot/schema';
import type { RemediationTemplate, RuleHit } from '../types';
import { addChartContext, gitUrlVars, sourceRule } from './rule';
import { SSH_KEY_NO_PASSPHRASE } from './vocabulary';
import { tlsSecretHint } from '../tls-secret';

/**
 * The identity and the `password` of the Secret do not fit: x/crypto/ssh was given a password for a key that is not
 * encrypted, or none (or a wrong one) for a key that is. Nothing was sent to the server.
 */
function sshKeyPasswordHit(obj: KubeObject, detail: string, message: string): Partial<RuleHit> {
  const secret = obj.spec?.secretRef?.name ?? 'of spec.secretRef';
  const notEncrypted = detail === 'ssh-key-not-encrypted';
  // Parsed with an empty passphrase (x/crypto's bcrypt_pbkdf refuses it): the Secret has no password key at all.
  const noPassword = !notEncrypted && SSH_KEY_NO_PASSPHRASE.test(message);
  return {
    title: notEncrypted
      ? `Secret ${secret} has a password, but its SSH private key is not encrypted`
      : noPassword
        ? `The SSH private key in Secret ${secret} is passphrase-protected, but the Secret has no password key`
        : `The SSH private key in Secret ${secret} is passphrase-protected and the password key is missing or wrong`,
    remediation: [
      notEncrypted
        ? { description: `The private key (identity) of Secret ${secret} is not passphrase-protected, yet the Secret has a password key, and this Git client (libgit2, or go-git before v5.4: Flux 0.x) then parses the key as an encrypted one and fails. Remove the password key from the Secret, or put the encrypted key it belongs to in identity; current Flux ignores a password an unencrypted key does not need`, command: 'kubectl --context {context} -n {namespace} get secret {secretName} -o jsonpath=\'{.data}\' | jq \'keys\'' }
        : { description: `The identity of Secret ${secret} is encrypted: put its passphrase in the password key of the Secret, or store an unencrypted deploy key`, command: 'kubectl --context {context} -n {namespace} get secret {secretName} -o jsonpath=\'{.data}\' | jq \'keys\'' },
      { description: notEncrypted ? 'Or recreate the Secret from the key file, without a password' : 'Or recreate the Secret from the key file with its passphrase', command: `flux --context {context} create secret git {secretName} -n {namespace} --url={sshUrl} --private-key-file=<key-file>${notEncrypted ? '' : ' --password=<passphrase>'}` },
      { description: 'Fetch again once the Secret is fixed', command: 'flux --context {context} reconcile {noun} {name} -n {namespace}' },
    ],
    replaceRemediation: true,
  };
}

/** go-git used the SSH agent: the Secret holds no `identity` (or the source has no secretRef at all). */
function sshAgentHit(obj: KubeObject): Partial<RuleHit> {
  const secret = obj.spec?.secretRef?.name;
  return {
    title: secret
      ? `Secret ${obj.metadata.namespace ?? ''}/${secret} has no SSH private key (identity): go-git fell back to an SSH agent`.replace(' /', ' ')
      : 'The GitRepository has an SSH URL but no spec.secretRef: go-git fell back to an SSH agent',
    remediation: [{ description: 'SSH needs the private key under the key identity (and known_hosts) in the Secret of spec.secretRef; without it go-git tries an SSH agent, which the controller does not have. Check the key names (a key stored as id_rsa or ssh-privatekey is not read), or recreate the Secret with flux create secret git' }],
  };
}

export default sourceRule({
  code: 'FD207',
  slug: 'source-secret-invalid',
  category: 'source-auth',
  severity: 'error',
  kinds: ['GitRepository', 'OCIRepository', 'HelmRepository', 'HelmChart', 'Bucket'],
  title: 'Credentials Secret missing or malformed',
  signals: [
    'Ready=False AuthenticationFailed (FetchFailed=True), before anything is fetched:',
    'failed to get secret \'<ns>/<name>\': secrets "<name>" not found (Git, Bucket) / failed to get authentication secret \'<ns>/<name>\' / failed to get TLS authentication secret (Helm) / failed to get credential: … (OCI keychain)',
    'failed to configure authentication options: <invalid Secret data> / SSH identity key is encrypted but no \'password\' field was provided in the secret \'<ns>/<name>\' / failed to configure proxy options: … / failed to generate transport for \'<url>\': … / invalid \'<name>\' secret data: required fields …',
    'GitRepository, any reason (AuthenticationFailed auth error: / GitOperationFailed through libgit2, Flux 0.x; unable to construct auth method with options: …): ssh: not an encrypted key / ssh: key is not password protected (a password key next to an unencrypted identity) or ssh: this private key is passphrase protected / x509: decryption password incorrect (password missing or wrong) / bcrypt_pbkdf: empty password (an encrypted OpenSSH-format key and no password key: Flux 2.0+ go-git)',
    'failed to construct Helm client\'s TLS config: cannot use secret \'<name>\' to construct TLS config: invalid secret type: \'kubernetes.io/dockerconfigjson\' (TLS needs an Opaque or kubernetes.io/tls Secret; spec.certSecretRef is named)',
    'GitRepository (SSH URL), any reason: unable to clone \'<url>\', error: error creating SSH agent: "SSH agent requested but SSH_AUTH_SOCK not-specified" (go-git fell back to the SSH agent: the Secret has no identity key, e.g. the key is stored under another name; fluxcd/flux2#1545)',
    'HelmChart / OCIRepository / HelmRepository with a secretRef (a HelmChart: on its HelmRepository) and no spec.provider: … credential required for basic auth (the Secret yielded no credentials for that registry host)',
    'not: the server rejecting valid-looking credentials (FD201, FD208), workload identity (FD209)',
  ],
  explanation: 'source-controller could not build credentials from the Secrets the source references (spec.secretRef, spec.certSecretRef, spec.proxySecretRef, or the image pull secrets of spec.serviceAccountName): the Secret does not exist in the source\'s namespace (not yet created by SOPS/External Secrets, wrong name, deleted), or it lacks the keys this source type needs (identity + known_hosts for SSH, username/password or bearerToken for HTTPS, .dockerconfigjson for OCI, accesskey/secretkey for buckets, ca.crt/tls.crt/tls.key for TLS), or the private key is encrypted without a password. Nothing is fetched until the Secret is fixed.',
  remediation: [
    { description: 'See whether {secretName} exists in {namespace}', command: 'kubectl --context {context} -n {namespace} get secret {secretName}' },
    { description: 'List its keys (never its values)', command: 'kubectl --context {context} -n {namespace} get secret {secretName} -o jsonpath=\'{.data}\' | jq \'keys\'' },
    { description: 'If the Secret is produced by a Kustomization (SOPS) or an ExternalSecret, check that it is ready', command: 'flux --context {context} get kustomizations -A --status-selector ready=false' },
    { description: 'Recreate it with the keys Flux expects (identity, identity.pub, known_hosts)', command: 'flux --context {context} create secret git {secretName} -n {namespace} --url={sshUrl}', kinds: ['GitRepository'] },
    { description: 'Recreate it with the keys Flux expects (username/password; --bearer-token=<token> instead for servers that take bearer tokens)', command: 'flux --context {context} create secret git {secretName} -n {namespace} --url={httpsUrl} --username=<user> --password=<token>', kinds: ['GitRepository'] },
    { description: 'Recreate it with the keys Flux expects', command: 'flux --context {context} create secret helm {secretName} -n {namespace} --username=<user> --password=<token>', kinds: ['HelmRepository', 'HelmChart'] },
    { description: 'Recreate it as a registry pull secret', command: 'flux --context {context} create secret oci {secretName} -n {namespace} --url=<registry-host> --username=<user> --password=<token>', kinds: ['OCIRepository'] },
    { description: 'Recreate it with accesskey and secretkey keys', command: 'kubectl --context {context} -n {namespace} create secret generic {secretName} --from-literal=accesskey=<key> --from-literal=secretkey=<secret>', kinds: ['Bucket'] },
    { description: 'Fetch again once the Secret is fixed', command: 'flux --context {context} reconcile {noun} {name} -n {namespace}' },
  ],
  classes: ['secret'],
  refine(obj, { index }, found, base) {
    const message = found.condition.message ?? '';
    const vars: Record<string, string> = {};
    const evidence: string[] = [];
    const blockedBy: ObjRef[] = [];
    // A HelmChart is pulled with the credentials of its HelmRepository.
    addChartContext(obj, index, { vars, evidence, blockedBy }, { credentials: true });
    if (obj.kind === 'GitRepository') Object.assign(vars, gitUrlVars(obj.spec?.url));
    if (found.detail === 'ssh-agent') return { vars, evidence: [...base.evidence, ...evidence], ...sshAgentHit(obj) };
    if (found.detail === 'ssh-key-not-encrypted' || found.detail === 'ssh-key-passphrase') return { vars, evidence: [...base.evidence, ...evidence], ...sshKeyPasswordHit(obj, found.detail, message) };
    if (found.detail === 'no-credential') {
      const secret = vars.secretName ?? base.vars.secretName ?? 'the credentials Secret';
      return {
        vars,
        evidence: [...base.evidence, ...evidence, `the registry asked for basic auth and no credentials were sent, although ${secret} is referenced`],
        ...(blockedBy.length > 0 ? { blockedBy } : {}),
        title: `Secret ${secret} yields no credentials for this registry: it was asked for basic auth and nothing was sent`,
        remediation: [{ description: 'A dockerconfigjson Secret must have an entry under auths for exactly the registry host (no https:// or path); a Helm Secret needs username and password keys: recreate it with flux create secret oci / helm' }],
      };
    }
    const tls = tlsSecretHint(message, index, obj.metadata.namespace ?? '');
    if (tls) return { vars, evidence: [...base.evidence, ...evidence, ...tls.evidence], ...(blockedBy.length > 0 ? { blockedBy } : {}), title: tls.title, remediation: tls.remediation };
    const named = message.match(/secret '(?:([^/'\s]+)\/)?([^'\s]+)'/i) ?? message.match(/secrets? "([^"]+)" not found/);
    let title: string | undefined;
    const extra: RemediationTemplate[] = [];
    if (named) {
      const name = named.length === 3 ? named[2]! : named[1]!;
      const ns = named.length === 3 && named[1] ? named[1] : obj.metadata.namespace ?? '';
      vars.secretName = name;
      const type = message.match(/invalid secret type: '([^']+)'/)?.[1];
      if (type) {
        // TLS settings are read only from Opaque or kubernetes.io/tls Secrets (source-controller's TLS config).
        title = `Secret ${ns}/${name} has type ${type}, which cannot hold TLS settings`;
        extra.push({ description: `TLS settings are read only from Secrets of type Opaque or kubernetes.io/tls: put ca.crt (and tls.crt/tls.key) in such a Secret and reference it in spec.certSecretRef${type === 'kubernetes.io/dockerconfigjson' ? ' (a dockerconfigjson Secret is for OCI registry logins: use it with spec.type: oci, or recreate {secretName} as type Opaque with username/password)' : ''}`, command: 'kubectl --context {context} -n {namespace} get secret {secretName} -o jsonpath=\'{.type}{"\\n"}\'' });
      } else if (/not found/.test(message)) title = `Secret ${ns}/${name} does not exist`;
      else if (/identity key is encrypted/.test(message)) title = `The SSH key in Secret ${ns}/${name} is encrypted and no password is given`;
      else title = `Secret ${ns}/${name} cannot be used for authentication`;
    } else if (/not found/.test(message) && vars.secretName) {
      title = `Secret ${obj.metadata.namespace}/${vars.secretName} does not exist`;
    } else if (/proxy/i.test(message)) {
      title = 'Proxy Secret missing or malformed';
    } else if (/TLS|certificate|tls\.(?:crt|key)|ca\.crt/i.test(message)) {
      title = 'TLS Secret missing or malformed';
    }
    return {
      vars,
      evidence: [...base.evidence, ...evidence],
      ...(blockedBy.length > 0 ? { blockedBy } : {}),
      ...(extra.length > 0 ? { remediation: extra } : {}),
      ...(title ? { title } : {}),
    };
  },
});
