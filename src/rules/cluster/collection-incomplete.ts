import { defineRule } from '../define';
import { collectionHits } from './collection-errors';

export default defineRule({
  code: 'FD005',
  slug: 'collection-incomplete',
  category: 'cluster-unreachable',
  severity: 'error',
  kinds: ['Cluster'],
  title: 'Part of the cluster could not be read',
  signals: ['a list request answered 5xx or 429 past the deadline, was reset mid-response, or missed the --timeout deadline'],
  explanation: 'The cluster answered, but not for everything: these objects are unknown to fluxdiag, so treat them as unchecked, not healthy. Server errors, throttling, resets and timeouts point at an overloaded API server or a flaky network path.',
  remediation: [
    { description: 'Retry the same list directly', command: 'kubectl --context {context} get {resource} -A' },
    { description: 'Give slow clusters more time', command: 'fluxdiag status --context {context} --timeout 60s' },
  ],
  matchCluster: (ctx) => collectionHits(ctx, (e) => !['Forbidden', 'Unauthorized', 'NotFound'].includes(e.code), (e) => `Could not read ${e.target}: ${e.code}`),
});
