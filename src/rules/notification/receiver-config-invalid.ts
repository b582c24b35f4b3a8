import { conditionRule } from '../define';
import { conditionEvidence } from '../evidence';

export default conditionRule({
  code: 'FD501',
  slug: 'receiver-config-invalid',
  category: 'notification-failed',
  severity: 'error',
  kinds: ['Receiver'],
  title: 'Receiver configuration rejected',
  signals: [
    'Ready=False + Stalled=True ValidationFailed: Reconciliation failed terminally due to configuration error: … (e.g. secretRef is required when type is not generic-oidc, oidcProviders only with type generic-oidc)',
    'Ready=False + Stalled=True InvalidCELExpression: … invalid resourceFilter expression: … / invalid filter expression for resources[<i>] … (CEL, 2.3+)',
  ],
  explanation: 'notification-controller refused the Receiver spec: a field combination the API does not allow, or a CEL resource filter that does not compile. The Receiver is stalled and serves no webhook, so events from the Git or registry provider no longer trigger reconciliations, and Flux will not retry until the spec changes.',
  remediation: [
    { description: 'See the Receiver spec (type, secretRef, resourceFilter, resources[].filter)', command: 'kubectl --context {context} -n {namespace} get receiver {name} -o yaml' },
    { description: 'Fix the spec in Git (CEL filters see the request body as `req` and the resource as `res`), then follow the new attempt', command: 'flux --context {context} events --for Receiver/{name} -n {namespace}' },
  ],
  when: [
    { type: 'Ready', status: 'False', reasons: ['ValidationFailed', 'InvalidCELExpression'] },
    { type: 'Stalled', status: 'True', reasons: ['ValidationFailed', 'InvalidCELExpression'] },
  ],
  refine(_obj, _ctx, { condition }) {
    return {
      evidence: [conditionEvidence(condition)],
      ...(condition.reason === 'InvalidCELExpression' ? { title: 'Receiver CEL filter does not compile' } : {}),
    };
  },
});
