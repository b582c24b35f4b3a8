import { refKey } from '../../flux/refs';
import type { RuleHit } from '../types';
import { releaseFailureRule, REMOVED_API } from './failure';
import { isBuiltinApiVersion, removedIn } from '../apiserver-hints';
import { droppedCrdVersion, servedVersionsCommand, unservedApi } from '../served-apis';
import { stateLine } from '../shared';

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
    'a custom group whose CRD (`<plural>.<group>`) a ready HelmRelease or Kustomization holds in its inventory: the CRD no longer serves that version (an operator upgrade, from status.history when shown); helm mapkubeapis needs a --mapfile for it, or the provider is pinned back',
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
  enrich(obj, { index }, failure): Partial<RuleHit> {
    const m = failure.tail.match(/no matches for kind "([^"]+)" in version "([^"]+)"/);
    if (!m) return { vars: {} };
    const [, kind, apiVersion] = m;
    // Not the stored manifest: the new chart renders a built-in kind at a version the cluster does not serve.
    if (!REMOVED_API.test(failure.tail)) {
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
    const vars = { removedKind: kind!, removedApiVersion: apiVersion! };
    const unserved = isBuiltinApiVersion(apiVersion!) ? null : unservedApi(obj);
    const dropped = unserved ? droppedCrdVersion(index, unserved) : null;
    if (dropped) {
      // A custom resource: mapkubeapis's own map only knows Kubernetes APIs (helm/helm-mapkubeapis config/Map.yaml);
      // a custom --mapfile maps any apiVersion/kind (helm-mapkubeapis#55), and helm-controller cannot rewrite the
      // stored release itself (fluxcd/helm-controller#530).
      const { provider, crd, served, change } = dropped;
      const group = apiVersion!.split('/')[0]!;
      return {
        vars,
        evidence: [`CRD ${crd} is installed by ${stateLine(index, provider)}`, ...(change ? [`${refKey(provider)} upgraded ${change.text} at ${change.at}, before this failure`] : [])],
        blockedBy: [provider],
        title: `The deployed release contains ${kind} ${apiVersion}, which its installed CRD no longer serves${change ? ` (${refKey(provider)} upgraded ${change.text})` : ''}`,
        explanation: `Helm compares the new manifest with the one it stored for the deployed revision, and that stored manifest has a ${kind} at ${apiVersion}. Its CRD ${crd} is installed (by ${refKey(provider)}, which is ready) but no longer serves that version: ${change ? `the upgrade ${change.text} dropped it` : 'most likely an upgrade of the operator that ships it dropped it'}. Every upgrade and rollback fails until the stored release is rewritten to a served version or the CRD serves the old one again; the chart must also render a served version. The plugin helm mapkubeapis rewrites the stored release, but its built-in map only knows Kubernetes APIs: it needs a map file for this kind.`,
        remediation: [
          { description: `See the versions the CRD ${crd} serves`, command: servedVersionsCommand(crd) },
          { description: 'Find it in the stored manifest', command: `helm --kube-context {context} get manifest {releaseName} -n {storageNamespace} | grep -n -B2 -A3 "kind: ${kind}"` },
          { description: 'Suspend the HelmRelease while the stored release is repaired', command: 'flux --context {context} suspend helmrelease {name} -n {namespace}' },
          { description: `Write a map file with one mapping from ${kind} ${apiVersion} to ${kind} ${group}/${served ?? '<served version>'} (copy the format of an entry of the plugin's config/Map.yaml for your plugin version; deprecatedInVersion v1.16 so it applies on any cluster), then rewrite the stored release with it`, command: 'helm --kube-context {context} mapkubeapis {releaseName} -n {storageNamespace} --mapfile crd-map.yaml' },
          ...(change ? [{ description: `Or pin ${refKey(provider)} back to ${change.from} (spec.chart.spec.version: "${change.from}" in Git) so the CRD serves ${apiVersion} again, until the chart of this release renders a served version` }] : []),
          { description: `In Git, use a chart version (or values) of this release that renders ${kind} at a served version; then resume and run the upgrade again`, command: 'flux --context {context} resume helmrelease {name} -n {namespace}' },
        ],
        replaceRemediation: true,
      };
    }
    return { vars, title: `The deployed release contains ${kind} ${apiVersion}, which the cluster no longer serves` };
  },
});
