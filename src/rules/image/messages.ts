// Reading image-reflector-controller and image-automation-controller messages (Flux 2.0–2.9):
// internal/controller/imagerepository_controller.go, imagepolicy_controller.go, internal/policy, internal/registry
// (image-reflector); internal/controller/imageupdateautomation_controller.go and internal/source (image-automation,
// v0.38+/Flux 2.3+; before that every failure was ReconciliationFailed with the raw error), fluxcd/pkg git/gogit.
import { condition, readyState } from '../../flux/conditions';
import { refKey, sourceRef, type ObjRef } from '../../flux/refs';
import type { ClusterIndex } from '../../snapshot/indexes';
import type { KubeObject } from '../../snapshot/schema';

/** Registry answers, by what they mean for the fix. */
export function registryProblem(message: string): 'auth' | 'not-found' | 'network' | 'tls' | 'rate-limit' | null {
  if (/UNAUTHORIZED|DENIED|401 Unauthorized|403 Forbidden|authentication required|unauthorized: |no basic auth credentials|access denied|requested access to the resource is denied/i.test(message)) return 'auth';
  if (/NAME_UNKNOWN|MANIFEST_UNKNOWN|NOT_FOUND|404 Not Found|repository name not known|repository not found/i.test(message)) return 'not-found';
  if (/TOOMANYREQUESTS|429 Too Many Requests|rate limit/i.test(message)) return 'rate-limit';
  if (/x509:|certificate signed by unknown authority|tls: /i.test(message)) return 'tls';
  if (/no such host|i\/o timeout|context deadline exceeded|connection refused|connection reset|dial tcp|Client\.Timeout|EOF$/i.test(message)) return 'network';
  return null;
}

export const REGISTRY_TITLES: Record<string, string> = {
  auth: 'Registry refused the credentials',
  'not-found': 'Image repository not found in the registry',
  network: 'Registry unreachable',
  tls: 'TLS error talking to the registry',
  'rate-limit': 'Registry rate limit hit',
};

/** Git errors that are credentials problems (go-git, x/crypto/ssh, Git hosts' wording). */
export const GIT_AUTH = /authentication required|authorization failed|unable to authenticate|invalid credentials|permission denied \(publickey\)|Invalid username or password|HTTP Basic: Access denied|401 Unauthorized|403 Forbidden|could not read Username/i;

/** Push rejections that are write-access or branch-protection problems. */
export function pushProblem(message: string): string | null {
  if (/protected branch|pre-receive hook declined|GH006|push declined|not allowed to push|You are not allowed to push/i.test(message)) return 'Push rejected by branch protection';
  if (/read.only|marked as read only|write access to repository not granted|Permission to \S+ denied|The requested URL returned error: 403/i.test(message)) return 'The Git credentials cannot push (read-only)';
  if (GIT_AUTH.test(message)) return 'Git server refused the credentials for the push';
  // go-git's rendering of a refusal it cannot parse (typically a read-only SSH deploy key).
  if (/unknown error: remote:\s*$/.test(message)) return 'Git server refused the push (often a deploy key without write access)';
  if (/non-fast-forward|fetch first|rejected|failed to update ref/i.test(message)) return 'Push rejected: the branch moved (non-fast-forward)';
  if (/no such host|i\/o timeout|context deadline exceeded|connection refused|connection reset/i.test(message)) return 'Git server unreachable during the push';
  return null;
}

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
