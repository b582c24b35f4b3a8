import { conditionRule } from '../define';
import { OPERATOR_STEPS, RETRY } from './messages';

const REASONS = ['InvalidCELExpression', 'InvalidSpec', 'InvalidSchedule', 'InvalidDefaultValues', 'InvalidExportedInputs'];

export default conditionRule({
  code: 'FD567',
  slug: 'operator-config-invalid',
  category: 'validation-failed',
  severity: 'error',
  kinds: ['ResourceSet', 'ResourceSetInputProvider'],
  title: 'Invalid Flux Operator configuration',
  signals: [
    'Ready=False + Stalled=True, reason InvalidCELExpression (ResourceSet dependsOn[].readyExpr), InvalidSpec, InvalidSchedule (cron), InvalidDefaultValues, InvalidExportedInputs (ResourceSetInputProvider): Reconciliation failed terminally due to configuration error: <err>',
  ],
  explanation: 'The operator validated the spec and rejected it: a readiness expression that does not compile, a schedule that is not valid cron, default values or exported inputs of the wrong shape, or a field combination the API forbids (the operator repeats the CRD\'s validation rules for clusters that do not enforce them). The object is stalled until the spec changes.',
  remediation: [
    ...OPERATOR_STEPS,
    { description: 'See the spec', command: 'kubectl --context {context} -n {namespace} get {resource} {name} -o yaml' },
    RETRY,
  ],
  when: [
    { type: 'Stalled', status: 'True', reasons: REASONS },
    { type: 'Ready', status: 'False', reasons: REASONS },
  ],
  refine(_obj, { index }) {
    return { vars: { fluxNamespace: index.cluster.fluxNamespace } };
  },
});
