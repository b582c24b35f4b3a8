import { defineRule } from '../define';
import { collectionHits } from './collection-errors';

export default defineRule({
  code: 'FD004',
  slug: 'collection-not-found',
  category: 'crd-missing',
  severity: 'error',
  kinds: ['Cluster'],
  title: 'A Flux resource answered 404',
  signals: ['a list request answered 404 Not Found although discovery listed the resource'],
  explanation: 'The API server says this resource does not exist: its CRD is absent or was removed (or is being re-installed) while fluxdiag read the cluster. Objects of this kind are unknown, so they are not reported.',
  remediation: [
    { description: 'Check that the CRD is installed and which versions it serves', command: 'kubectl --context {context} get crd {resource}' },
    { description: 'Check the Flux installation', command: 'flux --context {context} check' },
  ],
  matchCluster: (ctx) => collectionHits(ctx, (e) => e.code === 'NotFound', (e) => `Could not read ${e.target}: not found`),
});
