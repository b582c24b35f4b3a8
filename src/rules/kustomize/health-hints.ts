// Readings of health-check messages beyond the kstatus list `<Kind>/<ns>/<name> status: '<s>'` (flux/refs).
import { condition, type Condition } from '../../flux/conditions';
import { FLUX_KINDS, fluxKind } from '../../flux/kinds';
import { inventory, parseStatusItems, type ObjRef } from '../../flux/refs';
import { isBuiltinApiVersion } from '../apiserver-hints';
import type { ClusterIndex } from '../../snapshot/indexes';
import type { KubeObject } from '../../snapshot/schema';
import { oncePerObject, troubleOf, workloadEvents, type WorkloadTrouble } from '../workload-trouble';
import type { RemediationTemplate } from '../types';
import { RBAC_FORBIDDEN } from './messages';
import { builtinKind } from '../../kube/builtin-kinds';

// Workload resources a health check names by their plural (pre-0.8 form); Flux kinds come from their descriptors.
const WORKLOAD_PLURALS: Record<string, string> = {
  deployments: 'Deployment', statefulsets: 'StatefulSet', daemonsets: 'DaemonSet', jobs: 'Job', services: 'Service',
  pods: 'Pod', persistentvolumeclaims: 'PersistentVolumeClaim', replicasets: 'ReplicaSet', ingresses: 'Ingress',
};

function kindOfPlural(plural: string): string {
  const flux = FLUX_KINDS.find((k) => k.plural === plural);
  if (flux) return flux.kind;
  return WORKLOAD_PLURALS[plural] ?? plural.replace(/s$/, '').replace(/^./, (c) => c.toUpperCase());
}

/** The health check failure: Ready=False HealthCheckFailed, or Healthy=False from the last attempt while a new one runs. */
export function healthCheckFailure(ks: KubeObject): Condition | null {
  const ready = condition(ks, 'Ready');
  const healthy = condition(ks, 'Healthy');
  if (ready?.status === 'False' && ready.reason === 'HealthCheckFailed') return ready;
  return healthy?.status === 'False' && healthy.reason === 'HealthCheckFailed' && ready?.status !== 'True' ? healthy : null;
}

/** The objects a health check message names, in every format kustomize-controller has written. */
export function healthCheckItems(message: string): { ref: ObjRef; status: string }[] {
  const items = parseStatusItems(message).map((i) => ({ ref: i.ref, status: i.status }));
  // `can't determine status for <ref>` and, from ssa ≤ v0.35 (Flux 2.0–2.2), `<ref> (unknown status)`.
  for (const m of message.matchAll(/(?:can't determine status for ([A-Za-z][A-Za-z0-9]*)\/(?:([^/\s,\]]+)\/)?([^\s/,\]]+)|([A-Za-z][A-Za-z0-9]*)\/(?:([^/\s,\]]+)\/)?([^\s/,\]]+) \(unknown status\))/g)) {
    const [kind, namespace, name] = m[1] ? [m[1], m[2], m[3]!] : [m[4]!, m[5], m[6]!];
    items.push({ ref: namespace ? { kind, namespace, name } : { kind, name }, status: 'Unknown' });
  }
  items.push(...legacyTimedOut(message));
  return items;
}

/** Why the workloads a failed health check waited on never became ready, from their events (FD317, FD028, FD034 ask). */
export const healthCheckTrouble = oncePerObject(findHealthCheckTrouble);

function findHealthCheckTrouble(ks: KubeObject, index: ClusterIndex, now: number): WorkloadTrouble | null {
  const failed = healthCheckFailure(ks);
  if (!failed) return null;
  const items = healthCheckItems(failed.message ?? '');
  if (items.some((i) => i.status === 'Terminating')) return null;
  return troubleOf(items.filter((i) => !fluxKind(i.ref.kind)).flatMap((i) => workloadEvents(index, i.ref, now)));
}

/**
 * kustomize-controller before v0.8 (Flux 0.8): `Health check timed out for [<plural>[.<group>] '<ns>/<name>', …]`.
 * Each item is reported as timed out (status unknown to the message).
 */
export function legacyTimedOut(message: string): { ref: ObjRef; status: string }[] {
  const list = message.match(/Health check timed out for \[([^\]]*)\]/)?.[1];
  if (!list) return [];
  return [...list.matchAll(/([a-z0-9]+)(?:\.[a-z0-9.-]+)? '(?:([^'/]+)\/)?([^']+)'/g)].map((m) => {
    const kind = kindOfPlural(m[1]!);
    return { ref: m[2] ? { kind, namespace: m[2], name: m[3]! } : { kind, name: m[3]! }, status: 'NotReady' };
  });
}

