import { sourceRule } from './rule';

export default sourceRule({
  code: 'FD211',
  slug: 'source-url-not-found',
  category: 'source-ref-not-found',
  severity: 'error',
  kinds: ['HelmRepository', 'OCIRepository', 'Bucket'],
  title: 'Repository or bucket not found at spec.url',
  signals: [
    'HelmRepository Ready=False Failed: failed to fetch Helm repository index: failed to cache index to temporary file: failed to fetch <url>/index.yaml : 404 Not Found',
    'OCIRepository Ready=False ReadOperationFailed / OCIArtifactPullFailed: … NAME_UNKNOWN: repository name not known to registry',
    'Bucket Ready=False BucketOperationFailed: bucket \'<name>\' not found / failed to confirm existence of \'<name>\' bucket: NoSuchBucket / ContainerNotFound',
  ],
  explanation: 'The server was reached and answered, but there is no Helm repository index, OCI repository or bucket at the configured location: a typo in spec.url or spec.bucketName, a repository that moved, a chart repository served under a sub-path (…/charts), or a bucket in another region or account. A wrong reference rather than a network problem; nothing is fetched until the location is fixed.',
  remediation: [
    { description: 'See the configured location', command: 'kubectl --context {context} -n {namespace} get {resource} {name} -o jsonpath=\'{.spec.url}{.spec.endpoint}{" "}{.spec.bucketName}{"\\n"}\'' },
    { description: 'Check the index exists at that URL', command: 'curl -sSI {url}/index.yaml', kinds: ['HelmRepository'] },
    { description: 'List what the registry has at that URL', command: 'flux --context {context} list artifacts {url}', kinds: ['OCIRepository'] },
    { description: 'Check bucket {bucketName} exists at {endpoint} (region, account, name)', kinds: ['Bucket'] },
    { description: 'Fix the location in Git, then fetch again', command: 'flux --context {context} reconcile {noun} {name} -n {namespace}' },
  ],
  classes: ['url-not-found'],
  refine(obj) {
    if (obj.kind === 'Bucket' && typeof obj.spec?.bucketName === 'string') return { title: `Bucket ${obj.spec.bucketName} not found${typeof obj.spec.endpoint === 'string' ? ` at ${obj.spec.endpoint}` : ''}` };
    const url = typeof obj.spec?.url === 'string' ? obj.spec.url : null;
    if (!url) return {};
    return { title: obj.kind === 'HelmRepository' ? `No Helm repository index at ${url}` : `OCI repository ${url} not found in the registry` };
  },
});
