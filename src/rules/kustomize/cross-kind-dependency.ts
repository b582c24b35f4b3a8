// FD301's "not found" when the name belongs to the other kind. kustomize-controller looks a dependency up as a
// Kustomization (`dependency '%s' not found: %w`) and helm-controller as a HelmRelease (`unable to get '%s'
// dependency: %w`): spec.dependsOn has no kind field (fluxcd/pkg apis/meta DependencyReference: name, namespace and,
// since Flux 2.7, readyExpr evaluated on that same-kind object), up to kustomize-controller v1.9 / helm-controller v1.6
// (Flux 2.9). A Kustomization therefore waits for a HelmRelease through the Kustomization that applies it (wait or
// healthChecks, healthCheckExprs since Flux 2.5), and a HelmRelease for a Kustomization through its own parent.
import { inventory, ownerOf, refKey, refOf, type ObjRef } from '../../flux/refs';
import type { ClusterIndex } from '../../snapshot/indexes';
import type { KubeObject } from '../../snapshot/schema';
import type { RemediationTemplate } from '../types';

export interface CrossKindHint {
  title: string;
  explanation: string;
  evidence: string[];
  remediation: RemediationTemplate[];
  replaceRemediation: true;
}

// FD301's steps would look up a dependency of this object's kind, which is exactly what does not exist.
const SEE: RemediationTemplate = { description: 'See the dependencies this object declares', command: 'kubectl --context {context} -n {namespace} get {resource} {name} -o jsonpath=\'{.spec.dependsOn}\'' };

const OTHER: Record<string, string> = { Kustomization: 'HelmRelease', HelmRelease: 'Kustomization' };

/** The Kustomization that applies `ref`: its labels, else the inventory that lists it. */
function applierOf(index: ClusterIndex, ref: ObjRef): ObjRef | null {
  const obj = index.get(ref);
  const owner = obj ? ownerOf(obj) : null;
  if (owner?.kind === 'Kustomization' && index.get(owner)) return owner;
  for (const ks of index.objects('Kustomization')) {
    if (inventory(ks).some((e) => e.kind === ref.kind && e.name === ref.name && e.namespace === (ref.namespace ?? ''))) return refOf(ks);
  }
  return null;
}

/** Null unless an object of the other kind has exactly the dependency's namespace and name. */
export function crossKindHint(obj: KubeObject, index: ClusterIndex, dep: ObjRef): CrossKindHint | null {
  const otherKind = OTHER[obj.kind];
  if (!otherKind || dep.kind !== obj.kind) return null;
  const other: ObjRef = { kind: otherKind, namespace: dep.namespace, name: dep.name };
  if (!index.get(other)) return null;
  const self = refOf(obj);
  const plural = `${obj.kind}s`;
  const evidence = [`${refKey(other)} exists; spec.dependsOn of a ${obj.kind} only resolves ${plural}`];
  const common = `spec.dependsOn names ${dep.namespace}/${dep.name}, which is a ${otherKind}, but a ${obj.kind}'s dependsOn can only name ${plural}: it has no kind field (up to Flux 2.9; readyExpr, Flux 2.7+, is evaluated on that same-kind object), so the controller looks for a ${obj.kind} of that name and this object waits forever.`;
  if (obj.kind === 'Kustomization') {
    const parent = applierOf(index, other);
    if (parent) evidence.push(`${refKey(other)} is applied by ${refKey(parent)}`);
    const via = parent ? refKey(parent) : `the Kustomization that applies ${refKey(other)}`;
    return {
      title: `dependsOn names ${dep.namespace}/${dep.name}, a HelmRelease: a Kustomization can only depend on Kustomizations`,
      explanation: `${common} To wait for the release, depend on ${via} instead and make that Kustomization wait for it: spec.wait: true, or spec.healthChecks listing the HelmRelease (or healthCheckExprs, Flux 2.5+), so it is Ready only once the release is.`,
      evidence,
      remediation: [
        SEE,
        ...(parent
          ? [{ description: `Replace the entry with {name: ${parent.name}, namespace: ${parent.namespace}} and check that ${refKey(parent)} waits for the release (wait, then healthChecks)`, command: `kubectl --context {context} -n ${parent.namespace} get kustomization ${parent.name} -o jsonpath='{.spec.wait}{" "}{.spec.healthChecks}'` }]
          : [{ description: `Find the Kustomization that applies ${refKey(other)} (labels kustomize.toolkit.fluxcd.io/name and /namespace), depend on it instead, and have it wait for the release (spec.wait or healthChecks)`, command: `kubectl --context {context} -n ${dep.namespace} get helmrelease ${dep.name} --show-labels` }]),
      ],
      replaceRemediation: true,
    };
  }
  const parent = applierOf(index, self);
  if (parent) evidence.push(`${refKey(self)} is applied by ${refKey(parent)}`);
  const via = parent ? refKey(parent) : `the Kustomization that applies this HelmRelease`;
  return {
    title: `dependsOn names ${dep.namespace}/${dep.name}, a Kustomization: a HelmRelease can only depend on HelmReleases`,
    explanation: `${common} Order it through the Kustomizations instead: give ${via} a spec.dependsOn entry for Kustomization ${dep.namespace}/${dep.name} (the HelmRelease is then created only after it is Ready), or depend on a HelmRelease that Kustomization deploys; then drop the entry from this HelmRelease.`,
    evidence,
    remediation: [
      SEE,
      { description: `Add {name: ${dep.name}, namespace: ${dep.namespace}} to the spec.dependsOn of ${via} in Git, and remove it from this HelmRelease`, command: `flux --context {context} get kustomization ${dep.name} -n ${dep.namespace}` },
    ],
    replaceRemediation: true,
  };
}
