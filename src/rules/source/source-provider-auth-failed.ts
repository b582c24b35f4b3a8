import type { ClusterIndex } from '../../snapshot/indexes';
import type { KubeObject } from '../../snapshot/schema';
import type { RuleHit } from '../types';
import { chartContext, sourceRule } from './rule';

/** What GitHub's answer to the app's token request says (POST …/app/installations/<id>/access_tokens). */
function githubAppTitle(message: string): string {
  const installation = message.match(/app\/installations\/(\d+)\/access_tokens: 404\b/);
  if (installation) return `GitHub App installation ${installation[1]} not found: wrong githubAppInstallationID, or the app is not installed on the repository's owner`;
  if (/\b401\b|Bad credentials|could not be decoded|JWT/i.test(message)) return 'GitHub rejected the GitHub App credentials: check githubAppID and githubAppPrivateKey';
  if (/\b40[34]\b/.test(message)) return 'The GitHub App has no access to the repository (installation or permissions)';
  return 'GitHub App authentication failed (spec.provider github)';
}

/** githubAppPrivateKey does not load as an RSA key (golang-jwt ParseRSAPrivateKeyFromPEM through ghinstallation / fluxcd/pkg githubapp). */
function githubAppKeyHit(obj: KubeObject, message: string): Partial<RuleHit> {
  const secret = obj.spec?.secretRef?.name;
  const vars: Record<string, string> = secret ? { githubAppSecret: secret, githubSecret: secret } : { githubSecret: '<secret-name>' };
  const where = secret ? `Secret ${secret}` : 'the Secret';
  const what = /Key must be a PEM encoded/i.test(message)
    ? 'is not PEM-encoded (no PEM block: the value was base64-encoded twice, lost its line breaks, or is not the key file)'
    : /not a valid RSA private key/i.test(message)
      ? 'is not an RSA key (GitHub App keys are RSA)'
      : 'is not a PEM RSA key in PKCS#1 or PKCS#8 form (e.g. an OpenSSH-format key, or a mangled value)';
  return {
    vars,
    title: `The GitHub App private key (githubAppPrivateKey) in ${where} ${what}`,
    remediation: [
      { description: 'List the keys of Secret {githubAppSecret} (never the values); githubAppID and the installation ID are not the problem, the private key does not load', command: 'kubectl --context {context} -n {namespace} get secret {githubAppSecret} -o jsonpath=\'{.data}\' | jq \'keys\'' },
      { description: 'Check, without printing it, that githubAppPrivateKey is a PEM RSA key (1 means it is; 0 for an OpenSSH-format key, whose header says OPENSSH, or a value that is not PEM at all)', command: 'kubectl --context {context} -n {namespace} get secret {githubAppSecret} -o jsonpath=\'{.data.githubAppPrivateKey}\' | base64 -d | grep -c -E \'BEGIN (RSA )?PRIVATE KEY\'' },
      { description: 'Recreate the Secret from the .pem file downloaded from the GitHub App settings (Private keys → Generate a private key), unmodified; a key converted to OpenSSH format can be turned back with ssh-keygen -p -m pem -f <key-file>', command: 'flux --context {context} create secret githubapp {githubSecret} -n {namespace} --app-id=<id> --app-installation-id=<id> --app-private-key=<app>.private-key.pem' },
      { description: 'Fetch again once the Secret is fixed', command: 'flux --context {context} reconcile source git {name} -n {namespace}' },
    ],
    replaceRemediation: true,
  };
}

/**
 * The registry asked for basic auth although spec.provider is set: the provider login ran but yielded no credentials
 * (no cloud identity bound to source-controller, or a registry host the provider does not recognise).
 */
