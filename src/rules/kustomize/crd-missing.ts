import { ownerOf, refKey, refOf, sameRef, type ObjRef } from '../../flux/refs';
import type { ClusterIndex } from '../../snapshot/indexes';
import type { KubeObject } from '../../snapshot/schema';
import { conditionRule } from '../define';
import { isBuiltinApiVersion } from '../apiserver-hints';
import { fluxKind } from '../../flux/kinds';
import { APPLY_REASONS, applyTarget, baseEvidence, classifyApply, ksVars, stateLine, targetVars } from './messages';
import { crdProvider } from '../shared';
import { droppedCrdVersion, removedBuiltin, servedVersionsCommand, unservedApi, type DroppedVersion } from '../served-apis';
import type { RemediationTemplate, RuleHit } from '../types';

/** The Kustomization or HelmRelease that installs CRDs of `group`: it is waited on, and dependsOn should name it. */
function linkProvider(index: ClusterIndex, obj: KubeObject, group: string, vars: Record<string, string>, evidence: string[]): ObjRef[] {
  const provider = crdProvider(index, obj, group);
  if (!provider) return [];
  evidence.push(`CRDs of ${group} are applied by ${refKey(provider)}`, stateLine(index, provider));
  vars.providerName = provider.name;
  vars.providerNamespace = provider.namespace ?? '';
  vars.providerNoun = provider.kind === 'HelmRelease' ? 'helmrelease' : 'kustomization';
  // dependsOn names Kustomizations: a HelmRelease provider is waited on through the Kustomization that applies it.
  const providerObj = index.get(provider);
  const owner = provider.kind === 'Kustomization' ? provider : providerObj ? ownerOf(providerObj) : null;
  if (owner && owner.kind === 'Kustomization' && !sameRef(owner, refOf(obj))) vars.dependOnName = owner.namespace && owner.namespace !== obj.metadata.namespace ? `${owner.name}, namespace: ${owner.namespace}` : owner.name;
  return [provider];
}

/**
 * The CRD is installed (a healthy provider holds it) but does not serve the manifest's version: no dependsOn or CRD
 * install helps; the manifests must move to a served version, or the provider go back to the version that served it.
 */
function droppedHit(index: ClusterIndex, kind: string, apiVersion: string, d: DroppedVersion, vars: Record<string, string>, evidence: string[]): Partial<RuleHit> {
  const { provider, crd, served, change } = d;
  const group = apiVersion.split('/')[0]!;
  evidence.push(`CRD ${crd} is installed by ${stateLine(index, provider)}`);
  if (change) evidence.push(`${refKey(provider)} upgraded ${change.text} at ${change.at}, before this failure`);
  if (served) evidence.push(`${kind} ${group}/${served} is in the inventory of a Flux object: the CRD serves that version`);
  const remediation: RemediationTemplate[] = [
    { description: `See the versions the CRD ${crd} serves: every ${kind} (and other kinds of ${group}) in Git must use one of them`, command: servedVersionsCommand(crd) },
    { description: `In Git, move the manifests from ${apiVersion} to a served version${served ? ` (${group}/${served})` : ''}, with the field changes the operator's upgrade notes list` },
  ];
  if (change) remediation.push({ description: `Or, until they are migrated, pin ${refKey(provider)} back to ${change.from}: spec.chart.spec.version: "${change.from}" in Git (CRDs in the chart's crds/ folder are only replaced with spec.upgrade.crds: CreateReplace)` });
  else remediation.push({ description: `Or, until they are migrated, revert the change that upgraded the CRD in ${refKey(provider)}; its recent events name it`, command: `flux --context {context} events --for ${provider.kind}/${provider.name} -n ${provider.namespace ?? '{namespace}'}` });
  remediation.push({ description: 'Apply again once fixed', command: 'flux --context {context} reconcile kustomization {name} -n {namespace}' });
  return {
    vars, evidence, blockedBy: [provider], remediation, replaceRemediation: true,
    title: `The CRD of ${kind} is installed but no longer serves ${apiVersion}${change ? ` (${refKey(provider)} upgraded ${change.text})` : ` (installed by ${refKey(provider)})`}`,
    explanation: `The dry-run could not map ${kind} ${apiVersion}, yet its CRD ${crd} is installed: ${refKey(provider)} applies it and is ready. The CRD no longer serves that version: ${change ? `the upgrade ${change.text} dropped it` : 'an upgrade of the operator that ships it most likely dropped it'}. Installing the CRD or ordering with dependsOn does not help. Move the manifests to a version the CRD serves, or pin the provider back to the version that served it until they are migrated. Nothing from this revision is applied.`,
  };
}

