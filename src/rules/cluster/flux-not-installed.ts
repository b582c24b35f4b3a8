import { defineRule } from '../define';

export default defineRule({
  code: 'FD002',
  slug: 'flux-not-installed',
  category: 'flux-not-installed',
  severity: 'error',
  kinds: ['Cluster'],
  title: 'Flux is not installed',
  signals: ['the cluster answered and discovery lists none of the Flux API groups (*.toolkit.fluxcd.io, source.extensions.fluxcd.io, fluxcd.controlplane.io): served kinds empty'],
  explanation: 'The API server serves none of the Flux CRDs, so nothing on this cluster is reconciled by Flux. Either Flux was never installed here, was uninstalled, or this context points at the wrong cluster.',
  remediation: [
    { description: 'Check that this context points at the cluster you mean', command: 'kubectl --context {context} cluster-info' },
    { description: 'Check the Flux installation and its prerequisites', command: 'flux --context {context} check --pre' },
    { description: 'List the Flux CRDs the cluster has', command: 'kubectl --context {context} get crds -l app.kubernetes.io/part-of=flux' },
  ],
  matchCluster({ index }) {
    const c = index.cluster;
    if (!c.reachable || c.served === null || c.served.length > 0) return [];
    return [{ evidence: ['discovery: no Flux API group is served'] }];
  },
});
