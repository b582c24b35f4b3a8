// Shared reading of source-controller (and source-watcher) failures, so the rules of this family never fight: the
// current failure of a source is classified into exactly one class, and each rule takes one class.
// Formats: fluxcd/source-controller internal/controller/{gitrepository,helmrepository,helmchart,ocirepository,bucket}
// _controller.go, internal/helm/{chart/errors.go,chart/builder_*.go,repository/*.go,getter/client_opts.go} (v1.0–v1.9,
// Flux 2.0–2.9); fluxcd/pkg git/gogit/clone.go and git/git.go (ErrRepositoryNotFound); go-git v5/v6 transport errors;
// golang.org/x/crypto/ssh(/knownhosts); Helm v3 pkg/getter and pkg/repo; go-containerregistry transport errors; the
// S3/GCS/Azure SDK errors of the Bucket providers; fluxcd/source-watcher internal/controller (ArtifactGenerator).
import { condition, type Condition } from '../../flux/conditions';
import type { ObjRef } from '../../flux/refs';
import type { ClusterIndex } from '../../snapshot/indexes';
import type { KubeObject } from '../../snapshot/schema';
import { conditionEvidence } from '../evidence';
import { ageOf } from '../util';
import { AWS_IDENTITY, AZURE_SSH_PATH, AZURE_SSH_RSA, BUCKET_ENDPOINT_INVALID, BUCKET_PROVIDER_AUTH, BUCKET_REGION, CHART_METADATA, CHART_VERSION, CRED_REJECTED, GIT_AUTH, GIT_HISTORY_MISMATCH, GIT_REF, GIT_REPO_NOT_FOUND, GIT_SERVER_MESSAGE, GIT_SUBMODULE, GITHUB_APP_KEY, GOGIT_REF_DELTA, GOGIT_STATUS, HELM_INDEX_PARSE, HELM_INDEX_YAML, HOST_KEY, LIBGIT2_AUTH_REPLAYS, LIBGIT2_KEY_PARSE, LIBGIT2_SSH, LIBSSH2_SOCKET, LOCAL_DISK, LOGIN_FAILED, LOGIN_REJECTED, NO_CREDENTIALS_SENT, OCI_BLOB_MISSING, OCI_REF_NOT_FOUND, S3_NOT_IMPLEMENTED, SECRET_PROBLEM, SSH_AGENT_FALLBACK, SSH_KEY_NOT_ENCRYPTED, SSH_KEY_PASSPHRASE, STORAGE_MESSAGE, STORAGE_REASONS, VERIFICATION_REASONS, networkProblem } from './vocabulary';

export type SourceClass =
  | 'git-auth' // FD201
  | 'git-host-key' // FD202
  | 'git-ref' // FD203
  | 'git-repo-not-found' // FD204
  | 'git-empty' // FD205
  | 'unreachable' // FD206
  | 'secret' // FD207
  | 'credentials-rejected' // FD208
  | 'provider' // FD209
  | 'url-invalid' // FD210
  | 'url-not-found' // FD211
  | 'oci-artifact-not-found' // FD212
  | 'oci-layer' // FD213
  | 'verification' // FD214
  | 'chart-version' // FD215
  | 'chart-pull' // FD216
  | 'chart-build' // FD217
  | 'chart-source' // FD218
  | 'index-invalid' // FD219
  | 'include' // FD220
  | 'storage' // FD221
  | 'generator-source' // FD223
  | 'git-submodule' // FD224
  | 'git-server' // FD225
  | 'bucket-region' // FD226
  | 'server-incompatible'; // FD227

export interface Classified {
  cls: SourceClass;
  /** The condition that carries the failure (Ready=False, or the detail condition when Ready is not False). */
  condition: Condition;
  /** A finer reading inside the class, for titles (e.g. `dns`, `timeout`, `tls` for unreachable). */
  detail?: string;
}

/** Kinds whose failures this family reads. */
export const SOURCE_KINDS = ['GitRepository', 'OCIRepository', 'HelmRepository', 'HelmChart', 'Bucket', 'ExternalArtifact', 'ArtifactGenerator'];

// ---------------------------------------------------------------------------------------------------------------
// The failing condition.

const DETAIL_TYPES = ['StorageOperationFailed', 'FetchFailed', 'BuildFailed', 'IncludeUnavailable'];