/** Objects stuck in deletion: their finalizer's controller is gone or failing, not a slow rollout. */
export function terminatingHint(refs: ObjRef[]): { explanation: string; remediation: RemediationTemplate[] } | null {
  const first = refs[0];
  if (!first) return null;
  const resource = first.kind.toLowerCase();
  const ns = first.namespace ? ` -n ${first.namespace}` : '';
  return {
    explanation: 'The health check waits for objects that are being deleted (status Terminating): they carry a deletion timestamp and stay until their finalizers are removed, which only the controller that put them there does. Usually that controller is not installed any more (e.g. the image automation controllers were removed while their objects remained), is failing, or the object is being recreated under the same name. Waiting longer does not help.',
    remediation: [
      { description: `See the finalizers and deletion time of ${first.kind}/${first.namespace ? `${first.namespace}/` : ''}${first.name}`, command: `kubectl --context {context}${ns} get ${resource} ${first.name} -o jsonpath='{.metadata.deletionTimestamp}{" "}{.metadata.finalizers}'` },
      { description: 'Make sure the controller that owns the finalizer runs (for Flux kinds: flux check); only if it is gone for good, remove the finalizer by hand', command: `kubectl --context {context}${ns} patch ${resource} ${first.name} --type=merge -p '{"metadata":{"finalizers":null}}'` },
    ],
  };
}

export interface ForbiddenHint {
  title: string;
  explanation: string;
  remediation: RemediationTemplate[];
  vars: Record<string, string>;
}

/**
 * A health check that cannot read what it waits for: kstatus reports the object `Unknown` with the API error
 * (`timeout waiting for: [<Kind>/<ns>/<name>: 'Unknown': <resource> is forbidden: User "<u>" cannot <verb> resource
 * …]`), and the wait then runs out. The account kustomize-controller acts as (spec.serviceAccountName, its
 * --default-service-account, or its own) may apply the objects but not get/list/watch them: no timeout helps.
 */
export function forbiddenHint(message: string, ks: KubeObject): ForbiddenHint | null {
  const m = message.match(RBAC_FORBIDDEN);
  if (!m) return null;
  const [, user, verb, resource, group, namespace] = m;
  const rbacResource = group ? `${resource}.${group}` : resource!;
  const ref = message.match(/([A-Za-z][A-Za-z0-9]*\/(?:[^/\s,\]]+\/)?[^\s/,\]:]+):? (?:status: )?'\w+': [^\]]*?is forbidden/)?.[1];
  const sa = user!.match(/^system:serviceaccount:([^:]+):(.+)$/);
  const specSA = typeof ks.spec?.serviceAccountName === 'string' ? ks.spec.serviceAccountName : '';
  const who = sa && sa[2] === 'kustomize-controller' && !specSA
    ? `kustomize-controller's own account ${sa[1]}/${sa[2]}, whose RBAC was narrowed from the cluster-admin binding of the Flux installation,`
    : sa ? `the ServiceAccount ${sa[1]}/${sa[2]} that kustomize-controller impersonates (spec.serviceAccountName${specSA ? '' : ', or the controller\'s --default-service-account'})`
      : `${user}`;
  const scope = namespace ? `-n ${namespace}` : '';
  const role = `${sa ? sa[2] : 'flux'}-read-${resource}`;
  const binding = namespace
    ? `kubectl --context {context} create role ${role} -n ${namespace} --verb=get,list,watch --resource=${rbacResource} --dry-run=client -o yaml`
    : `kubectl --context {context} create clusterrole ${role} --verb=get,list,watch --resource=${rbacResource} --dry-run=client -o yaml`;
  return {
    title: `Health check cannot read ${ref ?? rbacResource}: ${sa ? `${sa[1]}/${sa[2]}` : user} may not ${verb} ${rbacResource}${namespace ? ` in ${namespace}` : ''}`,
    explanation: `The objects were applied, but the health check could not read their status: the API server refused to let ${who} ${verb} ${rbacResource}${namespace ? ` in namespace ${namespace}` : ' at the cluster scope'}, so kstatus reported them as Unknown until spec.timeout ran out. Applying needs create/patch; waiting needs get, list and watch on every kind it checks (spec.wait checks all applied objects, spec.healthChecks the listed ones). A longer timeout cannot help: grant get/list/watch on ${rbacResource} to that account in Git (a ${namespace ? 'Role and RoleBinding' : 'ClusterRole and ClusterRoleBinding'}), or stop checking objects it may not read (spec.wait: false with explicit spec.healthChecks).`,
    remediation: [
      { description: `Check what ${user} may do with ${rbacResource}`, command: `kubectl --context {context} auth can-i ${verb} ${rbacResource}${scope ? ` ${scope}` : ''} --as=${user}` },
      { description: `Grant get/list/watch on ${rbacResource} to ${sa ? `${sa[1]}/${sa[2]}` : user} in Git; this prints a ${namespace ? 'Role' : 'ClusterRole'} to commit (bind it with a ${namespace ? 'RoleBinding' : 'ClusterRoleBinding'})`, command: binding },
    ],
    vars: { user: user!, verb: verb!, rbacResource },
  };
}

