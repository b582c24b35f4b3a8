// Shared reading of kustomize-controller failure messages, so that the rules of this family never fight:
// every Ready=False message of a given reason is classified into exactly one class, and each rule takes one.
// Formats: fluxcd/kustomize-controller internal/controller/kustomization_controller.go (reconcile, build,
// apply, checkHealth), fluxcd/pkg ssa/errors (DryRunErr), ssa/manager_delete.go, kustomize/kustomize_varsub.go,
// kustomize/kustomize_generator.go and internal/decryptor/decryptor.go, across Flux 2.0–2.9 (older wordings kept).
import { condition, type Condition } from '../../flux/conditions';
import { refKey, sourceRef, type ObjRef } from '../../flux/refs';
import type { ClusterIndex } from '../../snapshot/indexes';
import type { KubeObject } from '../../snapshot/schema';
import { conditionEvidence } from '../evidence';
import { kustomizationTimeout } from '../timeouts';
import { ageOf } from '../util';
import { escapeRegExp } from '../shared';
import { MANAGED_FIELDS_CONVERSION } from './apply-hints';
import { RBAC_ESCALATION } from '../apiserver-hints';
import { REMOTE_RESOURCE } from './build-hints';

// ---------------------------------------------------------------------------------------------------------------
// Ready=False ArtifactFailed: source lookup, artifact download, path check.

export type ArtifactClass = 'path' | 'source-missing' | 'no-artifact' | 'artifact-gone' | 'local-disk' | 'download';

/**
 * `sourceHasArtifact`: whether the referenced source, as the snapshot shows it, has status.artifact (null when the
 * snapshot does not hold the source). kustomize-controller writes `Source is not ready, artifact not found, retrying
 * in <d>` when source-controller answers 404 for the tarball (fetch.ErrFileNotFound, every version), and before
 * v1.2 also `Source is not ready, artifact not found` (no retry) when the source had no artifact at all; v1.2+ says
 * `Source artifact not found, retrying in <d>` for the latter. A source that does advertise an artifact while its
 * file cannot be downloaded has lost the file from source-controller's storage.
 */
export function classifyArtifact(message: string, sourceHasArtifact: boolean | null = null): ArtifactClass {
  if (/kustomization path not found/i.test(message)) return 'path';
  // Writing the downloaded tarball to kustomize-controller's own /tmp failed (`failed to copy temp contents: write
  // /tmp/fetch.*.tmp: no space left on device`): its disk, not source-controller or the network.
  if (/no space left on device|read-only file system/i.test(message)) return 'local-disk';
  // The 404 form: the snapshot decides when it holds the source; without it, the wording alone (every version).
  if (/Source is not ready, artifact not found, retrying in/i.test(message)) return sourceHasArtifact === false ? 'no-artifact' : 'artifact-gone';
  if (/artifact not found/i.test(message)) return 'no-artifact';
  // The API NotFound error (`GitRepository.source.toolkit.fluxcd.io "x" not found`), `Source '<ref>' not found`,
  // `unable to get source '<ns>/<name>': …`, ``source `<name>` kind '<Kind>' not supported``.
  if (/"[^"]+" not found|^Source '[^']*' not found|unable to get source '|kind '[^']*' not supported/i.test(message)) return 'source-missing';
  return 'download';
}

/** Whether the Kustomization's source is in the snapshot with an artifact (null: the snapshot does not hold it). */
export function sourceHasArtifact(obj: KubeObject, index: ClusterIndex): boolean | null {
  const src = sourceRef(obj);
  const found = src ? index.get(src) : undefined;
  if (!found) return null;
  return typeof found.status?.artifact === 'object' && found.status.artifact !== null;
}

// ---------------------------------------------------------------------------------------------------------------
// Ready=False BuildFailed: SOPS decryption, post-build substitution, undecodable YAML, kustomize build.

export type BuildClass = 'decryption' | 'substitution' | 'malformed' | 'build';

const DECRYPTION = new RegExp([
  'decryption failed for \'',
  'error decrypting (?:sources|env sources|\\.env file)',
  'failed to decrypt and format',
  'decryption Secret \'',
  'failed to verify sops data integrity',
  'could not generate data key',
  'cannot get sops data key',
  'error decrypting sops tree',
  'failed to get the data key required to decrypt',
  'cannot create decryptor',
  'failed to load encrypted \\w+ data',
  'failed to emit encrypted \\w+ file as decrypted',
  // kustomize-controller before v0.23: the key import and the Secret lookup.
  'gpg import error',
  'decryption secret error',
].join('|'), 'i');

