import { sourceRule } from './rule';

export default sourceRule({
  code: 'FD210',
  slug: 'source-url-invalid',
  category: 'source-ref-not-found',
  severity: 'error',
  kinds: ['GitRepository', 'OCIRepository', 'HelmRepository', 'HelmChart', 'Bucket'],
  title: 'Source URL invalid',
  signals: [
    'Ready=False + Stalled=True URLInvalid (FetchFailed=True), terminal:',
    'GitRepository: failed to parse url \'<url>\': …',
    'HelmRepository / HelmChart: invalid Helm repository URL: \'oci\' URL scheme cannot be used with \'default\' HelmRepository type / invalid Helm repository URL: <parse error> / invalid OCI registry URL: <url>',
    'OCIRepository: URL validation failed for \'<url>\': … (e.g. a tag or digest in the URL); Bucket: failed to parse STS endpoint \'<url>\'',
  ],
  explanation: 'spec.url cannot be used as written, so source-controller never contacts a server: it does not parse, uses a scheme this source type does not support, or puts the tag in the URL of an OCIRepository (the tag belongs in spec.ref). The common case for Helm is an oci:// registry in a HelmRepository without spec.type: oci. The object is stalled: Flux will not retry until the spec changes.',
  remediation: [
    { description: 'See the URL', command: 'kubectl --context {context} -n {namespace} get {resource} {name} -o jsonpath=\'{.spec.url}{"\\n"}\'' },
    { description: 'For an OCI registry, set spec.type: oci on the HelmRepository (OCI HelmRepositories have no status; the HelmCharts pull from the registry directly)', kinds: ['HelmRepository', 'HelmChart'] },
    { description: 'Use oci://<host>/<repository> as spec.url and put the tag, semver or digest in spec.ref', kinds: ['OCIRepository'] },
    { description: 'Fix spec.url in Git; the new generation is fetched on its own (the object is stalled until then)', command: 'flux --context {context} events --for {kind}/{name} -n {namespace}' },
  ],
  classes: ['url-invalid'],
  refine(obj, _ctx, found) {
    const message = found.condition.message ?? '';
    const url = typeof obj.spec?.url === 'string' ? obj.spec.url : null;
    if (/'oci' URL scheme cannot be used with 'default' HelmRepository type/.test(message)) return { title: `oci:// URL on a HelmRepository without spec.type: oci${url ? ` (${url})` : ''}` };
    if (obj.kind === 'HelmChart') return { title: 'The HelmRepository URL of this chart is invalid' };
    return url ? { title: `Source URL invalid: ${url}` } : {};
  },
});
