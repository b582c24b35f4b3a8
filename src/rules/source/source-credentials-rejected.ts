import type { ObjRef } from '../../flux/refs';
import type { KubeObject } from '../../snapshot/schema';
import type { RemediationTemplate, RuleHit } from '../types';
import { chartNameTwice, ecrRepository, packageOnOtherHost, passCredentialsHit } from './chart-package-access';
import { addChartContext, hostOf, sourceRule } from './rule';

/**
 * Object stores whose refusal depends on how the credentials were obtained: Azure (a SAS token scoped to one container
 * cannot pass source-controller's container-existence check) and AWS with spec.provider but no identity for the pod.
 */
function bucketDenied(bucket: KubeObject, message: string): Partial<RuleHit> | null {
  const name = bucket.spec?.bucketName ?? '';
  const provider = bucket.spec?.provider;
  if (provider === 'azure' && /AuthorizationFailure|AuthorizationPermissionMismatch|AuthenticationFailed/.test(message)) {
    return {
      title: `Access to bucket ${name} denied by Azure: the SAS token or identity may not read the container`,
      explanation: 'Azure Blob refused source-controller\'s request. It first checks that the container exists, which needs more than reading blobs: a SAS token must be account-level (allowed services Blob; resource types service, container and object; permissions read and list), not generated for the one container, and it must not have expired; with workload identity the identity needs Storage Blob Data Reader on the account or container. The Secret keeps a SAS token under `sasKey` (an account key under `accountKey`).',
      remediation: [
        { description: 'See which keys the Secret has (names only): sasKey, accountKey, or a service principal', command: 'kubectl --context {context} -n {namespace} get secret {secretName} -o jsonpath=\'{.data}\' | jq \'keys\'' },
        { description: 'Generate an account-level SAS (services b, resource types sco, permissions rl) with a later expiry and put it in the Secret\'s sasKey, then fetch again', command: 'flux --context {context} reconcile source bucket {name} -n {namespace}' },
      ],
      replaceRemediation: true,
    };
  }
  if (provider === 'aws' && !bucket.spec?.secretRef && /\b40[13]\b|Unauthorized|Access Denied|AccessDenied|InvalidAccessKeyId|NoCredentialProviders|failed to refresh cached credentials/i.test(message)) {
    return {
      title: `Access to bucket ${name} denied: source-controller's AWS identity (spec.provider aws) is missing or may not read it`,
      explanation: 'With spec.provider: aws and no spec.secretRef, source-controller uses the credentials of its pod: an IAM role through IRSA or EKS Pod Identity, else the node\'s instance profile through the instance metadata service. A bare 401 usually means it got none: the ServiceAccount has no role annotation (and no Pod Identity association), and the node allows only IMDSv2 with a hop limit of 1, which pods cannot reach. A 403 means the role exists but its policy lacks s3:ListBucket / s3:GetObject on the bucket.',
      remediation: [
        { description: 'See the role source-controller\'s ServiceAccount is annotated with (eks.amazonaws.com/role-arn)', command: 'kubectl --context {context} -n {fluxNamespace} get serviceaccount source-controller -o jsonpath=\'{.metadata.annotations}\'' },
        { description: 'Give it a role (IRSA annotation or an EKS Pod Identity association) with s3:ListBucket and s3:GetObject on the bucket, or raise the nodes\' IMDS hop limit to 2; then fetch again', command: 'flux --context {context} reconcile source bucket {name} -n {namespace}' },
      ],
      replaceRemediation: true,
    };
  }
  return null;
}

