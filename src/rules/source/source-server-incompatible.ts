import type { RuleHit } from '../types';
import { sourceRule } from './rule';

/** Google Cloud Storage, reached through its S3-compatible XML API. */
const GCS_ENDPOINT = /(?:^|\/\/|\.)storage\.googleapis\.com\b/i;

function bucketHit(obj: { spec?: Record<string, any> }): Partial<RuleHit> {
  const endpoint = typeof obj.spec?.endpoint === 'string' ? obj.spec.endpoint : '';
  if (GCS_ENDPOINT.test(endpoint)) {
    return {
      title: 'Google Cloud Storage\'s S3 interoperability API does not implement the listing the generic (minio) client uses: set spec.provider: gcp',
      evidence: [`spec.endpoint is ${endpoint} with spec.provider ${obj.spec?.provider ?? 'generic (default)'}: the S3 client's object listing (ListObjectsV2) is not implemented by GCS's XML API`],
      remediation: [
        { description: 'Use the native GCS client: set spec.provider: gcp on the Bucket (source-controller v0.16.1 and later), keeping spec.endpoint storage.googleapis.com; authenticate with workload identity for source-controller, or a Secret of spec.secretRef holding a service account key under serviceaccount (the HMAC accesskey/secretkey of the generic provider are not used by gcp)', command: 'kubectl --context {context} -n {namespace} get bucket {name} -o jsonpath=\'{.spec.provider}{" "}{.spec.endpoint}{" "}{.spec.secretRef.name}{"\\n"}\'' },
        { description: 'Fetch again once the Bucket uses provider gcp', command: 'flux --context {context} reconcile source bucket {name} -n {namespace}' },
      ],
      replaceRemediation: true,
    };
  }
  return {
    title: `The S3-compatible server ${endpoint || 'of spec.endpoint'} does not implement a call of source-controller's S3 (minio) client`,
    remediation: [
      { description: 'The server answered NotImplemented: it is S3-compatible only in part. Use the Bucket provider native to that storage if there is one (aws, gcp, azure), or a server that implements ListObjectsV2 and GetObject; credentials and bucket name are not the problem' },
      { description: 'Fetch again', command: 'flux --context {context} reconcile source bucket {name} -n {namespace}' },
    ],
    replaceRemediation: true,
  };
}

export default sourceRule({
  code: 'FD227',
  slug: 'source-server-incompatible',
  category: 'source-unreachable',
  severity: 'error',
  kinds: ['GitRepository', 'Bucket'],
  title: 'Source server and source-controller\'s client do not work together',
  signals: [
    'GitRepository Ready=False GitOperationFailed: unable to clone \'<url>\', error: reference delta not found (v1beta1) / unable to clone \'<url>\': reference delta not found (go-git packfile ErrReferenceDeltaNotFound: go-git could not read the pack the server sent, e.g. AWS CodeCommit, fluxcd/flux#3431) → gitImplementation: libgit2 (Flux < 2.0) or upgrade Flux',
    'Bucket Ready=False BucketOperationFailed: listing objects from bucket \'<bucket>\' failed: A header or query you provided requested a function that is not implemented. (S3 NotImplemented from GCS\'s XML API; AWS wording: … implies functionality that is not implemented) → with endpoint storage.googleapis.com: spec.provider: gcp (source-controller#206)',
    'not: credentials (FD201, FD208), a missing ref or bucket (FD203, FD211), the network (FD206)',
  ],
  explanation: 'source-controller reached the server and was let in, but its client and that server do not speak the same dialect: go-git could not resolve a delta object of the packfile the Git server sent (servers such as AWS CodeCommit), or an S3-compatible storage answered NotImplemented to a call of the generic (minio) client (Google Cloud Storage\'s interoperability API). Neither the credentials nor the URL are wrong: the client has to change (another gitImplementation or Flux version, the storage\'s own Bucket provider). Nothing new is fetched until then.',
  remediation: [
    { description: 'go-git could not read the packfile {gitHost} sends. On Flux before 2.0, set spec.gitImplementation: libgit2 on the GitRepository (the AWS CodeCommit guidance of that time); otherwise upgrade Flux, whose go-git resolves these deltas. Credentials and URL are fine', command: 'flux --context {context} check', kinds: ['GitRepository'] },
    { description: 'Fetch again', command: 'flux --context {context} reconcile {noun} {name} -n {namespace}' },
  ],
  classes: ['server-incompatible'],
  refine(obj, _ctx, found, base): Partial<RuleHit> {
    if (found.detail === 'bucket-not-implemented') {
      const hit = bucketHit(obj);
      return { ...hit, evidence: [...base.evidence, ...(hit.evidence ?? [])] };
    }
    const url = typeof obj.spec?.url === 'string' ? obj.spec.url : '';
    const host = url.match(/^(?:[a-z][a-z0-9+.-]*:\/\/)?(?:[^@/]*@)?([^/:?#]+)/i)?.[1] ?? 'the Git server';
    const codeCommit = /git-codecommit\.[\w-]+\.amazonaws\.com/i.test(host);
    return {
      title: `go-git cannot read the packfile ${codeCommit ? 'AWS CodeCommit' : host} sends (reference delta not found): a Git client limitation, not credentials or URL`,
      vars: { gitHost: host },
      evidence: [...base.evidence, `go-git's packfile parser could not find the base object of a reference delta (ErrReferenceDeltaNotFound)${obj.spec?.gitImplementation ? `; spec.gitImplementation: ${obj.spec.gitImplementation}` : '; spec.gitImplementation unset (go-git, the default)'}`],
    };
  },
});
