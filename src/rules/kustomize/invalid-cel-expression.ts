import { conditionRule } from '../define';
import { baseEvidence, ksVars } from './messages';

export default conditionRule({
  code: 'FD320',
  slug: 'invalid-cel-expression',
  category: 'validation-failed',
  severity: 'error',
  kinds: ['Kustomization'],
  title: 'Invalid CEL expression in the Kustomization',
  signals: [
    'Ready=False + Stalled=True InvalidCELExpression (2.5+): Reconciliation failed terminally due to configuration error: <CEL error>',
    '… failed to evaluate dependency <name>: … (spec.dependsOn[].readyExpr, 2.7+)',
  ],
  explanation: 'A CEL expression in spec.healthCheckExprs or spec.dependsOn[].readyExpr does not compile or does not return a boolean. This is a configuration error: the Kustomization is stalled and Flux will not retry until the spec changes.',
  remediation: [
    { description: 'See the expressions', command: 'kubectl --context {context} -n {namespace} get kustomization {name} -o jsonpath=\'{.spec.healthCheckExprs}{"\\n"}{.spec.dependsOn}\'' },
    { description: 'Fix the expression in Git (fields are reached through self/dep, e.g. dep.status.conditions.filter(c, c.type == \'Ready\').all(c, c.status == \'True\')), then apply again', command: 'flux --context {context} reconcile kustomization {name} -n {namespace} --with-source' },
  ],
  when: { type: 'Ready', status: 'False', reasons: ['InvalidCELExpression'] },
  refine(obj, { index }, { condition }) {
    return { vars: ksVars(obj, index), evidence: baseEvidence(obj, condition) };
  },
});