/**
 * The condition that says why a source fails: Ready=False (source-controller copies the first failing detail condition
 * into it, and a False SourceVerified overrides it), else a True detail condition or a False SourceVerified while Ready
 * is Unknown (a retry in progress). Stalled alone only when neither exists.
 */
export function failingCondition(obj: KubeObject): Condition | null {
  const ready = condition(obj, 'Ready');
  if (ready?.status === 'False') return ready;
  if (ready?.status === 'True') return null;
  for (const type of DETAIL_TYPES) {
    const c = condition(obj, type);
    if (c?.status === 'True') return c;
  }
  const verified = condition(obj, 'SourceVerified');
  if (verified?.status === 'False') return verified;
  const stalled = condition(obj, 'Stalled');
  return stalled?.status === 'True' ? stalled : null;
}

const MEMO = new WeakMap<KubeObject, Classified | null>();

/**
 * The one class of a source's current failure, or null when it is not failing or no class fits (FD199 speaks then).
 * The index lets a HelmChart be read with its repository's credentials settings (spec.provider, spec.secretRef).
 */
export function classify(obj: KubeObject, index?: ClusterIndex): Classified | null {
  if (MEMO.has(obj)) return MEMO.get(obj)!;
  const c = failingCondition(obj);
  const result = c ? classifyCondition(obj, c, index) : null;
  MEMO.set(obj, result);
  return result;
}

