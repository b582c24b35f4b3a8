import type { RuleHit } from '../types';
import { releaseFailureRule } from './failure';

export default releaseFailureRule({
  code: 'FD428',
  slug: 'helm-removed-api-in-release',
  category: 'helm-upgrade-failed',
  severity: 'error',
  kinds: ['HelmRelease'],
  title: 'The deployed release uses an API the cluster no longer serves',
  signals: [
    'Released=False UpgradeFailed: … current release manifest contains removed kubernetes api(s) for this kubernetes version and it is therefore unable to build the kubernetes objects for performing the diff. error from kubernetes: … no matches for kind "<Kind>" in version "<group>/<version>"',
    '… unable to build kubernetes objects from current release manifest: … (Helm upgrade and rollback)',
    'not a missing CRD of the new chart (FD411): the manifest Helm stored with the deployed revision is the one that cannot be mapped',
  ],
  explanation: 'Helm compares the new manifest with the one it stored for the deployed revision, and that stored manifest contains an apiVersion the cluster no longer serves (e.g. policy/v1beta1 PodSecurityPolicy or autoscaling/v2beta1 after a Kubernetes upgrade, or a custom resource whose CRD version was dropped). Changing the chart does not help: the stored release must be rewritten to current API versions with the helm mapkubeapis plugin, or the release uninstalled and installed again.',
  remediation: [
    { description: 'Find the removed {removedKind} ({removedApiVersion}) in the stored manifest', command: 'helm --kube-context {context} get manifest {releaseName} -n {storageNamespace} | grep -n -B2 -A3 "kind: {removedKind}"' },
    { description: 'Suspend the HelmRelease while the stored release is repaired', command: 'flux --context {context} suspend helmrelease {name} -n {namespace}' },
    { description: 'Rewrite the stored release to current API versions with the mapkubeapis plugin (helm plugin install https://github.com/helm/helm-mapkubeapis), then resume the HelmRelease', command: 'helm --kube-context {context} mapkubeapis {releaseName} -n {storageNamespace}' },
    { description: 'Or, if downtime is acceptable, uninstall the release (deletes its objects) and let helm-controller install it afresh', command: 'helm --kube-context {context} uninstall {releaseName} -n {storageNamespace}' },
    { description: 'Resume and run the upgrade again', command: 'flux --context {context} resume helmrelease {name} -n {namespace}' },
  ],
  classes: ['removed-api'],
  enrich(_obj, _ctx, failure): Partial<RuleHit> {
    const m = failure.tail.match(/no matches for kind "([^"]+)" in version "([^"]+)"/);
    if (!m) return { vars: {} };
    return { vars: { removedKind: m[1]!, removedApiVersion: m[2]! }, title: `The deployed release contains ${m[1]} ${m[2]}, which the cluster no longer serves` };
  },
});
