// Sharded controllers must split the objects between them: a Flux object that two Deployments of the same controller
// both select (their --watch-label-selector overlap, or one runs without any) is reconciled twice, concurrently. The
// two fight over its status and, for a HelmRelease, over the Helm release itself (`release: already exists`, another
// operation in progress).
import { FLUX_KINDS, fluxKind } from '../../flux/kinds';
import { refOf, type ObjRef } from '../../flux/refs';
import { readyState } from '../../flux/conditions';
import { defineRule } from '../define';
import type { RuleHit } from '../types';
import { controllersKnown, deploymentRef, watchSelector } from './controller-health';
import { selectorMatches } from './label-selector';
import { listRefs } from './failure-text';

export default defineRule({
  code: 'FD035',
  slug: 'shard-selectors-overlap',
  category: 'controller-unhealthy',
  severity: 'warning',
  kinds: ['Cluster'],
  title: 'Two shards of a controller reconcile the same Flux objects',
  signals: [
    'two or more Deployments of one controller (<controller>, <controller>-<shard>) in the Flux namespace, at least one with --watch-label-selector, whose selectors (or a missing one) both select the labels of a Flux object of their kinds',
    'only Deployments whose manifest was read (their args known); error when one of those objects is failing',
  ],
  explanation: 'In a sharded installation each controller Deployment reconciles the objects its --watch-label-selector selects, and the selectors must not overlap (the main controller usually runs with !sharding.fluxcd.io/key, each shard with sharding.fluxcd.io/key=<shard>). Here two Deployments select the same objects, so both reconcile them at the same time: they overwrite each other\'s status, and two helm-controllers upgrading one release make Helm fail (release: already exists, another operation is in progress).',
  remediation: [
    { description: 'Compare the selectors of the controller Deployments', command: 'kubectl --context {context} -n {fluxNamespace} get deploy -o custom-columns=NAME:.metadata.name,ARGS:.spec.template.spec.containers[0].args' },
    { description: 'Make the selectors disjoint in Git (a distinct sharding.fluxcd.io/key value per shard, !sharding.fluxcd.io/key on the main controller), then reconcile the affected objects' },
  ],
  matchCluster({ index }) {
    if (!controllersKnown(index)) return [];
    const hits: RuleHit[] = [];
    for (const base of new Set(FLUX_KINDS.map((k) => k.controller))) {
      const shards = index.cluster.controllers
        .filter((c) => (c.name === base || c.name.startsWith(`${base}-`)) && index.resource(deploymentRef(index, c.name)))
        .map((c) => ({ name: c.name, sel: watchSelector(index, c.name) }));
      if (shards.length < 2 || !shards.some((s) => s.sel)) continue;
      const twice: ObjRef[] = [];
      let pair: string[] = [];
      for (const obj of index.objects()) {
        if (fluxKind(obj.kind)?.controller !== base) continue;
        const labels = obj.metadata.labels ?? {};
        const selecting = shards.filter((s) => !s.sel || selectorMatches(s.sel.reqs, labels));
        if (selecting.length < 2) continue;
        twice.push(refOf(obj));
        if (pair.length === 0) pair = selecting.map((s) => `${s.name} (${s.sel ? `--watch-label-selector=${s.sel.text}` : 'no --watch-label-selector: every object'})`);
      }
      if (twice.length === 0) continue;
      const failing = twice.filter((r) => { const o = index.get(r); return o && readyState(o) === 'failing'; });
      hits.push({
        title: `${twice.length} Flux ${twice.length === 1 ? 'object is' : 'objects are'} reconciled by two ${base} shards at once: ${listRefs(twice, 2)}`,
        evidence: [`both select ${listRefs(twice, 3)}: ${pair.join(' and ')}`],
        vars: { fluxNamespace: index.cluster.fluxNamespace },
        ...(failing.length > 0 ? { severity: 'error' as const, explains: failing } : {}),
      });
    }
    return hits;
  },
});