function noCredentialHit(obj: KubeObject, index: ClusterIndex, evidence: string[]): Partial<RuleHit> {
  const chart = obj.kind === 'HelmChart' ? chartContext(obj, index) : null;
  const owner = chart?.repoObj ?? obj;
  const provider = String(owner.spec?.provider ?? 'the cloud provider');
  const vars: Record<string, string> = { ...(chart?.vars ?? {}), cloudProvider: provider };
  const where = chart?.repo ? `${chart.repo.kind} ${chart.repo.name}` : `${obj.kind} ${obj.metadata.name}`;
  return {
    vars,
    evidence: [...evidence, ...(chart?.evidence ?? []), `${where} has spec.provider: ${provider}, yet the registry got no credentials ("credential required for basic auth")`],
    ...(chart && chart.blockedBy.length > 0 ? { blockedBy: chart.blockedBy } : {}),
    title: `spec.provider ${provider} produced no registry credentials: the registry asked for basic auth and nothing was sent`,
    remediation: [{ description: `The ${provider} login of source-controller returned no credentials for this registry: bind a cloud identity to source-controller (IRSA / EKS Pod Identity for aws, workload identity for azure/gcp) with pull rights, and check the registry host is one the provider recognises (e.g. <account>.dkr.ecr.<region>.amazonaws.com for aws; upgrade source-controller if it is old)` }],
  };
}

/** fluxcd/pkg auth (Flux 2.6+): the registry host is not one the provider's login serves (`invalid AWS registry: '<host>'. must match <regexp>`). */
const REGISTRY_MISMATCH = /invalid (AWS|Azure|GCP) registry: '([^']+)'\. must (?:match|end with) /;

/** spec.provider's login refuses a registry of another kind (public.ecr.aws with aws): the provider, not the identity, is wrong. */
function registryMismatchHit(obj: KubeObject, index: ClusterIndex, m: RegExpMatchArray): Partial<RuleHit> {
  const chart = obj.kind === 'HelmChart' ? chartContext(obj, index) : null;
  const owner = chart?.repoObj ?? obj;
  const provider = String(owner.spec?.provider ?? m[1]!.toLowerCase());
  const vars: Record<string, string> = { ...(chart?.vars ?? {}), ownerKind: owner.kind, ownerName: owner.metadata.name, ownerNamespace: owner.metadata.namespace ?? '', ownerResource: owner.kind.toLowerCase(), registryHost: m[2]!, cloudProvider: provider };
  return {
    vars,
    ...(chart && chart.blockedBy.length > 0 ? { blockedBy: chart.blockedBy } : {}),
    title: `spec.provider ${provider} cannot log in to ${m[2]}: the provider only serves its cloud's private registries`,
    remediation: [
      { description: 'See the provider and the URL of {ownerKind} {ownerName}', command: 'kubectl --context {context} -n {ownerNamespace} get {ownerResource} {ownerName} -o jsonpath=\'{.spec.provider}{" "}{.spec.url}{"\\n"}\'' },
      { description: 'spec.provider {cloudProvider} only logs in to that cloud\'s private registries (the pattern in the message). {registryHost} is not one: for a public registry (public.ecr.aws, ghcr.io, docker.io) remove spec.provider from {ownerKind} {ownerName} in Git (or set generic), no credentials are needed; for a private registry of another kind use spec.secretRef' },
      ...(m[2] === 'public.ecr.aws' ? [{ description: 'Or upgrade Flux: from Flux 2.6.2 (source-controller v1.6.1, fluxcd/pkg auth v0.17) provider aws logs in to public.ecr.aws too', command: 'flux --context {context} check' }] : []),
      { description: 'Fetch again once the spec is fixed', command: 'flux --context {context} reconcile {noun} {name} -n {namespace}' },
    ],
    replaceRemediation: true,
  };
}

/**
 * spec.provider: github is GitHub App authentication only, and the Secret has no app ID (Flux 2.6: `app ID must be
 * provided to use github app authentication` from fluxcd/pkg auth/githubapp; 2.7+: `secretRef with github app data
 * must be specified when provider is set to github`): usually a username/password Secret (fluxcd/flux2#5415).
 */
const GITHUB_APP_DATA_MISSING = /app ID must be provided to use github app authentication|secretRef with github app data must be specified when provider is set to github/;

