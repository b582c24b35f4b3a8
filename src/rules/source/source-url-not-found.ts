import type { RuleHit } from '../types';
import { sourceRule } from './rule';

// Registries that serve charts only as OCI artifacts: an https:// URL of theirs has no index.yaml.
const OCI_ONLY = /^(?:ghcr\.io|gcr\.io|[a-z0-9-]+\.gcr\.io|[a-z0-9-]+-docker\.pkg\.dev|[a-z0-9-]+\.azurecr\.io|\d+\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?|public\.ecr\.aws|registry-1\.docker\.io|docker\.io|registry\.hub\.docker\.com|quay\.io|registry\.gitlab\.com)$/i;
// Git hosting: `https://github.com/<org>/<repo>` is a code repository (its charts are files in Git), not a chart index.
const GIT_HOSTS = /^(?:github\.com|gitlab\.com|bitbucket\.org)$/i;

/** A 404 for index.yaml at a URL that cannot be a Helm repository: an OCI registry, or a Git repository's page. */
function notAHelmRepository(url: string): Partial<RuleHit> | null {
  const m = url.match(/^https?:\/\/([^/:]+)(?::\d+)?(\/[^?#]*)?/i);
  if (!m) return null;
  const [, host, path = ''] = m;
  const trimmed = path.replace(/\/+$/, '');
  if (OCI_ONLY.test(host!)) {
    const oci = `oci://${host}${trimmed}`;
    return {
      title: `${host} is an OCI registry: it serves no Helm repository index at ${url}`,
      explanation: `${host} stores Helm charts as OCI artifacts and has no index.yaml, so a HelmRepository of the default type (an HTTP chart repository) cannot read it. Set spec.type: oci and an oci:// URL (the path that holds the chart, without the chart name, e.g. ${oci.replace(/\/[^/]+$/, '')} when the chart is ${trimmed.split('/').pop() || '<chart>'}), or use an OCIRepository with spec.chartRef in the HelmRelease.`,
      remediation: [{ description: `In Git, set spec.type: oci and spec.url: oci://${host}/<path without the chart name> on HelmRepository {name} (the HelmReleases' chart.spec.chart stays the chart's name)` }],
    };
  }
  if (GIT_HOSTS.test(host!) && /^\/[^/]+\/[^/]+(?:\.git)?(?:\/tree\/.*)?$/.test(trimmed) && !/\/api\//.test(trimmed)) {
    const [, org, repo] = trimmed.split('/');
    return {
      title: `${url} is a Git repository, not a Helm repository`,
      explanation: `spec.url points at the page of a Git repository on ${host}: Git hosts serve no index.yaml there, so the 404 says nothing about the chart. Either use the chart repository the project publishes (often GitHub Pages, https://${org}.github.io/${repo?.replace(/\.git$/, '')}, as its README says), or read the chart from Git: a GitRepository for ${url} and, in the HelmRelease, chart.spec.sourceRef of kind GitRepository with chart: the chart's path in the repository (./charts/<name>).`,
      remediation: [{ description: 'In Git, set the HelmRepository\'s spec.url to the project\'s published chart repository, or switch the HelmRelease\'s chart source to a GitRepository with chart: ./<path to the chart>' }],
    };
  }
  return null;
}

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
    'a 404 from a registry that serves charts only as OCI (ghcr.io, *.pkg.dev, *.azurecr.io, ECR, Docker Hub, quay.io, registry.gitlab.com): set spec.type: oci; from a Git repository\'s page (github.com/<org>/<repo>, gitlab.com, bitbucket.org): a published chart repository or a GitRepository chart source',
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
    const misplaced = obj.kind === 'HelmRepository' && obj.spec?.type !== 'oci' ? notAHelmRepository(url) : null;
    if (misplaced) return misplaced;
    return { title: obj.kind === 'HelmRepository' ? `No Helm repository index at ${url}` : `OCI repository ${url} not found in the registry` };
  },
});