function classifyCondition(obj: KubeObject, c: Condition, index?: ClusterIndex): Classified | null {
  const kind = obj.kind;
  const reason = c.reason ?? '';
  const message = c.message ?? '';
  const hit = (cls: SourceClass, detail?: string): Classified => ({ cls, condition: c, ...(detail ? { detail } : {}) });

  if (kind === 'ArtifactGenerator') {
    if (reason !== 'SourceFetchFailed') return null;
    if (/^get sources failed: /.test(message)) return hit('generator-source');
    const net = networkProblem(message);
    return net ? hit('unreachable', net) : null;
  }

  // The controller failed to write the object's own status (an API error, often a webhook intercepting every
  // update): its message is about the API server, so none of the fetch classes below may read it.
  if (reason === 'PatchOperationFailed') return null;

  // Reason-level classes: the controller already said what kind of failure it is.
  // A full or read-only disk of source-controller fails the clone or download too (`unable to clone '…': write
  // /tmp/gitrepository-…/tmp_pack_…: no space left on device`): the controller's storage, not the Git host or registry.
  if (c.type === 'StorageOperationFailed' || STORAGE_REASONS.has(reason) || STORAGE_MESSAGE.test(message) || LOCAL_DISK.test(message)) return hit('storage');
  if (c.type === 'SourceVerified' || VERIFICATION_REASONS.has(reason) || /^(?:signature verification of|no PGP signature found for commit|failed to verify the signature using provider|chart verification error: |public keys secret error: |cannot verify signature of tag|cannot verify tag object)/.test(message)) {
    return hit('verification');
  }
  if (reason === 'URLInvalid') return hit('url-invalid');
  if (reason === 'FeatureGateDisabled' || reason === 'InvalidProviderConfiguration' || reason === 'InvalidSTSConfiguration') return hit('provider', reason);
  if (c.type === 'IncludeUnavailable' || /^(?:could not get resource|no artifact available) for include '/.test(message)) return hit('include');
  if (kind === 'HelmChart' && (reason === 'NoSourceArtifact' || reason === 'SourceUnavailable' || reason === 'UnsupportedSourceKind')) return hit('chart-source', reason);
  if (reason === 'EmptyGitRepository' || /^git repository is empty$|remote repository is empty/.test(message)) return hit('git-empty');

  // A default-type HelmRepository pointed at an OCI registry over https: what it downloads is no index (the YAML decoder
  // says `object required`); and an index whose entries point at oci:// chart URLs (Bitnami since 2024): Helm's HTTP
  // getter cannot follow them (`unsupported protocol scheme "oci"`). Both need an OCI source, not another URL.
  if (kind === 'HelmRepository' && /failed to cache index to temporary file: object required\s*$/.test(message)) return hit('url-invalid', 'oci-registry');
  if (kind === 'HelmChart' && /unsupported protocol scheme "oci"/.test(message)) return hit('url-invalid', 'oci-chart-urls');

  const provider = typeof obj.spec?.provider === 'string' && obj.spec.provider !== 'generic' ? obj.spec.provider : null;
  if (kind === 'Bucket') {
    // Client creation fails before any request: minio-go validates the endpoint, the providers build their identity.
    if (BUCKET_ENDPOINT_INVALID.test(message)) return hit('url-invalid', 'endpoint');
    if (provider && (BUCKET_PROVIDER_AUTH.test(message) || (provider === 'aws' && AWS_IDENTITY.test(message)))) return hit('provider', 'credential');
  }

  // An index that is not YAML (an HTML login or error page): no Secret is YAML, so whatever the reason says
  // (≤ v0.x reported it bare), it is the downloaded index that does not parse.
  if (kind === 'HelmRepository' && HELM_INDEX_YAML.test(message)) return hit('index-invalid');

  // The registry asked for basic auth and nothing was sent: whatever the reason (InvalidChartReference when the tag list
  // was refused), no credentials exist, so it is not a version that is missing (fluxcd/pkg#429).
  if ((kind === 'HelmChart' || kind === 'OCIRepository' || kind === 'HelmRepository') && NO_CREDENTIALS_SENT.test(message)) {
    const creds = credentialsSettings(obj, index);
    if (creds.provider) return hit('provider', 'no-credential');
    return creds.secretRef ? hit('secret', 'no-credential') : hit('credentials-rejected', 'no-credential');
  }

  // go-git falls back to the SSH agent when the Secret holds no private key: the Secret is what is wrong.
  if (kind === 'GitRepository' && SSH_AGENT_FALLBACK.test(message)) return hit('secret', 'ssh-agent');
  // The identity and the password of the Secret do not fit each other: parsed before any connection, under whatever
  // reason the version reports it (AuthenticationFailed, or GitOperationFailed through libgit2's credentials callback).
  if (kind === 'GitRepository' && SSH_KEY_NOT_ENCRYPTED.test(message)) return hit('secret', 'ssh-key-not-encrypted');
  if (kind === 'GitRepository' && SSH_KEY_PASSPHRASE.test(message)) return hit('secret', 'ssh-key-passphrase');

  // The GitHub App private key of a spec.provider: github Secret does not parse: GitOperationFailed in Flux 2.5 (the token
  // was made inside the clone), AuthenticationFailed from 2.6. The Secret's key, not GitHub, is wrong.
  if (kind === 'GitRepository' && provider === 'github' && GITHUB_APP_KEY.test(message)) return hit('provider', 'github-app-key');

  if (reason === 'AuthenticationFailed') {
    // HelmChart calls any pull error mentioning tls/401/unauthorized an authentication failure, and the registry login
    // of ≤ v1.7 fails the same way for network errors and refused credentials: read the tail.
    if (LOGIN_FAILED.test(message)) {
      const net = networkProblem(message);
      if (net === 'tls' || net === 'dns' || net === 'timeout' || net === 'refused') return hit('unreachable', net);
      if (LOGIN_REJECTED.test(message)) return hit('credentials-rejected', 'login');
      if (/failed to authenticate with the Helm repository: /.test(message)) return hit('credentials-rejected');
      if (net) return hit('unreachable', net);
    }
    // Workload identity / cloud provider token exchange (spec.provider aws|azure|gcp|github).
    if (/^failed to get credential from /.test(message)) return hit('provider', 'credential');
    if (provider && /^failed to configure authentication options: /.test(message) && !SECRET_PROBLEM.test(message.replace(/^failed to configure authentication options: /, ''))) {
      return hit('provider', 'credential');
    }
    // Everything else source-controller reports as AuthenticationFailed is about the Secrets it builds credentials from.
    return hit('secret', SECRET_PROBLEM.test(message) ? undefined : 'other');
  }

  // Message-level classes, most specific first.
  if (kind === 'GitRepository') {
    // go-git's bare index/feature errors only arise in the submodule phase of a clone (spec.recurseSubmodules).
    if (obj.spec?.recurseSubmodules === true && GIT_SUBMODULE.test(message)) return hit('git-submodule', /entry not found/.test(message) ? 'entry' : /feature not supported/.test(message) ? 'feature' : undefined);
    if (HOST_KEY.test(message)) return hit('git-host-key');
    // A bare HTTP status from go-git: 400 is Azure DevOps refusing a client without multi_ack, 5xx the server.
    const status = Number(message.match(GOGIT_STATUS)?.[1] ?? 0);
    if (status === 401 || status === 403) return hit('git-auth');
    if (status === 404) return hit('git-repo-not-found');
    if (status === 400) return hit('unreachable', 'bad-request');
    if (status >= 500) return hit('unreachable', 'server');
    // libssh2 timed out on the socket in whatever SSH step libgit2 names: the network, not the key or the user.
    if (LIBSSH2_SOCKET.test(message)) return hit('unreachable', 'timeout');
    // libgit2's `Failed to authenticate SSH session: Unable to extract public key …` reads like a rejection but the key was never sent.
    if (LIBGIT2_KEY_PARSE.test(message)) return hit('git-auth', 'libgit2-key');
    if (GIT_AUTH.test(message)) return hit('git-auth', LIBGIT2_AUTH_REPLAYS.test(message) ? 'libgit2-replays' : undefined);
    if (LIBGIT2_SSH.test(message)) return hit('git-auth', 'libgit2-ssh');
    // go-git could not read the packfile this server sends (AWS CodeCommit): the client, not the ref or the credentials.
    if (GOGIT_REF_DELTA.test(message)) return hit('server-incompatible', 'gogit-ref-delta');
    if (GIT_REF.test(message)) return hit('git-ref', /sparse checkout/.test(message) ? 'sparse' : gitHistoryMismatch(obj, message) ? 'history' : undefined);
    if (GIT_REPO_NOT_FOUND.test(message)) return hit('git-repo-not-found');
    // The server explained itself on stderr and go-git relayed the line: that text, not the network, is the cause.
    if (GIT_SERVER_MESSAGE.test(message)) return hit('git-server', AZURE_SSH_RSA.test(message) ? 'azure-ssh-rsa' : AZURE_SSH_PATH.test(message) ? 'azure-ssh-path' : undefined);
    const net = networkProblem(message);
    if (net) return hit('unreachable', net);
    return null;
  }

  if (kind === 'HelmChart') {
    if (reason === 'InvalidChartReference') {
      if (CHART_METADATA.test(message)) return hit('chart-version', 'metadata');
      return hit('chart-version', /no such file or directory/.test(message) ? 'path' : undefined);
    }
    // ChartPackageFailed: the v1beta1 controllers' (Flux ≤ 0.25) one reason for every build failure; the message prefix
    // says which step failed, as the later reasons do.
    // ErrUnknown (reason Unknown, `unknown build error: <err>`) wraps whatever the build returned without a reason of its
    // own, e.g. the registry login of the repository's spec.provider: the error itself says what failed, not a build step.
    if (reason === 'Unknown' || /^unknown build error: /.test(message)) {
      if (/failed to get credential from /.test(message)) return hit('provider', 'credential');
      if (CRED_REJECTED.test(message)) return hit('credentials-rejected');
      const net = networkProblem(message);
      return net ? hit('unreachable', net) : hit('chart-build', 'Unknown');
    }
    const buildStep = /^(?:dependency build error|values files merge error|chart package error|chart metadata patch error): /.test(message);
    if (['ValuesFilesError', 'DependencyBuildError', 'ChartPackageError', 'MetadataPatchError'].includes(reason) || (reason === 'ChartPackageFailed' && buildStep)) {
      const net = reason === 'DependencyBuildError' || /^dependency build error: /.test(message) ? networkProblem(message) : null;
      return net ? hit('unreachable', net) : hit('chart-build', buildReason(reason, message));
    }
    // ChartPullFailed: the reason of the v1beta1 controllers (Flux 0.x) for the same failures.
    if (reason === 'ChartPullError' || reason === 'ChartPullFailed' || /^chart pull error: /.test(message)) {
      const net = networkProblem(message);
      if (net && !CHART_VERSION.test(message)) return hit('unreachable', net);
      if (CRED_REJECTED.test(message)) return hit('credentials-rejected');
      if (OCI_BLOB_MISSING.test(message)) return hit('chart-pull', 'blob');
      if (/could not locate a version matching|no chart version found|unable to locate any tags|MANIFEST_UNKNOWN|manifest unknown|NAME_UNKNOWN|name unknown|no match found for semver|no '[^']*' chart with version matching|failed to get chart version for remote reference: .*not found/i.test(message) || OCI_REF_NOT_FOUND.test(message)) {
        return hit('chart-version');
      }
      return hit('chart-pull');
    }
    const net = networkProblem(message);
    return net ? hit('unreachable', net) : null;
  }

  if (kind === 'HelmRepository') {
    if (reason === 'IndexationFailed' && /^failed to (?:load Helm repository from index YAML|calculate revision): /.test(message)) return hit('index-invalid');
    // Fetch failures: reason `Failed` in current controllers; the v1beta1 controllers (Flux 0.x) reported them as IndexationFailed: failed to download repository index: …
    if (/^failed to (?:fetch|download) (?:Helm )?(?:repository )?index/i.test(message) || reason === 'Failed' || reason === 'IndexationFailed') {
      if (CRED_REJECTED.test(message)) return hit('credentials-rejected');
      if (/\b404\b|Not Found/.test(message)) return hit('url-not-found');
      const net = networkProblem(message);
      if (net) return hit('unreachable', net);
    }
    // Only an index that was downloaded and does not load is invalid: an unknown download error is not (FD199 speaks).
    return reason === 'IndexationFailed' && HELM_INDEX_PARSE.test(message) ? hit('index-invalid') : null;
  }

  if (kind === 'OCIRepository') {
    if (reason === 'OCIArtifactLayerOperationFailed') return hit('oci-layer');
    if (CRED_REJECTED.test(message) && !/MANIFEST_UNKNOWN|NAME_UNKNOWN/.test(message)) return hit('credentials-rejected');
    if (/NAME_UNKNOWN|name unknown|repository name not known/i.test(message)) return hit('url-not-found');
    if (/MANIFEST_UNKNOWN|manifest unknown|no match found for semver|semver '[^']*' parse error|\b404\b|not found|unable to locate any tags/i.test(message)) return hit('oci-artifact-not-found');
    const net = networkProblem(message);
    return net ? hit('unreachable', net) : null;
  }

  if (kind === 'Bucket') {
    if (/bucket '[^']*' not found|NoSuchBucket|specified bucket does not exist|ContainerNotFound|bucket doesn't exist|specified container does not exist|bucket name may be incorrect, nonexistent/i.test(message)) {
      return hit('url-not-found');
    }
    // The request was signed for spec.region and the bucket lives elsewhere (S3's AuthorizationHeaderMalformed text, or
    // minio-go's own for InvalidRegion): minio-go only discovers the region itself when spec.region is empty.
    if (BUCKET_REGION.test(message)) return hit('bucket-region');
    // The S3-compatible server lacks the call minio-go made (GCS's XML API with provider generic).
    if (S3_NOT_IMPLEMENTED.test(message)) return hit('server-incompatible', 'bucket-not-implemented');
    if (CRED_REJECTED.test(message)) return hit('credentials-rejected');
    const net = networkProblem(message);
    return net ? hit('unreachable', net) : null;
  }

  const net = networkProblem(message);
  return net ? hit('unreachable', net) : null;
}

