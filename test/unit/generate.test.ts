// The benchmark's generated clusters must be coherent, or the benchmark times findings a real fleet would not
// have: every reference resolves, consumers apply what their source serves, ages are relative to the time the
// cluster is observed, and what fails is the share the generator meant to fail, with its dependents blocked.
import { describe, expect, it } from 'vitest';
import { generateCluster } from '../../bench/generate';
import { analyzeCluster } from '../../src/analyze/report';
import { chartOf, chartSourceOf, dependsOn, sourceRef } from '../../src/flux/refs';
import { RULES } from '../../src/rules/registry';
import { buildCluster } from '../../src/snapshot/build';
import { ClusterIndex } from '../../src/snapshot/indexes';

const NOW = Date.parse('2026-12-01T12:00:00Z');

function generated(count: number) {
  const { objects } = generateCluster('gen', count, { eventsPerObject: 1, now: NOW });
  const cluster = buildCluster({ name: 'gen', context: 'gen', server: null, collectedAt: new Date(NOW).toISOString(), origin: 'live', fluxNamespace: 'flux-system', objects, served: null, errors: [] });
  return { cluster, index: new ClusterIndex(cluster) };
}

describe('bench/generate.ts', () => {
  const { cluster, index } = generated(500);

  it('makes the requested number of Flux objects, with controllers and one event per object', () => {
    expect(cluster.objects).toHaveLength(500);
    expect(cluster.events).toHaveLength(500);
    expect(cluster.controllers.map((c) => [c.name, c.ready])).toContainEqual(['helm-controller', true]);
  });

  it('wires every reference to an object that exists', () => {
    const dangling: string[] = [];
    for (const obj of cluster.objects) {
      const refs = [sourceRef(obj), ...dependsOn(obj), ...(obj.kind === 'HelmRelease' ? [chartOf(obj), chartSourceOf(obj)] : [])];
      for (const ref of refs) if (ref && !index.get(ref)) dangling.push(`${obj.kind}/${obj.metadata.name} → ${ref.kind}/${ref.namespace}/${ref.name}`);
    }
    expect(dangling).toEqual([]);
  });

  it('dates everything before the time it is observed at, the healthy objects recently', () => {
    const times = cluster.objects.flatMap((o) => (o.status?.conditions ?? []).map((c: any) => Date.parse(c.lastTransitionTime)));
    expect(Math.max(...times)).toBeLessThanOrEqual(NOW);
    const ready = cluster.objects.filter((o) => o.status?.conditions?.[0]?.status === 'True');
    expect(ready.every((o) => NOW - Date.parse(o.status.conditions[0].lastTransitionTime) <= 24 * 3600_000)).toBe(true);
  });

  it('fails a small share of objects, and those are the roots of the findings', () => {
    const report = analyzeCluster(cluster, RULES, { now: NOW });
    const failing = report.resources.filter((r) => r.state === 'failing');
    expect(failing.length / report.resources.length).toBeGreaterThan(0.02);
    expect(failing.length / report.resources.length).toBeLessThan(0.15);
    const generatedToFail = new Set(cluster.objects.filter((o) => o.status?.conditions?.[0]?.status === 'False').map((o) => `${o.kind}/${o.metadata.name}`));
    const roots = report.findings.filter((f) => f.rootCause === null && f.severity === 'error');
    expect(roots.length).toBeGreaterThan(0);
    expect(roots.every((f) => generatedToFail.has(`${f.object.kind}/${f.object.name}`))).toBe(true);
    // Kustomizations apply what their source serves: a stale-revision finding only where the source fails.
    for (const f of report.findings.filter((x) => x.rule === 'FD321')) {
      const ks = index.get(f.object)!;
      expect(index.get(sourceRef(ks)!)!.status.conditions[0].status).toBe('False');
    }
  });
});
