// FD308 cases whose cause the envsubst error names, so that FD308's general steps (define the variable, check the
// substituteFrom objects) do not send the user the wrong way. Formats, verified in the sources:
// - fluxcd/pkg envsubst/parse (forked in 2024 from drone/envsubst, which kustomize-controller used before; same
//   errors): `bad substitution`, `missing closing brace`, `unable to parse variable name`, `unable to parse
//   substitution within function`, `unable to parse default function`; wrapped as `variable substitution failed: %w`
//   (kustomize-controller controllers/kustomization_varsub.go ≤ v0.2x, fluxcd/pkg kustomize/kustomize_varsub.go);
// - `'%s' var name is invalid, must match '%s'` (kustomize-controller v0.9.2+, now fluxcd/pkg kustomize): every key
//   of postBuild.substitute and of the substituteFrom objects is checked, whether a manifest uses it or not;
// - `variable not set (strict mode): "<name>"` on a Flux CRD: kustomize-controller v1.9.0 enabled the
//   StrictPostBuildSubstitutions feature gate by default (Flux 2.9.0 ships v1.9.1), and the Kustomization CRD's
//   descriptions hold examples such as ${var/substring/replacement}; v1.9.2 (Flux 2.9.1) annotates that CRD
//   substitute: disabled (CHANGELOG 1.9.2, flux2#5967).
import type { KubeObject } from '../../snapshot/schema';
import type { RemediationTemplate } from '../types';

export interface SubstitutionHint {
  title: string;
  explanation: string;
  evidence?: string[];
  remediation: RemediationTemplate[];
  replaceRemediation?: true;
}

const PARSE_ERROR = /variable substitution failed: (bad substitution|missing closing brace|unable to parse (?:variable name|substitution within function|default function))/;

const RENDER: RemediationTemplate = { description: 'Render the manifests with the cluster\'s substitutions to check the fix (run at the repository root)', command: 'flux --context {context} build kustomization {name} -n {namespace} --path {path}' };
const APPLY: RemediationTemplate = { description: 'Apply again once fixed', command: 'flux --context {context} reconcile kustomization {name} -n {namespace} --with-source' };

/** `object` is the object named by the message (`Kind/name` or a bare name), or null. */
export function substitutionHint(message: string, obj: KubeObject, object: string | null): SubstitutionHint | null {
  const parse = message.match(PARSE_ERROR);
  if (parse) return parseErrorHint(parse[1]!, object);
  const invalid = message.match(/'([^']+)' var name is invalid/);
  if (invalid) return invalidNameHint(invalid[1]!, obj);
  const unset = message.match(/variable not set \(strict mode\):? "?([A-Za-z_][A-Za-z0-9_]*)"?/);
  if (unset && object && isFluxCRD(object)) return fluxCRDHint(unset[1]!, object);
  const foreign = unset && object ? foreignPlaceholder(unset[1]!, object) : null;
  if (foreign) return foreignPlaceholderHint(unset![1]!, object!, foreign);
  return null;
}

/**
 * A ${…} that belongs to another tool's template: Grafana dashboards exported for sharing name their datasource
 * inputs ${DS_<NAME>} (and use ${VAR_<NAME>} for constants); a dashboard or script object holds placeholders of its own.
 * Under strict substitution those fail the build, and defining them in Flux would overwrite the placeholder.
 */
function foreignPlaceholder(variable: string, object: string): string | null {
  if (/^(?:DS|VAR)_[A-Z0-9_]+$/.test(variable)) return `\${${variable}} is a Grafana dashboard input (exported dashboards name their datasources \${DS_<NAME>})`;
  if (/dashboard|grafana/i.test(object)) return `${object} looks like a Grafana dashboard, whose \${…} placeholders are Grafana's`;
  if (/script|entrypoint|\.sh\b/i.test(object)) return `${object} looks like a script, whose \${…} are shell variables`;
  return null;
}

function foreignPlaceholderHint(variable: string, object: string, why: string): SubstitutionHint {
  const name = object.includes('/') ? object.slice(object.indexOf('/') + 1) : object;
  return {
    title: `Variable ${variable} has no value (strict substitution): a placeholder of another tool in ${object}, not a Flux variable`,
    explanation: `kustomize-controller substitutes every \${…} in the rendered objects, and with strict substitution (the StrictPostBuildSubstitutions feature gate, on by default from kustomize-controller v1.9.0) an undefined one fails the build. ${why}. It is not meant for Flux: giving it a value in postBuild would replace the placeholder the other tool fills in. Exclude the object from substitution instead. Nothing is applied until then.`,
    remediation: [
      { description: `Annotate ${object} (in its manifest or the generator that makes it, e.g. configMapGenerator options.annotations) with kustomize.toolkit.fluxcd.io/substitute: disabled, or write the placeholder as $\${${variable}} so Flux leaves \${${variable}} in place, in Git`, command: `grep -rln '\${${variable}}' {path}` },
      { description: `If ${name} also needs Flux variables, escape only the foreign ones as $\${…}` },
      RENDER,
      APPLY,
    ],
    replaceRemediation: true,
  };
}