/** The build step of a chart build failure: its reason, or for v1beta1's ChartPackageFailed the prefix of its message. */
function buildReason(reason: string, message: string): string {
  if (reason !== 'ChartPackageFailed') return reason;
  const prefix = message.match(/^(dependency build error|values files merge error|chart package error|chart metadata patch error): /)?.[1];
  return ({ 'dependency build error': 'DependencyBuildError', 'values files merge error': 'ValuesFilesError', 'chart package error': 'ChartPackageError', 'chart metadata patch error': 'MetadataPatchError' } as Record<string, string>)[prefix ?? ''] ?? reason;
}

/** The credential settings a source is fetched with: its own, or for a HelmChart those of its HelmRepository. */
function credentialsSettings(obj: KubeObject, index?: ClusterIndex): { provider: string | null; secretRef: boolean } {
  const repoRef = obj.kind === 'HelmChart' ? chartSource(obj) : null;
  const from = repoRef ? index?.get(repoRef) : obj;
  const provider = typeof from?.spec?.provider === 'string' && from.spec.provider !== 'generic' ? from.spec.provider : null;
  return { provider, secretRef: Boolean(from?.spec?.secretRef?.name) };
}

/**
 * A bare `object not found` while cloning a branch (no pinned commit or tag, none named in the message): the objects
 * the fetch negotiated do not exist, typically after a force-push rewrote the branch's history, not a missing ref.
 */
