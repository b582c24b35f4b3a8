// SOPS errors that are about the encrypted file, not the key (FD307 otherwise leads to the decryption Secret).
// getsops/sops: `Could not decrypt value: Input string <s> does not match sops' data format` when a value of an
// encrypted file is not `ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]`.
import type { RemediationTemplate } from '../types';

export interface SopsHint {
  title: string;
  explanation: string;
  remediation: RemediationTemplate[];
  replaceRemediation: true;
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
