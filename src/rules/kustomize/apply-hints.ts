// FD311 rejections whose cause is not the manifest. Server-side apply merges field ownership: the API server converts
// the object's metadata.managedFields entries recorded at another apiVersion of a CRD through that CRD's conversion
// webhook (structured-merge-diff: `failed to prune fields: failed add back owned items: failed to convert pruned
// object at version <gv>: <err>`; apiextensions: `conversion webhook for <gv>, Kind=<kind> returned invalid metadata
// …` or `… failed: <err>`). A webhook that cannot convert those entries fails every apply of the object, whatever Git says.
import type { ApplyTarget } from './messages';
import type { ApplyHint } from '../apiserver-hints';
export type { ApplyHint } from '../apiserver-hints';

/** Structured-merge-diff reached the conversion webhook while re-adding owned fields (the managedFields step). */
export const MANAGED_FIELDS_CONVERSION = /failed to prune fields: [^\n]*?conversion webhook for ([^,\s]+), Kind=(\w+)( returned invalid metadata| failed)?/;


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
