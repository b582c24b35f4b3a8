// FD308's apply-time case: an object refused (by the API server, or by client-go for its name) while it still holds a
// literal ${VAR} (any envsubst form: ${VAR/x/y}, ${VAR:-d}, …). kustomize-controller substitutes only when the
// Kustomization that applies the object has spec.postBuild, and skips objects annotated or labelled
// kustomize.toolkit.fluxcd.io/substitute: disabled; lenient substitution turns an unset variable into "".
// So a surviving reference means substitution never ran on it (flux2#3204: a Flux Kustomization whose name is
// ${environment}, applied by flux-system, which has no postBuild).
import { refKey } from '../../flux/refs';
import type { KubeObject } from '../../snapshot/schema';
import type { RemediationTemplate, RuleHit } from '../types';
import { applyTarget, targetVars } from './messages';

// Placed before FD308's own steps (the postBuild query, defining the variable, applying again), which still apply.
const REMEDIATION: RemediationTemplate[] = [
  { description: 'If this Kustomization has no spec.postBuild, give it one that defines {variable}, or move the manifest under a Kustomization that has one (a Flux Kustomization applied by flux-system is substituted by flux-system, not by its own postBuild)' },
  { description: 'Check the object and its kustomization.yaml for kustomize.toolkit.fluxcd.io/substitute: disabled and for an escaped $${…}' },
];

/** `variable` is the reference as written (`${VAR}`); the var holds the bare name, as FD308's templates expect. */
export function unsubstitutedHit(obj: KubeObject, message: string, variable: string): Partial<RuleHit> {
  const target = applyTarget(message);
  const postBuild = obj.spec?.postBuild;
  const has = postBuild && typeof postBuild === 'object' && Object.keys(postBuild).length > 0;
  const op = variable.match(/^\$\{(#)|^\$\{[A-Za-z_][A-Za-z0-9_]*([:=/#%^,?+-]+)/);
  const operator = op ? op[1] ?? op[2] : null;
  return {
    title: `Variable ${variable} was never substituted${target ? ` in ${refKey(target.ref)}` : ''}`,
    explanation: `${target ? refKey(target.ref) : 'An object'} was refused because it still holds the literal ${variable}. Post-build substitution replaces unset variables with an empty string (or fails in strict mode), so a literal reference means substitution never ran on this object: ${has ? 'this Kustomization has spec.postBuild, so the object (or its kustomization.yaml) is probably annotated or labelled kustomize.toolkit.fluxcd.io/substitute: disabled, or the reference was escaped as $${…}' : 'this Kustomization has no spec.postBuild, so it substitutes nothing (the variables of a child Kustomization\'s postBuild apply to what the child deploys, not to its own manifest)'}.${operator ? ` The reference uses an operator (${operator}); envsubst expands ${'${VAR/x/y}'}, ${'${VAR:-d}'}, ${'${VAR#p}'} and the like whenever it runs, but if plain references in the same object were substituted while this one was not, the kustomize-controller version in use did not expand this form (reported for ${'${VAR/x/y}'} with Flux 2.0.0-rc.2, fluxcd/flux2#3884): upgrade it, or compute the value into a variable of its own in substituteFrom.` : ''} Nothing from this revision is applied.`,
    evidence: [has ? 'spec.postBuild is set' : 'spec.postBuild is not set: this Kustomization does not substitute variables'],
    vars: { variable: variable.match(/^\$\{([A-Za-z_][A-Za-z0-9_]*)/)?.[1] ?? variable, ...targetVars(target) },
    remediation: REMEDIATION,
  };
}