function parseErrorHint(error: string, object: string | null): SubstitutionHint {
  return {
    title: `A \${…} expression in ${object ?? 'a manifest'} is not valid substitution syntax (${error})`,
    explanation: 'Post-build substitution parses every ${ in the rendered objects as a variable reference, and one of them in the object named in the message is not valid envsubst syntax. A variable name may only hold letters, digits and underscores (it must match [_a-zA-Z][_a-zA-Z0-9]*): ${my-var} or ${app.name} fail with "missing closing brace", as does a ${ without its } or a bash form envsubst lacks such as ${VAR-default} (without the colon); a malformed operator (${VAR:}, ${VAR/}) is a "bad substitution". A ${…} that is not meant for Flux (a shell script, a Grafana dashboard, a Helm or Terraform template inside a ConfigMap) is parsed too. The variables\' values are not the problem, and nothing is applied.',
    remediation: [
      { description: 'Find the ${ references whose name holds another character, or that are not closed, under {path} (run at the repository root; a match written $${ is escaped and fine)', command: 'grep -rnE \'[$][{][_A-Za-z0-9]*([^_A-Za-z0-9}:=,^/#%]|$)\' {path}' },
      { description: 'Rename such a variable to letters, digits and _ (e.g. ${my_var}), with its key in postBuild.substitute or the substituteFrom ConfigMap/Secret; write a literal ${ that is not for Flux as $${, or annotate its object kustomize.toolkit.fluxcd.io/substitute: disabled' },
      RENDER,
      APPLY,
    ],
    replaceRemediation: true,
  };
}

function invalidNameHint(key: string, obj: KubeObject): SubstitutionHint {
  const inline = obj.spec?.postBuild?.substitute;
  const from: unknown[] = Array.isArray(obj.spec?.postBuild?.substituteFrom) ? obj.spec.postBuild.substituteFrom : [];
  const sources = from.map((s: any) => `${s?.kind}/${s?.name}`).join(', ');
  const where = inline && typeof inline === 'object' && key in inline
    ? 'spec.postBuild.substitute has this key'
    : sources ? `the key comes from one of spec.postBuild.substituteFrom: ${sources}` : null;
  return {
    title: `Invalid substitution variable name '${key}'`,
    explanation: `Every key of spec.postBuild.substitute and of the ConfigMaps and Secrets in spec.postBuild.substituteFrom becomes a variable, and kustomize-controller refuses the whole substitution when one of them is not a valid name (letters, digits and _, not starting with a digit: [_a-zA-Z][_a-zA-Z0-9]*), whether a manifest uses it or not. '${key}' is not. Nothing is applied.`,
    ...(where ? { evidence: [where] } : {}),
    remediation: [
      { description: `Rename the key '${key}' (e.g. replace - and . with _) where it is defined, and the \${…} references to it in the manifests; a ConfigMap or Secret with keys that are not variables should not be listed in substituteFrom` },
    ],
  };
}

/** A Flux CRD: `[CustomResourceDefinition[.v1.apiextensions.k8s.io]/]<plural>.<group>` with a Flux group. */
function isFluxCRD(object: string): boolean {
  const slash = object.lastIndexOf('/');
  const kind = slash < 0 ? null : object.slice(0, slash).split('.')[0];
  if (kind !== null && kind !== 'CustomResourceDefinition') return false;
  return /^[a-z0-9-]+\.(?:[a-z0-9-]+\.)?(?:toolkit\.fluxcd\.io|fluxcd\.controlplane\.io)$/.test(object.slice(slash + 1));
}

