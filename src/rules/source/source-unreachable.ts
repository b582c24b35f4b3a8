import type { ObjRef } from '../../flux/refs';
import { chartContext, hostOf, sourceRule } from './rule';

const TITLES: Record<string, string> = {
  dns: 'Cannot resolve the source host (DNS)',
  tls: 'TLS error talking to the source (certificate not trusted or invalid)',
  proxy: 'Proxy error while fetching the source',
  timeout: 'Timed out fetching the source',
  refused: 'Connection to the source refused or reset',
  server: 'Source server error or rate limit',
};

export default sourceRule({
  code: 'FD206',
  slug: 'source-unreachable',
  category: 'source-unreachable',
  severity: 'error',
  kinds: ['GitRepository', 'OCIRepository', 'HelmRepository', 'HelmChart', 'Bucket', 'ArtifactGenerator'],
  title: 'Source unreachable',
  signals: [
    'any source Ready=False (GitOperationFailed, Failed `failed to fetch Helm repository index: …`, ChartPullError, DependencyBuildError, ReadOperationFailed, OCIArtifactPullFailed, BucketOperationFailed, AuthenticationFailed `failed to authenticate with the Helm repository: … tls …`) whose upstream tail is a network error:',
    'DNS: no such host / server misbehaving; timeout: context deadline exceeded / i/o timeout / Client.Timeout exceeded / TLS handshake timeout; connection refused / reset / no route to host / EOF',
    'TLS: x509: certificate signed by unknown authority / certificate has expired / tls: …; proxy: proxyconnect …; server: 5xx, 429 TOOMANYREQUESTS',
    'ArtifactGenerator SourceFetchFailed: fetch sources failed: … (downloading from source-controller) → blocked by source-controller',
    'a HelmChart whose repository fails too → blocked by it; always an error: the age of the condition is no measure of a network outage (its message, and so its lastTransitionTime, changes with every source port or address)',
  ],
  explanation: 'source-controller could not talk to the server behind spec.url: the host name does not resolve, the connection times out or is refused, a proxy fails, the server\'s TLS certificate is not trusted (private CA, expired or wrong host name), or the server answers with errors or rate limits. Egress NetworkPolicies, a firewall, a missing proxy (spec.proxySecretRef) or a spec.timeout shorter than the fetch (default 60s) are the usual causes inside the cluster. The source keeps its last artifact, so everything built from it keeps applying an old revision until the fetch works again.',
  remediation: [
    { description: 'Resolve {host} from inside the cluster (DNS)', command: 'kubectl --context {context} -n {fluxNamespace} run fluxdiag-net-test --rm -i --restart=Never --image=busybox:1.36 -- nslookup {host}' },
    { description: 'Check the cluster DNS ({dnsHost} does not resolve): CoreDNS pods and their upstream resolvers', command: 'kubectl --context {context} -n kube-system get pods -l k8s-app=kube-dns' },
    { description: 'Look for NetworkPolicies that restrict egress from the Flux namespace', command: 'kubectl --context {context} -n {fluxNamespace} get networkpolicy' },
    { description: 'Read source-controller\'s recent errors for this object', command: 'flux --context {context} logs --kind={kind} --name={name} -n {namespace} --level=error' },
    { description: 'See which certificate {tlsHost} presents (issuer, validity, names)', command: 'openssl s_client -connect {tlsHost}:443 -servername {tlsHost} </dev/null 2>/dev/null | openssl x509 -noout -issuer -subject -dates' },
    { description: 'Trust the CA of {tlsHost}: spec.certSecretRef (a Secret with ca.crt) for Helm/OCI/Bucket sources, the ca.crt key of spec.secretRef for Git' },
    { description: 'If the network is slow rather than blocked, raise spec.timeout (now {slowTimeout}) or route through a proxy (spec.proxySecretRef)' },
    { description: 'See the repository the chart comes from', command: 'flux --context {context} get {repoNoun} {repoName} -n {repoNamespace}', kinds: ['HelmChart'] },
    { description: 'Check source-controller serves artifacts (source-watcher downloads them from it)', command: 'kubectl --context {context} -n {fluxNamespace} get deploy,svc,endpoints source-controller', kinds: ['ArtifactGenerator'] },
    { description: 'Fetch again', command: 'flux --context {context} reconcile {noun} {name} -n {namespace}' },
  ],
  classes: ['unreachable'],
  refine(obj, { index }, found, base) {
    const vars: Record<string, string> = {};
    const host = hostOf(obj);
    if (host) vars.host = host;
    const evidence = [...base.evidence];
    const blockedBy: ObjRef[] = [];
    if (obj.kind === 'HelmChart') {
      const chart = chartContext(obj, index);
      Object.assign(vars, chart.vars);
      evidence.push(...chart.evidence);
      blockedBy.push(...chart.blockedBy);
      const repoHost = chart.repoObj ? hostOf(chart.repoObj) : null;
      if (repoHost) vars.host = repoHost;
    }
    if (obj.kind === 'ArtifactGenerator') blockedBy.push({ kind: 'Deployment', namespace: index.cluster.fluxNamespace, name: 'source-controller' });
    if (found.detail === 'tls' && vars.host) vars.tlsHost = vars.host;
    if (found.detail === 'dns' && vars.host) vars.dnsHost = vars.host;
    if (found.detail === 'timeout' && base.vars.timeout) vars.slowTimeout = base.vars.timeout;
    const title = `${TITLES[found.detail ?? ''] ?? 'Source unreachable'}${host || vars.host ? `: ${vars.host ?? host}` : ''}`;
    return {
      vars,
      evidence,
      title,
      ...(blockedBy.length > 0 ? { blockedBy } : {}),
    };
  },
});
