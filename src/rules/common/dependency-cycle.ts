import { condition } from '../../flux/conditions';
import { refKey } from '../../flux/refs';
import { defineRule } from '../define';
import type { RuleHit } from '../types';

export default defineRule({
  code: 'FD115',
  slug: 'dependency-cycle',
  category: 'dependency-not-ready',
  severity: 'error',
  kinds: ['Cluster'],
  title: 'dependsOn cycle',
  signals: [
    'a cycle in the spec.dependsOn graph of Kustomizations, HelmReleases and ResourceSets (any kinds that declare dependsOn), found as strongly connected components',
    'the members\' own Ready conditions (usually DependencyNotReady) are quoted',
  ],
  explanation: 'These objects wait on each other through spec.dependsOn, so none of them can ever become ready: each one waits for the next, forever, reporting DependencyNotReady. Flux does not detect cycles itself. Break the cycle by removing one dependsOn edge in Git (usually the one that was added last, or one that points from a lower layer, such as infrastructure, back to a higher one, such as apps).',
  remediation: [
    { description: 'See the dependencies of the first member of the cycle ({first})', command: 'kubectl --context {context} -n {firstNamespace} get {firstResource} {firstName} -o jsonpath=\'{.spec.dependsOn}\'' },
    { description: 'List everything that is not ready', command: 'flux --context {context} get all -A --status-selector ready=false' },
  ],
  matchCluster({ index }) {
    const hits: RuleHit[] = [];
    for (const { members, path } of index.dependsOnCycles()) {
      const evidence = path.slice(0, -1).map((r, i) => `${refKey(r)} dependsOn ${refKey(path[i + 1]!)}`);
      for (const member of members) {
        const obj = index.get(member);
        const ready = obj ? condition(obj, 'Ready') : undefined;
        if (ready) evidence.push(`${refKey(member)}: Ready=${ready.status}${ready.reason ? ` ${ready.reason}` : ''}: ${ready.message ?? ''}`.trimEnd());
      }
      const first = path[0]!;
      hits.push({
        title: `dependsOn cycle: ${path.map(refKey).join(' → ')}`,
        evidence,
        vars: {
          first: refKey(first),
          firstName: first.name,
          firstNamespace: first.namespace ?? '',
          firstResource: first.kind.toLowerCase(),
        },
      });
    }
    return hits;
  },
});
