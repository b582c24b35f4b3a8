// What refused an object in FD311, read from the message, so that title and explanation name the right party: the API
// server's schema validation, an admission webhook or policy, client-side checks (kubectl before server-side apply,
// client-go), and what was applied meanwhile (server-side apply dry-runs a whole stage first; kubectl applied object
// by object). Formats:
// - kube-apiserver validating admission policy (plugin/policy/validating, Kubernetes 1.26+): `ValidatingAdmissionPolicy
//   '%s' with binding '%s' denied request: %s`, without a binding `ValidatingAdmissionPolicy '%s' denied request: %s`;
// - pod-security-admission: `violates PodSecurity %q: %s`;
// - kubectl client-side validation (kustomize-controller < v0.15 ran kubectl apply, reason ValidationFailed for its
//   dry-run step): `error validating data: ValidationError(<Kind.path>): missing required field "<f>" in <type>` /
//   `unknown field "<f>" in <type>`; kustomize-controller wrapped it as `validation failed: %s` / `apply failed: %s`;
// - client-go rest.Request.Name: `invalid resource name %q: %v`.
import { refKey } from '../../flux/refs';
import type { RemediationTemplate } from '../types';
import { applyError, type ApplyTarget } from './messages';
import { VAP_DENIED } from '../admission';

export interface Rejection {
  title?: string;
  explanation: string;
  remediation?: RemediationTemplate[];
  /** The steps replace FD311's own (which are about fixing the manifest). */
  replaceRemediation?: boolean;
}

/** Whether the message comes from kustomize-controller's kubectl era (before v0.15) rather than server-side apply. */
function kubectlEra(message: string, reason: string): boolean {
  return reason === 'ValidationFailed' || /^(?:validation|apply) failed: /.test(applyError(message));
}

/** What was applied meanwhile, by the apply mechanism the message shows. */
function appliedNote(message: string, reason: string): string {
  const text = applyError(message);
  if (reason === 'ValidationFailed' || /^validation failed: /.test(text)) {
    return 'This came from the validation step of kustomize-controller before v0.15 (Flux before 0.18: kubectl apply --dry-run, as spec.validation asks), before anything was applied.';
  }
  if (/^apply failed: /.test(text)) {
    return 'Before v0.15 (Flux before 0.18) kustomize-controller ran kubectl apply, which sends the objects one by one: the ones kubectl handled before this error may already be applied, so the revision can be partly applied; the rest waits for the next attempt.';
  }
  return 'kustomize-controller (server-side apply, v0.15+ / Flux 0.18+) dry-runs all objects of an apply stage before applying any of them, so nothing of the stage that holds this object is applied (CRDs, Namespaces and ClusterRoles go first, in their own stage).';
}

// A webhook that forbids changing fields after creation, in words kustomize-controller's force does not read as
// immutability: fluxcd/pkg ssa IsImmutableError takes 409/422 answers or messages matching `is immutable` /
// `immutable field`, and a webhook denial is a 403 with the webhook's own wording.
const WEBHOOK_IMMUTABLE = /\b(?:may|must|can|could) ?not (?:be )?(?:change|modif|updat)|\bcan't (?:be )?(?:change|modif|updat)|not allowed to (?:be )?(?:change|modif|updat)/i;
const FLUX_READS_IMMUTABLE = /is\simmutable|immutable\sfield/;

function webhookImmutable(webhook: string | undefined, target: ApplyTarget | null, it: string): Rejection {
  const ref = target?.ref;
  return {
    title: `Admission webhook ${webhook ?? ''} refuses to change fields of ${it} after creation: recreate it`.replace(/\s+/g, ' '),
    explanation: `The webhook${webhook ? ` ${webhook}` : ''} enforces that some fields of ${it} never change once it exists, like an immutable field, but says so in a denial that kustomize-controller does not read as an immutability error (it recreates objects only on 409/422 answers or messages saying "is immutable" / "immutable field"), so spec.force: true does not recreate it. Nothing of its apply stage is applied until the object is recreated or the change is reverted. Recreating it may briefly interrupt what it provides.`,
    remediation: [
      ...(ref ? [{ description: `Delete ${it} so the next apply creates it with the new values`, command: `kubectl --context {context}${ref.namespace ? ` -n ${ref.namespace}` : ''} delete ${ref.kind.toLowerCase()} ${ref.name}` }] : []),
      { description: 'Apply again', command: 'flux --context {context} reconcile kustomization {name} -n {namespace}' },
      { description: 'Or revert the change of those fields in Git' },
    ],
    replaceRemediation: true,
  };
}