/** Built-in kinds with no namespace: a health-check item `<Kind>/<ns>/<name>` for one of them was given a namespace. */
const CLUSTER_SCOPED = new Set([
  'CustomResourceDefinition', 'Namespace', 'ClusterRole', 'ClusterRoleBinding', 'StorageClass', 'PriorityClass',
  'PersistentVolume', 'IngressClass', 'RuntimeClass', 'CSIDriver', 'APIService', 'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'Node',
]);

/**
 * `Unknown` for a cluster-scoped kind listed with a namespace: the manifest carries metadata.namespace (a kustomize
 * namespace transformer sets it on kinds it does not know as cluster-scoped), and the wait looks the object up in a
 * namespace where it does not exist.
 */
export function namespacedClusterKindHint(items: { ref: ObjRef; status: string }[]): { title: string; explanation: string; remediation: RemediationTemplate[]; replaceRemediation: true } | null {
  const item = items.find((i) => i.status === 'Unknown' && i.ref.namespace && CLUSTER_SCOPED.has(i.ref.kind));
  if (!item) return null;
  return {
    title: `Health check looks for the cluster-scoped ${item.ref.kind} ${item.ref.name} in namespace ${item.ref.namespace}: its manifest sets metadata.namespace`,
    explanation: `${item.ref.kind} objects have no namespace, but the manifest gives ${item.ref.name} one (metadata.namespace, often set by a kustomize namespace transformer or copied from an upstream file). The apply ignores it, the health check does not: it looks the object up in ${item.ref.namespace}, finds nothing and reports Unknown until spec.timeout. Remove metadata.namespace from that manifest (or exclude it from the namespace transformer); waiting longer does not help.`,
    remediation: [
      { description: `Find the manifest of ${item.ref.name} under spec.path (run at the repository root) and remove its metadata.namespace`, command: `grep -rln 'name: ${item.ref.name}' {path}` },
      { description: 'Check the build: the object must come out without a namespace', command: 'flux --context {context} build kustomization {name} -n {namespace} --path {path}' },
    ],
    replaceRemediation: true,
  };
}

/** The API group of an object the health check names: from the inventory, else from spec.healthChecks. */
function groupOf(ks: KubeObject, ref: ObjRef): string | null {
  const entry = inventory(ks).find((e) => e.kind === ref.kind && e.name === ref.name && e.namespace === (ref.namespace ?? ''));
  if (entry) return entry.group;
  const checks: any[] = Array.isArray(ks.spec?.healthChecks) ? ks.spec.healthChecks : [];
  const check = checks.find((c) => c?.kind === ref.kind && c?.name === ref.name && typeof c?.apiVersion === 'string');
  return check ? (check.apiVersion.includes('/') ? check.apiVersion.split('/')[0] : '') : null;
}

/**
 * Every object the health check still waits for is a custom resource (a group Kubernetes does not serve itself, not
 * Flux's): its status comes from the operator serving that API, not from pods, and kstatus reads it only through a
 * Ready/Stalled/Reconciling condition and status.observedGeneration. Pods and a longer timeout are the wrong leads.
 */
