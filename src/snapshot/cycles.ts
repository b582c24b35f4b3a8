// Cycles in the spec.dependsOn graph. Flux does not detect them: each member just waits on the next forever.
import type { ObjRef } from '../flux/refs';

export interface DependsOnNode {
  ref: ObjRef;
  /** refKeys of what it depends on. */
  deps: string[];
}

export interface Cycle {
  /** refKeys of the members, sorted. */
  members: string[];
  /** The shortest closed walk through the smallest member: a → b → c → a. */
  path: string[];
}

/** Strongly connected components of the dependsOn graph (Tarjan), keeping those that form a cycle. */
function components(nodes: Map<string, DependsOnNode>): string[][] {
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

/** Every dependsOn cycle among `nodes` (keyed by refKey). */
export function dependsOnCycles(nodes: Map<string, DependsOnNode>): Cycle[] {
  return components(nodes).map((scc) => ({ members: [...scc].sort(), path: walk(scc, nodes) }));
}
