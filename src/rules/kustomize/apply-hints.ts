// FD311 rejections whose cause is not the manifest. Server-side apply merges field ownership: the API server converts
// the object's metadata.managedFields entries recorded at another apiVersion of a CRD through that CRD's conversion
// webhook (structured-merge-diff: `failed to prune fields: failed add back owned items: failed to convert pruned
// object at version <gv>: <err>`; apiextensions: `conversion webhook for <gv>, Kind=<kind> returned invalid metadata
// …` or `… failed: <err>`). A webhook that cannot convert those entries fails every apply of the object, whatever Git says.
import type { ApplyTarget } from './messages';
import type { RemediationTemplate } from '../types';

/** Structured-merge-diff reached the conversion webhook while re-adding owned fields (the managedFields step). */
export const MANAGED_FIELDS_CONVERSION = /failed to prune fields: [^\n]*?conversion webhook for ([^,\s]+), Kind=(\w+)( returned invalid metadata| failed)?/;

export interface ApplyHint {
  title: string;
  explanation: string;
  remediation: RemediationTemplate[];
}

export function managedFieldsConversionHint(message: string, target: ApplyTarget | null): ApplyHint | null {
  const m = message.match(MANAGED_FIELDS_CONVERSION);
  if (!m) return null;
  const [, webhookGV, kind] = m;
  const version = message.match(/failed to convert pruned object at version (\S+?):/)?.[1];
  const versions = version && version !== webhookGV ? `${webhookGV} and ${version}` : webhookGV!;
  const ref = target ? `${target.ref.kind}/${target.ref.namespace ? `${target.ref.namespace}/` : ''}${target.ref.name}` : `a ${kind}`;
  const get = target ? `kubectl --context {context}${target.ref.namespace ? ` -n ${target.ref.namespace}` : ''} get ${target.ref.kind.toLowerCase()} ${target.ref.name}` : null;
  const patch = target ? `kubectl --context {context}${target.ref.namespace ? ` -n ${target.ref.namespace}` : ''} patch ${target.ref.kind.toLowerCase()} ${target.ref.name}` : null;
  const broken = /invalid metadata/.test(m[3] ?? '') ? 'returned an object without valid metadata' : 'failed (its error follows: unreachable, timing out or refusing the conversion)';
  return {
    title: `Conversion webhook for ${kind} (${webhookGV}) fails on the managedFields of ${ref}`,
    explanation: `The API server refused the server-side apply of ${ref} because of the object in the cluster, not the manifest in Git: to merge field ownership it converts the entries of the object's metadata.managedFields that were recorded at another apiVersion (${versions}) through the CRD's conversion webhook, and the webhook ${broken}. Every apply of this object fails until either the operator that serves the webhook can convert them (fix or upgrade it) or the stale managedFields entries are removed from the object. Changing the manifest does not help.`,
    remediation: [
      ...(get ? [{ description: `List the managedFields entries of ${ref} and find the ones at an old apiVersion (their position is the index <i> below)`, command: `${get} --show-managed-fields -o yaml` }] : []),
      ...(patch ? [{ description: 'Remove each stale entry (highest index first), then apply again', command: `${patch} --type=json -p '[{"op":"remove","path":"/metadata/managedFields/<i>"}]'` }] : []),
      { description: `Or fix the conversion webhook: see which service serves it for ${kind} and upgrade the operator to a version whose webhook converts ${versions}`, command: `kubectl --context {context} get crd -o jsonpath='{range .items[?(@.spec.names.kind=="${kind}")]}{.metadata.name}{" "}{.spec.conversion.webhook.clientConfig.service}{"\\n"}\\{end\\}'` },
    ],
  };
}

// Server-side apply reads lists such as containers[].ports or env as maps keyed by their merge keys
// (structured-merge-diff: `<path>: duplicate entries for key [<k>=<v>,…]`). Where the API server met the duplicate
// tells whose it is: `failed to create typed patch object (…)` is the applied manifest; `failed to create manager
// for existing fields: failed to convert new object (…) to smd typed` (the object had no managedFields yet) and
// `failed to create typed live object` are the object already in the cluster.
const DUPLICATE_KEY = /(\.[^\s:]+): duplicate entries for key (\[[^\]\n]*\])/;

export interface DuplicateKeyHint extends ApplyHint {
  replaceRemediation?: true;
}