export function customResourceHint(ks: KubeObject, items: { ref: ObjRef; status: string }[]): { explanation: string; remediation: RemediationTemplate[]; replaceRemediation: true } | null {
  const waiting = items.filter((i) => !fluxKind(i.ref.kind) && i.status !== 'Terminating');
  if (waiting.length === 0) return null;
  const groups = waiting.map((i) => groupOf(ks, i.ref));
  if (groups.some((g) => g === null || isBuiltinApiVersion(`${g}/v1`))) return null;
  const first = waiting[0]!.ref;
  const group = groups[0]!;
  const inv = inventory(ks).find((e) => e.kind === first.kind && e.name === first.name);
  return {
    explanation: `The Kustomization waits for ${waiting.length === 1 ? `a custom resource (${first.kind} of ${group})` : `custom resources (${[...new Set(waiting.map((i) => i.ref.kind))].join(', ')})`}. Its status is written by the operator that serves that API, not by pods: '${waiting[0]!.status}' means that operator has not marked it ready. It may still be working or failing on something outside the cluster (a certificate challenge, a cloud API), its own dependencies may be missing, the operator may not be running, or the resource's status may not follow the conventions kstatus reads (a Ready condition and status.observedGeneration), in which case it never looks ready to Flux however long it waits.`,
    remediation: [
      { description: `Read ${first.kind} ${first.name}'s status conditions and events: its operator says why it is not ready`, command: `kubectl --context {context}${first.namespace ? ` -n ${first.namespace}` : ''} describe ${first.kind.toLowerCase()}.${group} ${first.name}` },
      { description: `Check that the operator serving ${group} is running and its logs mention ${first.name} (a resource nobody reconciles stays InProgress)` },
      { description: `If the resource is fine but Flux cannot read its status, say how to: spec.healthCheckExprs with apiVersion ${group}/${inv?.version || '<version>'}, kind ${first.kind} and a 'current' CEL expression (Flux 2.5+), or wait only on what matters (spec.wait: false with spec.healthChecks), in Git` },
      { description: 'Run the health checks again', command: 'flux --context {context} reconcile kustomization {name} -n {namespace}' },
    ],
    replaceRemediation: true,
  };
}

const UNMAPPED = /no matches for kind "([^"]+)" in (?:group|version) "([^"]*)"/;

/**
 * The health check cannot look an object up: the API server maps no such kind in that group/version
 * (`… (status 'Unknown'): no matches for kind "Job" in group ""`). Usually a spec.healthChecks entry with the wrong
 * apiVersion (Job is batch/v1, not v1), or a CRD that is not installed; waiting longer cannot help.
 */
export function unmappedKindHint(message: string, ks: KubeObject): { title: string; explanation: string; remediation: RemediationTemplate[]; replaceRemediation: true } | null {
  const m = message.match(UNMAPPED);
  if (!m) return null;
  const [, kind, groupVersion] = m as unknown as [string, string, string];
  const checks: any[] = Array.isArray(ks.spec?.healthChecks) ? ks.spec.healthChecks : [];
  const check = checks.find((c) => c?.kind === kind);
  const builtin = builtinKind(kind);
  const right = builtin ? (builtin.group ? `${builtin.group}/${builtin.version}` : builtin.version) : null;
  const asked = groupVersion === '' ? 'the core group ("")' : `"${groupVersion}"`;
  const wrongBuiltin = right && check && check.apiVersion !== right;
  return {
    title: wrongBuiltin
      ? `Health check names ${kind} with apiVersion ${check.apiVersion}: ${kind} is served as ${right}`
      : `Health check cannot look up ${kind}: the API server serves no ${kind} in ${asked}`,
    explanation: `kustomize-controller asks the API server for the status of each object it checks, by kind and apiVersion. There is no ${kind} in ${asked}, so the status stays Unknown and the check fails whatever the object's state. ${right ? `${kind} is a Kubernetes kind served as ${right}: fix the apiVersion of the spec.healthChecks entry.` : `Either the apiVersion of the spec.healthChecks entry is wrong, or the CRD of ${kind} is not installed (yet): install it first (a Kustomization this one depends on).`} Waiting longer does not help.`,
    remediation: [
      { description: `See the health checks of the Kustomization${check ? ` (the ${kind} entry has apiVersion ${check.apiVersion})` : ''}`, command: 'kubectl --context {context} -n {namespace} get kustomization {name} -o jsonpath=\'{.spec.healthChecks}\'' },
      right
        ? { description: `Set apiVersion: ${right} on the ${kind} entry of spec.healthChecks in Git` }
        : { description: `See which versions of ${kind} the cluster serves`, command: `kubectl --context {context} api-resources | grep -w ${kind}` },
      { description: 'Run the health checks again', command: 'flux --context {context} reconcile kustomization {name} -n {namespace}' },
    ],
    replaceRemediation: true,
  };
}
