import type { ObjRef } from '../../flux/refs';
import { chartContext, hostOf, portOf, sourceRule } from './rule';
import { tlsReading } from './tls-readings';
import { LIBSSH2_SOCKET } from './vocabulary';

const TITLES: Record<string, string> = {
  dns: 'Cannot resolve the source host (DNS)',
  tls: 'TLS error talking to the source (certificate not trusted or invalid)',
  proxy: 'Proxy error while fetching the source',
  timeout: 'Timed out fetching the source',
  refused: 'Connection to the source refused or reset',
  stream: 'Download from the source cut off (HTTP/2 stream reset)',
  server: 'Source server error or rate limit',
  'bad-request': 'Git server rejected the request (HTTP 400)',
};

/** Azure DevOps Services and Server: they answer 400 to Git clients that do not advertise multi_ack (go-git before its fix). */
const AZURE_DEVOPS = /(?:^|[@/.])(?:dev\.azure\.com|[\w-]+\.visualstudio\.com)\b|\/_git\//i;

/** Go's x509.HostnameError (`x509: certificate is valid for <names>, not <name>`) and the URL of the request that met it. */
function nameMismatch(message: string): { names: string; expected: string; urlHost: string | null } | null {
  const m = message.match(/certificate is valid for (.+?), not (\S+?)["']?(?:$|\s)/);
  if (!m) return null;
  const url = message.match(/(?:Get|Head|Post|GET|HEAD|POST) "https?:\/\/([^/"]+)/);
  return { names: m[1]!, expected: m[2]!, urlHost: url?.[1] ?? null };
}

const MISMATCH_STEPS = [
  { description: 'A certificate valid for {certNames} was presented where {expectedName} was expected: a TLS-intercepting (corporate) proxy, or a redirect to another host. Trusting a CA does not fix a name mismatch: exempt these hosts from TLS interception, or route source-controller around the proxy (HTTPS_PROXY / NO_PROXY in its environment)', command: 'kubectl --context {context} -n {fluxNamespace} get deploy source-controller -o jsonpath=\'{.spec.template.spec.containers[0].env}\'' },
];