function gitHistoryMismatch(obj: KubeObject, message: string): boolean {
  if (!GIT_HISTORY_MISMATCH.test(message)) return false;
  const ref = obj.spec?.ref ?? {};
  return !['commit', 'tag', 'name', 'digest'].some((k) => typeof ref[k] === 'string' && ref[k]);
}

// ---------------------------------------------------------------------------------------------------------------
// Shared pieces of hits.

/** Variables for remediation: the source's URL, Secrets, provider, ref, interval and timeout. */
export function sourceVars(obj: KubeObject, index: ClusterIndex): Record<string, string> {
  const spec = obj.spec ?? {};
  const vars: Record<string, string> = { fluxNamespace: index.cluster.fluxNamespace };
  if (typeof spec.url === 'string') vars.url = spec.url;
  if (spec.secretRef?.name) vars.secretName = spec.secretRef.name;
  if (spec.certSecretRef?.name) vars.certSecretName = spec.certSecretRef.name;
  if (spec.proxySecretRef?.name) vars.proxySecretName = spec.proxySecretRef.name;
  if (typeof spec.provider === 'string' && spec.provider !== 'generic') vars.provider = spec.provider;
  if (typeof spec.serviceAccountName === 'string') vars.serviceAccount = spec.serviceAccountName;
  if (typeof spec.interval === 'string') vars.interval = spec.interval;
  if (typeof spec.timeout === 'string') vars.timeout = spec.timeout;
  else if (['GitRepository', 'OCIRepository', 'HelmRepository', 'Bucket'].includes(obj.kind)) vars.timeout = '60s, the default';
  if (typeof spec.bucketName === 'string') vars.bucketName = spec.bucketName;
  if (typeof spec.endpoint === 'string') vars.endpoint = spec.endpoint;
  const ref = refText(obj);
  if (ref) vars.ref = ref;
  if (obj.kind === 'HelmChart') {
    if (typeof spec.chart === 'string') vars.chart = spec.chart;
    if (typeof spec.version === 'string') vars.chartVersion = spec.version;
  }
  return vars;
}

