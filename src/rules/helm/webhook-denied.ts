import type { RuleHit } from '../types';
import { releaseFailureRule, WEBHOOK_DENIED } from './failure';

export default releaseFailureRule({
  code: 'FD426',
  slug: 'helm-webhook-denied',
  category: 'validation-failed',
  severity: 'error',
  kinds: ['HelmRelease'],
  title: 'An admission webhook denied an object of the release',
  signals: [
    'Released=False InstallFailed/UpgradeFailed (or Ready=False ReconcileError): … admission webhook "<webhook>" denied the request: <reason> (Kyverno, Gatekeeper, cert-manager, ingress-nginx and other validating/mutating webhooks)',
  ],
  explanation: 'The API server asked an admission webhook about an object of this release and the webhook refused it: a policy engine (Kyverno, OPA Gatekeeper) found a rule violation, or a controller\'s validating webhook (ingress-nginx, cert-manager, …) found the object invalid or conflicting. The webhook\'s own message, after "denied the request:", says which rule or field. Either the chart values must satisfy the policy, or the policy must allow (or exclude) this object.',
  remediation: [
    { description: 'Read the full denial (policy and rule names, the offending field) in the failure events', command: 'flux --context {context} events --for HelmRelease/{name} -n {namespace}' },
    { description: 'See the events of the release namespace (policy engines record violations there; Kyverno also in policyreports, Gatekeeper in its constraints\' status)', command: 'kubectl --context {context} -n {releaseNamespace} get events --sort-by=.metadata.creationTimestamp' },
    { description: 'Change the chart values in Git so the object satisfies the policy (or add a policy exception for it), then run the release again', command: 'flux --context {context} reconcile helmrelease {name} -n {namespace} {forceFlag}' },
  ],
  classes: ['webhook-denied'],
  enrich(_obj, _ctx, failure): Partial<RuleHit> {
    const m = failure.tail.match(WEBHOOK_DENIED);
    const webhook = m?.[1];
    const reason = m ? failure.tail.slice((m.index ?? 0) + m[0].length).replace(/^:\s*/, '').trim() : '';
    const firstReason = reason.split('\n').map((l) => l.trim()).find((l) => l.length > 0);
    const object = failure.tail.match(/(?:failed to create resource|cannot patch "([^"]+)" with kind (\w+))/);
    const on = object?.[1] ? ` ${object[2]}/${object[1]}` : '';
    const vars: Record<string, string> = webhook ? { webhook } : {};
    return {
      vars,
      evidence: firstReason ? [`denial: ${firstReason}`] : [],
      title: `Admission webhook ${webhook ?? ''} denied${on || ' an object of the release'} (Helm ${failure.action})`.replace(/\s+/g, ' '),
    };
  },
});
