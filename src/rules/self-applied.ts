// A source applied by a Kustomization that reads from that same source (the flux-system GitRepository of a bootstrap):
// while it fails, a fix committed to Git cannot arrive, so its findings say to fix it in the cluster first.
import { fluxKind } from '../flux/kinds';
import { inventory, refKey, sourceRef } from '../flux/refs';
import type { Remediation } from '../report/schema';
import type { ClusterIndex } from '../snapshot/indexes';
import type { KubeObject } from '../snapshot/schema';

export interface SelfApplied {
  evidence: string;
  step: Remediation;
}

/** The Kustomization that applies `obj` (its labels, else an inventory that lists it). */
function appliedBy(obj: KubeObject, index: ClusterIndex): KubeObject | undefined {
  const labels = obj.metadata.labels ?? {};
  const name = labels['kustomize.toolkit.fluxcd.io/name'];
  const ns = labels['kustomize.toolkit.fluxcd.io/namespace'];
  if (name && ns) return index.get({ kind: 'Kustomization', namespace: ns, name });
  return index.objects('Kustomization').find((ks) => inventory(ks).some((e) => e.kind === obj.kind && e.name === obj.metadata.name && e.namespace === obj.metadata.namespace));
}

export function selfApplied(obj: KubeObject, index: ClusterIndex, context: string): SelfApplied | null {
  if (fluxKind(obj.kind)?.family !== 'source') return null;
  const ks = appliedBy(obj, index);
  const src = ks ? sourceRef(ks) : null;
  if (!ks || !src || refKey(src) !== refKey({ kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name })) return null;
  const ns = obj.metadata.namespace ?? 'default';
  const resource = fluxKind(obj.kind)!.singular;
  return {
    evidence: `applied by Kustomization ${ks.metadata.namespace}/${ks.metadata.name}, which reads from this ${obj.kind}: a fix committed to Git cannot arrive while it fails`,
    step: {
      description: `Fix it in the cluster first (or re-run flux bootstrap), then commit the same change to Git so the next apply keeps it: Kustomization ${ks.metadata.name} cannot fetch a fix through this ${obj.kind}`,
      command: `kubectl --context ${context} -n ${ns} edit ${resource} ${obj.metadata.name}`,
    },
  };
}