export default conditionRule({
  code: 'FD309',
  slug: 'crd-missing',
  category: 'crd-missing',
  severity: 'error',
  kinds: ['Kustomization'],
  title: 'Custom resource applied before its CRD exists',
  signals: [
    'Ready=False ReconciliationFailed: <Kind>/<ns>/<name> dry-run failed: no matches for kind "<Kind>" in version "<group>/<version>"',
    '… ensure CRDs are installed first / the server doesn\'t have a resource type',
    'the Kustomization or HelmRelease whose inventory holds CRDs of that group, when the snapshot has one',
    'that provider is ready, holds the CRD of the kind (`<plural>.<group>`) and became ready before the failure began: the CRD is installed and no longer serves the version (an operator upgrade dropped it; the provider\'s chart upgrade from status.history when it is shown): the steps move the manifests to a served version or pin the provider back, not dependsOn',
    'a built-in group (core, apps, extensions, batch, policy, autoscaling, networking.k8s.io, rbac.authorization.k8s.io, storage.k8s.io…; not CRD groups such as gateway.networking.k8s.io): an API version the cluster no longer serves',
    '<Kind>/<ns>/<name> not found|namespace not specified: the server could not find the requested resource[ (patch <resource>.<group> <name>)]: the kind/version is not served (CRD version dropped, or kustomize-controller\'s discovery is stale)',
  ],
  explanation: 'The manifests contain a custom resource whose CustomResourceDefinition is not installed (or does not serve that version), so the server-side dry-run cannot even map it. CRDs in the same Kustomization are applied first automatically; this happens when the CRDs come from another Kustomization or HelmRelease that has not run yet or is failing, when dependsOn is missing, or when the apiVersion is wrong or was removed by an upgrade. Nothing from this revision is applied.',
  remediation: [
    { description: 'Check whether the CRD for {crdKind} ({crdApiVersion}) is installed', command: 'kubectl --context {context} api-resources --api-group={crdGroup}' },
    { description: 'See the Flux object that installs these CRDs', command: 'flux --context {context} get {providerNoun} {providerName} -n {providerNamespace}' },
    { description: 'Order the apply: add spec.dependsOn: [{name: {dependOnName}}] to this Kustomization (the CRDs\' Kustomization needs wait: true or a health check on the CRDs)' },
    { description: 'Otherwise put the CRDs of {crdKind} in their own Kustomization (or HelmRelease with install.crds: CreateReplace) and make this one depend on it; check the apiVersion is one the CRD serves' },
    { description: 'A Flux kind: {fluxApi} was removed by a Flux upgrade; move the manifest to {fluxCurrent} (and the fields that changed, per the Flux release notes). See the versions the installed CRD serves', command: 'kubectl --context {context} get crd {fluxCrd} -o jsonpath=\'{.spec.versions[*].name}\'' },
    { description: 'A built-in kind: {removedApi} is not served; move the manifest to an apiVersion this Kubernetes version serves (or restart kustomize-controller if discovery is stale)', command: 'kubectl --context {context} api-versions' },
    { description: 'Apply again once fixed', command: 'flux --context {context} reconcile kustomization {name} -n {namespace}' },
  ],
  when: { type: 'Ready', status: 'False', reasons: APPLY_REASONS },
  refine(obj, { index }, { condition }) {
    const message = condition.message ?? '';
    if (classifyApply(message) !== 'crd-missing') return null;
    const target = applyTarget(message);
    const vars = { ...ksVars(obj, index), ...targetVars(target) };
    const evidence = baseEvidence(obj, condition);
    const m = message.match(/no matches for kind "([^"]+)" in version "([^"]+)"/);
    let blockedBy: ObjRef[] = [];
    let title: string | undefined;
    if (m) {
      const [, kind, apiVersion] = m;
      const group = apiVersion!.includes('/') ? apiVersion!.split('/')[0]! : '';
      if (group) vars.crdGroup = group;
      const builtin = isBuiltinApiVersion(apiVersion!);
      // A Flux kind under a version no Flux 2.x CRD serves (v1alpha1/v1alpha2 of Flux 0.x): the CRD is there, the manifest
      // is from before an upgrade. A version Flux does serve means its component (e.g. image automation) is not installed.
      const flux = fluxKind(kind!);
      const fluxOld = !builtin && flux !== undefined && flux.group === group && !flux.versions.includes(apiVersion!.split('/')[1] ?? '');
      // A GA version of a built-in group (ConfigMap v1, Deployment apps/v1) is never removed: the controller's API
      // discovery is wrong, not the manifest (stale cache, an unavailable aggregated APIService, a controller bug).
      const stable = builtin && !removedBuiltin(kind!, apiVersion!);
      if (stable) {
        return {
          vars, evidence,
          title: `${kind} ${apiVersion} is always served: kustomize-controller's view of the API is broken (stale discovery, an unavailable APIService, a controller bug)`,
          explanation: `The dry-run could not map ${kind} ${apiVersion}, a stable built-in API that every Kubernetes version serves: the manifest is right. kustomize-controller's discovery of the API server is wrong or incomplete: an aggregated APIService (metrics.k8s.io of a failing metrics-server, a custom metrics adapter) that does not answer makes discovery fail partially, its cached discovery is stale, or the controller version has a bug (kustomize-controller v0.25 had such a regression). Restart kustomize-controller, fix the unavailable APIService, or upgrade Flux.`,
          remediation: [
            { description: 'Find APIServices that are not available (they break discovery for every client)', command: 'kubectl --context {context} get apiservices | grep -v True' },
            { description: 'Restart kustomize-controller to rebuild its discovery', command: 'kubectl --context {context} -n {fluxNamespace} rollout restart deployment kustomize-controller' },
            { description: 'See the running Flux versions (upgrade an old kustomize-controller)', command: 'flux --context {context} check' },
          ],
          replaceRemediation: true,
        };
      }
      const unserved = !builtin && !fluxOld ? unservedApi(obj) : null;
      const dropped = unserved ? droppedCrdVersion(index, unserved) : null;
      if (dropped) return droppedHit(index, kind!, apiVersion!, dropped, vars, evidence);
      title = builtin
        ? `${kind} ${apiVersion} is not served by this cluster (API version removed, or stale discovery)`
        : fluxOld ? `${kind} ${apiVersion} is a Flux API version the installed Flux no longer serves: the manifest predates an upgrade`
          : `CRD for ${kind} (${apiVersion}) is not installed`;
      if (builtin) vars.removedApi = `${kind} ${apiVersion}`;
      else if (fluxOld) {
        vars.fluxApi = `${kind} ${apiVersion}`;
        vars.fluxCurrent = `${flux!.group}/${flux!.versions[0]}`;
        vars.fluxCrd = `${flux!.plural}.${flux!.group}`;
      } else {
        vars.crdKind = kind!;
        vars.crdApiVersion = apiVersion!;
      }
      if (group) blockedBy = linkProvider(index, obj, group, vars, evidence);
    }
    let remediation: RemediationTemplate[] | undefined;
    if (!m && /could not find the requested resource/i.test(message)) {
      // The RESTMapper knew the kind (no `no matches`), but the server answered 404 for its resource path: the
      // version was dropped from the CRD or the API group changed after kustomize-controller cached discovery.
      const resource = message.match(/could not find the requested resource \((?:patch|post|put|get|create|update) ([a-z0-9-]+)(?:\.([a-z0-9.-]+))?/i);
      const group = resource?.[2];
      if (group) vars.crdGroup = group;
      if (target) title = `${refKey(target.ref)}: its apiVersion is not served by this cluster (CRD version removed, or stale discovery)`;
      remediation = [
        group
          ? { description: 'List the versions the cluster serves for {crdGroup}; the apiVersion of {objectRef} in Git must be one of them', command: 'kubectl --context {context} api-resources --api-group={crdGroup} -o wide' }
          : { description: 'List the API versions the cluster serves; the apiVersion of {objectRef} in Git must be one of them', command: 'kubectl --context {context} api-versions' },
        { description: 'If the CRD was just upgraded or replaced, kustomize-controller may still hold old discovery data: restart it', command: 'kubectl --context {context} -n {fluxNamespace} rollout restart deployment kustomize-controller' },
      ];
      if (group) blockedBy = linkProvider(index, obj, group, vars, evidence);
    }
    return { vars, evidence, blockedBy, ...(title ? { title } : {}), ...(remediation ? { remediation } : {}) };
  },
});

