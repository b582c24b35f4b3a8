import { conditionRule } from '../define';
import { conditionEvidence } from '../evidence';
import { helmVars } from './release';

export default conditionRule({
  code: 'FD404',
  slug: 'helm-invalid-cel-expression',
  category: 'validation-failed',
  severity: 'error',
  kinds: ['HelmRelease'],
  title: 'Invalid CEL expression in the HelmRelease',
  signals: [
    'Ready=False + Stalled=True InvalidCELExpression (2.7+): Reconciliation failed terminally due to configuration error: <CEL error>',
    '… failed to evaluate dependency <name>: … (spec.dependsOn[].readyExpr)',
  ],
  explanation: 'A CEL expression in spec.healthCheckExprs or spec.dependsOn[].readyExpr does not compile or does not return a boolean. This is a configuration error: the HelmRelease is stalled and Flux will not retry until the spec changes.',
  remediation: [
    { description: 'See the expressions', command: 'kubectl --context {context} -n {namespace} get helmrelease {name} -o jsonpath=\'{.spec.healthCheckExprs}{"\\n"}{.spec.dependsOn}\'' },
    { description: 'Fix the expression in Git, then apply it again', command: 'flux --context {context} reconcile helmrelease {name} -n {namespace}' },
  ],
  when: { type: 'Ready', status: 'False', reasons: ['InvalidCELExpression'] },
  refine(obj, _ctx, { condition }) {
    return { vars: helmVars(obj), evidence: [conditionEvidence(condition)] };
  },
});
