import { inventory, refKey, refOf, targetCluster, type ObjRef } from '../../flux/refs';
import { defineRule } from '../define';
import type { RuleHit } from '../types';
import { compareText } from '../../util/compare';

function entryKey(e: { namespace: string; name: string; group: string; kind: string }): string {
  return `${e.group}/${e.kind}/${e.namespace}/${e.name}`;
}

function display(e: { namespace: string; name: string; kind: string }): string {
  return e.namespace ? `${e.kind}/${e.namespace}/${e.name}` : `${e.kind}/${e.name}`;
}

export default defineRule({
  code: 'FD322',
  slug: 'inventory-overlap',
  category: 'apply-conflict',
  severity: 'warning',
  kinds: ['Kustomization'],
  title: 'Object managed by two Flux objects',
  signals: [
    'the same object id in status.inventory.entries of two Kustomizations (or a Kustomization and a HelmRelease, 2.8+)',
  ],
  explanation: 'Two Flux objects apply the same Kubernetes object. They overwrite each other\'s version of it (and its kustomize.toolkit.fluxcd.io/name label) on every reconciliation, and when one of them stops including it (or is deleted) its garbage collection deletes the object the other still needs. A shared Namespace is the usual case: keep each object in exactly one Kustomization.',
  remediation: [
    { description: 'See what each of them manages', command: 'flux --context {context} tree kustomization {name} -n {namespace}' },
    { description: 'See the other owner ({otherOwner})', command: 'flux --context {context} get {otherNoun} {otherName} -n {otherNamespace}' },
    { description: 'Remove {sharedObject} from one of them in Git (or annotate it kustomize.toolkit.fluxcd.io/prune: disabled where it must stay listed twice)' },
  ],
  matchCluster({ index }) {
    const owners = new Map<string, { entry: ReturnType<typeof inventory>[number]; by: ObjRef[]; byKeys: string[] }>();
    for (const kind of ['Kustomization', 'HelmRelease']) {
      for (const obj of index.objects(kind)) {
        const self = refOf(obj);
        const selfKey = refKey(self);
        // The same id applied to two different clusters (spec.kubeConfig) is two objects.
        const target = targetCluster(obj);
        for (const e of inventory(obj)) {
          const key = `${target}|${entryKey(e)}`;
          let slot = owners.get(key);
          if (!slot) owners.set(key, (slot = { entry: e, by: [], byKeys: [] }));
          if (slot.byKeys.includes(selfKey)) continue;
          slot.byKeys.push(selfKey);
          slot.by.push(self);
        }
      }
    }
    // One finding per pair of owners, on the first Kustomization of the pair, listing every shared object.
    const pairs = new Map<string, { a: ObjRef; b: ObjRef; shared: string[] }>();
    for (const { entry, by } of owners.values()) {
      if (by.length < 2) continue;
      const sorted = [...by].sort((x, y) => Number(y.kind === 'Kustomization') - Number(x.kind === 'Kustomization') || compareText(refKey(x), refKey(y)));
      for (let i = 0; i < sorted.length; i++) {
        for (let j = i + 1; j < sorted.length; j++) {
          const a = sorted[i]!;
          const b = sorted[j]!;
          if (a.kind !== 'Kustomization') continue;
          const key = `${refKey(a)}|${refKey(b)}`;
          const pair = pairs.get(key) ?? { a, b, shared: [] };
          pair.shared.push(display(entry));
          pairs.set(key, pair);
        }
      }
    }
    const hits: RuleHit[] = [];
    for (const { a, b, shared } of pairs.values()) {
      const obj = index.get(a);
      if (!obj || obj.spec?.suspend === true) continue;
      hits.push({
        object: a,
        evidence: [`${shared.length} object(s) also in the inventory of ${refKey(b)}: ${shared.slice(0, 5).join(', ')}${shared.length > 5 ? ', …' : ''}`],
        vars: {
          otherOwner: refKey(b),
          otherName: b.name,
          otherNamespace: b.namespace ?? '',
          otherNoun: b.kind === 'HelmRelease' ? 'helmrelease' : 'kustomization',
          sharedObject: shared[0]!,
        },
        title: `${shared[0]}${shared.length > 1 ? ` and ${shared.length - 1} more` : ''} also managed by ${refKey(b)}`,
      });
    }
    return hits;
  },
});
