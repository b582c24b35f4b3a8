import { sourceRule } from './rule';

export default sourceRule({
  code: 'FD210',
  specFix: true,
  slug: 'source-url-invalid',
  category: 'source-ref-not-found',
  severity: 'error',
  kinds: ['GitRepository', 'OCIRepository', 'HelmRepository', 'HelmChart', 'Bucket'],
  title: 'Source URL invalid',
  signals: [
    'Ready=False + Stalled=True URLInvalid (FetchFailed=True), terminal:',
    'GitRepository: failed to parse url \'<url>\': …',
    'HelmRepository / HelmChart: invalid Helm repository URL: \'oci\' URL scheme cannot be used with \'default\' HelmRepository type / invalid Helm repository URL: <parse error> / invalid OCI registry URL: <url>',
    'HelmRepository Ready=False: failed to fetch Helm repository index: failed to cache index to temporary file: object required (an https:// URL of an OCI registry: no index there); HelmChart: … unsupported protocol scheme "oci" (the index lists oci:// chart URLs)',
    'OCIRepository: URL validation failed for \'<url>\': … (e.g. a tag or digest in the URL); Bucket: failed to parse STS endpoint \'<url>\'',
    'Bucket Ready=False AuthenticationFailed (client creation, minio-go): Endpoint url cannot have fully qualified paths. / Endpoint: <endpoint> does not follow ip address or domain name standards. / Amazon S3 endpoint should be \'s3.amazonaws.com\'.',
  ],
  explanation: 'spec.url (spec.endpoint for a Bucket, which takes a bare host[:port]) cannot be used as written, so source-controller never contacts a server: it does not parse, uses a scheme this source type does not support, or puts the tag in the URL of an OCIRepository (the tag belongs in spec.ref). The common case for Helm is an oci:// registry in a HelmRepository without spec.type: oci. URLInvalid is stalled: Flux will not retry until the spec changes (a Bucket endpoint error is retried, and fails the same way every time).',
  remediation: [
    { description: 'See the URL', command: 'kubectl --context {context} -n {namespace} get {resource} {name} -o jsonpath=\'{.spec.url}{.spec.endpoint}{"\\n"}\'' },
    { description: 'For an OCI registry, set spec.type: oci on the HelmRepository (OCI HelmRepositories have no status; the HelmCharts pull from the registry directly)', kinds: ['HelmRepository', 'HelmChart'] },
    { description: 'Use oci://<host>/<repository> as spec.url and put the tag, semver or digest in spec.ref', kinds: ['OCIRepository'] },
    { description: 'spec.endpoint is a host[:port] without scheme or path: set it to {endpointHost} (spec.insecure: true for plain HTTP instead of an http:// prefix)', kinds: ['Bucket'] },
    { description: 'Fix spec.url (spec.endpoint for a Bucket) in Git; the new generation is fetched on its own', command: 'flux --context {context} events --for {kind}/{name} -n {namespace}' },
  ],
  classes: ['url-invalid'],
  refine(obj, _ctx, found) {
    const message = found.condition.message ?? '';
    if (found.detail === 'endpoint') {
      // minio-go takes host[:port]; a scheme or path in spec.endpoint fails before any request is sent.
      const endpoint = typeof obj.spec?.endpoint === 'string' ? obj.spec.endpoint : '';
      const host = endpoint.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/.*$/, '');
      const vars: Record<string, string> = host && host !== endpoint ? { endpointHost: host } : {};
      return { vars, title: `Bucket endpoint invalid${endpoint ? `: ${endpoint}` : ''} (host[:port] expected, without scheme or path)` };
    }
    const url = typeof obj.spec?.url === 'string' ? obj.spec.url : null;
    if (found.detail === 'oci-registry') return { title: `HelmRepository ${url ?? ''} serves no Helm index: it looks like an OCI registry (set spec.type: oci with an oci:// URL)`.replace(/\s+/g, ' ') };
    if (found.detail === 'oci-chart-urls') return { title: 'The repository index points this chart at oci:// URLs, which an HTTP HelmRepository cannot download: use its OCI registry' };
    if (/'oci' URL scheme cannot be used with 'default' HelmRepository type/.test(message)) return { title: `oci:// URL on a HelmRepository without spec.type: oci${url ? ` (${url})` : ''}` };
    if (obj.kind === 'HelmChart') return { title: 'The HelmRepository URL of this chart is invalid' };
    return url ? { title: `Source URL invalid: ${url}` } : {};
  },
});