function fluxCRDHint(variable: string, object: string): SubstitutionHint {
  const crd = object.slice(object.lastIndexOf('/') + 1);
  return {
    title: `Strict substitution fails on Flux's own CRD ${crd} (\${${variable}} is an example in its schema)`,
    explanation: `This Kustomization substitutes variables in the Flux manifests themselves (typically flux-system, given postBuild by a patch), and the descriptions in Flux's CRDs contain \${…} examples (\${var:=default}, \${var/substring/replacement}). kustomize-controller v1.9.0 made substitution strict by default (the StrictPostBuildSubstitutions feature gate; Flux 2.9.0 ships v1.9.1), so an example variable nobody defines now fails the build; before, it became an empty string in a description. kustomize-controller v1.9.2 (Flux 2.9.1) marks its Kustomization CRD kustomize.toolkit.fluxcd.io/substitute: disabled (fluxcd/flux2#5967). Do not define "${variable}": upgrade, or exclude the CRDs from substitution. Nothing is applied.`,
    evidence: [`${crd} is a Flux CRD; "${variable}" is not a variable of this Kustomization`],
    remediation: [
      { description: 'See the versions running: upgrade Flux to 2.9.1 or later (kustomize-controller v1.9.2+) in the flux-system manifests', command: 'flux --context {context} check' },
      { description: 'Until then, exclude the CRDs from substitution: in the kustomization.yaml under {path}, add a patch with target {kind: CustomResourceDefinition} that sets metadata.annotations kustomize.toolkit.fluxcd.io/substitute: disabled, or narrow the patch that gives this Kustomization its postBuild so it does not select flux-system' },
      { description: 'Or turn strict substitution off: add --feature-gates=StrictPostBuildSubstitutions=false to the kustomize-controller args (a patch of the flux-system kustomization.yaml)' },
      APPLY,
    ],
    replaceRemediation: true,
  };
}

/**
 * An FD311 rejection for an empty or missing value (`<path>: Required value`, `<path>: Invalid value: ""`) in a
 * Kustomization with post-build substitution: a ${VAR} whose variable is defined nowhere becomes an empty string
 * unless substitution is strict (StrictPostBuildSubstitutions, on by default from kustomize-controller v1.9.0), and
 * the API server then sees the field empty. A note next to FD311's own steps: the field may also be empty in Git.
 */
export function emptySubstitutionNote(message: string, obj: KubeObject): { field: string; explanation: string; evidence: string[]; remediation: RemediationTemplate[] } | null {
  const field = message.match(/([\w.[\]-]+): Required value/)?.[1] ?? message.match(/([\w.[\]-]+): Invalid value: ""/)?.[1];
  if (!field) return null;
  const post = obj.spec?.postBuild;
  const inline = post?.substitute && typeof post.substitute === 'object' ? Object.keys(post.substitute) : [];
  const from: any[] = Array.isArray(post?.substituteFrom) ? post.substituteFrom : [];
  if (inline.length === 0 && from.length === 0) return null;
  const ns = obj.metadata.namespace ?? 'default';
  const sources = from.filter((s) => typeof s?.name === 'string' && (s?.kind === 'ConfigMap' || s?.kind === 'Secret'));
  return {
    field,
    explanation: `This Kustomization substitutes post-build variables${sources.length ? ` (from ${sources.map((s) => `${s.kind}/${s.name}${s.optional ? ' (optional)' : ''}`).join(', ')})` : ''}, and the API server found ${field} empty: a \${VAR} there whose variable is defined nowhere (a missing or misspelt key, an optional substituteFrom object that does not exist) is replaced by an empty string, unless substitution is strict (the StrictPostBuildSubstitutions feature gate, on by default from kustomize-controller v1.9.0, fails the build instead and names the variable). Check which variable ${field} uses in Git and that it is defined; give it a default (\${VAR:=value}) or turn strict substitution on so an undefined variable fails loudly.`,
    evidence: [`postBuild substitution is on (${[...(inline.length ? [`substitute: ${inline.slice(0, 5).join(', ')}${inline.length > 5 ? ', …' : ''}`] : []), ...sources.map((s) => `${s.kind}/${s.name}`)].join('; ')}): an undefined variable becomes ""`],
    remediation: [
      ...sources.map((s) => (s.kind === 'Secret'
        ? { description: `List the variable names in Secret ${ns}/${s.name} (key names only)`, command: `kubectl --context {context} -n ${ns} get secret ${s.name} -o jsonpath='{.data}' | jq -r 'keys[]'` }
        : { description: `List the variable names in ConfigMap ${ns}/${s.name}`, command: `kubectl --context {context} -n ${ns} get configmap ${s.name} -o jsonpath='{.data}' | jq -r 'keys[]'` })),
      { description: `Render with the cluster's variables and look at ${field} (run at the repository root)`, command: 'flux --context {context} build kustomization {name} -n {namespace} --path {path}' },
    ],
  };
}