/** `error decrypting sources: failed to unmarshal kustomization file …`: the decryptor choked on kustomization.yaml, not on a key. */
const DECRYPTOR_READS_KUSTOMIZATION = /error decrypting (?:env )?sources: .*(?:kustomization file|no kustomization file found|found multiple kustomization files|to be a regular file)/i;

// `var substitution failed for '<name>': ` (kc v1.0–v1.2), `post build failed for '<name>': ` (v1.3–v1.7),
// `post build failed for '<Kind.version.group>/<name>': ` (v1.8+): whatever follows, even a YAML error, happened
// while substituting (the substituted value or a `$` in a block string broke the rendered YAML).
const SUBSTITUTION = /post build failed|var(?:iable)? substitution failed|substitute from '|var name is invalid|variable not set \(strict mode\)|unable to get subsituteFrom|envsubst error/i;

const MALFORMED = new RegExp([
  'failed to decode Kubernetes (?:YAML|apiVersion)',
  'MalformedYAMLError',
  'yaml: line \\d+',
  'yaml: (?:unmarshal errors|did not find expected|mapping values are not allowed|found character that cannot start|could not find expected|control characters are not allowed|found unknown escape|invalid map key|block sequence entries are not allowed)',
  'error converting YAML to JSON',
  'recovered from panic while parsing YAML',
  'cannot unmarshal \\w+ into Go',
  'invalid character \'.\' (?:looking for|after|in)',
].join('|'), 'i');

/** Four rules ask about the same message of each failing Kustomization: classified once. */
const BUILD_CLASS = new WeakMap<KubeObject, { message: string; klass: BuildClass }>();

export function classifyBuild(message: string, obj: KubeObject): BuildClass {
  const memo = BUILD_CLASS.get(obj);
  if (memo?.message === message) return memo.klass;
  const klass = computeBuildClass(message, obj);
  BUILD_CLASS.set(obj, { message, klass });
  return klass;
}

function computeBuildClass(message: string, obj: KubeObject): BuildClass {
  const decryptionSecret = obj.spec?.decryption?.secretRef?.name;
  const decryptionNotFound = typeof decryptionSecret === 'string' && new RegExp(`secrets? "${escapeRegExp(decryptionSecret)}" not found`, 'i').test(message);
  if ((DECRYPTION.test(message) || decryptionNotFound) && !DECRYPTOR_READS_KUSTOMIZATION.test(message)) return 'decryption';
  if (SUBSTITUTION.test(message)) return 'substitution';
  // YAML errors in a remote resource are what a server answered instead of YAML: a build problem, not a file of the repo.
  if (MALFORMED.test(message) && !REMOTE_RESOURCE.test(message)) return 'malformed';
  return 'build';
}

// ---------------------------------------------------------------------------------------------------------------
// Ready=False ReconciliationFailed: the kube client step and server-side apply.

/** ReconciliationFailed (Flux 2.x); ValidationFailed is what kustomize-controller before v0.15 (kubectl apply) set. */
export const APPLY_REASONS = ['ReconciliationFailed', 'ValidationFailed'];

export type ApplyClass =
  | 'sops' | 'kubeclient' | 'cluster-auth' | 'unsubstituted' | 'crd-missing' | 'namespace' | 'immutable' | 'conflict' | 'forbidden' | 'timeout'
  | 'validation';

/** The SSA error without the change-set log that kustomize-controller appends after a newline. */
export function applyError(message: string): string {
  return message
    .split('\n')
    .filter((l) => !/^\S+\/\S+ (?:created|configured|unchanged|deleted|skipped|unknown)$/.test(l.trim()))
    .join('\n')
    .trim();
}

export const SOPS_UNDECRYPTED = /is SOPS encry(?:p)?ted, configuring decryption is required|\.sops: field not declared in schema|unknown field "sops"|ValidationError\(\w+\): unknown field "sops"/i;
const KUBECLIENT = /unable to read KubeConfig secret|KubeConfig secret '[^']*' does not contain|invalid \.spec\.kubeConfig|failed to build kube client|the specified default service account does not exist/i;
/**
 * The API server (of the target cluster with spec.kubeConfig) rejected the client's credentials or the client could
 * not verify the server's certificate: apimachinery/Go TLS errors relayed through ssa. Not within an error of the
 * API server's own calls (SERVER_SIDE_CALL): then the TLS error is between the API server and a webhook (FD311).
 */