export function duplicateKeyHint(message: string, target: ApplyTarget | null): DuplicateKeyHint | null {
  const m = message.match(DUPLICATE_KEY);
  if (!m) return null;
  const [, path, key] = m;
  const live = /failed to create manager for existing fields|failed to create typed live object/.test(message);
  const manifest = !live && /failed to create typed patch object/.test(message);
  const ref = target ? `${target.ref.kind}/${target.ref.namespace ? `${target.ref.namespace}/` : ''}${target.ref.name}` : 'the object';
  const kubectl = target ? `kubectl --context {context}${target.ref.namespace ? ` -n ${target.ref.namespace}` : ''}` : null;
  const object = target ? `${target.ref.kind.toLowerCase()} ${target.ref.name}` : null;
  const render = (what: string) => ({ description: `${what} ${key} in ${path} of ${ref} (run at the repository root)`, command: 'flux --context {context} build kustomization {name} -n {namespace} --path {path}' });
  const rule = `Server-side apply treats lists such as ports and env as maps keyed by their merge keys (container ports: containerPort and protocol, which defaults to TCP; env: name) and refuses a list holding the same key twice.`;
  if (!live) {
    return {
      title: `${ref} lists ${key} twice in ${path}`,
      explanation: `${rule} ${manifest ? 'The applied manifest' : 'The object'} holds two entries with the key ${key} in ${path}: for ports, often the same containerPort listed twice, or once without protocol and once with TCP. Remove one of them (client-side apply tolerated such duplicates, server-side apply does not). The dry-run failed, so nothing of this apply stage was applied.`,
      remediation: [render('Render the manifests and find the two entries'), { description: `Remove the duplicate ${key} entry from ${path} in the manifest (or the patch or chart values that add it) under {path}` }],
    };
  }
  return {
    title: `${ref} in the cluster holds ${key} twice in ${path}`,
    explanation: `${rule} Here the API server met the duplicate while converting the object already in the cluster (its existing fields), not the manifest: the live ${ref} holds two entries for ${key}, typically left by an earlier client-side apply or strategic merge patch (which merges container ports by containerPort alone). Every apply of this object fails until the live object is fixed. Before Flux 2.0 the same error also came from manifests listing one containerPort for both TCP and UDP (kustomize-controller#923; fluxcd/pkg#601 shows such ports apply with Flux 2.0): upgrade. Otherwise remove the duplicate from the live object, or delete the object and let Flux recreate it.`,
    remediation: [
      ...(kubectl && object ? [{ description: `See the entries of ${path} in the live ${ref}`, command: `${kubectl} get ${object} -o yaml` }] : []),
      render('Render the manifests to check that they do not list it twice as well: look for'),
      { description: 'With Flux before 2.0, upgrade (the versions running are listed here)', command: 'flux --context {context} check' },
      ...(kubectl && object ? [{ description: `Or delete ${ref} so that the next reconciliation recreates it from the manifest (its pods restart: plan the downtime)`, command: `${kubectl} delete ${object}` }] : []),
      { description: 'Apply again', command: 'flux --context {context} reconcile kustomization {name} -n {namespace}' },
    ],
    replaceRemediation: true,
  };
}

// kube-apiserver's Service registry allocates nodePorts cluster-wide: `spec.ports[<i>].nodePort: Invalid value: <port>:
// provided port is already allocated` (field.Invalid), and for healthCheckNodePort `failed to allocate requested
// HealthCheck NodePort <port>: provided port is already allocated`. The manifest is valid; another Service holds it.
const NODE_PORT_TAKEN = /(spec\.ports\[\d+\]\.nodePort): Invalid value: (\d+): provided port is already allocated|HealthCheck NodePort (\d+): provided port is already allocated/;

export function nodePortHint(message: string, target: ApplyTarget | null): ApplyHint | null {
  const m = message.match(NODE_PORT_TAKEN);
  if (!m) return null;
  const port = m[2] ?? m[3]!;
  const field = m[1] ?? 'spec.healthCheckNodePort';
  const ref = target ? `${target.ref.kind}/${target.ref.namespace ? `${target.ref.namespace}/` : ''}${target.ref.name}` : 'a Service';
  return {
    title: `nodePort ${port} of ${ref} is already allocated to another Service`,
    explanation: `${ref} asks for the fixed port ${port} (${field}), and node ports are allocated across the whole cluster: another Service, in any namespace, already holds it. The manifest is otherwise valid. Give this Service another port from the node port range, or leave the nodePort out so Kubernetes picks a free one, or free ${port} from the other Service if this one should own it.`,
    remediation: [
      { description: `Find the Service that holds ${port}`, command: `kubectl --context {context} get svc -A -o jsonpath='{range .items[*]}{.metadata.namespace}/{.metadata.name}{" "}{.spec.ports[*].nodePort}{" "}{.spec.healthCheckNodePort}{"\\n"}\\{end\\}' | grep -w ${port}` },
    ],
  };
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

// A Secret's .data value that is not base64. fluxcd/pkg ssa up to Flux 2.1 converted native objects to their Go types
// before the dry-run (SetNativeKindsDefaults) and failed on it client-side: `<Kind>/<ns>/<name> validation error:
// error decoding from json: illegal base64 data at input byte <n>` (`%s validation error: %w`); later versions skip
// objects that do not convert and the API server refuses the Secret while decoding it (same Go error, `illegal base64
// data at input byte <n>`). The byte offset is within the value.
export const SECRET_NOT_BASE64 = /illegal base64 data at input byte (\d+)/;

export function secretBase64Hint(m: RegExpMatchArray, target: ApplyTarget | null): ApplyHint | null {
  if (target && target.ref.kind !== 'Secret') return null;
  const ref = target ? `${target.ref.kind}/${target.ref.namespace ? `${target.ref.namespace}/` : ''}${target.ref.name}` : 'a Secret';
  return {
    title: `A .data value of ${ref} is not valid base64`,
    explanation: `Every value under a Secret's .data must be base64-encoded, and one value of ${ref} is not (the decoder stopped at byte ${m[1]} of it). Usual causes: a plain-text value written under data instead of stringData; a placeholder committed instead of the real value, such as the **SOPS** mask that flux build and flux diff print for SOPS-encrypted values, or a template left unrendered; base64 with line breaks or the URL-safe alphabet. Encode the value (base64 -w0), move plain values to stringData, or for SOPS re-encrypt the original Secret with sops and commit that file. Nothing of this apply stage is applied.`,
    remediation: [{ description: `In Git under {path}, find ${ref} and fix its .data values (do not paste secret values into issues or logs); with SOPS, encrypt the plain Secret again (sops --encrypt) and commit the result` }],
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
