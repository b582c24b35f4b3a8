// Which failing Flux object installs the admission webhook a failed call names, so that objects refused because the
// webhook does not answer (HelmReleases and Kustomizations alike) are linked to the release that broke it.
import { inventory, targetCluster, type ObjRef } from '../flux/refs';
import { releaseNames } from '../flux/helm';
import type { ClusterIndex } from '../snapshot/indexes';
import type { KubeObject } from '../snapshot/schema';
import { isBlocking } from './shared';

/** The Service behind the webhook: from `no endpoints available for service "<name>"` or the URL `https://<svc>.<ns>.svc…`. */
export function webhookService(message: string): { name: string; namespace?: string } | null {
  const url = message.match(/"https:\/\/([a-z0-9-]+)\.([a-z0-9-]+)\.svc(?:\.[a-z0-9.-]+)?(?::\d+)?\//);
  if (url) return { name: url[1]!, namespace: url[2]! };
  const noEndpoints = message.match(/no endpoints available for service \\?"(?:([^/"\\]+)\/)?([^"\\]+)\\?"/);
  return noEndpoints ? { name: noEndpoints[2]!, ...(noEndpoints[1] ? { namespace: noEndpoints[1] } : {}) } : null;
}

/**
 * A failing Flux object that installs the webhook's Service (Kustomization inventory, or a HelmRelease in its namespace)
 * in the cluster `self` applies to (the webhook is that API server's).
 */
export function webhookProvider(index: ClusterIndex, self: KubeObject, svc: { name: string; namespace: string }): ObjRef | null {
  const target = targetCluster(self);
  for (const ks of index.objects('Kustomization')) {
    if (targetCluster(ks) !== target) continue;
    if (inventory(ks).some((e) => e.kind === 'Service' && e.name === svc.name && e.namespace === svc.namespace)) {
      const ref = { kind: 'Kustomization', namespace: ks.metadata.namespace, name: ks.metadata.name };
      return isBlocking(index, ref) ? ref : null;
    }
  }
  for (const hr of index.objects('HelmRelease')) {
    if (targetCluster(hr) !== target) continue;
    const names = releaseNames(hr);
    if (names.releaseNamespace !== svc.namespace || !svc.name.startsWith(names.releaseName)) continue;
    const ref = { kind: 'HelmRelease', namespace: hr.metadata.namespace, name: hr.metadata.name };
    if (isBlocking(index, ref)) return ref;
  }
  return null;
}
