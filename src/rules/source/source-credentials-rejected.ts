import type { ObjRef } from '../../flux/refs';
import { addChartContext, hostOf, sourceRule } from './rule';

export default sourceRule({
  code: 'FD208',
  slug: 'source-credentials-rejected',
  category: 'source-auth',
  severity: 'error',
  kinds: ['HelmRepository', 'HelmChart', 'OCIRepository', 'Bucket'],
  title: 'Registry or repository rejected the credentials',
  signals: [
    'HelmRepository Ready=False Failed: failed to fetch Helm repository index: failed to cache index to temporary file: failed to fetch <url>/index.yaml : 401 Unauthorized | 403 Forbidden (Helm getter)',
    'HelmChart Ready=False AuthenticationFailed: failed to authenticate with the Helm repository: … 401 … / unauthorized; ChartPullError with UNAUTHORIZED / DENIED (OCI registries)',
    'OCIRepository Ready=False ReadOperationFailed / OCIArtifactPullFailed: … GET <registry>/token…: UNAUTHORIZED: authentication required / DENIED: denied / unexpected status code 401 Unauthorized (go-containerregistry)',
    'Bucket Ready=False BucketOperationFailed: failed to confirm existence of \'<bucket>\' bucket: Access Denied / InvalidAccessKeyId / SignatureDoesNotMatch / 403',
  ],
  explanation: 'The server behind spec.url (Helm repository, OCI registry or object store) answered, but refused the request as unauthenticated or unauthorised: the credentials in spec.secretRef are wrong, expired (registry tokens, cloud access keys) or lack read access to this repository or bucket, or no credentials are configured for a private repository. For spec.provider aws/azure/gcp, the workload identity of source-controller lacks pull or read permission. The source keeps its last artifact; nothing new arrives.',
  remediation: [
    { description: 'List the keys of the credentials Secret {secretName} (never its values)', command: 'kubectl --context {context} -n {namespace} get secret {secretName} -o jsonpath=\'{.data}\' | jq \'keys\'' },
    { description: 'Check the credentials work outside the cluster', command: 'helm repo add fluxdiag-check {url} --username <user> --password <token>', kinds: ['HelmRepository'] },
    { description: 'Check the credentials work outside the cluster', command: 'flux --context {context} list artifacts {url} --creds <user>:<token>', kinds: ['OCIRepository'] },
    { description: 'Renew the Helm repository credentials', command: 'flux --context {context} create secret helm {secretName} -n {namespace} --username=<user> --password=<token>', kinds: ['HelmRepository'] },
    { description: 'Renew the credentials of HelmRepository {repoName} (the chart uses them)', command: 'flux --context {context} create secret helm {repoSecretName} -n {repoNamespace} --username=<user> --password=<token>', kinds: ['HelmChart'] },
    { description: 'Renew the registry pull secret', command: 'flux --context {context} create secret oci {secretName} -n {namespace} --url={host} --username=<user> --password=<token>', kinds: ['OCIRepository'] },
    { description: 'With spec.provider {provider}, check the workload identity of source-controller (IAM role / federated identity annotations)', command: 'kubectl --context {context} -n {fluxNamespace} get serviceaccount source-controller -o jsonpath=\'{.metadata.annotations}\'' },
    { description: 'Renew the access key and secret key', command: 'kubectl --context {context} -n {namespace} create secret generic {secretName} --from-literal=accesskey=<key> --from-literal=secretkey=<secret> --dry-run=client -o yaml | kubectl --context {context} apply -f -', kinds: ['Bucket'] },
    { description: 'Fetch again once the credentials are fixed', command: 'flux --context {context} reconcile {noun} {name} -n {namespace}' },
  ],
  classes: ['credentials-rejected'],
  refine(obj, { index }, _found, base) {
    const vars: Record<string, string> = {};
    const host = hostOf(obj);
    if (host) vars.host = host;
    const evidence = [...base.evidence];
    const blockedBy: ObjRef[] = [];
    // A HelmChart is pulled with the credentials of its HelmRepository.
    addChartContext(obj, index, { vars, evidence, blockedBy }, { credentials: true });
    const where = obj.kind === 'Bucket' ? `bucket ${obj.spec?.bucketName ?? ''}`.trim() : obj.kind === 'OCIRepository' ? 'the OCI registry' : 'the Helm repository';
    const noCreds = !obj.spec?.secretRef && !obj.spec?.provider && !(obj.kind === 'HelmChart' && vars.repoSecretName);
    const title = noCreds ? `Access to ${where} denied: no credentials configured (spec.secretRef)` : `Access to ${where} denied: credentials rejected`;
    return { vars, evidence, title, ...(blockedBy.length > 0 ? { blockedBy } : {}) };
  },
});
