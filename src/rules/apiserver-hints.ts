// API server errors both families meet, read the same way for a Kustomization apply and a Helm action: a full
// ResourceQuota, RBAC escalation prevention, an env entry with value and valueFrom, a typed-patch type mismatch under
// server-side apply, and built-in API versions that no longer exist.
import type { RemediationTemplate } from './types';

export interface ApplyHint {
  title: string;
  explanation: string;
  remediation: RemediationTemplate[];
}

// kube-apiserver ResourceQuota admission (plugin/pkg/admission/resourcequota, quota.CheckRequest): `exceeded quota:
// %s, requested: %s, used: %s, limited: %s` (`Exceeded quota: …` in Kubernetes before 1.9), wrapped by
// admission.NewForbidden as `<resource> "<name>" is forbidden: …`. A 403 like RBAC's, but the caller may create the
// object: the namespace has no room left for it. Also read by the Helm rules (the same API server error in Helm's tail).
// The amounts may be cut off where a message is quoted short: the quota name is enough.
export const QUOTA_EXCEEDED = /[Ee]xceeded quota: ([^,\s']+)(?:, requested: ([^\n]*?), used: ([^\n]*?), limited: ([^\n']*))?/;

/** `namespace`: where the refused object goes (the quota lives there); `ref`: the object, as the finding names it. */
export function quotaHint(m: RegExpMatchArray, namespace: string | null, ref: string): ApplyHint {
  const [, quota, requested, used, limited] = m;
  const ns = namespace ? ` -n ${namespace}` : ' -A';
  return {
    title: `ResourceQuota ${quota}${namespace ? ` in ${namespace}` : ''} has no room for ${ref}`,
    explanation: `The API server's ResourceQuota admission refused ${ref}: with it, the namespace${namespace ? ` ${namespace}` : ''} would exceed the quota ${quota}${requested ? ` (requested ${requested.trim()}, used ${used!.trim()}, limited ${limited!.trim()})` : ''}. The error is a 403 Forbidden like RBAC's, but permissions are fine: the namespace is out of room. Raise the quota's hard limit (where the quota is managed: often by the platform team, or another Kustomization), shrink the request in the manifest or values (a PVC's storage, a container's requests/limits), or free room by deleting objects that count against it (e.g. released PVCs).`,
    remediation: [{ description: `See the quota ${quota}: its hard limits and what is used`, command: `kubectl --context {context}${ns} describe resourcequota ${quota}` }],
  };
}

// Kubernetes RBAC escalation prevention (pkg/registry/rbac, escalation_check / ConfirmNoEscalation): creating or
// updating a Role/ClusterRole needs every permission it grants, or the escalate verb on it; a binding needs the
// role's permissions or the bind verb. The API server says `<resource> "<name>" is forbidden: user "<user>"
// (groups=[…]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[…], Resources:[…],
// Verbs:[…]}` (rules separated by newlines; older versions also append `; RBAC clearing …`). A 403 like RBAC's
// `cannot <verb>`, with another remedy. Also read by the Helm rules.
export const RBAC_ESCALATION = /user "([^"]+)" \(groups=\[[^\]]*\]\) is attempting to grant RBAC permissions not currently held/;

export interface EscalationHint extends ApplyHint {
  /** The first permission the account lacks, for the rules' `kubectl auth can-i` steps. */
  verb?: string;
  resource?: string;
}