const CLUSTER_AUTH = /\(Unauthorized\)|reason: Unauthorized\b|(?:^|: )Unauthorized\s*$|the server has asked for the client to provide credentials|You must be logged in to the server|x509: |remote error: tls: /im;
/** The API server's own outgoing calls (admission and conversion webhooks): their TLS errors are not the client's. */
const SERVER_SIDE_CALL = /failed calling webhook|failed to call webhook|conversion webhook|Internal error occurred|\(InternalError\)/i;
const CRD_MISSING = /no matches for kind "|ensure CRDs are installed first|the server doesn't have a resource type|could not find the requested resource \(post|no kind "[^"]+" is registered for version/i;
const NAMESPACE = / namespace not specified|namespaces? "[^"]+" not found|because it is being terminated/i;
// Kubernetes storage validation (pkg/apis/storage/validation) refuses changes to a StorageClass's parameters,
// provisioner and reclaimPolicy, and a VolumeAttributesClass's driverName and parameters, with field.Forbidden
// `updates to <field> are forbidden.` (volumeBindingMode: `field is immutable`).
const IMMUTABLE = /field is immutable|is immutable|immutable field|updates to statefulset spec for fields other than|pod updates may not change fields other than|Forbidden: updates to \w+ spec .* are forbidden|Forbidden: updates to \w+ are forbidden/i;
const CONFLICT = /\((?:FieldManagerConflict|Conflict|AlreadyExists)\)|reason: (?:Conflict|AlreadyExists|FieldManagerConflict)|already exists|Apply failed with \d+ conflicts?|conflicts? with "[^"]+"|the object has been modified/i;
/**
 * API discovery refused: kustomize-controller's client maps each object's kind to its resource through discovery
 * (controller-runtime pkg/client/apiutil: `failed to get server groups: %w`, `failed to get API group resources: %w`)
 * as the user it applies with, before any request for the object; a 403 there has no object or verb in it.
 */
