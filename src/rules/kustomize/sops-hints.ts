// SOPS errors whose cause the message states (FD307 otherwise leads to recipients and KMS access):
// - getsops/sops: `Could not decrypt value: Input string <s> does not match sops' data format` when a value of an
//   encrypted file is not `ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]`: the file, not the key;
// - kustomize-controller internal/decryptor (v0.23+): `failed to import '<key>' data from <provider> [SOPS age ]
//   decryption Secret '<ns>/<name>': <err>`, before v0.23 `gpg import error: <gpg output>`: the key in the Secret
//   cannot be loaded at all. For a PGP key <err> is sops' GnuPGHome.Import: `failed to import armored key data into
//   GnuPG keyring: <gpg stderr>`; since sops v3.8.1 (kustomize-controller v1.2, Flux 2.2) `… keyring (<exit error>):
//   <stderr>` or `…: <exec error>`. Older sops dropped the exec error, so nothing after the colon means gpg gave no
//   output: it most likely could not be run (kustomize-controller#966, a custom image without gpg).
import type { RemediationTemplate } from '../types';

export interface SopsHint {
  title: string;
  explanation: string;
  remediation: RemediationTemplate[];
  replaceRemediation: true;
  vars?: Record<string, string>;
}

export function sopsFileHint(message: string, what: string, objectName: string | null): SopsHint | null {
  if (!/does not match sops' data format/.test(message)) return null;
  return {
    title: `${what} holds a value that is not SOPS-encrypted (plaintext or edited by hand)`,
    explanation: 'The file has SOPS metadata, but one of its values is not in SOPS\'s encrypted form (ENC[AES256_GCM,data:…,type:…]): it was edited by hand after encryption, a plaintext value was added or pasted in, or it was merged from another file. SOPS refuses to decrypt such a file at all. The decryption key is not the problem. Recreate the file from its plaintext and encrypt it again with sops (which also renews the MAC), then commit it.',
    remediation: [
      { description: 'Find the SOPS-encrypted file(s) under {path} (run at the repository root)', command: `grep -rl --include=*.yaml -e '^sops:' {path}${objectName ? ` | xargs grep -l 'name: ${objectName}'` : ''}` },
      { description: 'In it, every value under data/stringData (or whatever encrypted_regex / unencrypted_suffix select) must read ENC[…]; write the plaintext file again and re-encrypt it in place with the repository\'s .sops.yaml rules, then commit: sops --encrypt --in-place <file>. This handles secret data: keep the plaintext out of Git and shell history.' },
      { description: 'Apply again once the re-encrypted file is committed', command: 'flux --context {context} reconcile kustomization {name} -n {namespace} --with-source' },
    ],
    replaceRemediation: true,
  };
}

const IMPORT = /failed to import '([^']+)' data from (?:\w+ )?(?:SOPS age )?decryption Secret '([^']+)': ?([^\n]*)|gpg import error: ?([^\n]*)/;

const KEEP_SECRET = 'This handles key material: never print it, and escalate to whoever owns the keys.';

export function sopsKeyImportHint(message: string): SopsHint | null {
  const m = message.match(IMPORT);
  if (!m) return null;
  // The legacy wording names neither the key nor the Secret (gpg imported every *.asc key).
  const key = m[1] ?? 'a *.asc key';
  const secret = m[2] ? `Secret ${m[2]}` : 'the decryption Secret';
  // What gpg (or the exec) said, without sops' own prefix.
  const error = (m[3] ?? m[4] ?? '').replace(/^(?:failed to|cannot) import armored key data into GnuPG keyring(?: \([^)]*\))?:?/, '').trim();
  const vars: Record<string, string> = m[1] ? { keyName: key, keyPath: key.replace(/\./g, '\\.') } : {};
  const check = { description: `Check that ${key} holds an ASCII-armored private key without printing it (1 means it does)`, command: 'kubectl --context {context} -n {namespace} get secret {decryptionSecret} -o jsonpath=\'{.data.{keyPath}}\' | base64 -d | grep -c \'BEGIN PGP PRIVATE KEY BLOCK\'' };
  const recreate = { description: `Recreate the Secret from the armored private key (a public key imports but cannot decrypt; a binary or twice-encoded export cannot be imported). ${KEEP_SECRET}`, command: 'gpg --export-secret-keys --armor <fingerprint> | kubectl --context {context} -n {namespace} create secret generic {decryptionSecret} --from-file={keyName}=/dev/stdin --dry-run=client -o yaml | kubectl --context {context} apply -f -' };
  const apply = { description: 'Decrypt and apply again once the key is fixed', command: 'flux --context {context} reconcile kustomization {name} -n {namespace} --with-source' };
  if (m[1] && !/\.asc$/.test(key)) {
    return {
      title: `The key '${key}' in ${secret} cannot be loaded`,
      explanation: `kustomize-controller loads every key of the decryption Secret by its name (*.agekey: age identities, *.asc: PGP keys, sops.vault-token, sops.aws-kms, sops.azure-kv, sops.gcp-kms: credentials) before decrypting anything, and '${key}' could not be parsed${error ? ` (${error})` : ''}. The data under that key is not in the form its name announces (an age public key age1… instead of the AGE-SECRET-KEY-1… identity, extra text, a file in another format). Nothing is decrypted or applied. ${KEEP_SECRET}`,
      remediation: [
        { description: 'List the Secret\'s key names only', command: 'kubectl --context {context} -n {namespace} get secret {decryptionSecret} -o jsonpath=\'{.data}\' | jq -r \'keys[]\'' },
        { description: `Recreate ${key} from the original key file in the form its name requires (for age: the private identity file that age-keygen wrote)` },
        apply,
      ],
      replaceRemediation: true,
      vars,
    };
  }
  const noGpg = error === '' || /fork\/exec|executable file not found|no such file or directory/.test(error);
  const notArmored = /no valid OpenPGP data found/.test(error);
  if (noGpg) {
    return {
      title: error ? `kustomize-controller could not run gpg to import ${key} from ${secret}` : `gpg failed without a word importing ${key} from ${secret}: is gpg missing from the kustomize-controller image?`,
      explanation: `kustomize-controller imports PGP keys by running gpg --import, and the import failed ${error ? `with ${error}` : 'without any output from gpg'}: gpg could not be started, which is what a kustomize-controller image without the gpg binary does (a custom or rebuilt image; the official ghcr.io/fluxcd/kustomize-controller image installs gnupg). With the official image, the key data is the next suspect. Nothing is decrypted or applied.`,
      remediation: [
        { description: 'See the image kustomize-controller runs: use the official image (or add gnupg to a custom one)', command: 'kubectl --context {context} -n {fluxNamespace} get deploy kustomize-controller -o jsonpath=\'{.spec.template.spec.containers[0].image}\'' },
        { description: 'Read its gpg errors', command: 'kubectl --context {context} -n {fluxNamespace} logs deploy/kustomize-controller --tail=50 | grep -i -E \'gpg|import\'' },
        check,
        ...(error ? [] : [recreate]),
        apply,
      ],
      replaceRemediation: true,
      vars,
    };
  }
  return {
    title: `${m[1] ? `The PGP key ${key}` : 'A PGP key (*.asc)'} in ${secret} cannot be imported${notArmored ? ' (no valid OpenPGP data)' : ''}`,
    explanation: `kustomize-controller imports the PGP keys of the decryption Secret with gpg --import before decrypting anything, and gpg refused ${key}${error ? ` (${error})` : ''}. The data is not an ASCII-armored PGP key: a binary export, a key base64-encoded twice (--from-literal of an already encoded value), a truncated or edited file. The recipients of the encrypted files are not the problem yet. Nothing is decrypted or applied.`,
    remediation: [check, recreate, apply],
    replaceRemediation: true,
    vars,
  };
}