export function describeRejection(message: string, target: ApplyTarget | null, webhook: string | undefined, reason: string): Rejection {
  const on = target ? ` ${refKey(target.ref)}` : '';
  const it = target ? refKey(target.ref) : 'an object of this revision';
  const tail = appliedNote(message, reason);
  const vap = message.match(VAP_DENIED);
  if (vap) {
    const [, policy, binding, said] = vap;
    return {
      title: `ValidatingAdmissionPolicy ${policy} denied${on}`,
      explanation: `The ValidatingAdmissionPolicy ${policy}${binding ? ` (binding ${binding})` : ''}, a CEL policy the API server evaluates itself (Kubernetes 1.26+), denied ${it}${said ? `: "${said.trim()}"` : ''}. No webhook is involved: the manifest breaks the policy. Change the manifest in Git (a kustomize patch if it comes from upstream) so it complies, or ask the policy's owner for an exception; a policy installed by the cluster provider usually cannot be changed. ${tail}`,
      remediation: [
        { description: `Read the policy ${policy}: its validations, matchConstraints and failurePolicy`, command: `kubectl --context {context} get validatingadmissionpolicy ${policy} -o yaml` },
        ...(binding ? [{ description: `Read the binding ${binding}: the objects and namespaces it applies the policy to, and its validationActions`, command: `kubectl --context {context} get validatingadmissionpolicybinding ${binding} -o yaml` }] : []),
      ],
    };
  }
  const pss = message.match(/violates PodSecurity "([^"]+)"/);
  if (pss) {
    return {
      title: `PodSecurity "${pss[1]}" denied${on}`,
      explanation: `The namespace enforces the Pod Security Standard "${pss[1]}" (label pod-security.kubernetes.io/enforce), and ${it} creates a pod that breaks it; the message lists the fields. Change the pod spec (securityContext, capabilities, host namespaces, volumes) or, if the namespace may run it, its enforce label. ${tail}`,
    };
  }
  if (/failed calling webhook|failed to call webhook/i.test(message)) {
    // `service "<name>" not found`: the webhook configuration outlived the controller that served it.
    const gone = message.match(/service "([^"]+)" not found/);
    if (gone) {
      return {
        title: `Admission webhook ${webhook ?? ''} calls Service ${gone[1]}, which no longer exists: a leftover webhook configuration`.replace(/\s+/g, ' '),
        explanation: `The API server must call the admission webhook${webhook ? ` ${webhook}` : ''} for ${it}, but the Service it points at does not exist: the controller that served it was uninstalled or renamed while its ValidatingWebhookConfiguration or MutatingWebhookConfiguration stayed behind. With failurePolicy Fail every object it selects is refused, in every Kustomization and HelmRelease. The manifest is fine: delete the leftover configuration (or reinstall the controller). ${tail}`,
        remediation: [
          { description: 'Find the webhook configuration that still names {webhook}', command: 'kubectl --context {context} get validatingwebhookconfigurations,mutatingwebhookconfigurations -o custom-columns=NAME:.metadata.name,WEBHOOKS:.webhooks[*].name | grep -F {webhook}' },
          { description: 'Delete it if its controller is gone for good (kubectl delete validatingwebhookconfiguration <name>), or reinstall the controller; then apply again', command: 'flux --context {context} reconcile kustomization {name} -n {namespace}' },
        ],
        replaceRemediation: true,
      };
    }
    return {
      title: `Admission webhook ${webhook ?? ''} could not be called for${on}`.replace(/\s+/g, ' '),
      explanation: `The API server could not call the admission webhook${webhook ? ` ${webhook}` : ''} for ${it} (its service has no ready endpoints, times out, or presents a certificate the API server does not trust) and, with failurePolicy Fail, refused the request without a verdict. The manifest is probably fine: fix the webhook. ${tail}`,
    };
  }
  if (/does not support dry run/i.test(message)) {
    return {
      title: `Admission webhook ${webhook ?? ''} does not support dry-run (${target ? refKey(target.ref) : 'apply'})`.replace(/\s+/g, ' '),
      explanation: `The admission webhook${webhook ? ` ${webhook}` : ''} does not declare sideEffects None (or NoneOnDryRun), so the API server refuses dry-run requests it would be called for, and kustomize-controller dry-runs every object. Its webhook configuration must say sideEffects: None, or its rules must not select ${it}. ${tail}`,
    };
  }
  if (/denied the request/i.test(message) && WEBHOOK_IMMUTABLE.test(message) && !FLUX_READS_IMMUTABLE.test(message)) return webhookImmutable(webhook, target, it);
  if (/denied the request/i.test(message)) {
    return {
      title: `Admission webhook ${webhook ?? ''} denied${on}`.replace(/\s+/g, ' '),
      explanation: `The admission webhook${webhook ? ` ${webhook}` : ''} (a policy engine such as Kyverno or Gatekeeper, or an operator's validation) denied ${it}; its message says which rule. Change the manifest to comply, or ask the policy's owner for an exception. ${tail}`,
    };
  }
  const kubectl = message.match(/ValidationError\(([^)]+)\): (missing required field|unknown field) "([^"]+)"/);
  if (kubectl) {
    const [, where, what, field] = kubectl;
    const explain = `${where!.split('.')[0]!.toLowerCase()}${where!.includes('.') ? where!.slice(where!.indexOf('.')) : ''}`;
    // kubectl lists every finding: `error validating data: [ValidationError(…): …, ValidationError(…): …]`.
    const more = (message.match(/ValidationError\(/g)?.length ?? 1) - 1;
    return {
      title: `${where} ${what === 'unknown field' ? 'has the unknown field' : 'is missing the required field'} "${field}"${more ? ` (and ${more} more)` : ''} (kubectl validation)`,
      explanation: `kubectl validated the manifests against the API server's OpenAPI schema before sending them and found that ${where} ${what === 'unknown field' ? `has a field "${field}" its schema does not know (misspelt, indented at the wrong level, or from another apiVersion)` : `lacks "${field}", which its schema requires`}. The API server itself was not asked. ${tail}`,
      remediation: [{ description: `See what ${where} accepts`, command: `kubectl --context {context} explain ${explain}` }],
    };
  }
  const undeclared = message.match(/(\.[^\s:]+): field not declared in schema/)?.[1] ?? message.match(/strict decoding error: unknown field "([^"]+)"/)?.[1];
  if (undeclared || /field not declared in schema|unknown field|strict decoding error/i.test(message)) {
    return {
      title: `Unknown field${undeclared ? ` ${undeclared}` : ''} in${on || ' a manifest'}`,
      explanation: `The API server does not know the field${undeclared ? ` ${undeclared}` : ''} of ${it} in the apiVersion the manifest uses (misspelt, indented at the wrong level, removed or not yet added in the CRD installed in the cluster). ${tail}`,
    };
  }
  const name = message.match(/invalid resource name "([^"]*)": ([^\n]*)/);
  if (name) {
    return {
      title: `The name "${name[1]}" is not valid (${name[2]!.trim()})`,
      explanation: `client-go refused to send ${it}: its name "${name[1]}" cannot be part of a URL path (${name[2]!.trim()}). Change metadata.name in the manifest. ${tail}`,
    };
  }
  return {
    ...(target ? { title: `API server rejected${on}${target.reason ? ` (${target.reason})` : ''}` } : {}),
    explanation: `The API server refused ${it}${kubectlEra(message, reason) ? '' : ' during the dry-run'}: a value is invalid or missing, a field does not exist in this apiVersion, or another built-in check failed (the message names the field). Fix the manifest. ${tail}`,
  };
}
