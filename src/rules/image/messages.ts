// Reading image-reflector-controller and image-automation-controller messages (Flux 2.0–2.9):
// internal/controller/imagerepository_controller.go, imagepolicy_controller.go, internal/policy, internal/registry
// (image-reflector); internal/controller/imageupdateautomation_controller.go and internal/source (image-automation,
// v0.38+/Flux 2.3+; before that every failure was ReconciliationFailed with the raw error), fluxcd/pkg git/gogit.
import { condition, readyState } from '../../flux/conditions';
import { refKey, sourceRef, type ObjRef } from '../../flux/refs';
import type { ClusterIndex } from '../../snapshot/indexes';
import type { KubeObject } from '../../snapshot/schema';

export type RegistryProblem = 'auth' | 'iam' | 'page-size' | 'not-found' | 'network' | 'tls' | 'insecure' | 'rate-limit';

/** Registry answers, by what they mean for the fix. */
export function registryProblem(message: string): RegistryProblem | null {
  // Quay (June 2024) answered go-containerregistry's page size (tags/list?n=1000) with 413 TOO_MANY_TAGS_REQUESTED:
  // a server-side limit that no credentials fix (fluxcd/image-reflector-controller#585).
  // Go's net/http answer when an https:// request meets a plain-HTTP server: the registry needs spec.insecure.
  if (/server gave HTTP response to HTTPS client/i.test(message)) return 'insecure';
  if (/TOO_MANY_TAGS_REQUESTED|requested limit \d+ is too high/i.test(message)) return 'page-size';
  // The cloud identity authenticated but its IAM policy lacks the action (the registry still says DENIED): a role
  // permission to grant, not credentials to replace.
  if (/is not authorized to perform: ecr:\w+|no identity-based policy allows|Permission "artifactregistry\.[\w.]+" denied/i.test(message)) return 'iam';
  if (/UNAUTHORIZED|DENIED|401 Unauthorized|403 Forbidden|authentication required|unauthorized: |no basic auth credentials|access denied|requested access to the resource is denied/i.test(message)) return 'auth';
  if (/NAME_UNKNOWN|MANIFEST_UNKNOWN|NOT_FOUND|404 Not Found|repository name not known|repository not found/i.test(message)) return 'not-found';
  if (/TOOMANYREQUESTS|429 Too Many Requests|rate limit/i.test(message)) return 'rate-limit';
  if (/x509:|certificate signed by unknown authority|tls: /i.test(message)) return 'tls';
  if (/no such host|i\/o timeout|context deadline exceeded|connection refused|connection reset|dial tcp|Client\.Timeout|EOF$/i.test(message)) return 'network';
  return null;
}

export const REGISTRY_TITLES: Record<RegistryProblem, string> = {
  auth: 'Registry refused the credentials',
  iam: 'The cloud identity lacks a registry permission',
  'page-size': 'Registry refused the tag page size',
  'not-found': 'Image repository not found in the registry',
  network: 'Registry unreachable',
  tls: 'TLS error talking to the registry',
  insecure: 'Registry serves plain HTTP (spec.insecure)',
  'rate-limit': 'Registry rate limit hit',
};

/**
 * The policy's Latest() called with no versions. Only spec.filterTags can empty a non-empty tag list, so without a
 * filter the tag database itself was empty (e.g. image-reflector-controller restarted without persistent storage).
 */
export const EMPTY_LIST = /version list argument cannot be empty/;

/**
 * The dockerconfigjson Secret has no `auths` entry for the image's registry host (image-reflector-controller's
 * authFromSecret: `auth for "<host>" not found in secret <ns>/<name>`, ReconciliationFailed in v1alpha/v1beta1).
 */
export const AUTH_NOT_IN_SECRET = /auth for "([^"]+)" not found in secret (\S+?)\/(\S+)/;

/**
 * A registry's token endpoint answering 400 (`GET https://api.digitalocean.com/v2/registry/auth?scope=repository:<repo>:pull…`,
 * Docker's `/token?scope=…`): the scope names a repository the registry cannot parse, usually spec.image being the
 * registry (or namespace) root without a repository path (fluxcd/flux2#2477).
 */
export const TOKEN_SCOPE_REJECTED = /GET https?:\/\/\S+\?\S*scope=\S+: unexpected status code 400 Bad Request/;

/** Scan errors that are not the registry's answer: a bad spec.exclusionList pattern (FD542), the tag store (FD543). */
export const EXCLUSION_REGEX = /scan failed: failed to compile regex (.+?): error parsing regexp: /;
export const TAG_STORE = /scan failed: failed to set tags for "/;
export const SCAN_NOT_REGISTRY = new RegExp(`${EXCLUSION_REGEX.source}|${TAG_STORE.source}`);

/** Git errors that are credentials problems (go-git, x/crypto/ssh, Git hosts' wording). */
export const GIT_AUTH = /authentication required|authorization failed|unable to authenticate|invalid credentials|permission denied \(publickey\)|Invalid username or password|HTTP Basic: Access denied|401 Unauthorized|403 Forbidden|could not read Username/i;

/**
 * GitHub's refusal of a push whose commits add or change a file under .github/workflows without the right to do so
 * (`refusing to allow a Personal Access Token|a GitHub App|an OAuth App to create or update workflow `<path>` without
 * `workflow` scope|`workflows` permission`), relayed by go-git as `command error on <ref>: <reason>`.
 */
