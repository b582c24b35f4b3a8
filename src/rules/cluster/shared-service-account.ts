// The same impersonated ServiceAccount name refused in several tenant namespaces: the tenants were set up together
// (one Kustomization or chart creates each tenant's ServiceAccount and RoleBinding), so a rename or a narrowed role in
// that set-up breaks them all at once. Each object reports its own RBAC refusal (FD314, FD411); this names the one
// change, from the change-set events that deleted the account (or created another in the same namespaces).
// Objects without spec.serviceAccountName impersonate the controller's --default-service-account: FD026's.
import { inventory, refKey, type ObjRef } from '../../flux/refs';
import type { ClusterIndex } from '../../snapshot/indexes';
import type { KubeObject } from '../../snapshot/schema';
import { defineRule } from '../define';
import type { RuleHit } from '../types';
import { releaseFailure } from '../helm/failure';
import { applyError, classifyApply } from '../kustomize/messages';
import { failures, listRefs, listSome } from './failure-text';

// The API server's RBAC refusal names the impersonated user: `User "system:serviceaccount:<ns>:<sa>" cannot <verb> …`.
const SA_USER = /User "system:serviceaccount:([^:"]+):([^"]+)" cannot /;

/** The refused ServiceAccount when it is the object's own spec.serviceAccountName in its namespace. */
function refusedAccount(obj: KubeObject, message: string): string | null {
  const sa = obj.spec?.serviceAccountName;
  if (typeof sa !== 'string' || !sa) return null;
  let text: string | null = null;
  if (obj.kind === 'Kustomization' && classifyApply(message) === 'forbidden') text = applyError(message);
  if (obj.kind === 'HelmRelease') {
    const failure = releaseFailure(obj);
    if (failure?.klass === 'forbidden') text = failure.tail;
  }
  const m = text?.match(SA_USER);
  return m && m[1] === obj.metadata.namespace && m[2] === sa ? sa : null;
}

/**
 * Change sets of Kustomizations (`ServiceAccount/<ns>/<name> created|deleted` lines of their events) and inventories
 * that touch ServiceAccounts in `namespaces`: who deleted `sa` there, and which other accounts it applies instead.
 */
function accountChanges(index: ClusterIndex, sa: string, namespaces: Set<string>): { deletedBy: ObjRef | null; deletedAt: string | null; others: Set<string> } {
  let deletedBy: ObjRef | null = null;
  let deletedAt: string | null = null;
  const others = new Set<string>();
  for (const ks of index.objects('Kustomization')) {
    const ref = { kind: 'Kustomization', namespace: ks.metadata.namespace, name: ks.metadata.name };
    for (const e of inventory(ks)) if (e.kind === 'ServiceAccount' && e.name !== sa && namespaces.has(e.namespace ?? '')) others.add(e.name);
    for (const ev of index.eventsFor(ref)) {
      const message = String(ev.message ?? ev.note ?? '');
      if (!message.includes('ServiceAccount/')) continue;
      for (const line of message.split('\n')) {
        const m = line.trim().match(/^ServiceAccount\/([^/\s]+)\/(\S+) (created|deleted)$/);
        if (!m || !namespaces.has(m[1]!)) continue;
        if (m[2] === sa && m[3] === 'deleted' && !deletedBy) {
          deletedBy = ref;
          deletedAt = String(ev.lastTimestamp ?? ev.eventTime ?? ev.metadata?.creationTimestamp ?? '') || null;
        } else if (m[2] !== sa && m[3] === 'created') others.add(m[2]!);
      }
    }
  }
  return { deletedBy, deletedAt, others };
}

export default defineRule({
  code: 'FD032',
  slug: 'shared-service-account-refused',
  category: 'access-denied',
  severity: 'error',
  kinds: ['Cluster'],
  title: 'The same impersonated ServiceAccount is refused in several namespaces',
  signals: [
    'Kustomizations (FD314) and HelmReleases (FD411) in two or more namespaces whose spec.serviceAccountName has the same name, all refused: `… is forbidden: User "system:serviceaccount:<ns>:<sa>" cannot <verb> resource …`',
    'a Kustomization\'s change-set event `ServiceAccount/<ns>/<sa> deleted` in those namespaces (and `ServiceAccount/<ns>/<other> created`), or its inventory holding other ServiceAccounts there: the account was renamed or removed',
    'the finding is on the pseudo-object ServiceAccount/<sa> (the name, across namespaces); the objects are linked to it',
    'not for objects without spec.serviceAccountName that impersonate the controller\'s --default-service-account (FD026)',
  ],
  explanation: 'Tenants in several namespaces impersonate a ServiceAccount of the same name, and the API server refuses all of them: the tenants\' shared set-up (the Kustomization or chart that creates each tenant\'s ServiceAccount and RoleBinding) changed, typically the account was renamed or its binding narrowed, while the tenants\' objects still name the old account. Impersonating a ServiceAccount that does not exist yields no permissions at all. Fix the set-up once, or point the tenants\' spec.serviceAccountName at the new account; every tenant applies again at its next attempt.',
  remediation: [
    { description: 'See which ServiceAccounts exist in the tenant namespaces', command: 'kubectl --context {context} get serviceaccounts -A --field-selector metadata.name={serviceAccount}' },
    { description: 'See what the RoleBindings in those namespaces bind', command: 'kubectl --context {context} get rolebindings -A -o wide' },
  ],
  matchCluster({ index }) {
    const groups = new Map<string, { refs: ObjRef[]; namespaces: Set<string> }>();
    for (const f of failures(index)) {
      if (f.ref.kind !== 'Kustomization' && f.ref.kind !== 'HelmRelease') continue;
      const obj = index.get(f.ref);
      const sa = obj ? refusedAccount(obj, f.message) : null;
      if (!sa) continue;
      const g = groups.get(sa) ?? { refs: [], namespaces: new Set<string>() };
      g.refs.push(f.ref);
      g.namespaces.add(f.ref.namespace ?? '');
      groups.set(sa, g);
    }
    const hits: RuleHit[] = [];
    for (const [sa, g] of groups) {
      if (g.namespaces.size < 2) continue;
      const namespaces = [...g.namespaces].sort();
      const { deletedBy, deletedAt, others } = accountChanges(index, sa, g.namespaces);
      const renamed = others.size > 0 ? [...others].sort() : [];
      hits.push({
        // The account by name (a pseudo-object: one name in several namespaces); who deleted it is in title and evidence.
        object: { kind: 'ServiceAccount', name: sa },
        title: `ServiceAccount "${sa}", impersonated by ${g.refs.length} objects, is refused in ${namespaces.length} namespaces (${listSome(namespaces, 3)})${deletedBy ? `: ${refKey(deletedBy)} deleted it` : ''}${renamed.length ? `${deletedBy ? ' and' : ':'} applies ${listSome(renamed, 2)} instead` : ''}`,
        evidence: [
          `${g.refs.length} objects impersonating "${sa}" are forbidden: ${listRefs(g.refs, 4)}`,
          ...(deletedBy ? [`${refKey(deletedBy)} reported ServiceAccount/<ns>/${sa} deleted in ${namespaces.join(', ')}${deletedAt ? ` (${deletedAt})` : ''}`] : []),
          ...(renamed.length ? [`ServiceAccounts applied in those namespaces instead: ${renamed.join(', ')}`] : []),
        ],
        vars: { serviceAccount: sa },
        remediation: [
          ...(renamed.length ? [{ description: `Set spec.serviceAccountName: ${renamed[0]} in the tenants' objects (${listRefs(g.refs, 3)}) in Git, or keep "${sa}" and its RoleBinding until they migrate` }] : []),
          ...(deletedBy ? [{ description: `See the change ${refKey(deletedBy)} applied`, command: `flux --context {context} events --for Kustomization/${deletedBy.name} -n ${deletedBy.namespace}` }] : []),
        ],
        explains: g.refs,
      });
    }
    return hits;
  },
});