/** `namespace`: of the Role (null for a ClusterRole); `kind`: the refused RBAC object's kind, when known. */
export function rbacEscalationHint(message: string, kind: string | null, ref: string, namespace: string | null, controller: string): EscalationHint | null {
  const m = message.match(RBAC_ESCALATION);
  if (!m) return null;
  const user = m[1]!;
  const after = message.slice((m.index ?? 0) + m[0].length);
  const rules = [...after.matchAll(/\{APIGroups:\[([^\]]*)\], Resources:\[([^\]]*)\][^}]*?Verbs:\[([^\]]*)\]\}/g)];
  const words = (s: string) => [...s.matchAll(/"([^"]*)"/g)].map((w) => w[1]!);
  const missing = rules.map((r) => {
    const groups = words(r[1]!);
    const resources = words(r[2]!);
    return { group: groups[0] ?? '', resources, verbs: words(r[3]!) };
  });
  const first = missing[0];
  const lacks = missing.map((r) => `${r.verbs.join('/')} on ${r.resources.map((x) => (r.group ? `${x}.${r.group}` : x)).join(', ')}`).join('; ');
  const binding = kind ? /Binding$/.test(kind) : false;
  const roleResource = kind === 'ClusterRole' || kind === 'ClusterRoleBinding' ? 'clusterroles' : 'roles';
  const verb = binding ? 'bind' : 'escalate';
  const scope = namespace ? ` -n ${namespace}` : '';
  return {
    title: `${user} may not grant permissions it does not hold in ${ref} (RBAC escalation check)`,
    explanation: `Kubernetes refuses to let an account create or update a ${binding ? 'RoleBinding or ClusterRoleBinding' : 'Role or ClusterRole'} that grants permissions the account does not hold itself, unless it has the "${verb}" verb on ${roleResource}.rbac.authorization.k8s.io. ${controller} applied ${ref} as ${user}${lacks ? `, which lacks ${lacks}` : ''}. Creating Roles is allowed; holding what they grant is not there. Either grant the account those permissions (or "${verb}" on ${roleResource}) where its own Role/ClusterRole is defined, or drop the rule from ${ref} in Git if it is not needed.`,
    remediation: [{ description: `Check whether ${user} may ${verb} ${roleResource} (which lets it grant what it does not hold)`, command: `kubectl --context {context} auth can-i ${verb} ${roleResource}.rbac.authorization.k8s.io${scope} --as=${user}` }],
    ...(first?.verbs[0] && first.resources[0] ? { verb: first.verbs[0], resource: first.group ? `${first.resources[0]}.${first.group}` : first.resources[0] } : {}),
  };
}

// Kubernetes core validation (validateEnvVarValueFrom): an env entry with both a literal value and valueFrom,
// `<path>.env[<i>].valueFrom: Invalid value: "": may not be specified when \`value\` is not empty`. The manifest
// rarely says both: a strategic merge patch (kustomize patches, Helm 3's three-way merge) or server-side apply
// merges a new valueFrom into an entry whose value came from the base or is owned by another field manager
// (kubectl set env, an earlier client-side apply, an operator). Also read by the Helm rules.
export const ENV_VALUE_AND_VALUE_FROM = /((?:[\w.]+\.)?(?:initContainers|containers|ephemeralContainers)\[(\d+)\]\.env\[(\d+)\])\.valueFrom: Invalid value: "": may not be specified when `value` is not empty/;

/** `kubectlObject`: `-n <ns> <resource> <name>` of the refused object, when known; `tool`: who merged. */
export function envValueFromHint(m: RegExpMatchArray, ref: string, kubectlObject: string | null, tool: 'kustomize' | 'helm'): ApplyHint {
  const path = m[1]!;
  const jsonPath = `/${path!.replace(/\[(\d+)\]/g, '/$1').replace(/\./g, '/')}/value`;
  const manifest = tool === 'kustomize'
    ? 'In the manifest, a kustomize patch (strategic merge) that adds valueFrom to an env entry of the base keeps the base\'s value: delete it in the same patch (value: null, or a JSON 6902 patch with op remove on its value), or replace the whole entry ($patch: replace).'
    : 'With Helm 3 the upgrade is a three-way strategic merge: a value the previous chart did not set (added with kubectl set env, or by another tool) survives when the new chart moves the variable to valueFrom.';
  return {
    title: `${path} of ${ref} ends up with both value and valueFrom`,
    explanation: `The API server refused ${ref}: its env entry ${path} holds a literal value and a valueFrom at once, which Kubernetes forbids. The rendered ${tool === 'kustomize' ? 'manifest' : 'chart'} usually sets only one of them; the other comes from a merge. ${manifest} When the rendered object sets only valueFrom, the value is in the live object and owned by another field manager (kubectl set env or edit, an earlier client-side apply, an operator), which ${tool === 'kustomize' ? 'server-side apply' : 'the patch'} leaves in place: remove value from the live object (or take the object over with the force annotation / delete it), then apply again.`,
    remediation: [
      ...(tool === 'kustomize' ? [{ description: `Render the manifests and look at ${path} (run at the repository root)`, command: 'flux --context {context} build kustomization {name} -n {namespace} --path {path}' }] : []),
      ...(kubectlObject ? [
        { description: `See who owns the value of that env entry in the live ${ref} (managedFields)`, command: `kubectl --context {context} ${kubectlObject} -o yaml --show-managed-fields` },
        { description: `If the live object holds the stray value, remove it (check that ${path.replace(/^.*env/, 'env')} is the same entry in the live object first)`, command: `kubectl --context {context} patch ${kubectlObject.replace(/^(-n \S+ )?get /, '$1')} --type=json -p '[{"op":"remove","path":"${jsonPath}"}]'` },
      ] : []),
    ],
  };
}