export const DISCOVERY_FORBIDDEN = /\(Forbidden\)[^\n]*failed to get (?:server groups|API group resources)|failed to get (?:server groups|API group resources)[^\n]*(?:\bforbidden\b|\(Forbidden\))|cannot get path "\/apis?(?:\/[^"]*)?"/i;
export const RBAC_FORBIDDEN = /is forbidden: User "([^"]+)" cannot ([a-z]+) resource "([^"]+)"(?: in API group "([^"]*)")?(?: in the namespace "([^"]+)"| at the cluster scope)?/;
const WEBHOOK_CALL = /failed calling webhook|failed to call webhook/i;
export const TIMEOUT = /context deadline exceeded|Client\.Timeout exceeded|i\/o timeout|TLS handshake timeout|connection refused|no such host|connection reset by peer|net\/http: request canceled|the server was unable to return a response in the time allotted|Timeout: request did not complete|rate: Wait\(n=\d+\) would exceed context deadline|etcdserver: (?:request timed out|leader changed|no leader|too many requests|mvcc: database space exceeded)/i;
const VALIDATION = /dry-run failed|apply failed|admission webhook|denied the request|is invalid|strict decoding error|field not declared in schema|unknown field|does not support dry run|is forbidden|\((?:Forbidden|BadRequest|Invalid|UnprocessableEntity|InternalError|MethodNotAllowed|NotAcceptable|RequestEntityTooLarge)\)|Invalid value|Required value|Unsupported value|metadata\.managedFields cleanup failed|failed to migrate API version|illegal base64 data at input byte/i;

export function classifyApply(message: string): ApplyClass | null {
  const text = applyError(message);
  if (SOPS_UNDECRYPTED.test(text)) return 'sops';
  if (KUBECLIENT.test(text)) return 'kubeclient';
  if (!SERVER_SIDE_CALL.test(text) && CLUSTER_AUTH.test(text)) return 'cluster-auth';
  // Before the API server's verdicts: a literal ${VAR} in the object's name or a rejected value is the cause of them.
  if (unsubstitutedVar(text)) return 'unsubstituted';
  const notFound = classifyNotFound(text);
  if (notFound) return notFound;
  if (CRD_MISSING.test(text)) return 'crd-missing';
  if (NAMESPACE.test(text)) return 'namespace';
  if (IMMUTABLE.test(text)) return 'immutable';
  if (CONFLICT.test(text)) return 'conflict';
  if (DISCOVERY_FORBIDDEN.test(text)) return 'forbidden';
  if (RBAC_FORBIDDEN.test(text)) return 'forbidden';
  // RBAC escalation prevention: the applying account lacks what the Role it creates grants (apply-hints).
  if (RBAC_ESCALATION.test(text)) return 'forbidden';
  // The API server's conversion webhook failing on managedFields (apply-hints): FD311, even when its error is a timeout.
  if (MANAGED_FIELDS_CONVERSION.test(text)) return 'validation';
  // A webhook that cannot be called is part of the API server's admission: validation, not a generic timeout.
  if (WEBHOOK_CALL.test(text)) return 'validation';
  if (TIMEOUT.test(text)) return 'timeout';
  if (VALIDATION.test(text)) return 'validation';
  return null;
}

/**
 * A post-build variable reference in any form envsubst reads: bare, with a default (`${VAR:=x}`, `${VAR:-x}`), or
 * an operator (`${VAR/x/y}`, `${VAR#p}`, `${VAR%s}`, `${VAR^^}`, `${VAR:1:3}`, `${#VAR}`).
 */
const VAR_REF = /\$\{#?[A-Za-z_][A-Za-z0-9_]*(?:[:=/#%^,?+-][^}]*)?\}/;

/**
 * The `${VAR}` left in an object the API server rejected: in the name or namespace of the dry-run target, a rejected
 * value (`Invalid value: "${VAR}"`) or a missing namespace (`namespaces "${VAR}" not found`). Lenient substitution
 * replaces an unset variable with "" (strict mode fails the build), so a literal reference means substitution never
 * ran on the object. Null when there is none.
 */
export function unsubstitutedVar(message: string): string | null {
  const text = applyError(message);
  const target = applyTarget(text);
  // client-go refuses a name that is not a path segment before any request: `invalid resource name "%s": [may not
  // contain '/']` (rest.Request.Name), which is what a literal ${VAR/x/y} in metadata.name gets.
  const places = [target?.ref.name, target?.ref.namespace, ...[...text.matchAll(/Invalid value: "([^"]*)"|namespaces? "([^"]*)" not found|invalid resource name "([^"]*)"/g)].map((m) => m[1] ?? m[2] ?? m[3])];
  for (const p of places) {
    const m = p?.match(VAR_REF);
    if (m) return m[0];
  }
  return null;
}

/** Cluster-scoped built-in kinds: a NotFound on them cannot mean a missing or unset namespace. */
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'PersistentVolume', 'StorageClass', 'PriorityClass', 'IngressClass', 'RuntimeClass', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'APIService', 'CSIDriver']);

/**
 * ssa's NotFound dry-run error, read by its structure because its wording moved between versions:
 * ssa ≤ v0.32 (Flux ≤ 2.1): `<ref> namespace not specified: <err>` for every NotFound;
 * v0.33–v0.35 (kc v1.2.0–1.2.1): `<Kind/ns/name> namespace not specified: <err>` / `<Kind/name> not found: <err>` (inverted);
 * v0.36+: `<Kind/name> namespace not specified: <err>` / `<Kind/ns/name> not found: <err>`.
 * So: `namespaces "<ns>" not found` is always the missing namespace; otherwise a reference with a namespace means the
 * server does not serve that kind/version (the object did carry a namespace), and one without a namespace means a
 * namespaced object without metadata.namespace (unless the kind is cluster-scoped).
 */
function classifyNotFound(text: string): ApplyClass | null {
  const m = text.match(/(?:^|\s)([A-Za-z][A-Za-z0-9]*)\/(?:([^/\s]+)\/)?([^\s/]+) (not found|namespace not specified): (.*)/);
  if (!m) return null;
  const [, kind, namespace, , , inner] = m;
  if (/namespaces? "[^"]+" not found/.test(inner!)) return 'namespace';
  if (!/could not find the requested resource/i.test(inner!)) return null;
  if (namespace || CLUSTER_SCOPED.has(kind!)) return 'crd-missing';
  return 'namespace';
}

/** A namespaced object without metadata.namespace, as any ssa version words it (see classifyNotFound). */
export function isUnnamespaced(message: string): boolean {
  const text = applyError(message);
  if (/namespaces? "[^"]+" not found/.test(text)) return false;
  return / namespace not specified/.test(text) || classifyNotFound(text) === 'namespace';
}

export interface ApplyTarget {
  ref: ObjRef;
  /** The API status reason in `dry-run failed (<Reason>)` (or `reason: <Reason>` before 2023), if given. */
  reason: string | null;
  /** What the API server (or webhook) said about the object. */
  detail: string;
}

/** `<Kind>/<ns>/<name> dry-run failed (<Reason>): <detail>` and its variants, wherever it sits in the message. */
export function applyTarget(message: string): ApplyTarget | null {
  const text = applyError(message);
  // A name or namespace may hold a literal ${VAR/x/y}, slash included.
  const m = text.match(/(?:^|\s)([A-Za-z][A-Za-z0-9]*)\/(?:((?:\$\{[^}\s]*\}|[^/\s])+)\/)?((?:\$\{[^}\s]*\}|[^\s/])+) (dry-run failed|apply failed|not found|namespace not specified|immutable field detected|failed to migrate API version|metadata\.managedFields cleanup failed|is SOPS encry(?:p)?ted|validation error)/);
  if (!m) return null;
  const [, kind, namespace, name] = m;
  const after = text.slice((m.index ?? 0) + m[0].length);
  const reason = after.match(/^ \((\w+)\)/)?.[1] ?? after.match(/^, reason: (\w+)/)?.[1] ?? null;
  const detail = after.replace(/^ \(\w+\)/, '').replace(/^, reason: \w+/, '').replace(/^, error/, '').replace(/^:\s*/, '').trim();
  return { ref: namespace ? { kind: kind!, namespace, name: name! } : { kind: kind!, name: name! }, reason, detail };
}

