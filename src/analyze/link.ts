// Root-cause linking: a finding whose object waits on another failing or suspended object points at the
// deepest culprit along those waits; a root lists everything downstream of it (its blast radius).
import { refKey, type ObjRef } from '../flux/refs';
import type { Finding } from '../report/schema';
import type { ClusterIndex } from '../snapshot/indexes';
import type { RawFinding } from './engine';
import { compareText } from '../util/compare';

const SEVERITY_RANK = { error: 0, warning: 1, info: 2 } as const;

export function linkCauses(index: ClusterIndex, raw: RawFinding[]): Finding[] {
  // A suspended object blocks its dependents even when its own finding is only informational.
  const isProblem = (f: Finding) => f.severity !== 'info' || f.category === 'suspended';
  const problems = new Map<string, RawFinding[]>();
  for (const f of raw) {
    if (!isProblem(f)) continue;
    const key = refKey(f.object);
    const list = problems.get(key);
    if (list) list.push(f);
    else problems.set(key, [f]);
  }
  // A shared cause that names the objects it explains comes before what those objects name themselves.
  const explainedBy = new Map<string, ObjRef[]>();
  for (const f of raw) {
    if (!isProblem(f)) continue;
    for (const r of f.explains) {
      const key = refKey(r);
      if (key === refKey(f.object)) continue;
      const list = explainedBy.get(key);
      if (list) list.push(f.object);
      else explainedBy.set(key, [f.object]);
    }
  }
  const waitsOn = (key: string): ObjRef[] => [...(explainedBy.get(key) ?? []), ...(problems.get(key) ?? []).flatMap((f) => f.blockedBy)];

  const rootMemo = new Map<string, ObjRef | null>();
  // The deepest problem object reachable through blockedBy; null when nothing upstream has a problem.
  const rootOf = (key: string, path: Set<string>): ObjRef | null => {
    if (rootMemo.has(key)) return rootMemo.get(key)!;
    let best: ObjRef | null = null;
    for (const blocker of waitsOn(key)) {
      const bKey = refKey(blocker);
      if (path.has(bKey) || !problems.has(bKey)) continue;
      path.add(bKey);
      const deeper = rootOf(bKey, path);
      path.delete(bKey);
      best = deeper ?? blocker;
      break;
    }
    rootMemo.set(key, best);
    return best;
  };

  const findings: Finding[] = raw.map(({ blockedBy: _b, explains: _e, ...f }) => f);
  const blockedByRoot = new Map<string, ObjRef[]>();
  for (const f of findings) {
    if (!isProblem(f)) continue;
    const key = refKey(f.object);
    const root = rootOf(key, new Set([key]));
    if (!root) continue;
    f.rootCause = root;
    const list = blockedByRoot.get(refKey(root)) ?? [];
    if (!list.some((r) => refKey(r) === key)) list.push(f.object);
    blockedByRoot.set(refKey(root), list);
  }
  // Several findings about one object block the same things: worked out once per object.
  const blocksOf = new Map<string, ObjRef[]>();
  for (const f of findings) {
    if (!isProblem(f) || f.rootCause) continue;
    const key = refKey(f.object);
    let blocks = blocksOf.get(key);
    if (!blocks) {
      const seen = new Set<string>();
      blocks = [];
      for (const r of [...index.blastRadius(f.object), ...(blockedByRoot.get(key) ?? [])]) {
        const rk = refKey(r);
        if (seen.has(rk) || rk === key) continue;
        seen.add(rk);
        blocks.push(r);
      }
      blocksOf.set(key, blocks);
    }
    f.blocks = [...blocks];
  }
  return findings;
}

const KIND_ORDER = ['Cluster', 'Deployment', 'GitRepository', 'OCIRepository', 'Bucket', 'HelmRepository', 'HelmChart', 'ExternalArtifact', 'Kustomization', 'HelmRelease'];

/** Root causes first (most severe, widest blast radius), then the findings they block. */
export function sortFindings(findings: Finding[], consequences: ReadonlySet<string> = new Set()): Finding[] {
  const kindRank = (k: string) => {
    const i = KIND_ORDER.indexOf(k);
    return i < 0 ? KIND_ORDER.length : i;
  };
  return [...findings].sort((a, b) =>
    Number(a.rootCause !== null) - Number(b.rootCause !== null) ||
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    b.blocks.length - a.blocks.length ||
    kindRank(a.object.kind) - kindRank(b.object.kind) ||
    compareText(a.object.namespace ?? '', b.object.namespace ?? '') ||
    compareText(a.object.name, b.object.name) ||
    Number(consequences.has(a.rule)) - Number(consequences.has(b.rule)) ||
    compareText(a.rule, b.rule));
}
