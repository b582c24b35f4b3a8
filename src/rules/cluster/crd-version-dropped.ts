// One operator upgrade behind several objects' failures: the HelmRelease or Kustomization that installs a CRD is healthy,
// yet the manifests of other Flux objects use a version of that CRD it no longer serves (External Secrets 0.17 stopped
// serving external-secrets.io/v1beta1). The provider is the root: it is Ready, so without this finding nothing would
// name it, and each consumer would read as a CRD that is "not installed".
import { isSuspended } from '../../flux/conditions';
import { refKey, type ObjRef } from '../../flux/refs';
import { defineRule } from '../define';
import { droppedCrdVersion, servedVersionsCommand, unservedApis, type DroppedVersion, type Unserved } from '../served-apis';
import { stateLine } from '../shared';
import type { RemediationTemplate } from '../types';
import { listRefs, listSome } from './failure-text';

export default defineRule({
  code: 'FD030',
  slug: 'crd-version-dropped',
  category: 'crd-missing',
  severity: 'error',
  // A cluster-level check (matchCluster) whose finding is on the provider, a Kustomization or HelmRelease.
  kinds: ['Kustomization', 'HelmRelease'],
  title: 'A healthy HelmRelease or Kustomization installs a CRD that no longer serves the version other Flux objects use',
  signals: [
    'Kustomizations (`… dry-run failed: no matches for kind "<Kind>" in version "<group>/<version>"`) or HelmReleases (stored release or chart: `resource mapping not found … no matches for kind …`) failing on a custom group/version',
    'a ready HelmRelease or Kustomization whose inventory holds the CRD of that kind (`<plural>.<group>`), ready since before a Kustomization\'s failure began: the CRD is installed, the version is not served',
    'the provider\'s last chart upgrade (status.history: chart version from → to, up to a day before the failure) when shown',
    'the finding is on the provider; the failing objects are linked to it as their root cause, even one',
  ],
  explanation: 'The CRD is installed and its provider is healthy, but the API server no longer serves the group/version the failing objects use: an upgrade of the operator (its chart or manifests) dropped that version from the CRD. Installing the CRD again or ordering with dependsOn does not help. Either move every manifest (and chart) that uses the old version to a served one, or pin the provider back to the version that served it until they are migrated. A Helm release whose stored manifest holds the old version also needs that stored manifest rewritten (helm mapkubeapis with a map file for the kind).',
  remediation: [
    { description: 'Once fixed, list what is still not ready (a stalled release needs flux reconcile helmrelease <name> --reset)', command: 'flux --context {context} get all -A --status-selector ready=false' },
  ],
  matchCluster({ index }) {
    const groups = new Map<string, { dropped: DroppedVersion; apiVersion: string; items: Unserved[]; crds: Set<string> }>();
    for (const u of unservedApis(index)) {
      if (isSuspended(u.obj)) continue;
      const dropped = droppedCrdVersion(index, u);
      if (!dropped) continue;
      const key = `${refKey(dropped.provider)}|${u.apiVersion}`;
      const g = groups.get(key) ?? { dropped, apiVersion: u.apiVersion, items: [], crds: new Set<string>() };
      g.items.push(u);
      g.crds.add(dropped.crd);
      // The upgrade is the provider's; any object close enough to it dates it.
      if (!g.dropped.change && dropped.change) g.dropped = dropped;
      groups.set(key, g);
    }
    return [...groups.values()].map(({ dropped, apiVersion, items, crds }) => {
      const { provider, served, change } = dropped;
      const refs: ObjRef[] = items.map((u) => u.ref);
      const group = apiVersion.split('/')[0]!;
      const kinds = [...new Set(items.map((u) => u.kind))].sort();
      const crdList = [...crds].sort();
      const remediation: RemediationTemplate[] = [
        crdList.length === 1
          ? { description: `See the versions the CRD ${crdList[0]} serves`, command: servedVersionsCommand(crdList[0]!) }
          : { description: `See the versions the CRDs of ${kinds.join(', ')} serve`, command: `kubectl --context {context} get crd ${crdList.join(' ')} -o jsonpath='{range .items[*]}{.metadata.name}{": "}{.spec.versions[?(@.served==true)].name}{"\\n"}\\{end\\}'` },
        { description: `In Git, move every ${kinds.join(' and ')} of ${listRefs(refs, 4)} from ${apiVersion} to a served version${served ? ` (${group}/${served})` : ''}, with the field changes of the operator's upgrade notes` },
      ];
      if (change && provider.kind === 'HelmRelease') remediation.push({ description: `Or, until they are migrated, pin ${refKey(provider)} back to ${change.from}: spec.chart.spec.version: "${change.from}" in Git (CRDs in the chart's crds/ folder are only replaced with spec.upgrade.crds: CreateReplace)` });
      else remediation.push({ description: `Or, until they are migrated, revert the change that upgraded the CRDs in ${refKey(provider)}; its recent events name it`, command: `flux --context {context} events --for ${provider.kind}/${provider.name} -n ${provider.namespace ?? 'flux-system'}` });
      const stored = items.filter((u) => u.stored);
      if (stored.length > 0) remediation.push({ description: `${listRefs(stored.map((u) => u.ref), 4)}: the stored release holds ${apiVersion}; rewrite it with helm mapkubeapis and a map file for ${[...new Set(stored.map((u) => u.kind))].sort().join(', ')} (see each one's finding), or pin the provider back` });
      return {
        object: provider,
        // The finding is on the provider: the title need not name it again.
        title: `${change ? `Upgraded ${change.text}: its CRDs` : 'The CRDs it installs'} no longer serve ${apiVersion}, which ${refs.length} ${refs.length === 1 ? 'Flux object still uses' : 'Flux objects still use'}`,
        evidence: [
          stateLine(index, provider),
          ...(change ? [`${refKey(provider)} history: ${change.text} at ${change.at}, before the failures`] : []),
          `${refs.length} Flux ${refs.length === 1 ? 'object cannot' : 'objects cannot'} map ${apiVersion}: ${listSome(items.map((u) => `${refKey(u.ref)} (${u.kind}${u.stored ? ', stored release' : ''})`), 5)}`,
          `its inventory holds ${listSome(crdList, 4)}: the CRD${crdList.length === 1 ? ' is' : 's are'} installed`,
        ],
        remediation,
        explains: refs,
      };
    });
  },
});
