import { releaseFailureRule } from './failure';
import { impersonationHint } from './impersonation-hint';
// The API server's escalation check reads the same whoever applies (see kustomize/apply-hints).
import { RBAC_ESCALATION, rbacEscalationHint } from '../apiserver-hints';

export default releaseFailureRule({
  code: 'FD414',
  slug: 'helm-apply-forbidden',
  category: 'access-denied',
  severity: 'error',
  kinds: ['HelmRelease'],
  title: 'Helm action forbidden by RBAC',
  signals: [
    'Released=False InstallFailed/UpgradeFailed: … <err> containing <resource> "<name>" is forbidden: User "<user>" cannot <verb> resource "<resource>" in API group "<group>" [in the namespace "<ns>"]',
    'Ready=False StateError: Could not determine release state: failed to retrieve last release from storage: … secrets is forbidden: User "<user>" cannot list resource "secrets" … (reading the Helm storage, 2.2+)',
    '… serviceaccounts "<sa>" is forbidden: User "<helm-controller>" cannot impersonate resource "serviceaccounts": helm-controller\'s own RBAC, not the impersonated account',
    '… roles.rbac.authorization.k8s.io "<name>" is forbidden: user "<user>" (groups=[…]) is attempting to grant RBAC permissions not currently held: … (RBAC escalation prevention: the account must hold what the chart\'s Role grants, or escalate/bind)',
    'usually spec.serviceAccountName (or the controller\'s --default-service-account) impersonating an account without the RBAC, or that does not exist',
  ],
  explanation: 'helm-controller performs the Helm action as the account in spec.serviceAccountName (multi-tenancy), or as itself; the API server refused one of the objects of the release for that account. The account lacks a Role/ClusterRole binding for that resource, or does not exist (impersonating a missing ServiceAccount yields no permissions at all).',
  remediation: [
    { description: 'Check what the account may do', command: 'kubectl --context {context} auth can-i {verb} {forbiddenResource} -n {forbiddenNamespace} --as={user}' },
    { description: 'Check the ServiceAccount exists ({serviceAccount})', command: 'kubectl --context {context} -n {namespace} get serviceaccount {serviceAccount}' },
    { description: 'Grant the missing permission (a RoleBinding in {forbiddenNamespace} or a ClusterRoleBinding for cluster-scoped objects) in Git, then run the release again', command: 'flux --context {context} reconcile helmrelease {name} -n {namespace} {forceFlag}' },
  ],
  classes: ['forbidden'],
  enrich(obj, _ctx, failure, vars) {
    const extra: Record<string, string> = {};
    const m = failure.tail.match(/User "([^"]+)" cannot (\w+) resource "([^"]+)" in API group "([^"]*)"(?: in the namespace "([^"]+)")?/);
    if (m) {
      const [, user, verb, resource, group, ns] = m;
      extra.user = user!;
      extra.verb = verb!;
      extra.forbiddenResource = group ? `${resource}.${group}` : resource!;
      extra.forbiddenNamespace = ns ?? vars.releaseNamespace ?? obj.metadata.namespace ?? '';
      const sa = user!.match(/^system:serviceaccount:([^:]+):(.+)$/);
      if (sa && sa[1] === obj.metadata.namespace) extra.serviceAccount = sa[2]!;
    } else if (typeof obj.spec?.serviceAccountName === 'string') {
      extra.serviceAccount = obj.spec.serviceAccountName;
    }
    // StateError: the account cannot even read the Helm storage (the release Secrets), before any action; a StateError
    // of drift detection's dry-run (`unable to determine cluster state: … dry-run failed (Forbidden)`) is about the
    // release objects, like an action's.
    const readsStorage = failure.source === 'StateError' && !/^unable to determine cluster state: /.test(failure.tail);
    const storage = readsStorage ? {
      explanation: 'Before any Helm action, helm-controller reads the release\'s revisions from the Helm storage (Secrets in the storage namespace) as the account in spec.serviceAccountName (multi-tenancy), or as itself; the API server refused that read. The account lacks a Role granting get/list/watch/create/update/delete on Secrets there, or does not exist (impersonating a missing ServiceAccount yields no permissions at all). Nothing is installed, upgraded or remediated until it can.',
    } : {};
    const impersonation = impersonationHint(failure.tail, obj.metadata.namespace ?? '');
    const esc = m ? null : failure.tail.match(/(roles|clusterroles|rolebindings|clusterrolebindings)\.rbac\.authorization\.k8s\.io "([^"]+)" is forbidden: user "/);
    const kind = esc ? { roles: 'Role', clusterroles: 'ClusterRole', rolebindings: 'RoleBinding', clusterrolebindings: 'ClusterRoleBinding' }[esc[1] as 'roles']! : null;
    const clusterWide = kind === 'ClusterRole' || kind === 'ClusterRoleBinding';
    const roleNs = clusterWide ? null : vars.releaseNamespace ?? obj.metadata.namespace ?? null;
    const escalation = m ? null : rbacEscalationHint(failure.tail, kind, esc ? `${kind}/${esc[2]}` : 'a Role of the chart', roleNs, 'helm-controller');
    if (escalation) {
      const user = failure.tail.match(RBAC_ESCALATION)![1]!;
      extra.user = user;
      if (escalation.verb && escalation.resource) {
        extra.verb = escalation.verb;
        extra.forbiddenResource = escalation.resource;
        extra.forbiddenNamespace = roleNs ?? vars.releaseNamespace ?? '';
      }
      const sa = user.match(/^system:serviceaccount:([^:]+):(.+)$/);
      if (sa && sa[1] === obj.metadata.namespace) extra.serviceAccount = sa[2]!;
      const who = typeof obj.spec?.serviceAccountName === 'string' && obj.spec.serviceAccountName ? `the impersonated ServiceAccount ${obj.metadata.namespace}/${obj.spec.serviceAccountName} (spec.serviceAccountName)` : `helm-controller's own account (no spec.serviceAccountName)`;
      return { vars: extra, title: escalation.title, explanation: escalation.explanation, remediation: escalation.remediation, evidence: [`applied as ${who}`] };
    }
    if (impersonation) return { vars: extra, ...impersonation };
    return { vars: extra, ...storage, ...(m ? { title: `${m[1]} cannot ${m[2]} ${m[3]}${readsStorage ? ' (Helm storage)' : ''}` } : {}) };
  },
});