/** `branch main`, `tag v1.2.3`, `semver >=1.0.0`, `commit <sha>`: what spec.ref asks for. */
export function refText(obj: KubeObject): string | null {
  const ref = obj.spec?.ref;
  if (!ref || typeof ref !== 'object') return null;
  for (const key of ['commit', 'digest', 'name', 'semver', 'tag', 'branch']) {
    if (typeof ref[key] === 'string' && ref[key]) return `${key} ${ref[key]}`;
  }
  return null;
}

/** The object a HelmChart, ExternalArtifact or ArtifactGenerator source reads from. */
export function chartSource(obj: KubeObject): ObjRef | null {
  const s = obj.spec?.sourceRef;
  if (!s?.kind || !s?.name) return null;
  const ns = s.namespace ?? obj.metadata.namespace;
  return ns ? { kind: s.kind, namespace: ns, name: s.name } : { kind: s.kind, name: s.name };
}

/** The default evidence: the failing condition, plus Stalled (Flux will not retry) or ProgressingWithRetry. */
export function failureEvidence(obj: KubeObject, c: Condition): string[] {
  const out = [conditionEvidence(c)];
  const stalled = condition(obj, 'Stalled');
  if (stalled?.status === 'True' && c.type !== 'Stalled') out.push(`Stalled=True ${stalled.reason ?? ''}: Flux will not retry until the spec changes`.replace('  ', ' '));
  else {
    const reconciling = condition(obj, 'Reconciling');
    if (reconciling?.status === 'True' && reconciling.reason === 'ProgressingWithRetry') out.push('Reconciling=True ProgressingWithRetry: source-controller retries with backoff');
  }
  return out;
}

/** The newest Warning event of an object whose message adds something to the condition (e.g. a different error). */
export function warningEvents(index: ClusterIndex, obj: KubeObject, c: Condition, limit = 1): KubeObject[] {
  const ref: ObjRef = obj.metadata.namespace ? { kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name } : { kind: obj.kind, name: obj.metadata.name };
  return index.eventsFor(ref).filter((e) => e.type === 'Warning' && (e.message ?? e.note) !== c.message).slice(0, limit);
}

/** Failing for less than this, with a retry under way, a network error is likely transient. */
export const TRANSIENT_MS = 5 * 60_000;

export function isYoung(c: Condition, now: number, limit = TRANSIENT_MS): boolean {
  const age = ageOf(c.lastTransitionTime, now);
  return age !== null && age < limit;
}

export { isBlocking, nounOf, stateLine } from '../shared';
export { failureStart } from '../util';
