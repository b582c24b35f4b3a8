import { objectLine } from './release';
import { releaseFailureRule } from './failure';
import { crdProvider } from '../shared';
import { refKey } from '../../flux/refs';
import { droppedCrdVersion, servedVersionsCommand, unservedApi } from '../served-apis';

export default releaseFailureRule({
  code: 'FD411',
  slug: 'helm-crd-missing',
  category: 'crd-missing',
  severity: 'error',
  kinds: ['HelmRelease'],
  title: 'Chart uses a custom resource whose CRD is not installed',
  signals: [
    'Released=False InstallFailed/UpgradeFailed: … unable to build kubernetes objects from release manifest: resource mapping not found for name: "<name>" namespace: "<ns>" from "": no matches for kind "<Kind>" in version "<group>/<version>"',
    '… ensure CRDs are installed first',
    'not: a built-in group (core, apps, extensions, networking.k8s.io, policy, batch, autoscaling, rbac.authorization.k8s.io, storage.k8s.io…): a removed API version, FD428',
    'not: the same error about the manifest stored with the deployed revision (current release manifest contains removed kubernetes api(s) …, FD428)',
    'the HelmRelease or Kustomization whose inventory holds CRDs of that group becomes the root cause when the snapshot has one',
    'the same, when a ready HelmRelease/Kustomization holds that kind\'s CRD in its inventory: the CRD is installed and dropped the version (an operator upgrade; FD030 is the root), not missing',
  ],
  explanation: 'The chart renders a custom resource (a ServiceMonitor, Certificate, …) whose CustomResourceDefinition is not installed or does not serve that version, so Helm cannot even map it. The CRDs usually come from another chart or Kustomization that has not run yet, is failing, or is not ordered before this one; or the chart ships the CRDs but spec.install.crds/upgrade.crds skips them.',
  remediation: [
    { description: 'Check whether the CRD for {crdKind} ({crdApiVersion}) is installed', command: 'kubectl --context {context} api-resources --api-group={crdGroup}' },
    { description: 'See the Flux object that installs these CRDs', command: 'flux --context {context} get {providerNoun} {providerName} -n {providerNamespace}' },
    { description: 'Install the CRDs first: add spec.dependsOn on the HelmRelease that ships them (or put them in a Kustomization applied before), or let this chart install its own CRDs with spec.install.crds: CreateReplace and spec.upgrade.crds: CreateReplace' },
    { description: 'Run the release again once the CRD exists', command: 'flux --context {context} reconcile helmrelease {name} -n {namespace} {forceFlag}' },
  ],
  classes: ['crd-missing'],
  enrich(obj, { index }, failure) {
    const vars: Record<string, string> = {};
    const evidence: string[] = [];
    const m = failure.tail.match(/no matches for kind "([^"]+)" in version "([^"]+)"/);
    if (!m) return { vars };
    const [, kind, apiVersion] = m;
    const group = apiVersion!.includes('/') ? apiVersion!.split('/')[0]! : '';
    vars.crdKind = kind!;
    vars.crdApiVersion = apiVersion!;
    vars.crdGroup = group;
    // The CRD is installed (a ready provider holds it) but dropped the version the chart renders: an operator upgrade.
    const unserved = unservedApi(obj);
    const dropped = unserved ? droppedCrdVersion(index, unserved) : null;
    if (dropped) {
      const by = `${refKey(dropped.provider)}${dropped.change ? ` upgraded ${dropped.change.text}` : ''}`;
      return {
        vars,
        evidence: [`the CRD ${dropped.crd} is installed by ${objectLine(index, dropped.provider)}`],
        title: `The chart renders ${kind} ${apiVersion}, which its installed CRD no longer serves (${by})`,
        remediation: [
          { description: `See the versions the CRD ${dropped.crd} serves`, command: servedVersionsCommand(dropped.crd) },
          { description: `Use a chart version (or values) that renders ${kind} in a served version${dropped.served ? ` (${group}/${dropped.served})` : ''}, or pin ${refKey(dropped.provider)} back${dropped.change ? ` to ${dropped.change.from}` : ''} until it does, in Git` },
          { description: 'Run the release again once fixed', command: 'flux --context {context} reconcile helmrelease {name} -n {namespace} {forceFlag}' },
        ],
        replaceRemediation: true,
        blockedBy: [dropped.provider],
      };
    }
    const provider = group ? crdProvider(index, obj, group, ['HelmRelease', 'Kustomization']) : null;
    if (provider) {
      vars.providerName = provider.name;
      vars.providerNamespace = provider.namespace ?? '';
      vars.providerNoun = provider.kind === 'HelmRelease' ? 'helmrelease' : 'kustomization';
      evidence.push(`CRDs of ${group} are applied by ${objectLine(index, provider)}`);
    }
    return { vars, evidence, title: `CRD for ${kind} (${apiVersion}) is not installed`, ...(provider ? { blockedBy: [provider] } : {}) };
  },
});
