import { refKey } from '../../flux/refs';
import { conditionRule } from '../define';
import { duplicateKeyHint, managedFieldsConversionHint, nodePortHint, SECRET_NOT_BASE64, secretBase64Hint } from './apply-hints';
import { ENV_VALUE_AND_VALUE_FROM, envValueFromHint, QUOTA_EXCEEDED, quotaHint, TYPED_MISMATCH, typedMismatchHint, invalidFieldHint } from '../apiserver-hints';
import { describeRejection } from './rejection';
import { emptySubstitutionNote } from './substitution-hints';
import { APPLY_REASONS, applyError, applyTarget, baseEvidence, classifyApply, ksVars, stateLine, targetVars } from './messages';
import { webhookProvider, webhookService } from '../webhook-provider';

export default conditionRule({
  code: 'FD311',
  slug: 'validation-failed',
  category: 'validation-failed',
  severity: 'error',
  kinds: ['Kustomization'],
  title: 'The API server rejected an object',
  signals: [
    'Ready=False ReconciliationFailed: <Kind>/<ns>/<name> dry-run failed (Invalid|BadRequest|Forbidden|UnprocessableEntity|InternalError): <api message> (before 2023: dry-run failed, reason: <Reason>, error: …)',
    '… admission webhook "<name>" denied the request: … / does not support dry run / ValidatingAdmissionPolicy \'<policy>\' [with binding \'<binding>\'] denied request: … (Kubernetes 1.26+) / violates PodSecurity "<level>": …',
    'before server-side apply (kustomize-controller < v0.15): apply failed: | validation failed: … error validating data: ValidationError(<Kind.path>): missing required field | unknown field "<f>" in <type> (kubectl\'s client-side validation; objects may be partly applied)',
    '… Internal error occurred: failed calling webhook "<name>": … (the webhook service is down)',
    '… admission webhook "<name>" denied the request: … may not / cannot / not allowed to change … (a webhook enforcing immutability in words fluxcd/pkg ssa does not read as immutable: spec.force cannot recreate it; delete the object)',
    '… failed to create typed patch object …: <field>: field not declared in schema / strict decoding error: unknown field',
    '… failed to create typed patch object (…): <list>: duplicate entries for key [<k>=<v>] (the manifest) / failed to create manager for existing fields: failed to convert new object (…) to smd typed: … duplicate entries … or failed to create typed live object (the object in the cluster; with Flux < 2.0 also one containerPort for TCP and UDP)',
    '… failed to prune fields: failed add back owned items: failed to convert pruned object at version <gv>: conversion webhook for <gv>, Kind=<kind> returned invalid metadata|failed …: old-version managedFields entries the CRD\'s conversion webhook cannot convert (not the manifest)',
    '… failed to create typed patch object (…): <path>: expected string, got &value.valueUnstructured{Value:true} (an unquoted boolean or number in a string field)',
    '<Secret>/<ns>/<name> validation error: error decoding from json: illegal base64 data at input byte <n> (fluxcd/pkg ssa, Flux 2.1 and older) / the API server\'s illegal base64 data at input byte <n> (a .data value that is not base64)',
    '… <path>.env[<i>].valueFrom: Invalid value: "": may not be specified when `value` is not empty (a patch or another field manager left value next to valueFrom)',
    '… <resource> "<name>" is forbidden: exceeded quota: <quota>, requested: <r>, used: <u>, limited: <l> (ResourceQuota admission: the namespace is out of room, not RBAC)',
    '… spec.ports[<i>].nodePort: Invalid value: <port>: provided port is already allocated / failed to allocate requested HealthCheck NodePort <port>: … (another Service holds the port)',
    'with spec.postBuild.substitute/substituteFrom: <field>: Required value / Invalid value: "" may be a ${VAR} defined nowhere that non-strict substitution replaced with ""',
    'not: immutable fields, missing CRDs or namespaces, conflicts, RBAC, SOPS (other FD3xx rules)',
  ],
  explanation: 'The API server (or, before server-side apply, kubectl) refused an object of this revision: it fails schema validation (a required field is missing, a value has the wrong type, a field does not exist in this apiVersion), an admission webhook or policy (Kyverno, Gatekeeper, a ValidatingAdmissionPolicy, PodSecurity) denied it, or a webhook could not be called. With server-side apply (kustomize-controller v0.15+, Flux 0.18+) every object of an apply stage is dry-run before any is applied, so nothing of that stage is applied; before, kubectl apply could leave the revision partly applied.',
  remediation: [
    { description: 'Read the full rejection for {objectRef}', command: 'kubectl --context {context} -n {namespace} describe kustomization {name}' },
    { description: 'Reproduce the dry-run locally against the cluster (run at the repository root)', command: 'flux --context {context} diff kustomization {name} -n {namespace} --path {path}' },
    { description: 'Check the admission webhook {webhook} and its service', command: 'kubectl --context {context} get validatingwebhookconfigurations,mutatingwebhookconfigurations' },
    { description: 'Fix the manifest under {path} (or the policy) in Git, then apply again', command: 'flux --context {context} reconcile kustomization {name} -n {namespace} --with-source' },
  ],
  when: { type: 'Ready', status: 'False', reasons: APPLY_REASONS },
  refine(obj, { index }, { condition }) {
    const message = condition.message ?? '';
    if (classifyApply(message) !== 'validation') return null;
    const target = applyTarget(message);
    const vars = { ...ksVars(obj, index), ...targetVars(target) };
    const webhook = message.match(/(?:admission webhook|failed calling webhook) \\?"([^"\\]+)\\?"/)?.[1];
    if (webhook) vars.webhook = webhook;
    const conversion = managedFieldsConversionHint(message, target);
    if (conversion) {
      // Without {path} the steps that reproduce or fix the manifest are left out: the manifest is not the cause.
      const { path: _path, ...rest } = vars;
      return { vars: rest, evidence: baseEvidence(obj, condition), ...conversion };
    }
    const duplicate = duplicateKeyHint(message, target);
    if (duplicate) return { vars, evidence: baseEvidence(obj, condition), ...duplicate };
    const nodePort = nodePortHint(message, target);
    if (nodePort) return { vars, evidence: baseEvidence(obj, condition), ...nodePort };
    const field = invalidFieldHint(message);
    if (field) return { vars, evidence: baseEvidence(obj, condition), ...field };
    const b64 = message.match(SECRET_NOT_BASE64);
    const base64 = b64 ? secretBase64Hint(b64, target) : null;
    if (base64) return { vars, evidence: baseEvidence(obj, condition), ...base64 };
    const typed = message.match(TYPED_MISMATCH);
    if (typed) return { vars, evidence: baseEvidence(obj, condition), ...typedMismatchHint(typed, `in the manifest under ${vars.path} in Git (or the patch or postBuild variable that sets it)`) };
    const env = message.match(ENV_VALUE_AND_VALUE_FROM);
    if (env) {
      const get = target ? `${target.ref.namespace ? `-n ${target.ref.namespace} ` : ''}get ${target.ref.kind.toLowerCase()} ${target.ref.name}` : null;
      return { vars, evidence: baseEvidence(obj, condition), ...envValueFromHint(env, target ? refKey(target.ref) : 'an object of this revision', get, 'kustomize') };
    }
    const quota = message.match(QUOTA_EXCEEDED);
    if (quota) {
      const ns = target?.ref.namespace ?? (typeof obj.spec?.targetNamespace === 'string' && obj.spec.targetNamespace ? obj.spec.targetNamespace : null);
      return { vars, evidence: baseEvidence(obj, condition), ...quotaHint(quota, ns, target ? refKey(target.ref) : 'an object of this revision') };
    }
    const { remediation, ...rejection } = describeRejection(message, target, webhook, condition.reason ?? '');
    // A webhook that does not answer was usually broken by its own release: that failing object is the root cause.
    const svc = /failed calling webhook|failed to call webhook/i.test(message) ? webhookService(message) : null;
    const provider = svc?.namespace ? webhookProvider(index, obj, { name: svc.name, namespace: svc.namespace }) : null;
    const evidence = [...baseEvidence(obj, condition), ...(provider ? [`the webhook Service ${svc!.namespace}/${svc!.name} comes from ${stateLine(index, provider)}`] : [])];
    // A field left empty may be a post-build variable defined nowhere: a note, the rule's own steps stay.
    const empty = !remediation && !webhook ? emptySubstitutionNote(applyError(message), obj) : null;
    if (empty) return { vars, evidence: [...evidence, ...empty.evidence], ...rejection, title: `${rejection.title ?? 'API server rejected an object'}: ${empty.field} is empty (an undefined post-build variable?)`, explanation: `${rejection.explanation} ${empty.explanation}`, remediation: empty.remediation };
    return { vars, evidence, ...rejection, ...(remediation ? { remediation } : {}), ...(provider ? { blockedBy: [provider] } : {}) };
  },
});