/** Vars naming the object an apply error is about, for remediation commands. */
export function targetVars(t: ApplyTarget | null): Record<string, string> {
  if (!t) return {};
  const vars: Record<string, string> = {
    objectRef: refKey(t.ref),
    objectKind: t.ref.kind,
    objectName: t.ref.name,
    objectResource: t.ref.kind.toLowerCase(),
  };
  if (t.ref.namespace) vars.objectNamespace = t.ref.namespace;
  return vars;
}

// ---------------------------------------------------------------------------------------------------------------
// Evidence and vars shared by the family.

/** Ready=False with one of the reasons, or null. */
export function failing(obj: KubeObject, reasons: string[]): Condition | null {
  const ready = condition(obj, 'Ready');
  return ready?.status === 'False' && reasons.includes(ready.reason ?? '') ? ready : null;
}

/** Reasons set before anything of the new revision reaches the cluster. */
const BEFORE_APPLY = new Set(['ArtifactFailed', 'DirCreationFailed', 'BuildFailed', 'DependencyNotReady', 'AccessDenied', 'FeatureGateDisabled', 'InvalidCELExpression', 'ValidationFailed']);

/**
 * What runs in the cluster while the new revision fails. lastAppliedRevision only moves on full success, so
 * after a build failure the cluster runs it unchanged; after an apply, prune or health check failure the new
 * revision is (partly) applied and lastAppliedRevision is only the last revision that fully succeeded.
 */
export function revisionEvidence(obj: KubeObject): string[] {
  const applied = obj.status?.lastAppliedRevision;
  const attempted = obj.status?.lastAttemptedRevision;
  const reason = condition(obj, 'Ready')?.reason ?? '';
  const hasApplied = typeof applied === 'string' && applied !== '';
  if (typeof attempted !== 'string' || !attempted) return [];
  if (!hasApplied) return [`no revision was ever applied successfully (last attempted ${attempted})`];
  if (attempted === applied) return [];
  if (BEFORE_APPLY.has(reason)) return [`revision ${attempted} failed before anything was applied; the cluster still runs ${applied}`];
  if (reason === 'ReconciliationFailed') {
    const partial = applyError(condition(obj, 'Ready')?.message ?? '') !== (condition(obj, 'Ready')?.message ?? '').trim();
    return [`revision ${attempted} failed to apply${partial ? ' (the objects listed after the error were applied)' : ''}; last fully applied revision: ${applied}`];
  }
  return [`revision ${attempted} is applied but did not complete (${reason}); last fully successful revision: ${applied}`];
}

/** The condition (redacted) followed by the revision note. */
export function baseEvidence(obj: KubeObject, c: Condition): string[] {
  return [conditionEvidence(c), ...revisionEvidence(obj)];
}

/** Common vars: the Flux namespace (controller logs), spec.path, spec.timeout. */
export function ksVars(obj: KubeObject, index: ClusterIndex): Record<string, string> {
  const vars: Record<string, string> = { fluxNamespace: index.cluster.fluxNamespace };
  const path = obj.spec?.path;
  vars.path = typeof path === 'string' && path ? (path.startsWith('./') || path.startsWith('/') ? path : `./${path}`) : './';
  vars.timeout = kustomizationTimeout(obj)?.text ?? 'the default';
  return vars;
}

/** A failure younger than this that the controller retries is more likely a blip than a breakage. */
export const TRANSIENT_MS = 10 * 60_000;

/** True when the condition changed less than `ms` ago (a fresh failure). */
export function isFresh(c: Condition, now: number, ms = TRANSIENT_MS): boolean {
  const age = ageOf(c.lastTransitionTime, now);
  return age !== null && age < ms;
}

export { controllerRef, escapeRegExp, nounOf, stateLine } from '../shared';