// Server-side apply types the applied object against the API's schema (structured-merge-diff, relayed by apimachinery
// managedfields as `failed to create typed patch object (<ns>/<name>; <gv>, Kind=<Kind>): <path>: expected <type>,
// got &value.valueUnstructured{Value:<v>}`). YAML reads an unquoted true, 1 or 2026.01 as a boolean or number, which a
// string field (labels, annotations, ConfigMap data, env values, nodeSelector, a tag) refuses. Also read by the Helm
// rules (Helm 4 applies server-side).
export const TYPED_MISMATCH = /failed to create typed patch object \(([^;)]*); [^)]*Kind=(\w+)\): (\.\S+): expected (\w+), got &value\.valueUnstructured\{Value:([^}\n]*)\}/;

/** `quoteWhere`: where the manifest comes from, for the fix sentence. */
export function typedMismatchHint(m: RegExpMatchArray, quoteWhere: string): ApplyHint {
  const [, object, kind, path, expected, value] = m;
  const ref = `${kind}/${object}`;
  const scalar = /^(?:true|false|-?[\d.eE+-]+)$/.test(value!.trim());
  const fix = expected === 'string' && scalar
    ? `The manifest has a bare ${value!.trim()} there, which YAML reads as a ${/^(?:true|false)$/.test(value!.trim()) ? 'boolean' : 'number'}: quote it ("${value!.trim()}") ${quoteWhere}. Labels, annotations, ConfigMap data, env values and nodeSelector values are always strings. A SOPS-encrypted value that kept a numeric type (ENC[…,type:int]) decrypts to a number too: re-encrypt it as a string.`
    : `The schema wants a ${expected} at ${path} and the manifest has ${value!.trim() || 'another type'} there (often a value at the wrong indentation or a list where a map belongs): fix it ${quoteWhere}.`;
  return {
    title: `${path} of ${ref} must be a ${expected}, the manifest has ${value!.trim() || 'another type'}`,
    explanation: `Server-side apply checks every field of ${ref} against the API's schema before anything else, and ${path} is a ${expected} field. ${fix} Client-side apply converted such values silently; server-side apply does not. The dry-run failed, so nothing of this apply stage was applied.`,
    remediation: [{ description: `Make ${path} of ${ref} a ${expected} ${quoteWhere}` }],
  };
}

// API groups Kubernetes serves itself (kube-apiserver and its aggregated core APIs). `no matches for kind "<K>" in
// version "<group>/<v>"` for one of them is a removed (or misspelt) built-in API version, never a missing CRD. Listed
// exactly: CRD groups also end in .k8s.io (gateway.networking.k8s.io, snapshot.storage.k8s.io, x-k8s.io projects).
const BUILTIN_GROUPS = new Set([
  '', 'apps', 'extensions', 'batch', 'policy', 'autoscaling',
  'networking.k8s.io', 'rbac.authorization.k8s.io', 'storage.k8s.io', 'admissionregistration.k8s.io',
  'apiextensions.k8s.io', 'apiregistration.k8s.io', 'certificates.k8s.io', 'coordination.k8s.io', 'discovery.k8s.io',
  'events.k8s.io', 'flowcontrol.apiserver.k8s.io', 'node.k8s.io', 'scheduling.k8s.io', 'authentication.k8s.io',
  'authorization.k8s.io', 'resource.k8s.io', 'internal.apiserver.k8s.io', 'storagemigration.k8s.io',
]);

/** The group of `<group>/<version>` (or '' for core `v1`) is one Kubernetes serves itself. */
export function isBuiltinApiVersion(apiVersion: string): boolean {
  return BUILTIN_GROUPS.has(apiVersion.includes('/') ? apiVersion.split('/')[0]! : '');
}