/** The first http(s) URL in a message (`failed to fetch https://…`, `Get "https://…"`): the request that failed. */
function failedUrl(message: string): { host: string; port: string } | null {
  const m = message.match(/\b(https?):\/\/(?:[^@/\s"']*@)?([A-Za-z0-9.-]+)(?::(\d+))?/);
  if (!m) return null;
  return { host: m[2]!, port: m[3] ?? (m[1] === 'http' ? '80' : '443') };
}

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
    'HTTP/2: stream error: stream ID <n>; INTERNAL_ERROR / http2: server sent GOAWAY (a server, CDN or proxy cutting the transfer), e.g. v1beta1 IndexationFailed: failed to download repository index: stream error: … (fluxcd/flux2#746)',
    'TLS: x509: certificate signed by unknown authority / certificate has expired / tls: …; proxy: proxyconnect …; server: 5xx, 429 TOOMANYREQUESTS',
    'TLS alert from the server, `remote error: tls: <alert>` (crypto/tls): unrecognized name (SNI: DNS or a proxy sends the handshake to a server without that name), handshake failure / protocol version not supported (no common version or cipher), bad certificate / certificate required (mutual TLS); no CA to trust',
    'x509: certificate has expired or is not yet valid[: current time <t> is after|before <t>] (crypto/x509): the server\'s certificate is outside its validity, or the node clock is wrong; both times are compared; no CA to trust',
    'TLS name mismatch: x509: certificate is valid for <names>, not <name> (the host taken from the URL in the message, Get "https://<host>/…"): a TLS-intercepting proxy or content on another host (redirect, chart URLs in the index); no CA to trust',
    'GitRepository: unable to clone \'<url>\': unexpected client error: unexpected requesting "<url>/git-upload-pack" status code: 400 (Azure DevOps refusing go-git without multi_ack) / 5xx; the same form with 401/403 is FD201, with 404 FD204',
    'GitRepository with gitImplementation: libgit2 (Flux ≤ 0.37): libssh2\'s socket timeout after libgit2\'s SSH step, unable to clone \'<url>\', error: SSH could not read data: Error waiting on socket / Timed out waiting on socket (also after Failed to open SSH channel / Failed to retrieve list of SSH authentication methods) → read timeout, raise spec.timeout or use go-git',
    'ArtifactGenerator SourceFetchFailed: fetch sources failed: … (downloading from source-controller) → blocked by source-controller',
    'a HelmChart whose repository fails too → blocked by it; always an error: the age of the condition is no measure of a network outage (its message, and so its lastTransitionTime, changes with every source port or address)',
  ],
  explanation: 'source-controller could not talk to the server behind spec.url: the host name does not resolve, the connection times out or is refused, a proxy fails, the server\'s TLS certificate is not trusted (private CA, expired or wrong host name), or the server answers with errors or rate limits (or, for Azure DevOps, 400 to a Git client without multi_ack support). Egress NetworkPolicies, a firewall, a missing proxy (spec.proxySecretRef) or a spec.timeout shorter than the fetch (default 60s) are the usual causes inside the cluster. The source keeps its last artifact, so everything built from it keeps applying an old revision until the fetch works again.',
  remediation: [
    { description: 'Resolve {dnsHost} from inside the cluster (DNS)', command: 'kubectl --context {context} -n {fluxNamespace} run fluxdiag-net-test --rm -i --restart=Never --image=busybox:1.36 -- nslookup {dnsHost}' },
    { description: 'Check the cluster DNS ({dnsHost} does not resolve): CoreDNS pods and their upstream resolvers', command: 'kubectl --context {context} -n kube-system get pods -l k8s-app=kube-dns' },
    { description: 'Open a TCP connection to {connectHost}:{port} from inside the cluster', command: 'kubectl --context {context} -n {fluxNamespace} run fluxdiag-net-test --rm -i --restart=Never --image=busybox:1.36 -- nc -zv -w 5 {connectHost} {port}' },
    { description: 'Look for NetworkPolicies that restrict egress from the Flux namespace ({egressHost})', command: 'kubectl --context {context} -n {fluxNamespace} get networkpolicy' },
    { description: 'Check the proxy settings in Secret {proxySecretName} (address, username, password keys) and that the proxy allows {proxyHost}', command: 'kubectl --context {context} -n {namespace} get secret {proxySecretName} -o jsonpath=\'{.data}\' | jq \'keys\'' },
    { description: 'Check the proxy source-controller gets from its environment (HTTPS_PROXY, NO_PROXY) allows {proxyHost}', command: 'kubectl --context {context} -n {fluxNamespace} get deploy source-controller -o jsonpath=\'{.spec.template.spec.containers[0].env}\'' },
    { description: 'Read source-controller\'s recent errors for this object', command: 'flux --context {context} logs --kind={kind} --name={name} -n {namespace} --level=error' },
    { description: 'See which certificate {tlsHost} presents (issuer, validity, names)', command: 'openssl s_client -connect {tlsHost}:{port} -servername {tlsHost} </dev/null 2>/dev/null | openssl x509 -noout -issuer -subject -dates' },
    { description: 'Trust the CA of {caHost}: spec.certSecretRef (a Secret with ca.crt) for Helm/OCI/Bucket sources, the ca.crt key of spec.secretRef for Git' },
    { description: 'If the network is slow rather than blocked, raise spec.timeout (now {slowTimeout}) or route through a proxy (spec.proxySecretRef)' },
    { description: '{rateLimitedHost} rate-limits pulls: authenticate them (spec.secretRef; anonymous pulls have the lowest limit), use a mirror or pull-through cache, or lengthen spec.interval (now {interval})' },
    { description: '{streamHost} reset the HTTP/2 stream mid-transfer (INTERNAL_ERROR, GOAWAY): usually transient at the server or its CDN, and source-controller retries with backoff; if it persists, look for a proxy or middlebox between the cluster and {streamHost} that mishandles HTTP/2' },
    { description: '{serverHost} answered with a server error: check its status page; source-controller retries with backoff, nothing to change in the cluster if it recovers' },
    { description: '{azureDevOpsHost} (Azure DevOps) answers 400 to Git clients that do not advertise multi_ack, which go-git (source-controller\'s Git client) lacked before its fix: upgrade Flux to a current release (flux check shows the running versions)', command: 'flux --context {context} check' },
    { description: 'Check the Git client works outside the cluster with the same credentials (a 400 can also mean a malformed URL)', command: 'git ls-remote {badRequestUrl}' },
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
    // The object whose URL was fetched: a HelmChart's repository.
    let fetched = obj;
    if (obj.kind === 'HelmChart') {
      const chart = chartContext(obj, index);
      Object.assign(vars, chart.vars);
      evidence.push(...chart.evidence);
      blockedBy.push(...chart.blockedBy);
      if (chart.repoObj) fetched = chart.repoObj;
      const repoHost = chart.repoObj ? hostOf(chart.repoObj) : null;
      if (repoHost) vars.host = repoHost;
    }
    if (obj.kind === 'ArtifactGenerator') blockedBy.push({ kind: 'Deployment', namespace: index.cluster.fluxNamespace, name: 'source-controller' });
    const port = portOf(fetched);
    if (port) vars.port = port;
    // Each reading of the failure gets its own checks (no nslookup for a certificate or a rate limit).
    const message = found.condition.message ?? '';
    // The request that failed may be on another host than spec.url (chart tarballs an index links to, redirects): the
    // URL in the message names it.
    const failed = failedUrl(message);
    if (failed && failed.host.toLowerCase() !== (vars.host ?? '').toLowerCase()) {
      evidence.push(`the failing request went to ${failed.host}${vars.host ? `, not to ${vars.host} of the ${fetched === obj ? 'source' : `${fetched.kind}`} URL` : ''}`);
      vars.host = failed.host;
      vars.port = failed.port;
    }
    const where = vars.host;
    const rateLimited = /TOOMANYREQUESTS|\b429\b|Too Many Requests|rate limit/i.test(message);
    let title = `${TITLES[found.detail ?? ''] ?? 'Source unreachable'}${where ? `: ${where}` : ''}`;
    if (where) {
      switch (found.detail) {
        case 'dns': vars.dnsHost = where; vars.egressHost = `UDP/TCP 53 to the cluster DNS`; break;
        case 'tls': vars.tlsHost = where; vars.caHost = where; break;
        case 'proxy': vars.proxyHost = where; break;
        case 'timeout':
        case 'refused':
          vars.connectHost = where;
          vars.egressHost = `${where}:${port ?? '443'}`;
          break;
        case 'stream': vars.streamHost = where; break;
        case 'server':
          if (rateLimited) vars.rateLimitedHost = where;
          else vars.serverHost = where;
          break;
      }
    }
    if (found.detail === 'timeout' && base.vars.timeout) vars.slowTimeout = base.vars.timeout;
    // libgit2's SSH transport reports libssh2's socket timeout under the step it was in (`SSH could not read data: Error
    // waiting on socket`): a read timeout to the Git host, not the key or the SSH user.
    const libssh2 = found.detail === 'timeout' && LIBSSH2_SOCKET.test(message);
    if (libssh2) {
      const timeout = base.vars.timeout ?? '60s, the default';
      delete vars.slowTimeout;
      title = `Timed out reading from the Git server over SSH (libgit2/libssh2 socket timeout)${where ? `: ${where}` : ''}`;
      evidence.push(`libssh2's "${message.match(LIBSSH2_SOCKET)![0]}" is its timeout error (LIBSSH2_ERROR_TIMEOUT): the SSH connection did not deliver data in time; the key and the user were not refused${obj.spec?.gitImplementation === 'libgit2' ? ' (spec.gitImplementation: libgit2)' : ''}`);
      return {
        vars,
        evidence,
        title,
        remediation: [
          { description: `libgit2 gave up waiting for ${where ?? 'the Git server'} over SSH: raise spec.timeout (now ${timeout}) to 60s–5m, since libgit2 always clones the full history and large repositories take longer; if it fails only now and then, it is transient and the next fetch retries` },
          { description: 'Or leave libgit2: remove spec.gitImplementation to use go-git (from source-controller v0.32, Flux 0.37, go-git also serves Azure DevOps), or upgrade Flux (libgit2 was removed in source-controller v0.33)', command: 'flux --context {context} check' },
        ],
        ...(blockedBy.length > 0 ? { blockedBy } : {}),
      };
    }
    const mismatch = found.detail === 'tls' ? nameMismatch(message) : null;
    if (mismatch) {
      // The certificate is fine but names another host: trusting a CA would not help, so that step is left out.
      delete vars.caHost;
      const host = mismatch.urlHost ?? where;
      if (host) {
        vars.tlsHost = host.replace(/:\d+$/, '');
        const port = host.match(/:(\d+)$/)?.[1];
        if (port) vars.port = port;
      }
      vars.certNames = mismatch.names;
      vars.expectedName = mismatch.expected;
      title = `TLS certificate name mismatch: the certificate is valid for ${mismatch.names}, not ${mismatch.expected}`;
      const redirected = mismatch.urlHost && mismatch.urlHost.replace(/:\d+$/, '') !== mismatch.expected;
      evidence.push(redirected
        ? `the request went to ${mismatch.urlHost}, but its certificate was checked against ${mismatch.expected}: the content is served from another host than ${mismatch.expected} (a redirect, or package URLs in the index)`
        : `${mismatch.expected} presented a certificate for ${mismatch.names}: a TLS-intercepting proxy, or a wrong certificate on the server`);
      return { vars, evidence, title, remediation: MISMATCH_STEPS, ...(blockedBy.length > 0 ? { blockedBy } : {}) };
    }
    const reading = found.detail === 'tls' ? tlsReading(message, where ?? 'the server') : null;
    if (reading) {
      delete vars.caHost;
      return { vars, evidence: [...evidence, ...reading.evidence], title: reading.title, remediation: reading.remediation, ...(blockedBy.length > 0 ? { blockedBy } : {}) };
    }
    if (found.detail === 'bad-request') {
      const url = typeof obj.spec?.url === 'string' ? obj.spec.url : '';
      if (url) vars.badRequestUrl = url;
      if (AZURE_DEVOPS.test(url)) {
        vars.azureDevOpsHost = where ?? url;
        title = `Azure DevOps rejected the clone with HTTP 400 (Git client without multi_ack): ${where ?? url}`;
        evidence.push('Azure DevOps answers 400 to go-git versions that do not advertise multi_ack (go-git/go-git#64, fluxcd/flux2#3936): the source-controller version, not the network, is the usual cause');
      }
    }
    return {
      vars,
      evidence,
      title,
      ...(blockedBy.length > 0 ? { blockedBy } : {}),
    };
  },
});
