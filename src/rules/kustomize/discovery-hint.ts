// FD314's discovery case: the user kustomize-controller applies as may not read /api and /apis, so no object can be
// mapped to its resource. Every authenticated user gets discovery from the default ClusterRoleBinding system:discovery
// (ClusterRole system:discovery to the group system:authenticated, which an impersonated ServiceAccount also has), so
// a 403 here means that binding was changed or an authorization webhook denies it, not a missing Role.
import type { ObjRef } from '../../flux/refs';
import { refKey } from '../../flux/refs';
import type { KubeObject } from '../../snapshot/schema';
import type { RemediationTemplate } from '../types';
import type { ApplyTarget } from './messages';

export interface DiscoveryHint {
  title: string;
  explanation: string;
  evidence: string[];
  vars: Record<string, string>;
  remediation: RemediationTemplate[];
}

export function discoveryHint(message: string, obj: KubeObject, fluxNamespace: string, target: ApplyTarget | null): DiscoveryHint {
  const sa = typeof obj.spec?.serviceAccountName === 'string' && obj.spec.serviceAccountName ? obj.spec.serviceAccountName : null;
  const remote = Boolean(obj.spec?.kubeConfig);
  const ns = obj.metadata.namespace ?? '';
  // Without spec.serviceAccountName (and no --default-service-account lockdown) it is the controller's own account.
  const account = sa ? `${ns}:${sa}` : `${fluxNamespace}:kustomize-controller`;
  const named = message.match(/User "([^"]+)"/)?.[1];
  const user = named ?? (remote ? null : `system:serviceaccount:${account}`);
  const who = named ?? (remote ? 'the kubeconfig user of spec.kubeConfig' : sa ? `the impersonated ServiceAccount ${ns}/${sa}` : 'kustomize-controller\'s own ServiceAccount');
  const on: ObjRef | null = target?.ref ?? null;
  const vars: Record<string, string> = remote ? {} : { discoveryUser: user!, discoveryAccount: account, discoveryBinding: `${account.replace(':', '-')}-discovery` };
  return {
    title: `${who[0]!.toUpperCase()}${who.slice(1)} is denied API discovery${on ? ` (so ${refKey(on)} cannot be mapped)` : ''}`,
    explanation: `Before applying, kustomize-controller maps each object's kind to its API resource through discovery (GET /api and /apis) as the user it applies with: ${who}${remote ? ' on the remote cluster' : ''}. The API server answered Forbidden${/: unknown\s*$/m.test(message) ? ' (with no detail: "unknown")' : ''}, so not a single object could be looked up. Discovery is normally open to every authenticated user through the default ClusterRoleBinding system:discovery (ClusterRole system:discovery, group system:authenticated), which impersonated ServiceAccounts also get: that binding was changed or removed, or an authorization webhook denies the request. Roles in the namespace do not help; bind system:discovery (or allow the nonResourceURLs /api, /apis and below) to the account. Nothing is applied.`,
    evidence: [`API discovery refused to ${user ?? who}`],
    vars,
    remediation: [
      { description: 'Check whether {discoveryUser} may read the discovery endpoints (no means denied)', command: 'kubectl --context {context} auth can-i get /apis --as={discoveryUser}' },
      { description: 'See whether the default binding of system:discovery to system:authenticated is intact', command: 'kubectl --context {context} get clusterrolebinding system:discovery -o yaml' },
      { description: 'Allow discovery to {discoveryAccount} (or restore the default binding)', command: 'kubectl --context {context} create clusterrolebinding {discoveryBinding} --clusterrole=system:discovery --serviceaccount={discoveryAccount}' },
      { description: 'If it is still denied, an authorization webhook of the cluster refuses it: ask the cluster administrators' },
    ],
  };
}