function githubAppDataMissingHit(obj: KubeObject): Partial<RuleHit> {
  const secret = obj.spec?.secretRef?.name;
  const vars: Record<string, string> = secret ? { githubAppSecret: secret, githubSecret: secret } : { githubSecret: '<secret-name>' };
  return {
    vars,
    title: secret
      ? `spec.provider: github is GitHub App authentication, but Secret ${secret} has no GitHub App data (githubAppID): for a username/password or token Secret, remove spec.provider`
      : 'spec.provider: github is GitHub App authentication and needs spec.secretRef with the GitHub App data',
    remediation: [
      { description: 'List the keys of Secret {githubAppSecret} (username/password: a token; githubAppID, githubAppPrivateKey, githubAppInstallationID: a GitHub App)', command: 'kubectl --context {context} -n {namespace} get secret {githubAppSecret} -o jsonpath=\'{.data}\' | jq \'keys\'' },
      { description: 'With a personal access token (username/password keys), remove spec.provider from GitRepository {name} in Git (or set it to generic): spec.provider: github does GitHub App authentication only' },
      { description: 'With a GitHub App, create the Secret with the app data and keep spec.provider: github', command: 'flux --context {context} create secret githubapp {githubSecret} -n {namespace} --app-id=<id> --app-installation-id=<id> --app-private-key=<path>' },
      { description: 'Fetch again once fixed', command: 'flux --context {context} reconcile source git {name} -n {namespace}' },
    ],
    replaceRemediation: true,
  };
}

/**
 * The other way round (source-controller 1.7+, Flux 2.7+): the Secret holds GitHub App data (githubAppID…) while
 * spec.provider is not github, so the app data cannot be used: `secretRef '<ns>/<name>' has github app data but
 * provider is not set to github`. The Secret is fine; the spec lacks the provider. Retried with backoff, not stalled.
 */
const PROVIDER_NOT_GITHUB = /secretRef '([^']+)' has github app data but provider is not set to github/;

function providerNotGithubHit(secret: string): Partial<RuleHit> {
  return {
    title: `Secret ${secret} holds GitHub App data but spec.provider is not github: set spec.provider: github`,
    explanation: `source-controller authenticates with a GitHub App only when spec.provider is github. Secret ${secret} holds the app data (githubAppID, githubAppPrivateKey…), and the GitRepository does not set the provider, so the controller refuses to use it. The Secret is fine: add spec.provider: github to the GitRepository in Git (for the flux-system GitRepository, through the flux-system kustomization, or \`flux bootstrap\` with the GitHub App flags). The fetch is retried with backoff and works once the spec is fixed.`,
    remediation: [
      { description: 'Set spec.provider: github on the GitRepository, in Git', command: 'kubectl --context {context} -n {namespace} get gitrepository {name} -o jsonpath=\'{.spec.provider}{" "}{.spec.secretRef.name}{"\\n"}\'' },
      { description: 'Fetch again once the spec is applied', command: 'flux --context {context} reconcile source git {name} -n {namespace}' },
    ],
    replaceRemediation: true,
  };
}

