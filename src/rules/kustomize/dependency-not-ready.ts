import { readyState } from '../../flux/conditions';
import { dependsOn, refKey, refOf, sameRef, type ObjRef } from '../../flux/refs';
import { conditionRule } from '../define';
import { conditionEvidence } from '../evidence';
import { ageOf } from '../util';
import { nounOf, stateLine } from './messages';
import { responsibleController } from '../cluster/controller-health';
import { crossKindHint } from './cross-kind-dependency';

/** A wait on a dependency that is itself only progressing is normal for this long (the requeue is 30s). */
const PATIENCE_MS = 30 * 60_000;

export default conditionRule({
  code: 'FD301',
  slug: 'dependency-not-ready',
  category: 'dependency-not-ready',
  severity: 'error',
  kinds: ['Kustomization', 'HelmRelease'],
  title: 'Waiting on a dependency that is not ready',
  signals: [
    "Ready=False DependencyNotReady: dependency '<ns>/<name>' is not ready",
    "… dependency '<ns>/<name>' revision is not up to date (same source, the dependency has not applied this commit) / is not updated yet (before 2.0)",
    "… dependency '<ns>/<name>' not found: <api error> / is not ready according to readyExpr eval (2.7+)",
    "HelmRelease: unable to get '<ns>/<name>' dependency: <api error>",
    "… not found while the snapshot holds an object of the other kind (HelmRelease for a Kustomization, Kustomization for a HelmRelease) with that namespace/name: dependsOn only resolves the same kind (no kind field through Flux 2.9)",
    "… not found while the snapshot holds the dependency: handled by another controller shard (sharding.fluxcd.io/key and the shards' --watch-label-selector) → the controller cannot see it",
    'the dependency\'s own state (suspended, failing, progressing) read from the snapshot',
    'a dependency in the same dependsOn cycle as this object: the cycle (FD115) is the root cause',
  ],
  explanation: 'This object lists the named object in spec.dependsOn and will not reconcile until it is Ready on its current generation (for Kustomizations on the same source: until it has applied the same revision). The problem is upstream: fix the dependency (fluxdiag names the deepest one as the root cause) and this one follows on its own, within the controller\'s dependency requeue interval (30s by default).',
  remediation: [
    { description: 'See the dependencies this object waits on', command: 'kubectl --context {context} -n {namespace} get {resource} {name} -o jsonpath=\'{.spec.dependsOn}\'' },
    { description: 'See the blocking dependency', command: 'flux --context {context} get {dependencyNoun} {dependency} -n {dependencyNamespace}' },
    { description: 'Read the blocking dependency\'s events', command: 'flux --context {context} events --for {dependencyKind}/{dependency} -n {dependencyNamespace}' },
    { description: 'Resume {suspendedDependency} once it is safe to do so', command: 'flux --context {context} resume {dependencyNoun} {dependency} -n {dependencyNamespace}' },
    { description: 'Create {missingDependency}, or fix the name and namespace in spec.dependsOn' },
    { description: 'A controller shard only sees the objects its --watch-label-selector selects: give {name} and {crossShardDependency} the same sharding.fluxcd.io/key label, or drop the dependsOn entry. See the shard labels', command: 'kubectl --context {context} get kustomizations,helmreleases -A -L sharding.fluxcd.io/key' },
    { description: 'List everything that is not ready', command: 'flux --context {context} get {noun} -A --status-selector ready=false' },
  ],
  when: { type: 'Ready', status: 'False', reasons: ['DependencyNotReady'] },
  refine(obj, { index, now }, { condition }) {
    const message = condition.message ?? '';
    const named = message.match(/dependency '([^/']+)\/([^']+)'/) ?? message.match(/unable to get '([^/']+)\/([^']+)' dependency/);
    const deps = dependsOn(obj);
    let blockers: ObjRef[];
    if (named) {
      const [, ns, name] = named;
      // Take the kind from the matching spec.dependsOn entry when it names one; same kind as the object otherwise.
      const declared = deps.find((d) => d.name === name && (d.namespace ?? obj.metadata.namespace) === ns);
      blockers = [{ kind: declared?.kind ?? obj.kind, namespace: ns!, name: name! }];
    } else {
      blockers = deps;
    }
    const evidence = [conditionEvidence(condition)];
    const first = blockers[0];
    const vars: Record<string, string> = {};
    let title: string | undefined;
    let severity: 'warning' | undefined;
    if (first) {
      title = `Waiting on ${refKey(first)}, which is not ready`;
      const dep = index.get(first);
      const missing = /' not found: |unable to get '/.test(message);
      if (dep || missing) evidence.push(stateLine(index, first));
      vars.dependency = first.name;
      vars.dependencyNamespace = first.namespace ?? obj.metadata.namespace ?? '';
      vars.dependencyKind = first.kind;
      vars.dependencyNoun = nounOf(first.kind) ?? 'kustomization';
      // Only the controller's own words say the dependency is missing: a snapshot may simply not hold it.
      const crossKind = missing && !dep ? crossKindHint(obj, index, first) : null;
      if (crossKind) {
        // The entry can never resolve: this object's own spec is the cause, not the (healthy) object of the other kind.
        const { evidence: more, ...rest } = crossKind;
        return { vars, evidence: [...evidence, ...more], ...rest };
      }
      if (missing && !dep) {
        vars.missingDependency = `the missing dependency ${refKey(first)}`;
        title = `Dependency ${refKey(first)} does not exist`;
      } else if (missing && dep) {
        // The controller said "not found" about an object that exists: it cannot see it. In a sharded installation
        // each shard's cache holds only the objects its label selector selects.
        const mine = responsibleController(index, obj)?.name;
        const theirs = responsibleController(index, dep)?.name;
        if (mine && theirs && mine !== theirs) {
          vars.crossShardDependency = refKey(first);
          title = `Dependency ${refKey(first)} belongs to another controller shard (${theirs}): ${mine} cannot see it`;
          evidence.push(`${refKey(refOf(obj))} is reconciled by ${mine}, ${refKey(first)} by ${theirs}`);
        } else {
          title = `Dependency ${refKey(first)} exists, but the controller reported it not found`;
        }
      } else if (dep) {
        const state = readyState(dep);
        if (state === 'suspended') {
          vars.suspendedDependency = `the suspended dependency ${refKey(first)}`;
          title = `Waiting on ${refKey(first)}, which is suspended`;
        } else if (/readyExpr/.test(message)) {
          title = `${refKey(first)} does not satisfy the readyExpr in spec.dependsOn`;
        } else if (state === 'failing') {
          title = `Waiting on ${refKey(first)}, which is failing`;
        } else if (state === 'ready') {
          title = `Waiting on ${refKey(first)}, which is Ready now: the next dependency check should pass`;
          const age = ageOf(condition.lastTransitionTime, now);
          if (age !== null && age < PATIENCE_MS) severity = 'warning';
        } else if (state === 'progressing') {
          title = `Waiting on ${refKey(first)}, which is still reconciling`;
          // The dependency is working on it (or just finished): a wait, not yet a failure.
          const age = ageOf(condition.lastTransitionTime, now);
          if (age !== null && age < PATIENCE_MS) severity = 'warning';
        }
      }
      if (/revision is not up to date|is not updated yet/.test(message)) {
        evidence.push(`${refKey(first)} has not applied the source revision this object is about to apply`);
      }
    }
    // Waiting on itself through a cycle: nothing upstream will ever become ready; the cycle (FD115, a cluster-wide
    // finding) is the cause.
    const cycle = first ? index.cycleOf(refOf(obj)) : undefined;
    if (cycle && cycle.members.some((m) => sameRef(m, first!))) {
      evidence.push(`${refKey(first!)} waits back on this object: dependsOn cycle ${cycle.path.map(refKey).join(' → ')}`);
      return {
        blockedBy: [index.clusterRef],
        vars,
        evidence,
        title: `Waiting on ${refKey(first!)}, which waits on it in turn (dependsOn cycle)`,
      };
    }
    return {
      blockedBy: blockers,
      vars,
      evidence,
      ...(title ? { title } : {}),
      ...(severity ? { severity } : {}),
    };
  },
});
