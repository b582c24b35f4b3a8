import { conditionRule } from '../define';
import { sopsFileHint, sopsKeyImportHint } from './sops-hints';
import { refKey } from '../../flux/refs';
import { APPLY_REASONS, applyTarget, baseEvidence, classifyApply, classifyBuild, escapeRegExp, ksVars, targetVars } from './messages';

export default conditionRule({
  code: 'FD307',
  slug: 'decryption-failed',
  category: 'decryption-failed',
  severity: 'error',
  kinds: ['Kustomization'],
  title: 'SOPS decryption failed',
  signals: [
    "Ready=False BuildFailed: decryption failed for '<object>': failed to decrypt and format '<ns>/<name>' Secret data: <sops error> (cannot get sops data key, 0 successful groups required…)",
    "… error decrypting sources|env sources: … / cannot get sops decryption Secret '<ns>/<name>': … / failed to verify sops data integrity / could not generate data key",
    "… failed to import '<key>' data from sops [SOPS age ]decryption Secret '<ns>/<name>': <err> (v0.23+) / gpg import error: <gpg output> (before): the key itself cannot be loaded; for *.asc: failed to import armored key data into GnuPG keyring[ (exit status N)]: gpg: no valid OpenPGP data found (not armored) / fork/exec …: no such file or directory or nothing after the colon (gpg not runnable: an image without gpg)",
    'Ready=False BuildFailed: secrets "<spec.decryption.secretRef.name>" not found',
    "… Could not decrypt value: Input string <s> does not match sops' data format: a plaintext or hand-edited value in the encrypted file (re-encrypt it; not the key)",
    'Ready=False ReconciliationFailed: <Secret/ns/name> is SOPS encrypted, configuring decryption is required for this secret to be reconciled (no spec.decryption)',
    'before that check existed, or for non-Secret kinds: … dry-run failed …: .sops: field not declared in schema / unknown field "sops"',
  ],
  explanation: 'kustomize-controller could not decrypt a SOPS-encrypted manifest. Either the Kustomization has no spec.decryption at all (the encrypted object would reach the API server as is), or the key it points to cannot decrypt this file: the decryption Secret is missing, has no key with the expected suffix (*.agekey for age, *.asc for PGP), holds a different key than the file was encrypted for (recipients), or cloud KMS credentials are denied. Nothing is applied. Handle keys as secrets: list key names only, never print key material or decrypted data, and escalate to whoever owns the keys.',
  remediation: [
    { description: 'Add spec.decryption to this Kustomization in Git ({sopsObject} is encrypted): decryption: {provider: sops, secretRef: {name: sops-age}}', command: 'kubectl --context {context} -n {namespace} get secrets -o name | grep -i -E \'sops|age|gpg\'' },
    { description: 'Check the decryption Secret exists and list its key names only (an age key must end in .agekey, a PGP key in .asc)', command: 'kubectl --context {context} -n {namespace} get secret {decryptionSecret} -o jsonpath=\'{.data}\' | jq -r \'keys[]\'' },
    { description: 'See what decryption the Kustomization is configured with', command: 'kubectl --context {context} -n {namespace} get kustomization {name} -o jsonpath=\'{.spec.decryption}\'' },
    { description: 'Read the SOPS errors of kustomize-controller', command: 'kubectl --context {context} logs -n {fluxNamespace} deploy/kustomize-controller --tail=30 | grep -i sops' },
    { description: 'Compare the recipients in the encrypted file (sops.age[].recipient, .sops.yaml creation_rules) with the public key of the cluster\'s key; re-encrypt with `sops updatekeys` if they differ. This is a secrets operation: escalate to the key owner rather than copying keys around.' },
    { description: 'Decrypt and apply again once the key is fixed', command: 'flux --context {context} reconcile kustomization {name} -n {namespace} --with-source' },
  ],
  when: [
    { type: 'Ready', status: 'False', reasons: ['BuildFailed'] },
    { type: 'Ready', status: 'False', reasons: APPLY_REASONS },
  ],
  refine(obj, { index }, { condition }) {
    const message = condition.message ?? '';
    const vars = ksVars(obj, index);
    // The value sops quotes is masked by util/redact.ts, as everywhere the message is shown.
    const evidence = baseEvidence(obj, condition);
    const ns = obj.metadata.namespace ?? '';
    const secretName = obj.spec?.decryption?.secretRef?.name;
    if (condition.reason === 'BuildFailed') {
      if (classifyBuild(message, obj) !== 'decryption') return null;
    } else {
      if (classifyApply(message) !== 'sops') return null;
      const target = applyTarget(message);
      Object.assign(vars, targetVars(target));
      if (!obj.spec?.decryption) {
        vars.sopsObject = target ? refKey(target.ref) : 'a SOPS-encrypted object';
        evidence.push('spec.decryption is not set: SOPS-encrypted manifests are applied without being decrypted');
        return {
          vars,
          evidence,
          title: `${target ? `${vars.sopsObject} is` : 'Manifests are'} SOPS-encrypted but spec.decryption is not set`,
        };
      }
    }
    let title: string | undefined;
    let unnamedKey: { keys: string[]; secret: string } | null = null;
    const decrypting = message.match(/decryption failed for '(?:[^'/]*\/)?([^'/]+)'/)?.[1];
    const formatted = message.match(/failed to decrypt and format '([^']+)' (\w+)/);
    if (formatted) title = `SOPS decryption of ${formatted[2]} ${formatted[1]} failed`;
    else if (decrypting) title = `SOPS decryption of ${decrypting} failed`;
    if (typeof secretName === 'string' && secretName) {
      vars.decryptionSecret = secretName;
      if (new RegExp(`secrets? "${escapeRegExp(secretName)}" not found`, 'i').test(message)) title = `Decryption Secret ${ns}/${secretName} does not exist`;
      const state = index.lookup({ kind: 'Secret', namespace: ns, name: secretName });
      if (state === 'absent') evidence.push(`Secret ${ns}/${secretName} (spec.decryption.secretRef) does not exist`);
      if (state === 'present') {
        const keys: string[] = index.resource({ kind: 'Secret', namespace: ns, name: secretName })?.dataKeys ?? [];
        const usable = keys.filter((k) => /\.(agekey|asc)$/.test(k) || ['sops.vault-token', 'sops.aws-kms', 'sops.azure-kv', 'sops.gcp-kms'].includes(k));
        evidence.push(usable.length > 0
          ? `Secret ${ns}/${secretName} has key(s) ${usable.join(', ')}`
          : `Secret ${ns}/${secretName} has no *.agekey, *.asc or sops.* key (keys: ${keys.join(', ') || 'none'})`);
        // The controller imports keys by the name of their Secret entry: a key under another name is never loaded.
        if (usable.length === 0 && keys.length > 0 && /at least one key has to be successful|no key could decrypt|could not decrypt|failed to get the data key/i.test(message)) unnamedKey = { keys, secret: `${ns}/${secretName}` };
      }
    }
    const fileHint = sopsFileHint(message, formatted ? `${formatted[2]} ${formatted[1]}` : decrypting ? `SOPS file of ${decrypting}` : 'A SOPS file', formatted?.[1]?.split('/').pop() ?? decrypting ?? null);
    if (fileHint) return { vars, evidence, ...fileHint };
    const importHint = sopsKeyImportHint(message);
    if (importHint) {
      const { vars: more, ...rest } = importHint;
      return { vars: { ...vars, ...more }, evidence, ...rest };
    }
    if (unnamedKey) {
      return {
        vars, evidence,
        title: `${title ?? 'SOPS decryption failed'}: no key of Secret ${unnamedKey.secret} is loaded (${unnamedKey.keys.join(', ')}: kustomize-controller reads only *.agekey, *.asc and sops.* entries)`,
        remediation: [{ description: `Rename the entry of ${unnamedKey.secret} so the controller imports it: an age key as <name>.agekey (e.g. age.agekey), a PGP key as <name>.asc; the key itself is probably right`, command: 'kubectl --context {context} -n {namespace} create secret generic {decryptionSecret} --from-file=age.agekey=<path/to/age.key> --dry-run=client -o yaml' }],
        replaceRemediation: true,
      };
    }
    return { vars, evidence, ...(title ? { title } : {}) };
  },
});
