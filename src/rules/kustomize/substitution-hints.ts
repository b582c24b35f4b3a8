// FD308 cases whose cause the envsubst error names, so that FD308's general steps (define the variable, check the
// substituteFrom objects) do not send the user the wrong way. Formats, verified in the sources:
// - fluxcd/pkg envsubst/parse (forked in 2024 from drone/envsubst, which kustomize-controller used before; same
//   errors): `bad substitution`, `missing closing brace`, `unable to parse variable name`, `unable to parse
//   substitution within function`, `unable to parse default function`; wrapped as `variable substitution failed: %w`
//   (kustomize-controller controllers/kustomization_varsub.go ≤ v0.2x, fluxcd/pkg kustomize/kustomize_varsub.go);
// - `'%s' var name is invalid, must match '%s'` (kustomize-controller v0.9.2+, now fluxcd/pkg kustomize): every key
//   of postBuild.substitute and of the substituteFrom objects is checked, whether a manifest uses it or not.
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
  return null;
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
