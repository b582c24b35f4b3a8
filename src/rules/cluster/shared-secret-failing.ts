import { isSuspended, readyState } from '../../flux/conditions';
import { refOf, type ObjRef } from '../../flux/refs';
import { defineRule } from '../define';
import { classify, type SourceClass } from '../source/classify';
import { listRefs } from './failure-text';

/** Source classes that say the credentials were refused, or that the Secret itself is missing or unusable. */
const REJECTED: SourceClass[] = ['git-auth', 'credentials-rejected'];
const UNUSABLE: SourceClass[] = ['secret'];
const KINDS = ['GitRepository', 'OCIRepository', 'HelmRepository', 'Bucket'];

export default defineRule({
  code: 'FD022',
  slug: 'shared-secret-failing',
  category: 'source-auth',
  severity: 'error',
  kinds: ['Cluster'],
  title: 'One Secret behind several sources\' credential failures',
  signals: [
    'two or more GitRepositories, OCIRepositories, HelmRepositories or Buckets with the same spec.secretRef whose failures source-controller reports as rejected credentials (FD201, FD208: 401/403, `authentication required`, `ssh: handshake failed: … unable to authenticate`) or as a missing/unusable Secret (FD207)',
    'not when another source with the same Secret is Ready: the credential works, the repositories\' permissions differ',
    'the sources are linked to the Secret as their root cause, so one rotation fixes them all',
  ],
  explanation: 'Several sources authenticate with the same Secret and all fail the same way: the credential in it, not each repository, is the problem. An expired or revoked token or deploy key (tokens with a maximum lifetime expire together), a Secret deleted or recreated without its keys, or a key rotated in the Git host but not in the cluster. Fix the Secret once, through however it is managed (SOPS, External Secrets, sealed secrets, the flux bootstrap); the sources recover at their next interval.',
  remediation: [
    { description: 'The servers reject it ({rejected}): rotate the credential in the Git host or registry (check its expiry there), then write the new one into {namespace}/{name} where it is managed; every source using it recovers at its next interval' },
    { description: 'Recreate the Secret ({unusable}) where it is managed (the flux bootstrap, SOPS, External Secrets), the findings under this one say what each source found wrong' },
    { description: 'List the keys of Secret {name} (names only; a token Secret needs username/password or bearerToken, an SSH one identity and known_hosts)', command: 'kubectl --context {context} -n {namespace} get secret {name} -o jsonpath=\'{.data}\' | jq \'keys\'' },
    { description: 'See who manages the Secret and when it last changed (an External Secrets or sealed-secrets owner, managedFields times)', command: 'kubectl --context {context} -n {namespace} get secret {name} --show-managed-fields -o jsonpath=\'{.metadata.ownerReferences}{"\\n"}{.metadata.managedFields[*].manager}{"\\n"}{.metadata.managedFields[*].time}{"\\n"}\'' },
  ],
  matchCluster({ index }) {
    const groups = new Map<string, { secret: ObjRef; kind: 'rejected' | 'unusable'; refs: ObjRef[]; kinds: Set<string> }>();
    for (const kind of KINDS) {
      for (const obj of index.objects(kind)) {
        const name = obj.spec?.secretRef?.name;
        if (typeof name !== 'string' || !name || isSuspended(obj)) continue;
        const cls = classify(obj, index)?.cls;
        const group = cls && REJECTED.includes(cls) ? 'rejected' : cls && UNUSABLE.includes(cls) ? 'unusable' : null;
        if (!group) continue;
        const namespace = obj.metadata.namespace ?? index.cluster.fluxNamespace;
        const key = `${namespace}/${name}|${group}`;
        const g = groups.get(key) ?? { secret: { kind: 'Secret', namespace, name }, kind: group, refs: [], kinds: new Set<string>() };
        g.refs.push(refOf(obj));
        g.kinds.add(obj.kind);
        groups.set(key, g);
      }
    }
    // A source that works with the same Secret proves the credential is fine: then the repositories' permissions differ.
    const working = new Set<string>();
    for (const kind of KINDS) {
      for (const obj of index.objects(kind)) {
        const name = obj.spec?.secretRef?.name;
        if (typeof name === 'string' && readyState(obj) === 'ready') working.add(`${obj.metadata.namespace ?? index.cluster.fluxNamespace}/${name}`);
      }
    }
    return [...groups.values()].filter((g) => g.refs.length >= 2 && !working.has(`${g.secret.namespace}/${g.secret.name}`)).map((g) => ({
      object: g.secret,
      title: g.kind === 'rejected'
        ? `Secret ${g.secret.namespace}/${g.secret.name} is rejected for ${g.refs.length} sources: its credentials no longer work`
        : `Secret ${g.secret.namespace}/${g.secret.name} is missing or unusable for ${g.refs.length} sources`,
      evidence: [`${g.refs.length} ${[...g.kinds].join('/')} objects using it fail the same way: ${listRefs(g.refs, 4)}`],
      vars: (g.kind === 'rejected' ? { rejected: '401/403, authentication failed' } : { unusable: 'it is missing or lacks the keys the sources need' }) as Record<string, string>,
      explains: g.refs,
    }));
  },
});
