import type { RuleHit } from '../types';
import { releaseFailureRule } from './failure';
import { removedIn } from '../apiserver-hints';

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
    '… unable to recognize "": no matches for kind "<Kind>" in version "<built-in group>/<version>" (the new chart renders a removed built-in API version, e.g. extensions/v1beta1 Ingress after Kubernetes 1.22: upgrade the chart or disable that template)',
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
    const [, kind, apiVersion] = m;
    // Not the stored manifest: the new chart renders a built-in kind at a version the cluster does not serve.
    if (!/current release manifest contains removed|unable to build kubernetes objects from current release manifest/i.test(failure.tail)) {
      const removed = removedIn(kind!, apiVersion!);
      return {
        vars: { removedKind: kind!, removedApiVersion: apiVersion! },
        title: `The chart renders ${kind} ${apiVersion}, which the cluster does not serve${removed ? ` (removed in Kubernetes ${removed})` : ''}`,
        explanation: `A template of the chart (as rendered with these values) produces a ${kind} at apiVersion ${apiVersion}, a built-in Kubernetes API${removed ? ` removed in Kubernetes ${removed}` : ' this cluster does not serve (removed, or the kind is misspelt)'}, so Helm cannot map it and nothing is ${failure.action === 'install' ? 'installed' : 'upgraded'}. It is not a missing CRD: no CRD provides a built-in group. Upgrade to a chart version whose templates use the current API version (many charts pick it from .Capabilities), or disable that template in the values (e.g. ingress.enabled: false) and create the object separately.`,
        remediation: [
          { description: `See which API versions of ${apiVersion!.includes('/') ? apiVersion!.split('/')[0] : 'the core group'} the cluster serves`, command: 'kubectl --context {context} api-versions' },
          { description: `Find the template that renders ${kind} ${apiVersion} (helm template with the release's values; run where the chart is)`, command: `helm template {releaseName} <chart> -f <values.yaml> | grep -n -B2 -A3 "kind: ${kind}"` },
          { description: 'In Git, set spec.chart.spec.version to a chart version that supports this Kubernetes version, or disable that template in spec.values; then run the release again', command: 'flux --context {context} reconcile helmrelease {name} -n {namespace} {forceFlag}' },
        ],
        replaceRemediation: true,
      };
    }
    return { vars: { removedKind: kind!, removedApiVersion: apiVersion! }, title: `The deployed release contains ${kind} ${apiVersion}, which the cluster no longer serves` };
  },
});
