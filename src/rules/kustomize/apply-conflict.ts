import { refKey } from '../../flux/refs';
import { conditionRule } from '../define';
import { APPLY_REASONS, applyTarget, baseEvidence, classifyApply, ksVars, targetVars } from './messages';

export default conditionRule({
  code: 'FD312',
  slug: 'apply-conflict',
  category: 'apply-conflict',
  severity: 'error',
  kinds: ['Kustomization'],
  title: 'Apply conflict with an existing object or another field manager',
  signals: [
    'Ready=False ReconciliationFailed: <Kind>/<ns>/<name> dry-run failed (FieldManagerConflict|Conflict|AlreadyExists): …',
    '… already exists / Apply failed with N conflict(s): conflict with "<manager>" … / the object has been modified',
  ],
  explanation: 'The apply of this revision collided with state in the cluster: the object already exists in a form Flux cannot take over, another field manager owns the fields (Flux applies with force, so this is rare and usually means an admission webhook or another controller rewrites the object), or the object changed while being applied. Nothing from this revision is applied; a retry often succeeds for optimistic-lock conflicts.',
  remediation: [
    { description: 'See who manages {objectRef} and its fields', command: 'kubectl --context {context} -n {objectNamespace} get {objectResource} {objectName} --show-managed-fields -o jsonpath=\'{.metadata.managedFields}\' | jq -r \'.[] | "\\(.manager) \\(.operation) \\(.time)"\'' },
    { description: 'If another tool created it, let Flux take it over (delete it so Flux recreates it, or remove the other tool\'s ownership); spec.force: true recreates objects on conflicts' },
    { description: 'Retry: optimistic-lock conflicts (the object has been modified) usually pass on the next attempt', command: 'flux --context {context} reconcile kustomization {name} -n {namespace}' },
  ],
  when: { type: 'Ready', status: 'False', reasons: APPLY_REASONS },
  refine(obj, { index }, { condition }) {
    const message = condition.message ?? '';
    if (classifyApply(message) !== 'conflict') return null;
    const target = applyTarget(message);
    const transient = /the object has been modified/i.test(message);
    const manager = message.match(/conflicts? with "([^"]+)"(?: using [^:\s]+)?(?:: (\S+))?/);
    return {
      vars: { ...ksVars(obj, index), ...targetVars(target) },
      evidence: baseEvidence(obj, condition),
      ...(transient ? { severity: 'warning' as const } : {}),
      ...(target ? { title: manager ? `Field manager "${manager[1]}" owns ${manager[2] ?? 'fields'} of ${refKey(target.ref)}` : `Apply conflict on ${refKey(target.ref)}` } : {}),
    };
  },
});
