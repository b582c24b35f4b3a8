// A Kustomization without spec.serviceAccountName, refused as `system:serviceaccount:<its ns>:<sa>`: under the
// multi-tenancy lockdown (--default-service-account=<sa>) kustomize-controller impersonates that ServiceAccount of the
// object's namespace instead of using its own rights. With one failing object FD026 stays silent, so FD314 says it.
import type { ClusterIndex } from '../../snapshot/indexes';
import type { KubeObject } from '../../snapshot/schema';
import { controllerFlag } from '../cluster/controller-health';
import type { RemediationTemplate } from '../types';

export interface DefaultSaHint {
  /** The impersonated ServiceAccount's name. */
  serviceAccount: string;
  title: string;
  evidence: string;
  step: RemediationTemplate;
}

export function defaultServiceAccountHint(obj: KubeObject, index: ClusterIndex, user: string): DefaultSaHint | null {
  if (typeof obj.spec?.serviceAccountName === 'string' && obj.spec.serviceAccountName) return null;
  const ns = obj.metadata.namespace ?? '';
  const sa = user.match(/^system:serviceaccount:([^:]+):(.+)$/);
  if (!sa || sa[1] !== ns) return null;
  const flag = controllerFlag(index, 'kustomize-controller', '--default-service-account');
  if (flag !== sa[2]) return null;
  const own = ns === index.cluster.fluxNamespace ? ' (in the Flux namespace: kustomize-controller, the account Flux itself is installed with)' : '';
  return {
    serviceAccount: sa[2]!,
    title: `no spec.serviceAccountName, so kustomize-controller impersonates ${ns}/${flag} (--default-service-account=${flag})`,
    evidence: `kustomize-controller runs with --default-service-account=${flag} and this Kustomization sets no spec.serviceAccountName: it applies as ${ns}/${flag}`,
    step: { description: `Set spec.serviceAccountName to a ServiceAccount of ${ns} bound to the roles this Kustomization needs${own}, in Git; or give ${ns}/${flag} those roles` },
  };
}