/** Kubernetes versions that stopped serving well-known beta APIs (the deprecated API migration guide). */
export function removedIn(kind: string, apiVersion: string): string | null {
  if (apiVersion === 'extensions/v1beta1') return kind === 'Ingress' ? '1.22' : '1.16';
  if (apiVersion === 'apps/v1beta1' || apiVersion === 'apps/v1beta2') return '1.16';
  if (['networking.k8s.io/v1beta1', 'rbac.authorization.k8s.io/v1beta1', 'admissionregistration.k8s.io/v1beta1', 'apiextensions.k8s.io/v1beta1'].includes(apiVersion)) return '1.22';
  if (['policy/v1beta1', 'batch/v1beta1', 'autoscaling/v2beta1'].includes(apiVersion)) return '1.25';
  if (apiVersion === 'autoscaling/v2beta2') return '1.26';
  return null;
}

// Field errors of core validation whose fix is not obvious from the field path alone (apimachinery field.Invalid /
// field.Required texts, relayed in the dry-run or Helm error).
const INVALID_FIELDS: { pattern: RegExp; title: (m: RegExpMatchArray) => string; explanation: string }[] = [
  {
    // validation.IsConfigMapKey: `data[<key>]: Invalid value: "<key>": a valid config key must consist of alphanumeric characters, '-', '_' or '.'`
    pattern: /(?:data|binaryData|stringData)\[([^\]]+)\]: Invalid value: [^\n]*?a valid config key must consist of alphanumeric characters/,
    title: (m) => `ConfigMap/Secret key "${m[1]}" is not a valid key (only letters, digits, '-', '_' and '.')`,
    explanation: 'ConfigMap and Secret keys are file names in a flat map: no "/" or other characters. Rename the key; to mount it under a sub-directory, keep a flat key and set the path in the volume\'s items[].path.',
  },
  {
    // apps validation: `spec.template.metadata.labels: Invalid value: …: \`selector\` does not match template \`labels\``
    pattern: /`selector` does not match template `labels`/,
    title: () => 'spec.selector does not match the pod template\'s labels',
    explanation: 'A Deployment, StatefulSet, DaemonSet or ReplicaSet selects its pods by spec.selector.matchLabels, which must be a subset of spec.template.metadata.labels. Usually a kustomize labels transformer, commonLabels or a patch changed one side only. The selector is immutable once created: change the template labels to match, or recreate the object.',
  },
  {
    // apimachinery ValidateAnnotationsSize: all annotations of an object together ≤ 256 KiB (TotalAnnotationSizeLimitB).
    pattern: /metadata\.annotations: Too long: must have at most 262144 (?:characters|bytes)/,
    title: () => 'Annotations over the 256 KiB limit: the object is too large for client-side apply\'s last-applied-configuration annotation',
    explanation: 'The API server limits the annotations of an object to 256 KiB in total. Client-side apply (kubectl apply, kustomize-controller before Flux 0.18, CRDs applied client-side) copies the whole object into the kubectl.kubernetes.io/last-applied-configuration annotation, so a large ConfigMap (Grafana dashboards, scripts) or CRD overflows it even when its own annotations are small. Server-side apply keeps no such annotation: upgrade Flux (kustomize-controller applies server-side since Flux 0.18), apply that object server-side, or split it; if the manifest itself carries a huge annotation, shrink it.',
  },
  {
    // A HelmRelease without spec.chart: chartRef exists from helm.toolkit.fluxcd.io/v2beta2 (Flux 2.2); in v2beta1 the API server prunes it.
    pattern: /HelmRelease\.helm\.toolkit\.fluxcd\.io "[^"]+" is invalid: spec\.chart: Required value/,
    title: () => 'HelmRelease without spec.chart: spec.chartRef needs helm.toolkit.fluxcd.io/v2 (v2beta2 from Flux 2.2)',
    explanation: 'spec.chart is required unless spec.chartRef is set, and spec.chartRef only exists from helm.toolkit.fluxcd.io/v2beta2 (Flux 2.2) on: in a v2beta1 manifest the API server prunes it, so the object has no chart at all. Change the manifest\'s apiVersion to helm.toolkit.fluxcd.io/v2, or give it a spec.chart.',
  },
];

/** A title and explanation for a field error whose cause the path alone does not say; null for others. */
export function invalidFieldHint(message: string): { title: string; explanation: string } | null {
  for (const f of INVALID_FIELDS) {
    const m = message.match(f.pattern);
    if (m) return { title: f.title(m), explanation: f.explanation };
  }
  return null;
}
