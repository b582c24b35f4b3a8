import { defineRule } from '../define';
import { collectionHits } from './collection-errors';

export default defineRule({
  code: 'FD003',
  slug: 'collection-forbidden',
  category: 'access-denied',
  severity: 'error',
  kinds: ['Cluster'],
  title: 'Not allowed to read part of the cluster',
  signals: ['a list request answered 403 Forbidden'],
  explanation: 'The credentials of this context may not list this resource, so its objects are unknown to fluxdiag: treat them as unchecked, not as healthy. fluxdiag needs get/list on the Flux kinds, events, and the Deployments and Pods of the Flux namespace.',
  remediation: [
    { description: 'Check the permission', command: 'kubectl --context {context} auth can-i list {resource} --all-namespaces' },
    { description: 'Grant read access, e.g. bind the built-in "view" ClusterRole plus the Flux CRDs\' view role (flux installs "flux-view")', command: 'kubectl --context {context} get clusterrole flux-view -o yaml' },
  ],
  matchCluster: (ctx) => collectionHits(ctx, (e) => e.code === 'Forbidden' || e.code === 'Unauthorized', (e) => `Not allowed to read ${e.target}`),
});
