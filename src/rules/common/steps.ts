// Remediation steps shared by the reconcile-stuck rules: look at the controller that should be doing the work.
import type { RemediationTemplate } from '../types';

/** Kinds the flux CLI has no noun for; they are reconciled and resumed through annotations. */
export const OPERATOR_KINDS = ['FluxInstance', 'ResourceSet', 'ResourceSetInputProvider', 'ArtifactGenerator'];

export const controllerSteps: RemediationTemplate[] = [
  { description: 'Check that {controller} is running (restarts, OOMKilled, CrashLoopBackOff)', command: 'kubectl --context {context} get pods -n {fluxNamespace}' },
  { description: 'Read the last log lines of {controller}', command: 'kubectl --context {context} logs -n {fluxNamespace} deploy/{controller} --tail=20' },
  { description: 'The object is labelled for shard {shard}: check which controller Deployments exist and the --watch-label-selector they run with', command: 'kubectl --context {context} -n {fluxNamespace} get deploy -l app.kubernetes.io/part-of=flux -o custom-columns=NAME:.metadata.name,ARGS:.spec.template.spec.containers[0].args' },
  { description: 'Read the errors the controllers logged about this object', command: 'flux --context {context} logs --kind={kind} --name={name} -n {namespace} --level=error' },
];
