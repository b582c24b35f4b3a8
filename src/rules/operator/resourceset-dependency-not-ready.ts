import { readyState } from '../../flux/conditions';
import { dependsOn, refKey } from '../../flux/refs';
import { conditionRule } from '../define';
import { conditionEvidence } from '../evidence';
import { refState } from '../image/messages';
import { ageOf } from '../util';
import { RETRY } from './messages';
import { namedDependency } from './messages';

const PATIENCE_MS = 30 * 60_000;

export default conditionRule({
  code: 'FD564',
  slug: 'resourceset-dependency-not-ready',
  category: 'dependency-not-ready',
  severity: 'error',
  kinds: ['ResourceSet'],
  title: 'ResourceSet waits on a dependency',
  signals: [
    'Ready=False DependencyNotReady: Retrying dependency check: dependency <apiVersion>/<Kind>/<ns>/<name> not ready[: status <kstatus> | : expression \'<readyExpr>\'] / … not found: <api error>',
    'the dependency\'s own state → blocked by it; a dependency that is only progressing, for under 30 minutes → warning',
  ],
  explanation: 'The ResourceSet lists the object in spec.dependsOn and the operator does not apply anything until it exists (and, with ready: true, is ready or satisfies readyExpr). The problem is upstream: fix the dependency (fluxdiag names the deepest failing one as the root cause) and the ResourceSet follows at the next dependency check.',
  remediation: [
    { description: 'See the dependencies', command: 'kubectl --context {context} -n {namespace} get resourceset {name} -o jsonpath=\'{.spec.dependsOn}\'' },
    { description: 'See the blocking dependency', command: 'kubectl --context {context} -n {dependencyNamespace} get {dependencyResource} {dependency}' },
    { description: 'Create {missingDependency}, or fix spec.dependsOn' },
    RETRY,
  ],
  when: { type: 'Ready', status: 'False', reasons: ['DependencyNotReady'] },
  refine(obj, { index, now }, { condition }) {
    const message = condition.message ?? '';
    const named = namedDependency(message, undefined);
    const dep = named ?? dependsOn(obj)[0] ?? null;
    const evidence = [conditionEvidence(condition)];
    const vars: Record<string, string> = {};
    if (!dep) return { evidence };
    evidence.push(refState(index, dep));
    vars.dependency = dep.name;
    vars.dependencyNamespace = dep.namespace ?? obj.metadata.namespace ?? '';
    vars.dependencyResource = dep.kind.toLowerCase();
    const target = index.get(dep);
    let title: string | undefined;
    let severity: 'warning' | undefined;
    if (!target && / not found/.test(message)) {
      vars.missingDependency = `the missing dependency ${refKey(dep)}`;
      title = `Dependency ${refKey(dep)} does not exist`;
    } else if (target) {
      const state = readyState(target);
      if (state === 'suspended') title = `Waiting on ${refKey(dep)}, which is suspended`;
      else if (state === 'failing') title = `Waiting on ${refKey(dep)}, which is failing`;
      else if (state === 'progressing' || state === 'ready') {
        const age = ageOf(condition.lastTransitionTime, now);
        if (age !== null && age < PATIENCE_MS) severity = 'warning';
      }
    }
    return { vars, evidence, blockedBy: [dep], ...(title ? { title } : {}), ...(severity ? { severity } : {}) };
  },
});