export const GITHUB_WORKFLOW_PUSH = /refusing to allow an? (Personal Access Token|GitHub App|OAuth App|integration) to create or update workflow `?([^`\s]+)`? without `?(workflows?)`? (scope|permission)/;

/** Push rejections that are write-access or branch-protection problems. */
export function pushProblem(message: string): string | null {
  if (/protected branch|pre-receive hook declined|GH006|push declined|not allowed to push|You are not allowed to push/i.test(message)) return 'Push rejected by branch protection';
  // `push rejected; check git secret has write access` is gogit's (≤ v0.15) rewording of GitLab's empty `remote:` answer.
  if (/read.only|marked as read only|write access to repository not granted|Permission to \S+ denied|The requested URL returned error: 403|check git secret has write access/i.test(message)) return 'The Git credentials cannot push (read-only)';
  if (GIT_AUTH.test(message)) return 'Git server refused the credentials for the push';
  // go-git's rendering of a refusal it cannot parse (typically a read-only SSH deploy key).
  if (/unknown error: (?:remote:\s*$|ERROR: )/.test(message)) return 'Git server refused the push (often a deploy key without write access)';
  if (/non-fast-?forward|fetch first|rejected|failed to update ref/i.test(message)) return 'Push rejected: the branch moved (non-fast-forward)';
  if (/no such host|i\/o timeout|context deadline exceeded|connection refused|connection reset/i.test(message)) return 'Git server unreachable during the push';
  return null;
}

/**
 * Push failures as image-automation-controller ≤ v0.37 (Flux 2.0–2.2) reports them: ReconciliationFailed with go-git's
 * bare error, before gogit v0.16 added `failed to push to remote: `. Clone errors always start `unable to clone '…'`,
 * so these bare messages come from the push.
 */
export const LEGACY_PUSH = /^(?:authorization failed|authentication required|remote authentication required but no callback set|push rejected; check git secret has write access|unknown error: (?:remote:\s*$|ERROR: )|command error on refs\/heads\/\S+: |non-fast-forward update: \S+|cannot push non-fastforwardable reference|failed to push to remote: )/;

/** Clone-phase errors without `unable to clone`: go-git's fetch-connect to the remote (the clone's first round trip), and its empty upload-pack answer. */
export const BARE_CHECKOUT = /unable to fetch-connect to remote|empty git-upload-pack given/;

/** Commit message template errors (templateMsg): a spec error, not a Git one; `failed to update source: ` before it in 2.3+. */
/**
 * No branch to push to: spec.git.push is unset and neither spec.git.checkout.ref nor the GitRepository's spec.ref names a
 * branch (a tag, semver or commit). image-automation-controller v0.9–v0.35 `Push branch not given explicitly, and cannot
 * be inferred from …`, v0.36–v0.37 `Push spec not provided, and cannot …` (both ReconciliationFailed), v0.38+ (Flux 2.3)
 * `failed configuring source manager: push spec not provided, and cannot …` (SourceManagerFailed).
 */
export const PUSH_BRANCH_UNINFERABLE = /(?:push spec not provided|push branch not given explicitly), and cannot be inferred from \.spec\.git\.checkout\.ref or GitRepository \.spec\.ref/i;

export const COMMIT_TEMPLATE = /(?:unable to create commit message template from spec|failed to run template from spec): template: commit message:/;

/** Commit signing key problems (getSigningEntity, internal/source/signing.go); that Secret is in the automation's namespace. */
export const SIGNING_KEY = /could not find signing key secret '([^']+)'|signing key secret '([^']+)' does not contain an? '[^']+' key|could not (?:read|parse SSH) signing key|could not decrypt private key|can not use passphrase protected signing key|multiple entities read from secret|unknown signing key type/;

/**
 * The GitRepository's credentials or proxy Secret, in the GitRepository's namespace: `failed to get secret '<ns>/<name>'`
 * (≤ v0.36), `failed to get auth secret` / `failed to get proxy secret` / `invalid proxy secret` (v0.37+).
 */
export const GIT_SECRET = /(?:failed to get (?:auth |proxy )?secret|invalid proxy secret) '([^/']+)\/([^']+)'/;

/** One line about the state of a referenced object, for evidence. */
export function refState(index: ClusterIndex, ref: ObjRef): string {
  const obj = index.get(ref);
  if (!obj) return `${refKey(ref)} does not exist`;
  const ready = condition(obj, 'Ready');
  const state = readyState(obj);
  return `${refKey(ref)} is ${state}${ready ? `: Ready=${ready.status}${ready.reason ? ` ${ready.reason}` : ''}${ready.message ? `: ${ready.message.split('\n')[0]}` : ''}` : ''}`;
}

/** The GitRepository an ImageUpdateAutomation checks out and pushes to. */
export function gitSourceOf(obj: KubeObject): ObjRef | null {
  return sourceRef(obj);
}

export function imageVars(obj: KubeObject): Record<string, string> {
  const vars: Record<string, string> = {};
  const spec = obj.spec ?? {};
  if (typeof spec.image === 'string') vars.image = spec.image;
  if (spec.secretRef?.name) vars.secretName = spec.secretRef.name;
  if (spec.certSecretRef?.name) vars.certSecretName = spec.certSecretRef.name;
  if (typeof spec.provider === 'string' && spec.provider !== 'generic') vars.provider = spec.provider;
  if (spec.serviceAccountName) vars.serviceAccount = spec.serviceAccountName;
  return vars;
}

export { isBlocking } from '../shared';
