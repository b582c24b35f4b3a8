// helm-controller acts as spec.serviceAccountName (or its --default-service-account) by impersonating it. When the API
// server refuses the impersonation itself (`serviceaccounts "<sa>" is forbidden: User "<helm-controller's account>"
// cannot impersonate resource "serviceaccounts" …`), helm-controller's own RBAC lacks the verb: the impersonated
// account's permissions never came into play, so granting that account more would not help.
import type { RuleHit } from '../types';

const IMPERSONATE = /serviceaccounts? "([^"]+)" is forbidden: User "([^"]+)" cannot impersonate resource "serviceaccounts"(?: in API group "[^"]*")?(?: in the namespace "([^"]+)")?/;

export function impersonationHint(text: string, hrNamespace: string): Partial<RuleHit> | null {
  const m = text.match(IMPERSONATE);
  if (!m) return null;
  const [, sa, user, ns = hrNamespace] = m;
  const controller = user!.match(/^system:serviceaccount:([^:]+):(.+)$/);
  return {
    title: `helm-controller may not impersonate ServiceAccount ${ns}/${sa} (its own RBAC lacks "impersonate")`,
    explanation: `helm-controller runs every Helm action as the ServiceAccount in spec.serviceAccountName (or the one its --default-service-account flag names) by impersonating it, and the API server refused the impersonation itself: ${user}, helm-controller's own account, has no "impersonate" permission on serviceaccounts. The permissions of ${ns}/${sa} are not the problem. The Flux installation binds helm-controller to cluster-admin; here that ClusterRoleBinding was changed or replaced by a narrower role (a customised install, a Helm chart of Flux with restricted RBAC). Grant helm-controller's account impersonate on serviceaccounts (a ClusterRole with verbs [impersonate] on resources [serviceaccounts], bound to it), or restore the installation's binding. Nothing is read, installed or upgraded until then.`,
    remediation: [
      { description: `Check that helm-controller may impersonate ${ns}/${sa}`, command: `kubectl --context {context} auth can-i impersonate serviceaccounts/${sa} -n ${ns} --as=${user}` },
      ...(controller ? [{ description: 'See the ClusterRoleBindings of helm-controller\'s account (the Flux installation binds it to cluster-admin)', command: `kubectl --context {context} get clusterrolebindings -o wide | grep '${controller[1]}/${controller[2]}'` }] : []),
      { description: 'Run the release again once the binding is fixed', command: 'flux --context {context} reconcile helmrelease {name} -n {namespace}' },
    ],
    // The rule's steps are about the impersonated account's permissions, which never came into play.
    replaceRemediation: true,
  };
}
