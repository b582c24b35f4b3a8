import { sourceRule } from './rule';
import { BUCKET_REDIRECT, BUCKET_REGIONS } from './vocabulary';

export default sourceRule({
  code: 'FD226',
  slug: 'bucket-region-mismatch',
  category: 'source-auth',
  severity: 'error',
  kinds: ['Bucket'],
  title: 'Bucket region mismatch: spec.region is not the bucket\'s region',
  signals: [
    'Bucket (provider generic or aws, minio-go) Ready=False BucketOperationFailed: failed to confirm existence of \'<bucket>\' bucket: The authorization header is malformed; the region \'<spec.region>\' is wrong; expecting \'<region>\' (S3 AuthorizationHeaderMalformed; minio-go\'s default text has no regions)',
    '… failed to confirm existence of \'<bucket>\' bucket: Region does not match, expecting region ‘<region>’. (minio-go, InvalidRegion)',
    '… failed to confirm existence of \'<bucket>\' bucket: Head "https://<bucket>.s3.<region>.amazonaws.com/": 301 response missing Location header, or S3 PermanentRedirect `… must be addressed using the specified endpoint`: spec.endpoint is the regional endpoint of another region than the bucket\'s',
    'all Bucket API versions (v1beta1 Flux 0.x to v1); the expected region is named when the server gave it',
  ],
  explanation: 'S3 requests are signed for a region. source-controller signs them for spec.region, and the bucket lives in another one, so the server refuses the request before checking the credentials. minio-go finds the bucket\'s region by itself only when spec.region is empty. The credentials are not the problem; nothing is fetched until the region matches.',
  remediation: [
    { description: 'See the region and endpoint of the Bucket', command: 'kubectl --context {context} -n {namespace} get bucket {name} -o jsonpath=\'{.spec.region}{" "}{.spec.endpoint}{"\\n"}\'' },
    { description: 'Set spec.region: {expectedRegion} in Git (the region the server named), or remove spec.region so that minio-go looks the region up' },
    { description: 'Look up the region of bucket {bucketName} with the same credentials, then set spec.region to it (or remove spec.region)', command: 'aws s3api get-bucket-location --bucket {regionUnknownBucket}' },
    { description: 'Fetch again', command: 'flux --context {context} reconcile source bucket {name} -n {namespace}' },
  ],
  classes: ['bucket-region'],
  refine(obj, _ctx, found) {
    if (BUCKET_REDIRECT.test(found.condition.message ?? '')) {
      const endpoint = typeof obj.spec?.endpoint === 'string' ? obj.spec.endpoint : '';
      const endpointRegion = endpoint.match(/s3[.-](?:dualstack\.)?([a-z]{2}(?:-gov)?-[a-z]+-\d)\.amazonaws\.com/)?.[1];
      const bucket = typeof obj.spec?.bucketName === 'string' ? obj.spec.bucketName : obj.metadata.name;
      return {
        vars: { regionUnknownBucket: bucket },
        title: `S3 redirects requests for bucket ${bucket}: it is not in the region of spec.endpoint${endpointRegion ? ` (${endpoint}, ${endpointRegion})` : ''}`,
        explanation: 'A regional S3 endpoint only serves buckets of its own region: for a bucket elsewhere it answers 301 (PermanentRedirect), which minio-go does not follow, so source-controller cannot even confirm the bucket exists. The credentials are not the problem. Point spec.endpoint at the bucket\'s region (s3.<region>.amazonaws.com) and set spec.region to that region, or use s3.amazonaws.com.',
        remediation: [
          { description: 'See the region and endpoint of the Bucket', command: 'kubectl --context {context} -n {namespace} get bucket {name} -o jsonpath=\'{.spec.region}{" "}{.spec.endpoint}{"\\n"}\'' },
          { description: `Look up the region of bucket ${bucket}, then set spec.endpoint: s3.<that region>.amazonaws.com and spec.region to it in Git`, command: `aws s3api get-bucket-location --bucket ${bucket}` },
          { description: 'Fetch again', command: 'flux --context {context} reconcile source bucket {name} -n {namespace}' },
        ],
        replaceRemediation: true,
      };
    }
    const m = (found.condition.message ?? '').match(BUCKET_REGIONS);
    const expected = m?.[2] ?? m?.[3];
    const current = m?.[1] ?? (typeof obj.spec?.region === 'string' ? obj.spec.region : undefined);
    const vars: Record<string, string> = {};
    if (expected) vars.expectedRegion = expected;
    else if (typeof obj.spec?.bucketName === 'string') vars.regionUnknownBucket = obj.spec.bucketName;
    const title = expected
      ? `Bucket ${obj.spec?.bucketName ?? obj.metadata.name} is in region ${expected}, but requests are signed for ${current ?? 'another region'} (spec.region)`
      : undefined;
    return { vars, ...(title ? { title } : {}) };
  },
});