/** Cloud registries whose credentials are short-lived tokens that source-controller gets itself with spec.provider. */
const CLOUD_REGISTRIES: { test: RegExp; provider: string; cloud: string; lifetime: string }[] = [
  { test: /^\d+\.dkr\.ecr(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?$/, provider: 'aws', cloud: 'Amazon ECR', lifetime: 'an ECR token lasts 12 hours' },
  { test: /\.azurecr\.(?:io|cn|us)$/, provider: 'azure', cloud: 'Azure Container Registry', lifetime: 'an ACR token lasts 3 hours' },
  { test: /(?:^|\.)gcr\.io$|-docker\.pkg\.dev$/, provider: 'gcp', cloud: 'Google Artifact Registry', lifetime: 'a Google access token lasts 1 hour' },
];

/** No credentials for a cloud registry: spec.provider (workload identity) is the fix, not a static token that expires. */
function cloudProviderHit(host: string, obj: KubeObject, repoName: string | undefined): Partial<RuleHit> | null {
  const cloud = CLOUD_REGISTRIES.find((c) => c.test.test(host));
  if (!cloud) return null;
  const target = obj.kind === 'HelmChart' ? `HelmRepository ${repoName ?? ''}`.trimEnd() : `${obj.kind} {name}`;
  return {
    title: `${cloud.cloud} ${host} refused an anonymous pull: set spec.provider: ${cloud.provider} on ${target.replace('{name}', obj.metadata.name)}`,
    remediation: [
      { description: `${host} is ${cloud.cloud}, whose pull credentials are short-lived tokens (${cloud.lifetime}): set spec.provider: ${cloud.provider} on ${target} in Git, so that source-controller gets them from its workload identity, and give that identity pull access (IRSA/EKS Pod Identity, Azure workload identity, GKE workload identity); a static token in a Secret stops working when it expires`, command: 'kubectl --context {context} -n {fluxNamespace} get serviceaccount source-controller -o jsonpath=\'{.metadata.annotations}\'' },
      { description: 'Fetch again once spec.provider is set', command: 'flux --context {context} reconcile {noun} {name} -n {namespace}' },
    ],
    replaceRemediation: true,
  };
}

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
    'HelmChart Ready=False AuthenticationFailed (source-controller ≤ v1.7, OCI): failed to login to OCI registry: login attempt to https://<registry>/v2/ failed with status: 401 Unauthorized (v1.0: failed to login to OCI chart repository for HelmRepository \'<name>\': …)',
    'without credentials (no spec.secretRef, no spec.provider) a 401/403/DENIED is ambiguous: registries such as GHCR answer alike for a private artifact and for one that does not exist (failed to fetch anonymous token: … 403 Forbidden); the finding names both causes',
    'OCIRepository Ready=False ReadOperationFailed / OCIArtifactPullFailed: … GET <registry>/token…: UNAUTHORIZED: authentication required / DENIED: denied / unexpected status code 401 Unauthorized (go-containerregistry)',
    'HelmChart ChartPullError / ChartPullFailed: … failed to fetch https://<host>/….tgz : 401|403 while its HelmRepository is Ready with spec.secretRef and the package\'s scheme/host/port differs from spec.url\'s: Helm (3.6.1+) sends no credentials to another host without spec.passCredentials: true (own title and steps)',
    'HelmChart from an OCI HelmRepository with spec.provider aws answered 403: the identity may not pull, or the ECR repository does not exist (ECR answers 403 for it; spec.url ending in the chart name is named)',
    'no credentials for a cloud registry (<account>.dkr.ecr.<region>.amazonaws.com, *.azurecr.io, *-docker.pkg.dev, gcr.io): spec.provider aws|azure|gcp with workload identity, not a static token (ECR tokens expire after 12 hours)',
    'Bucket Ready=False BucketOperationFailed: failed to confirm existence of \'<bucket>\' bucket: Access Denied / InvalidAccessKeyId / SignatureDoesNotMatch / 403',
  ],
  explanation: 'The server behind spec.url (Helm repository, OCI registry or object store) answered, but refused the request as unauthenticated or unauthorised: the credentials in spec.secretRef are wrong, expired (registry tokens, cloud access keys) or lack read access to this repository or bucket, or no credentials are configured for a private repository. Without credentials the answer is ambiguous: many registries (GHCR among them) deny an anonymous pull of an artifact that does not exist exactly as they deny one of a private artifact, so a typo in the name or path looks like a missing Secret. For spec.provider aws/azure/gcp, the workload identity of source-controller lacks pull or read permission. The source keeps its last artifact; nothing new arrives.',
  remediation: [
    { description: 'List the keys of the credentials Secret {secretName} (never its values)', command: 'kubectl --context {context} -n {namespace} get secret {secretName} -o jsonpath=\'{.data}\' | jq \'keys\'' },
    { description: 'Check the credentials work outside the cluster', command: 'helm repo add fluxdiag-check {url} --username <user> --password <token>', kinds: ['HelmRepository'] },
    { description: 'Check the credentials of {secretName} work outside the cluster', command: 'flux --context {context} list artifacts {url} --creds <user>:<token>', kinds: ['OCIRepository'] },
    { description: 'See which credentials HelmRepository {repoName} gives the chart (spec.secretRef, spec.provider)', command: 'kubectl --context {context} -n {repoNamespace} get helmrepository {repoName} -o jsonpath=\'{.spec.secretRef.name}{" "}{.spec.provider}{"\\n"}\'', kinds: ['HelmChart'] },
    { description: 'Check the credentials work against {registryHost} outside the cluster', command: 'helm registry login {registryHost} --username <user> --password-stdin', kinds: ['HelmChart'] },
    { description: 'Renew the Helm repository credentials', command: 'flux --context {context} create secret helm {secretName} -n {namespace} --username=<user> --password=<token>', kinds: ['HelmRepository'] },
    { description: 'Renew the credentials of HelmRepository {repoName} (the chart uses them)', command: 'flux --context {context} create secret helm {repoSecretName} -n {repoNamespace} --username=<user> --password=<token>', kinds: ['HelmChart'] },
    { description: 'Renew the registry pull secret', command: 'flux --context {context} create secret oci {secretName} -n {namespace} --url={host} --username=<user> --password=<token>', kinds: ['OCIRepository'] },
    { description: 'With spec.provider {provider}, check the workload identity of source-controller (IAM role / federated identity annotations)', command: 'kubectl --context {context} -n {fluxNamespace} get serviceaccount source-controller -o jsonpath=\'{.metadata.annotations}\'' },
    { description: 'Renew the access key and secret key', command: 'kubectl --context {context} -n {namespace} create secret generic {secretName} --from-literal=accesskey=<key> --from-literal=secretkey=<secret> --dry-run=client -o yaml | kubectl --context {context} apply -f -', kinds: ['Bucket'] },
    { description: 'No credentials are configured, and registries answer 401/403/DENIED both for a private artifact and for one that does not exist: check the name first, listing what the registry serves anonymously at {anonUrl}', command: 'flux --context {context} list artifacts {anonUrl}', kinds: ['OCIRepository'] },
    { description: 'No credentials are configured, and registries answer 401/403/DENIED both for a private chart and for one that does not exist: check the chart name and version anonymously', command: 'helm show chart {anonChart}', kinds: ['HelmChart'] },
    { description: 'No credentials are configured: a wrong bucket name or endpoint can also be refused; check bucket {bucketName} exists at {endpoint} and whether it allows anonymous reads ({anonBucket})', kinds: ['Bucket'] },
    { description: 'If the artifact is private, create a registry pull Secret and set spec.secretRef.name: {newSecretName} in Git', command: 'flux --context {context} create secret oci {newSecretName} -n {namespace} --url={host} --username=<user> --password=<token>', kinds: ['OCIRepository'] },
    { description: 'If the chart is private, create a Secret and set spec.secretRef.name: {newSecretName} on HelmRepository {repoName} in Git (the chart is pulled with its credentials)', command: 'flux --context {context} create secret oci {newSecretName} -n {repoNamespace} --url={anonHost} --username=<user> --password=<token>', kinds: ['HelmChart'] },
    { description: 'If the chart is private, create a Secret and set spec.secretRef.name: {newSecretName} on HelmRepository {repoName} ({anonHttpRepo}) in Git', command: 'flux --context {context} create secret helm {newSecretName} -n {repoNamespace} --username=<user> --password=<token>', kinds: ['HelmChart'] },
    { description: 'If the repository is private, create a Secret and set spec.secretRef.name: {newSecretName} in Git', command: 'flux --context {context} create secret helm {newSecretName} -n {namespace} --username=<user> --password=<token>', kinds: ['HelmRepository'] },
    { description: 'If the bucket is private, create a Secret with accesskey/secretkey (or set spec.provider for workload identity) and set spec.secretRef.name: {newSecretName} in Git', command: 'kubectl --context {context} -n {namespace} create secret generic {newSecretName} --from-literal=accesskey=<key> --from-literal=secretkey=<secret>', kinds: ['Bucket'] },
    { description: 'Fetch again once the credentials are fixed', command: 'flux --context {context} reconcile {noun} {name} -n {namespace}' },
  ],
  classes: ['credentials-rejected'],
  refine(obj, { index }, found, base) {
    const vars: Record<string, string> = {};
    const host = hostOf(obj);
    if (host) vars.host = host;
    const evidence = [...base.evidence];
    const blockedBy: ObjRef[] = [];
    // A HelmChart is pulled with the credentials of its HelmRepository.
    addChartContext(obj, index, { vars, evidence, blockedBy }, { credentials: true });
    const oci = obj.kind === 'OCIRepository' || Boolean(vars.ociChart);
    const registry = vars.repoUrl?.match(/^oci:\/\/([^/]+)/)?.[1];
    const where = obj.kind === 'Bucket' ? `bucket ${obj.spec?.bucketName ?? ''}`.trim() : oci ? 'the OCI registry' : 'the Helm repository';
    const repo = obj.kind === 'HelmChart' ? index.get({ kind: vars.repoKind ?? '', namespace: vars.repoNamespace, name: vars.repoName ?? '' }) : undefined;
    const provider = obj.spec?.provider ?? repo?.spec?.provider;
    const message = found.condition.message ?? '';
    // The index loads with the credentials, the package on another host does not get them: not a rejection.
    const other = obj.kind === 'HelmChart' ? packageOnOtherHost(message, repo) : null;
    if (other) {
      evidence.push(`${vars.repoKind} ${vars.repoName} is Ready with spec.secretRef ${vars.repoSecretName}: its index loads with these credentials, the package at ${other.packageHost} is fetched without them`);
      return { ...passCredentialsHit(vars.repoName ?? '', other), vars: { ...vars, ...other }, evidence };
    }
    const steps: RemediationTemplate[] = [];
    if (obj.kind === 'HelmChart' && chartNameTwice(vars.repoUrl, obj.spec?.chart)) {
      vars.suggestedRepoUrl = vars.repoUrl!.replace(/\/+$/, '').replace(/\/[^/]+$/, '');
      evidence.push(`spec.url of ${vars.repoKind} ${vars.repoName} already ends in the chart name: the chart is pulled from ${vars.ociChart}`);
      steps.push({ description: 'spec.url of an OCI HelmRepository is the path above the chart (the chart name is appended to it): set it to {suggestedRepoUrl} in Git, unless {ociChart} really exists' });
    }
    const extra = steps.length > 0 ? { remediation: steps } : {};
    // A registry login (≤ v1.7) only happens with credentials, whatever the snapshot shows.
    const noCreds = found.detail !== 'login' && !obj.spec?.secretRef && !(provider && provider !== 'generic') && !(obj.kind === 'HelmChart' && vars.repoSecretName);
    if (!noCreds) {
      if (obj.kind === 'HelmChart' && registry) vars.registryHost = registry;
      // ECR answers 403 (not 404) for a repository that does not exist, whatever the identity may pull.
      const ecr = provider === 'aws' && /\b403\b|DENIED|Forbidden/i.test(message) ? ecrRepository(vars.ociChart) : null;
      if (ecr) {
        Object.assign(vars, { ecrRegion: ecr.region, ecrRepository: ecr.repository });
        steps.push({ description: 'ECR answers 403, not 404, for a repository that does not exist: check that repository {ecrRepository} exists', command: 'aws ecr describe-repositories --region {ecrRegion} --repository-names {ecrRepository}' });
        const title = `Access to the OCI registry denied: the aws identity may not pull, or ECR repository ${ecr.repository} does not exist`;
        return { vars, evidence, title, remediation: steps, ...(blockedBy.length > 0 ? { blockedBy } : {}) };
      }
      const bucket = obj.kind === 'Bucket' ? bucketDenied(obj, message) : null;
      if (bucket) return { vars, evidence, ...bucket };
      return { vars, evidence, title: `Access to ${where} denied: credentials rejected`, ...extra, ...(blockedBy.length > 0 ? { blockedBy } : {}) };
    }
    // Anonymous: a 401/403/DENIED does not tell a private artifact from a missing one (GHCR answers both alike).
    const what = obj.kind === 'Bucket' ? 'the bucket' : obj.kind === 'HelmChart' ? `chart ${obj.spec?.chart ?? ''}`.replace(/ $/, '') : obj.kind === 'OCIRepository' ? 'the artifact' : 'the repository';
    vars.newSecretName = `${obj.kind === 'HelmChart' ? vars.repoName ?? obj.metadata.name : obj.metadata.name}-auth`;
    if (obj.kind === 'OCIRepository' && typeof obj.spec?.url === 'string') vars.anonUrl = obj.spec.url;
    if (obj.kind === 'HelmChart') {
      if (vars.ociChart) {
        vars.anonChart = vars.ociChart;
        if (registry) vars.anonHost = registry;
      } else if (vars.httpRepoUrl) {
        vars.anonHttpRepo = vars.httpRepoUrl;
        if (typeof obj.spec?.chart === 'string') vars.anonChart = `${obj.spec.chart} --repo ${vars.httpRepoUrl}`;
      }
      // An exact version is the one that was refused; a range would need quoting and is resolved by helm anyway.
      const version = typeof obj.spec?.version === 'string' ? obj.spec.version : '';
      if (vars.anonChart && /^v?\d+\.\d+\.\d+[\w.+-]*$/.test(version)) vars.anonChart += ` --version ${version}`;
    }
    if (obj.kind === 'Bucket') vars.anonBucket = 'no spec.secretRef or spec.provider is set';
    const unconfigured = `no credentials configured (no spec.secretRef${obj.kind === 'HelmChart' ? ` on ${vars.repoKind ?? 'HelmRepository'} ${vars.repoName ?? ''}`.trimEnd() : ''}, no spec.provider`;
    const registryHost = obj.kind === 'HelmChart' ? registry : obj.kind === 'OCIRepository' ? host : undefined;
    const cloud = registryHost ? cloudProviderHit(registryHost, obj, vars.repoName) : null;
    if (cloud) {
      vars.fluxNamespace = index.cluster.fluxNamespace;
      evidence.push(`${unconfigured})`);
      return { vars, evidence, ...cloud, remediation: [...steps, ...(cloud.remediation ?? [])], ...(blockedBy.length > 0 ? { blockedBy } : {}) };
    }
    evidence.push(`${unconfigured}): either ${what} does not exist at that name or path, or it is private`);
    return { vars, evidence, title: `Access to ${where} denied without credentials: ${what} does not exist there, or it is private`, ...extra, ...(blockedBy.length > 0 ? { blockedBy } : {}) };
  },
});
