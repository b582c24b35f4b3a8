import { inventory, targetCluster, type ObjRef } from '../../flux/refs';
import type { ClusterIndex } from '../../snapshot/indexes';
import type { KubeObject } from '../../snapshot/schema';
import { isBlocking } from '../shared';
import { objectLine, releaseNames } from './release';
import { releaseFailureRule, WEBHOOK_UNAVAILABLE } from './failure';

/** The Service behind the webhook: from `no endpoints available for service "<name>"` or the URL `https://<svc>.<ns>.svc…`. */
function webhookService(tail: string): { name: string; namespace?: string } | null {
  const url = tail.match(/"https:\/\/([a-z0-9-]+)\.([a-z0-9-]+)\.svc(?:\.[a-z0-9.-]+)?(?::\d+)?\//);
  if (url) return { name: url[1]!, namespace: url[2]! };
  const noEndpoints = tail.match(/no endpoints available for service "(?:([^/"]+)\/)?([^"]+)"/);
  return noEndpoints ? { name: noEndpoints[2]!, ...(noEndpoints[1] ? { namespace: noEndpoints[1] } : {}) } : null;
}

/**
 * A failing Flux object that installs the webhook's Service (Kustomization inventory, or a HelmRelease in its namespace)
 * in the cluster the release applies to (the webhook is that API server's).
 */
function serviceProvider(index: ClusterIndex, self: KubeObject, svc: { name: string; namespace: string }): ObjRef | null {
  const target = targetCluster(self);
  for (const ks of index.objects('Kustomization')) {
    if (targetCluster(ks) !== target) continue;
    if (inventory(ks).some((e) => e.kind === 'Service' && e.name === svc.name && e.namespace === svc.namespace)) {
      const ref = { kind: 'Kustomization', namespace: ks.metadata.namespace, name: ks.metadata.name };
      return isBlocking(index, ref) ? ref : null;
    }
  }
  for (const hr of index.objects('HelmRelease')) {
    if (targetCluster(hr) !== target) continue;
    const names = releaseNames(hr);
    if (names.releaseNamespace !== svc.namespace || !svc.name.startsWith(names.releaseName)) continue;
    const ref = { kind: 'HelmRelease', namespace: hr.metadata.namespace, name: hr.metadata.name };
    if (isBlocking(index, ref)) return ref;
  }
  return null;
}

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
        provider = serviceProvider(index, obj, { name: svc.name, namespace: svc.namespace });
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

