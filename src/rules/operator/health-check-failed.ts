import { refKey } from '../../flux/refs';
import { conditionRule } from '../define';
import { conditionEvidence } from '../evidence';
import { isBlocking, refState } from '../image/messages';
import { HEALTH, OPERATOR_STEPS, RETRY } from './messages';
import { namedObjects } from './messages';

export default conditionRule({
  code: 'FD563',
  slug: 'operator-health-check-failed',
  category: 'health-check-failed',
  severity: 'error',
  kinds: ['FluxInstance', 'ResourceSet'],
  title: 'Objects applied by the Flux Operator did not become ready',
  signals: [
    "Ready=False ReconciliationFailed: reconciliation failed: timeout waiting for: [<Kind>/<ns>/<name> status: '<kstatus>', …] (spec.wait), followed by the not-ready Flux objects' Ready messages",
    "… failed early due to stalled resources: […] / step \"<name>\" health check failed: … (ResourceSet steps)",
    'Ready=False HealthCheckFailed (listed in the catalog; not seen in current operator code)',
    'the named Flux objects that have a problem of their own → blocked by them',
  ],
  explanation: 'The operator applied the objects and, with spec.wait, waited for them to become ready within the timeout; some did not. For a FluxInstance these are the Flux controllers themselves (image pulls, resources, crash loops); for a ResourceSet, the objects it generates, often Flux Kustomizations or HelmReleases whose own failures fluxdiag reports (and names as the root cause here).',
  remediation: [
    ...OPERATOR_STEPS,
    { description: 'See the first object that did not become ready ({waitingOn})', command: 'kubectl --context {context} -n {waitingOnNamespace} describe {waitingOnResource} {waitingOnName}' },
    { description: 'Check the Flux controllers the instance manages', command: 'kubectl --context {context} get pods -n {namespace}', kinds: ['FluxInstance'] },
    RETRY,
  ],
  when: [
    { type: 'Ready', status: 'False', reasons: ['ReconciliationFailed'], message: HEALTH },
    { type: 'Ready', status: 'False', reasons: ['HealthCheckFailed'] },
  ],
  refine(obj, { index }, { condition }) {
    const named = namedObjects(condition.message ?? '');
    const vars: Record<string, string> = { fluxNamespace: index.cluster.fluxNamespace };
    const evidence = [conditionEvidence(condition)];
    const blockedBy = named.filter((r) => index.get(r) && isBlocking(index, r));
    for (const r of blockedBy.slice(0, 5)) evidence.push(refState(index, r));
    const first = blockedBy[0] ?? named[0];
    if (first) {
      vars.waitingOn = refKey(first);
      vars.waitingOnName = first.name;
      vars.waitingOnNamespace = first.namespace ?? obj.metadata.namespace ?? '';
      vars.waitingOnResource = first.kind.toLowerCase();
    }
    return { vars, evidence, ...(blockedBy.length ? { blockedBy } : {}) };
  },
});
