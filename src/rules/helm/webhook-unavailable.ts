import type { ObjRef } from '../../flux/refs';
import { webhookProvider, webhookService } from '../webhook-provider';
import { objectLine } from './release';
import { releaseFailureRule, WEBHOOK_UNAVAILABLE } from './failure';

export default releaseFailureRule({
  code: 'FD425',
  slug: 'helm-webhook-unavailable',
  category: 'validation-failed',
  severity: 'error',
  kinds: ['HelmRelease'],
  title: 'An admission webhook could not be called during the Helm action',
  signals: [
    'Released=False InstallFailed/UpgradeFailed (or Ready=False ReconcileError): … Internal error occurred: failed calling webhook "<webhook>": failed to call webhook: Post "https://<svc>.<ns>.svc:443/…": <err>',
    '… where <err> is context deadline exceeded, dial tcp …: connect: connection refused, no endpoints available for service "<svc>", x509: certificate … (any Kubernetes version; without "failed to call webhook" before 1.18)',
    'not a readiness timeout (FD409) even when the webhook call ends in context deadline exceeded',
    'the Kustomization or HelmRelease that installs the webhook Service becomes the root cause when it is failing',
  ],
  explanation: 'The API server must call an admission webhook (ingress-nginx, cert-manager, Kyverno, the AWS load balancer controller, …) for an object of this release, and the call failed: the webhook\'s Service has no ready pods, its pods do not answer in time, or its TLS certificate is not trusted. With failurePolicy: Fail the API server then refuses the object, so the Helm action fails although nothing is wrong with the chart. Typical after the webhook\'s own release was scaled down, is still starting, or was removed while its webhook configuration stayed behind.',
  remediation: [
    { description: 'Check the webhook Service {webhookNamespace}/{webhookService} has ready endpoints and its pods run', command: 'kubectl --context {context} -n {webhookNamespace} get endpoints,pods -o wide | grep -e NAME -e {webhookService}' },
    { description: 'Find the webhook configuration of {webhook} (a leftover configuration of an uninstalled controller must be deleted)', command: 'kubectl --context {context} get validatingwebhookconfigurations,mutatingwebhookconfigurations' },
    { description: 'See the state of the release that provides the webhook', command: 'flux --context {context} get {providerNoun} {providerName} -n {providerNamespace}' },
    { description: 'Once the webhook answers, run the release again', command: 'flux --context {context} reconcile helmrelease {name} -n {namespace} {forceFlag}' },
  ],
  classes: ['webhook-unavailable'],
  enrich(obj, { index }, failure) {
    const vars: Record<string, string> = {};
    const evidence: string[] = [];
    const webhook = failure.tail.match(WEBHOOK_UNAVAILABLE)?.[1];
    if (webhook) vars.webhook = webhook;
    const svc = webhookService(failure.tail);
    let provider: ObjRef | null = null;
    if (svc) {
      vars.webhookService = svc.name;
      if (svc.namespace) {
        vars.webhookNamespace = svc.namespace;
        provider = webhookProvider(index, obj, { name: svc.name, namespace: svc.namespace });
      }
    }
    if (provider) {
      vars.providerNoun = provider.kind === 'HelmRelease' ? 'helmrelease' : 'kustomization';
      vars.providerName = provider.name;
      vars.providerNamespace = provider.namespace ?? '';
      evidence.push(`the webhook Service comes from ${objectLine(index, provider)}`);
    }
    const why = /no endpoints available/.test(failure.tail) ? 'has no ready endpoints'
      : /connection refused/.test(failure.tail) ? 'refused the connection'
        : /x509: /.test(failure.tail) ? 'has an untrusted certificate'
          : /context deadline exceeded|i\/o timeout|Client\.Timeout/.test(failure.tail) ? 'did not answer in time' : 'could not be called';
    const title = `Admission webhook ${webhook ?? ''} ${why} (Helm ${failure.action})`.replace(/\s+/g, ' ');
    return { vars, evidence, title, ...(provider ? { blockedBy: [provider] } : {}) };
  },
});

