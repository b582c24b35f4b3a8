import { condition } from '../../flux/conditions';
import { dependsOn, refKey, refOf, type ObjRef } from '../../flux/refs';
import { defineRule } from '../define';
import type { RuleHit } from '../types';

/** Strongly connected components of the dependsOn graph (Tarjan), keeping those that form a cycle. */
function cycles(nodes: Map<string, { ref: ObjRef; deps: string[] }>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of nodes.get(v)?.deps ?? []) {
      if (!nodes.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      const selfLoop = scc.length === 1 && (nodes.get(v)?.deps ?? []).includes(v);
      if (scc.length > 1 || selfLoop) out.push(scc);
    }
  };
  for (const v of [...nodes.keys()].sort()) if (!index.has(v)) visit(v);
  return out;
}

/** The shortest closed walk through the component's smallest member (breadth-first): a → b → c → a. */
function walk(scc: string[], nodes: Map<string, { deps: string[] }>): string[] {
  const members = new Set(scc);
  const start = [...scc].sort()[0]!;
  const parent = new Map<string, string>();
  const queue = [start];
  const seen = new Set([start]);
  while (queue.length > 0) {
    const current = queue.shift()!;
    for (const next of [...(nodes.get(current)?.deps ?? [])].sort()) {
      if (!members.has(next)) continue;
      if (next === start) {
        const path = [current];
        while (path[0] !== start) path.unshift(parent.get(path[0]!)!);
        return [...path, start];
      }
      if (seen.has(next)) continue;
      seen.add(next);
      parent.set(next, current);
      queue.push(next);
    }
  }
  return [start, start];
}

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
    const nodes = new Map<string, { ref: ObjRef; deps: string[] }>();
    for (const obj of index.objects()) {
      const deps = dependsOn(obj);
      if (deps.length === 0) continue;
      nodes.set(refKey(refOf(obj)), { ref: refOf(obj), deps: deps.map(refKey) });
    }
    const hits: RuleHit[] = [];
    for (const scc of cycles(nodes)) {
      const path = walk(scc, nodes);
      const refs = path.map((k) => nodes.get(k)!.ref);
      const evidence = refs.slice(0, -1).map((r, i) => `${refKey(r)} dependsOn ${refKey(refs[i + 1]!)}`);
      for (const key of [...scc].sort()) {
        const obj = index.get(nodes.get(key)!.ref);
        const ready = obj ? condition(obj, 'Ready') : undefined;
        if (ready) evidence.push(`${key}: Ready=${ready.status}${ready.reason ? ` ${ready.reason}` : ''}: ${ready.message ?? ''}`.trimEnd());
      }
      const first = refs[0]!;
      hits.push({
        title: `dependsOn cycle: ${path.join(' → ')}`,
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
