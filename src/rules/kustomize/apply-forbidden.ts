import { conditionRule } from '../define';
import type { RemediationTemplate } from '../types';
import { clusterAuth } from './cluster-auth';
import { defaultServiceAccountHint } from './default-sa-hint';
import { discoveryHint } from './discovery-hint';
import { APPLY_REASONS, applyTarget, baseEvidence, classifyApply, DISCOVERY_FORBIDDEN, ksVars, RBAC_FORBIDDEN, targetVars } from './messages';
import { RBAC_ESCALATION, rbacEscalationHint } from '../apiserver-hints';
import { refKey } from '../../flux/refs';

export default conditionRule({
  code: 'FD314',
  slug: 'apply-forbidden',
  category: 'access-denied',
  severity: 'error',
  kinds: ['Kustomization'],
  title: 'kustomize-controller is not allowed to apply',
  signals: [
    'Ready=False ReconciliationFailed: … is forbidden: User "<user>" cannot <verb> resource "<resource>" … (RBAC of the impersonated spec.serviceAccountName or the controller)',
    "Ready=False ReconciliationFailed from the kube client step: unable to read KubeConfig secret '<ns>/<name>' … / KubeConfig secret … does not contain a 'value' key / invalid .spec.kubeConfig",
    '… roles.rbac.authorization.k8s.io "<name>" is forbidden: user "<user>" (groups=[…]) is attempting to grant RBAC permissions not currently held: {APIGroups:[…], Resources:[…], Verbs:[…]} (RBAC escalation prevention: the applying account must hold what the Role grants, or escalate/bind)',
    '… the specified default service account does not exist (multi-tenancy lockdown)',
    '… User "system:serviceaccount:<its namespace>:<sa>" cannot … for a Kustomization without spec.serviceAccountName while kustomize-controller runs with --default-service-account=<sa> (the lockdown impersonates it; FD026 groups two or more such objects)',
    '… <Kind>/<ns>/<name> dry-run failed (Forbidden): failed to get server groups | failed to get API group resources: <err> / cannot get path "/apis": API discovery refused to the user kustomize-controller applies as (no object, no verb)',
    '… dry-run failed (Unauthorized): Unauthorized / the server has asked for the client to provide credentials / You must be logged in to the server / x509: certificate has expired or is not yet valid | signed by unknown authority (credentials or CA of spec.kubeConfig; without it, kustomize-controller\'s own); not after failed calling webhook (FD311)',
  ],
  explanation: 'The API server refused the apply for lack of permissions, or the client for the target cluster could not be built. With spec.serviceAccountName (or the controller\'s --default-service-account lockdown) kustomize-controller impersonates that ServiceAccount: it must exist in the Kustomization\'s namespace and be bound to roles that allow every object of the revision. With spec.kubeConfig the referenced Secret must exist and hold a kubeconfig under `value` (or the configured key) whose token or client certificate the remote cluster still accepts and whose CA matches that cluster\'s certificate (Unauthorized and x509 errors). Nothing is applied.',
  remediation: [
    { description: 'Check what {user} may do', command: 'kubectl --context {context} auth can-i {verb} {rbacResource} {rbacScope} --as={user}' },
    { description: 'Check the impersonated ServiceAccount exists', command: 'kubectl --context {context} -n {namespace} get serviceaccount {serviceAccount}' },
    { description: 'See the RoleBindings that grant it permissions', command: 'kubectl --context {context} get rolebindings,clusterrolebindings -A -o wide | grep {serviceAccount}' },
    { description: 'Check the kubeconfig Secret exists and list its key names only', command: 'kubectl --context {context} -n {namespace} get secret {kubeConfigSecret} -o jsonpath=\'{.data}\' | jq -r \'keys[]\'' },
    { description: 'Apply again once access is fixed', command: 'flux --context {context} reconcile kustomization {name} -n {namespace}' },
  ],
  when: { type: 'Ready', status: 'False', reasons: APPLY_REASONS },
  refine(obj, { index }, { condition }) {
    const message = condition.message ?? '';
    const cls = classifyApply(message);
    if (cls !== 'forbidden' && cls !== 'kubeclient' && cls !== 'cluster-auth') return null;
    const vars = { ...ksVars(obj, index), ...targetVars(applyTarget(message)) };
    const evidence = baseEvidence(obj, condition);
    const ns = obj.metadata.namespace ?? '';
    let title: string | undefined;
    const sa = obj.spec?.serviceAccountName;
    if (typeof sa === 'string' && sa) {
      vars.serviceAccount = sa;
      if (index.lookup({ kind: 'ServiceAccount', namespace: ns, name: sa }) === 'absent') {
        evidence.push(`ServiceAccount ${ns}/${sa} (spec.serviceAccountName) does not exist`);
        title = `Impersonated ServiceAccount ${ns}/${sa} does not exist`;
      }
    }
    const kubeConfigSecret = obj.spec?.kubeConfig?.secretRef?.name;
    if (cls === 'kubeclient') {
      if (typeof kubeConfigSecret === 'string' && kubeConfigSecret) vars.kubeConfigSecret = kubeConfigSecret;
      title ??= /KubeConfig/i.test(message) ? 'Cannot read the kubeconfig of the target cluster (spec.kubeConfig)' : 'Cannot build the client for this Kustomization';
    }
    let remediation: RemediationTemplate[] | undefined;
    if (cls === 'cluster-auth') {
      const auth = clusterAuth(message, typeof kubeConfigSecret === 'string' && kubeConfigSecret ? kubeConfigSecret : null);
      if (auth.secret) vars.kubeConfigSecret = auth.secret;
      title = auth.title;
      remediation = auth.remediation;
    }
    const rbac = message.match(RBAC_FORBIDDEN);
    if (rbac) {
      const [, user, verb, resource, group, namespace] = rbac;
      vars.user = user!;
      vars.verb = verb!;
      vars.rbacResource = group ? `${resource}.${group}` : resource!;
      vars.rbacScope = namespace ? `-n ${namespace}` : '--all-namespaces';
      title ??= `${user} cannot ${verb} ${vars.rbacResource}${namespace ? ` in ${namespace}` : ''}`;
      const lockdown = defaultServiceAccountHint(obj, index, user!);
      if (lockdown) {
        vars.serviceAccount = lockdown.serviceAccount;
        evidence.push(lockdown.evidence);
        title = `${title}: ${lockdown.title}`;
        remediation = [lockdown.step];
      }
    }
    const target = applyTarget(message);
    const escalation = rbac ? null : rbacEscalationHint(message, target?.ref.kind ?? null, target ? refKey(target.ref) : 'an RBAC object', target?.ref.namespace ?? null, 'kustomize-controller');
    if (escalation) {
      const user = message.match(RBAC_ESCALATION)![1]!;
      vars.user = user;
      if (escalation.verb && escalation.resource) {
        vars.verb = escalation.verb;
        vars.rbacResource = escalation.resource;
        vars.rbacScope = target?.ref.namespace ? `-n ${target.ref.namespace}` : '--all-namespaces';
      }
      const own = user.match(/^system:serviceaccount:([^:]+):(.+)$/);
      if (!vars.serviceAccount && own && own[1] === ns) vars.serviceAccount = own[2]!;
      const who = typeof sa === 'string' && sa ? `the impersonated ServiceAccount ${ns}/${sa} (spec.serviceAccountName)` : `kustomize-controller's own account (no spec.serviceAccountName)`;
      return { vars, evidence: [...evidence, `applied as ${who}`], title: title ?? escalation.title, explanation: escalation.explanation, remediation: escalation.remediation };
    }
    if (cls === 'forbidden' && !rbac && DISCOVERY_FORBIDDEN.test(message)) {
      const hint = discoveryHint(message, obj, index.cluster.fluxNamespace, applyTarget(message));
      return { vars: { ...vars, ...hint.vars }, evidence: [...evidence, ...hint.evidence], title: hint.title, explanation: hint.explanation, remediation: hint.remediation };
    }
    return { vars, evidence, ...(title ? { title } : {}), ...(remediation ? { remediation } : {}) };
  },
});
