import { sourceRule } from './rule';

export default sourceRule({
  code: 'FD211',
  specFix: true,
  slug: 'source-url-not-found',
  category: 'source-ref-not-found',
  severity: 'error',
  kinds: ['HelmRepository', 'OCIRepository', 'Bucket'],
  title: 'Repository or bucket not found at spec.url',
  signals: [
    'HelmRepository Ready=False Failed: failed to fetch Helm repository index: failed to cache index to temporary file: failed to fetch <url>/index.yaml : 404 Not Found',
    'OCIRepository Ready=False ReadOperationFailed / OCIArtifactPullFailed: … NAME_UNKNOWN: repository name not known to registry',
    'Bucket Ready=False BucketOperationFailed: bucket \'<name>\' not found / failed to confirm existence of \'<name>\' bucket: NoSuchBucket / ContainerNotFound',
    'Bucket (azure): failed to confirm existence of \'<name>\' bucket: the specified bucket name may be incorrect, nonexistent, or the caller might lack sufficient permissions to access it: … (ambiguous: the finding names both causes and checks both)',
  ],
  explanation: 'The server was reached and answered, but there is no Helm repository index, OCI repository or bucket at the configured location: a typo in spec.url or spec.bucketName, a repository that moved, a chart repository served under a sub-path (…/charts), or a bucket in another region or account. A wrong reference rather than a network problem; nothing is fetched until the location is fixed.',
  remediation: [
    { description: 'See the configured location', command: 'kubectl --context {context} -n {namespace} get {resource} {name} -o jsonpath=\'{.spec.url}{.spec.endpoint}{" "}{.spec.bucketName}{"\\n"}\'' },
    { description: 'Check the index exists at that URL', command: 'curl -sSI {url}/index.yaml', kinds: ['HelmRepository'] },
    { description: 'List what the registry has at that URL', command: 'flux --context {context} list artifacts {url}', kinds: ['OCIRepository'] },
    { description: 'Check bucket {bucketName} exists at {endpoint} (region, account, name)', kinds: ['Bucket'] },
    { description: 'Azure answers alike for a missing container and for credentials without access to it: check container {bucketName} exists in storage account {azureAccount}', command: 'az storage container exists --account-name {azureAccount} --name {bucketName} --auth-mode login', kinds: ['Bucket'] },
    { description: 'If it exists, check the credentials in Secret {ambiguousSecret} (list keys only) are valid and grant read access (e.g. Storage Blob Data Reader, or a SAS token with read and list)', command: 'kubectl --context {context} -n {namespace} get secret {ambiguousSecret} -o jsonpath=\'{.data}\' | jq \'keys\'', kinds: ['Bucket'] },
    { description: 'Fix the location in Git, then fetch again', command: 'flux --context {context} reconcile {noun} {name} -n {namespace}' },
  ],
  classes: ['url-not-found'],
  refine(obj, _ctx, found) {
    if (obj.kind === 'Bucket' && typeof obj.spec?.bucketName === 'string') {
      const at = typeof obj.spec.endpoint === 'string' ? ` at ${obj.spec.endpoint}` : '';
      // Azure Blob cannot tell a missing container from one the caller may not read: say both, check both.
      if (/may be incorrect, nonexistent, or the caller might lack sufficient permissions/.test(found.condition.message ?? '')) {
        const vars: Record<string, string> = {};
        const account = typeof obj.spec.endpoint === 'string' ? obj.spec.endpoint.match(/^(?:https?:\/\/)?([^./:]+)\.blob\./i)?.[1] : undefined;
        if (account) vars.azureAccount = account;
        // The controller says this only for AuthenticationFailed, which a container-level SAS token gets for a missing container.
        if (obj.spec.secretRef?.name) vars.ambiguousSecret = obj.spec.secretRef.name;
        return { vars, title: `Bucket ${obj.spec.bucketName}${at} not found, or the credentials (a container-level SAS token?) may not read it` };
      }
      return { title: `Bucket ${obj.spec.bucketName} not found${at}` };
    }
    const url = typeof obj.spec?.url === 'string' ? obj.spec.url : null;
    if (!url) return {};
    return { title: obj.kind === 'HelmRepository' ? `No Helm repository index at ${url}` : `OCI repository ${url} not found in the registry` };
  },
});