export default sourceRule({
  code: 'FD209',
  slug: 'source-provider-auth-failed',
  category: 'source-auth',
  severity: 'error',
  kinds: ['GitRepository', 'OCIRepository', 'HelmRepository', 'HelmChart', 'Bucket'],
  title: 'Provider authentication misconfigured',
  signals: [
    'Ready=False + Stalled FeatureGateDisabled (2.6+): to use spec.serviceAccountName for provider authentication please enable the ObjectLevelWorkloadIdentity feature gate in the controller',
    'GitRepository Ready=False InvalidProviderConfiguration: secretRef with github app data must be specified when provider is set to github / secretRef \'<ns>/<name>\' has github app data but provider is not set to github',
    'Bucket Ready=False (+Stalled) InvalidSTSConfiguration: spec.sts invalid for the provider',
    'Ready=False AuthenticationFailed: failed to get credential from <provider>: … (OCI/Helm workload identity) / failed to configure authentication options: <provider error> with spec.provider set (github: POST https://api.github.com/app/installations/<id>/access_tokens: 404 Not Found)',
    'HelmChart / OCIRepository / HelmRepository with spec.provider (a HelmChart: on its HelmRepository), any reason (InvalidChartReference, ChartPullError, ReadOperationFailed …): … GET "https://<registry>/v2/<repo>/tags/list": credential required for basic auth (the cloud login produced no credentials, so none were sent; fluxcd/pkg#429)',
    'HelmChart Ready=False Unknown: unknown build error: failed to get credential from \'<provider>\': failed to parse artifact repository \'<repo>\': invalid AWS|Azure|GCP registry: \'<host>\'. must match <pattern> (Flux 2.6+, fluxcd/pkg auth) and OCIRepository failed to get credential from <provider>: … the same: the registry is not one the provider serves (public.ecr.aws with aws) → remove spec.provider',
    'GitRepository spec.provider github with a Secret without GitHub App data: AuthenticationFailed failed to configure authentication options: app ID must be provided to use github app authentication (2.6, fluxcd/flux2#5415) / InvalidProviderConfiguration secretRef with github app data must be specified when provider is set to github (2.7+) → for a token Secret remove spec.provider',
    'GitRepository spec.provider github, GitOperationFailed (Flux 2.5: failed to checkout and determine revision: …) or AuthenticationFailed (2.6+: failed to configure authentication options: …): could not parse private key: asn1: structure error: … / invalid key: Key must be a PEM encoded PKCS1 or PKCS8 key / key is not a valid RSA private key (githubAppPrivateKey is not the app\'s PEM RSA key, e.g. OpenSSH format)',
    'Bucket with spec.provider: AWS authentication failed: … (v1.7+) / failed to create environment credential chain / failed to create token credential from \'<secret>\' Secret (azure); aws ≤ v1.6: failed to confirm existence of \'<bucket>\' bucket: Request ARN is invalid / AssumeRoleWithWebIdentity / InvalidIdentityToken / WebIdentityErr / no EC2 IMDS role found',
  ],
  explanation: 'The source authenticates through a provider (spec.provider aws, azure, gcp or github, optionally with spec.serviceAccountName) rather than static credentials, and that configuration cannot work: object-level workload identity needs the ObjectLevelWorkloadIdentity feature gate on source-controller, a GitHub App needs spec.provider: github together with a Secret holding the app data, the STS settings do not fit the bucket provider, or the cloud rejected the token exchange (missing IAM role or federated identity binding on the service account; for a GitHub App, a wrong app ID, installation ID or private key, or an app not installed on the repository\'s owner). A Stalled configuration error is not retried until the spec or the controller flags change.',
  remediation: [
    { description: 'See the provider settings of the source', command: 'kubectl --context {context} -n {namespace} get {resource} {name} -o jsonpath=\'{.spec.provider}{" "}{.spec.serviceAccountName}{" "}{.spec.secretRef.name}{"\\n"}\'' },
    { description: 'See the feature gates source-controller runs with ({featureGate} must be enabled, e.g. through the FluxInstance or the flux-system kustomization patches)', command: 'kubectl --context {context} -n {fluxNamespace} get deploy source-controller -o jsonpath=\'{.spec.template.spec.containers[0].args}\'' },
    { description: 'Check the workload identity annotations of service account {serviceAccount}', command: 'kubectl --context {context} -n {namespace} get serviceaccount {serviceAccount} -o jsonpath=\'{.metadata.annotations}\'' },
    { description: 'Check the {cloudProvider} workload identity annotations of source-controller (controller-level identity: IAM role, client ID or service account binding)', command: 'kubectl --context {context} -n {fluxNamespace} get serviceaccount source-controller -o jsonpath=\'{.metadata.annotations}\'' },
    { description: 'List the keys of GitHub App Secret {githubAppSecret}: it needs githubAppID, githubAppPrivateKey and one of githubAppInstallationID / githubAppInstallationOwner (githubAppBaseURL for GitHub Enterprise Server)', command: 'kubectl --context {context} -n {namespace} get secret {githubAppSecret} -o jsonpath=\'{.data}\' | jq \'keys\'', kinds: ['GitRepository'] },
    { description: 'Check the GitHub App is installed on {githubOwner} with read access to the repository, and that githubAppInstallationID is the ID of that installation (the number in the URL of its settings page); or set githubAppInstallationOwner: {githubOwner} instead', kinds: ['GitRepository'] },
    { description: 'For a GitHub App, create the Secret with the app data and set spec.provider: github', command: 'flux --context {context} create secret githubapp {githubSecret} -n {namespace} --app-id=<id> --app-installation-id=<id> --app-private-key=<path>', kinds: ['GitRepository'] },
    { description: 'Fetch again after fixing the spec or the controller flags', command: 'flux --context {context} reconcile {noun} {name} -n {namespace}' },
  ],
  classes: ['provider'],
  refine(obj, { index }, found, base) {
    const message = found.condition.message ?? '';
    const vars: Record<string, string> = {};
    if (found.detail === 'no-credential') return noCredentialHit(obj, index, base.evidence);
    const mismatch = message.match(REGISTRY_MISMATCH);
    if (mismatch) return registryMismatchHit(obj, index, mismatch);
    if (obj.kind === 'GitRepository' && GITHUB_APP_DATA_MISSING.test(message)) return githubAppDataMissingHit(obj);
    const appData = obj.kind === 'GitRepository' ? message.match(PROVIDER_NOT_GITHUB) : null;
    if (appData) return providerNotGithubHit(appData[1]!);
    if (found.detail === 'github-app-key') return githubAppKeyHit(obj, message);
    const gate = message.match(/enable the (\w+) feature gate/);
    if (found.detail === 'FeatureGateDisabled' || gate) vars.featureGate = gate?.[1] ?? 'ObjectLevelWorkloadIdentity';
    const provider = typeof obj.spec?.provider === 'string' ? obj.spec.provider : message.match(/credential from '?(\w+)'?/)?.[1];
    if (/github/i.test(message)) vars.githubSecret = obj.spec?.secretRef?.name ?? '<secret-name>';
    // A GitHub App is not a cloud identity: its credentials are the Secret's app data, not service account annotations.
    const githubApp = found.detail === 'credential' && provider === 'github';
    if (found.detail === 'credential' && provider && !githubApp) vars.cloudProvider = provider;
    if (githubApp) {
      if (obj.spec?.secretRef?.name) vars.githubAppSecret = obj.spec.secretRef.name;
      const owner = typeof obj.spec?.url === 'string' ? obj.spec.url.match(/^(?:https?:\/\/|ssh:\/\/[^@/]*@|[\w.-]+@)[^/:]+[/:]([^/]+)\//)?.[1] : undefined;
      if (owner) vars.githubOwner = owner;
    }
    const azureSecret = message.match(/failed to create token credential from '([^']+)' Secret/);
    let title: string;
    switch (found.detail) {
      case 'FeatureGateDisabled': title = `Feature gate ${vars.featureGate} is disabled on source-controller`; break;
      case 'InvalidProviderConfiguration': title = /github/i.test(message) ? 'GitHub App authentication misconfigured (spec.provider / Secret data)' : 'Provider configuration invalid'; break;
      case 'InvalidSTSConfiguration': title = 'Bucket STS configuration invalid'; break;
      default:
        if (githubApp) title = githubAppTitle(message);
        else if (azureSecret) title = `Could not build Azure credentials from Secret ${azureSecret[1]} (spec.provider azure)`;
        else title = `Could not get credentials from ${provider ?? 'the cloud provider'} (workload identity)`;
    }
    return { vars, title };
  },
});
