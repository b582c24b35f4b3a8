// One Kubernetes upgrade behind several objects' failures: the cluster stopped serving built-in beta APIs (policy/v1beta1,
// batch/v1beta1 on 1.25…) that Kustomizations' manifests or Helm releases (chart or stored release) still use. Each
// object's finding (FD309, FD428) stays, linked under this one root: the on-call sees one cluster change, not N causes.
import { isSuspended } from '../../flux/conditions';
import { releaseNames } from '../../flux/helm';
import type { ObjRef } from '../../flux/refs';
import { removedIn } from '../apiserver-hints';
import { defineRule } from '../define';
import { builtinReplacement, removedBuiltin, unservedApis, type Unserved } from '../served-apis';
import type { RemediationTemplate } from '../types';
import { listRefs, listSome } from './failure-text';

/** `a and b`, `a, b and c`. */
function andList(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

// The checks that confirm the upgrade, then (in the hit, between them) the per-object fixes, then what is left.
const STEPS: RemediationTemplate[] = [
  { description: 'See the Kubernetes version of the cluster (the API versions removed in it are listed in the Kubernetes deprecated API migration guide)', command: 'kubectl --context {context} version' },
  { description: 'See which versions of these groups the cluster serves', command: 'kubectl --context {context} api-versions | grep -E \'^({groupsRe})/\'' },
  { description: 'Once fixed, list what is still not ready (a stalled release needs flux reconcile helmrelease <name> --reset)', command: 'flux --context {context} get all -A --status-selector ready=false' },
];

export default defineRule({
  code: 'FD029',
  slug: 'kubernetes-apis-removed',
  category: 'crd-missing',
  severity: 'error',
  kinds: ['Cluster'],
  title: 'The cluster no longer serves built-in API versions several Flux objects still use (a Kubernetes upgrade removed them)',
  signals: [
    'two or more Kustomizations (`<Kind>/<ns>/<name> dry-run failed: no matches for kind "<Kind>" in version "<group>/<version>"`, FD309) and HelmReleases (`unable to build kubernetes objects from current release manifest: …` or the new chart\'s `no matches for kind …`, FD428) failing on built-in API versions',
    'only removed versions: a beta of a built-in group (policy/v1beta1, batch/v1beta1, extensions/v1beta1, autoscaling/v2beta2…); a GA version such as apps/v1 that cannot be mapped is broken discovery (FD309), not a removal',
    'the objects are linked to it as their root cause; their own findings keep the per-object steps',
  ],
  explanation: 'Several Flux objects fail because the API server does not serve built-in API versions their manifests use: the cluster was upgraded to a Kubernetes version that removed them. Nothing is wrong with each object on its own; the manifests predate the upgrade. Kustomizations need their manifests moved to the served versions in Git. A Helm release whose stored manifest (the deployed revision) holds a removed version cannot be upgraded or rolled back until that stored manifest is rewritten (helm mapkubeapis; helm-controller cannot do it), and its chart must render the served versions.',
  remediation: STEPS,
  matchCluster({ index }) {
    const removed = unservedApis(index).filter((u) => !isSuspended(u.obj) && removedBuiltin(u.kind, u.apiVersion));
    if (removed.length < 2) return [];
    const apis = [...new Set(removed.map((u) => u.apiVersion))].sort();
    const releases = [...new Set(removed.map((u) => removedIn(u.kind, u.apiVersion)).filter((v): v is string => v !== null))].sort();
    const refs: ObjRef[] = removed.map((u) => u.ref);
    const kinds = new Map<string, Unserved>();
    for (const u of removed) kinds.set(`${u.kind} ${u.apiVersion}`, u);
    // What replaces each removed kind/version, for the Git edits.
    const moves = [...kinds.values()].map((u) => {
      const to = builtinReplacement(u.kind, u.apiVersion);
      return to ? `${u.kind} ${u.apiVersion} → ${to}` : `${u.kind} ${u.apiVersion}: removed without a replacement, delete it`;
    });
    const ks = removed.filter((u) => u.obj.kind === 'Kustomization');
    const stored = removed.filter((u) => u.obj.kind === 'HelmRelease' && u.stored);
    const charts = removed.filter((u) => u.obj.kind === 'HelmRelease' && !u.stored);
    const [version, served, notReady] = STEPS;
    const remediation: RemediationTemplate[] = [version!, served!];
    if (ks.length > 0) remediation.push({ description: `In Git, move the manifests of ${listRefs(ks.map((u) => u.ref), 4)} to served versions (${moves.join('; ')}), then reconcile them` });
    for (const u of stored.slice(0, 5)) {
      const { releaseName, storageNamespace } = releaseNames(u.obj);
      remediation.push({ description: `${u.obj.kind}/${u.ref.namespace}/${u.ref.name}: its stored release holds ${u.kind} ${u.apiVersion}; suspend it, rewrite the stored release with the mapkubeapis plugin (helm plugin install https://github.com/helm/helm-mapkubeapis), then resume it with a chart version that renders the served versions`, command: `helm --kube-context {context} mapkubeapis ${releaseName} -n ${storageNamespace}` });
    }
    if (stored.length > 5) remediation.push({ description: `The same for ${listRefs(stored.slice(5).map((u) => u.ref), 4)}` });
    if (charts.length > 0) remediation.push({ description: `In Git, set a chart version (or values) of ${listRefs(charts.map((u) => u.ref), 4)} that renders the served versions` });
    const groups = [...new Set(apis.map((a) => (a.includes('/') ? a.split('/')[0]! : '')).filter(Boolean))];
    return [{
      object: index.clusterRef,
      title: `The cluster no longer serves ${andList(apis)}${releases.length > 0 ? ` (removed in Kubernetes ${andList(releases)})` : ''}: ${refs.length} objects fail`,
      evidence: [
        `${refs.length} Flux objects cannot map removed built-in API versions: ${listSome(removed.map((u) => `${u.obj.kind}/${u.ref.namespace}/${u.ref.name} (${u.kind} ${u.apiVersion}${u.stored ? ', stored release' : ''})`), 5)}`,
        ...(releases.length > 0 ? [`${andList(apis)} ${apis.length === 1 ? 'was' : 'were'} removed in Kubernetes ${andList(releases)}: the cluster runs that version or later`] : []),
      ],
      vars: { groupsRe: groups.map((g) => g.replace(/\./g, '\\.')).join('|') },
      remediation: [...remediation, notReady!],
      replaceRemediation: true,
      explains: refs,
    }];
  },
});

