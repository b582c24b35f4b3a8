import type { RuleHit } from '../types';
import { releaseFailureRule } from './failure';

export default releaseFailureRule({
  code: 'FD427',
  slug: 'helm-kube-api-unavailable',
  category: 'cluster-unreachable',
  severity: 'error',
  kinds: ['HelmRelease'],
  title: 'The Kubernetes API did not answer during the Helm action',
  signals: [
    'Released=False InstallFailed/UpgradeFailed (or Ready=False ReconcileError/StateError): … Kubernetes cluster unreachable: <err> (Helm v3) / kubernetes cluster unreachable: <err> (Helm v4, Flux 2.8+)',
    '… <Get|Post|Patch|Put|Delete> "https://<api>/…": context deadline exceeded, … the server was unable to return a response in the time allotted, … etcdserver: request timed out | leader changed | no leader | too many requests | mvcc: database space exceeded (the API server or etcd, not a readiness wait)',
    'spec.kubeConfig set: the remote cluster; otherwise the cluster helm-controller runs in',
  ],
  explanation: 'Helm could not talk to the Kubernetes API of the target cluster, or one of its requests timed out: the remote cluster of spec.kubeConfig is down or unreachable from helm-controller (network, firewall, wrong server address, expired credentials), or the API server (or etcd) is overloaded and answers too slowly. The chart and values are not the problem; the same action usually succeeds once the API answers again.',
  remediation: [
    { description: 'See the remote cluster this release targets ({kubeConfigRef}) and the server address in its kubeconfig', command: 'kubectl --context {context} -n {namespace} get helmrelease {name} -o jsonpath=\'{.spec.kubeConfig}\'' },
    { description: 'Check the API server answers and is healthy (from the target cluster)', command: 'kubectl --context {context} get --raw=\'/readyz?verbose\'' },
    { description: 'Read the helm-controller logs for this release (connection errors, throttling)', command: 'flux --context {context} logs --kind=HelmRelease --name={name} -n {namespace} --level=error' },
    { description: 'Once the API answers again, run the release again', command: 'flux --context {context} reconcile helmrelease {name} -n {namespace} {forceFlag}' },
  ],
  classes: ['unreachable', 'api-timeout'],
  enrich(obj, _ctx, failure): Partial<RuleHit> {
    const remote = obj.spec?.kubeConfig ? 'the remote cluster (spec.kubeConfig)' : 'the cluster';
    const server = failure.tail.match(/"(https?:\/\/[^/"]+)/)?.[1];
    const evidence = server ? [`API endpoint: ${server}${obj.spec?.kubeConfig ? ' (from spec.kubeConfig)' : ''}`] : [];
    const during = failure.source === 'StateError' ? 'reading the Helm release state' : failure.source === 'ReconcileError' ? 'a Helm action' : `the Helm ${failure.action}`;
    const title = failure.klass === 'unreachable'
      ? `${remote.replace(/^t/, 'T')} was unreachable during ${during}`
      : `A Kubernetes API request timed out during ${during}`;
    const kc = obj.spec?.kubeConfig;
    const kubeConfigRef = kc?.secretRef?.name ? `Secret ${kc.secretRef.name}` : kc?.configMapRef?.name ? `ConfigMap ${kc.configMapRef.name}` : null;
    return { evidence, title, vars: kubeConfigRef ? { kubeConfigRef } : {} };
  },
});
