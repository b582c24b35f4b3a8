import { condition, isSuspended, readyState } from '../../flux/conditions';
import type { ClusterIndex } from '../../snapshot/indexes';
import type { KubeObject } from '../../snapshot/schema';
import { classifyBuild } from '../kustomize/messages';
import { refOf, type ObjRef } from '../../flux/refs';
import { defineRule } from '../define';
import { classify, type SourceClass } from '../source/classify';
import { listRefs } from './failure-text';

/** Source classes that say the credentials were refused, or that the Secret itself is missing or unusable. */
const REJECTED: SourceClass[] = ['git-auth', 'credentials-rejected'];
const UNUSABLE: SourceClass[] = ['secret'];
const KINDS = ['GitRepository', 'OCIRepository', 'HelmRepository', 'Bucket'];

type Group = 'rejected' | 'unusable' | 'decryption';
const ROLE: Record<Group, 'source' | 'decryption'> = { rejected: 'source', unusable: 'source', decryption: 'decryption' };
const TITLE: Record<Group, (secret: string, n: number) => string> = {
  rejected: (s, n) => `Secret ${s} is rejected for ${n} sources: its credentials no longer work`,
  unusable: (s, n) => `Secret ${s} is missing or unusable for ${n} sources`,
  decryption: (s, n) => `Secret ${s} cannot decrypt the SOPS files of ${n} Kustomizations`,
};
const VAR: Record<Group, string> = {
  rejected: '401/403, authentication failed',
  unusable: 'it is missing or lacks the keys the sources need',
  decryption: 'its key no longer matches the recipients the files were encrypted for, or it is missing',
};

interface SecretUser { ref: ObjRef; secret: ObjRef; role: 'source' | 'decryption'; group: Group | null; ready: boolean }

/** Every object that reads a Secret for credentials (sources) or SOPS keys (Kustomizations), with how it fails. */
function secretUsers(index: ClusterIndex): SecretUser[] {
  const out: SecretUser[] = [];
  const at = (obj: KubeObject, name: string): ObjRef => ({ kind: 'Secret', namespace: obj.metadata.namespace ?? index.cluster.fluxNamespace, name });
  for (const kind of KINDS) {
    for (const obj of index.objects(kind)) {
      const name = obj.spec?.secretRef?.name;
      if (typeof name !== 'string' || !name || isSuspended(obj)) continue;
      const cls = classify(obj, index)?.cls;
      const group = cls && REJECTED.includes(cls) ? 'rejected' : cls && UNUSABLE.includes(cls) ? 'unusable' : null;
      out.push({ ref: refOf(obj), secret: at(obj, name), role: 'source', group, ready: readyState(obj) === 'ready' });
    }
  }
  for (const obj of index.objects('Kustomization')) {
    const name = obj.spec?.decryption?.secretRef?.name;
    if (typeof name !== 'string' || !name || isSuspended(obj)) continue;
    const ready = condition(obj, 'Ready');
    const failing = ready?.status === 'False' && ready.reason === 'BuildFailed' && classifyBuild(ready.message ?? '', obj) === 'decryption';
    out.push({ ref: refOf(obj), secret: at(obj, name), role: 'decryption', group: failing ? 'decryption' : null, ready: readyState(obj) === 'ready' });
  }
  return out;
}

export default defineRule({
  code: 'FD022',
  slug: 'shared-secret-failing',
  category: 'source-auth',
  severity: 'error',
  kinds: ['Cluster'],
  title: 'One Secret behind several objects\' credential or decryption failures',
  signals: [
    'two or more GitRepositories, OCIRepositories, HelmRepositories or Buckets with the same spec.secretRef whose failures source-controller reports as rejected credentials (FD201, FD208: 401/403, `authentication required`, `ssh: handshake failed: … unable to authenticate`) or as a missing/unusable Secret (FD207)',
    'two or more Kustomizations with the same spec.decryption.secretRef failing to decrypt (FD307): the key, not each file',
    'not when another user of the same Secret (for the same purpose) is Ready: the credential works, the repositories\' permissions differ',
    'the sources are linked to the Secret as their root cause, so one rotation fixes them all',
  ],
  explanation: 'Several sources authenticate with the same Secret and all fail the same way: the credential in it, not each repository, is the problem. An expired or revoked token or deploy key (tokens with a maximum lifetime expire together), a Secret deleted or recreated without its keys, or a key rotated in the Git host but not in the cluster. Fix the Secret once, through however it is managed (SOPS, External Secrets, sealed secrets, the flux bootstrap); the sources recover at their next interval. The same holds for Kustomizations that decrypt with one SOPS key Secret: when the key was replaced or the files re-encrypted for another recipient, they all fail together.',
  remediation: [
    { description: 'The servers reject it ({rejected}): rotate the credential in the Git host or registry (check its expiry there), then write the new one into {namespace}/{name} where it is managed; every source using it recovers at its next interval' },
    { description: 'Decryption ({decryption}): restore the key the files were encrypted for, or re-encrypt the files for the new key (sops updatekeys with the new recipient in .sops.yaml); if the flux-system Kustomization itself is among them, restore the Secret with kubectl: a fix through Git cannot be decrypted' },
    { description: 'Recreate the Secret ({unusable}) where it is managed (the flux bootstrap, SOPS, External Secrets), the findings under this one say what each source found wrong' },
    { description: 'List the keys of Secret {name} (names only; a token Secret needs username/password or bearerToken, an SSH one identity and known_hosts)', command: 'kubectl --context {context} -n {namespace} get secret {name} -o jsonpath=\'{.data}\' | jq \'keys\'' },
    { description: 'See who manages the Secret and when it last changed (an External Secrets or sealed-secrets owner, managedFields times)', command: 'kubectl --context {context} -n {namespace} get secret {name} --show-managed-fields -o jsonpath=\'{.metadata.ownerReferences}{"\\n"}{.metadata.managedFields[*].manager}{"\\n"}{.metadata.managedFields[*].time}{"\\n"}\'' },
  ],
  matchCluster({ index }) {
    const groups = new Map<string, { secret: ObjRef; kind: Group; refs: ObjRef[]; kinds: Set<string> }>();
    // A user of the same Secret that works proves the credential is fine: then the repositories' permissions differ.
    const working = new Set<string>();
    for (const u of secretUsers(index)) {
      const at = `${u.secret.namespace}/${u.secret.name}`;
      if (u.ready) working.add(`${at}|${u.role}`);
      if (!u.group) continue;
      const key = `${at}|${u.group}`;
      const g = groups.get(key) ?? { secret: u.secret, kind: u.group, refs: [], kinds: new Set<string>() };
      g.refs.push(u.ref);
      g.kinds.add(u.ref.kind);
      groups.set(key, g);
    }
    return [...groups.values()].filter((g) => g.refs.length >= 2 && !working.has(`${g.secret.namespace}/${g.secret.name}|${ROLE[g.kind]}`)).map((g) => ({
      object: g.secret,
      title: TITLE[g.kind](`${g.secret.namespace}/${g.secret.name}`, g.refs.length),
      evidence: [`${g.refs.length} ${[...g.kinds].join('/')} objects using it fail the same way: ${listRefs(g.refs, 4)}`],
      vars: { [g.kind]: VAR[g.kind] },
      explains: g.refs,
    }));
  },
});
