// FailedCreate (replicaset, statefulset, daemonset and job controllers): the API server refused the pods or claims.
// Messages: ResourceQuota admission, PodSecurity admission, webhooks, ValidatingAdmissionPolicy, ServiceAccount
// admission, LimitRange, OpenShift SCC and PodSecurityPolicy.
import type { EventFacts, WorkloadTrouble } from './cause';

/** FailedCreate: the API server refused the pods (or a StatefulSet's claims) the controller tried to create. */
export function refused(f: EventFacts): WorkloadTrouble {
  const { e, ns, name: owner, message, k, of } = f;
  const quota = message.match(/exceeded quota: ([^,\s]+), requested: (.+?), used: (.+?), limited: ([^\n]+)/i);
  if (quota) {
    const [, q, requested, used, limited] = quota;
    // Keyed by name, not namespace: the same quota rolled out to several tenants' namespaces is one change.
    return of(1, `quota-exceeded:${q}`, `pods refused: ResourceQuota ${ns}/${q} exceeded (limited: ${limited})`,
      `The API server refuses the pods ${owner} tries to create: they would exceed the namespace's ResourceQuota ${q} (requested ${requested}, already used ${used}, hard limit ${limited}). No pod is created, so the rollout cannot progress and the wait runs out; a longer timeout cannot help. Lower the workload's requests/limits or replicas in Git, free quota in the namespace, or raise the quota.`,
      [{ description: `See the quota's limits and what is used`, command: `${k} describe resourcequota ${q}` },
        { description: `See the refused creations`, command: `${k} describe ${e.involvedObject?.kind?.toLowerCase() ?? 'replicaset'} ${owner}` }], { root: { kind: 'ResourceQuota', namespace: ns, name: q! }, title: `ResourceQuota ${q} is exhausted` });
  }
  const unspecified = message.match(/failed quota: ([^:\s]+): must specify ([^\n]+)/i);
  if (unspecified) {
    const [, q, what] = unspecified;
    const required = what!.replace(/ for: [^;]+/g, '').replace(/;\s*/g, ',');
    return of(1, `quota-unspecified:${q}`, `pods refused: ResourceQuota ${ns}/${q} requires ${required}`,
      `The namespace's ResourceQuota ${q} limits ${what}, so every container must declare these requests/limits, and the pods ${owner} creates do not (and no LimitRange gives defaults). Set the resources in the manifest or chart values (resources.requests/limits), or add a LimitRange with defaults.`,
      [{ description: 'See the quota', command: `${k} describe resourcequota ${q}` },
        { description: 'See whether a LimitRange gives defaults', command: `${k} get limitrange -o yaml` },
        { description: `In Git, give the namespace a LimitRange with default requests and limits (or set ${required} in the chart values or manifests), or relax the quota` }],
      { root: { kind: 'ResourceQuota', namespace: ns, name: q! }, title: `ResourceQuota ${q} requires ${required}, which the pods do not set` });
  }
  const pss = message.match(/violates PodSecurity "([^"]+)": ([^\n]+)/);
  if (pss) {
    const [, level, detail] = pss;
    return of(1, `podsecurity:${level!.split(':')[0]}`, `pods refused: they violate PodSecurity "${level}"`,
      `The namespace ${ns} enforces the Pod Security Standard "${level}" (label pod-security.kubernetes.io/enforce, or the cluster's default), and the pods ${owner} creates violate it: ${detail}. They are never created. Set what the level requires in the pod template (securityContext in the manifest or chart values), or, if the workload needs it, label the namespace with a less strict level.`,
      [{ description: 'See the namespace\'s Pod Security labels', command: `kubectl --context {context} get namespace ${ns} --show-labels` },
        { description: `See the refused creations`, command: `${k} describe ${e.involvedObject?.kind?.toLowerCase() ?? 'replicaset'} ${owner}` }], { root: 'cluster', title: `pods violate PodSecurity "${level}"` });
  }
  const webhook = message.match(/admission webhook "([^"]+)" denied the request:?\s*([^\n]*)/);
  if (webhook) {
    return of(1, `webhook:${webhook[1]}`, `pods refused by admission webhook ${webhook[1]}`,
      `An admission webhook (${webhook[1]}: a policy engine such as Kyverno or Gatekeeper, or a mutating injector) refuses the pods ${owner} tries to create${webhook[2] ? `: ${webhook[2]}` : ''}. Change the pod template to satisfy the policy, or get an exception for it.`,
      [{ description: 'Find the webhook configuration', command: 'kubectl --context {context} get validatingwebhookconfigurations,mutatingwebhookconfigurations' },
        { description: `See the refusals`, command: `${k} describe ${e.involvedObject?.kind?.toLowerCase() ?? 'replicaset'} ${owner}` }], { root: 'cluster', title: `admission webhook ${webhook[1]} refuses the pods` });
  }
  const unreachable = message.match(/failed calling webhook "([^"]+)"/);
  if (unreachable) {
    return of(1, `webhook:${unreachable[1]}`, `pods cannot be created: admission webhook ${unreachable[1]} does not answer`,
      `Creating the pods of ${owner} needs the admission webhook ${unreachable[1]}, and the API server cannot call it (its Service has no ready pods, a NetworkPolicy blocks it, or its certificate is invalid). With failurePolicy: Fail, no pod is created anywhere it applies.`,
      [{ description: 'Find the webhook and the Service it calls', command: 'kubectl --context {context} get validatingwebhookconfigurations,mutatingwebhookconfigurations' }], { root: 'cluster', title: `admission webhook ${unreachable[1]} does not answer` });
  }
  const vap = message.match(/ValidatingAdmissionPolicy '([^']+)' with binding '([^']+)' denied request/);
  if (vap) {
    return of(1, `vap:${vap[1]}`, `pods refused by ValidatingAdmissionPolicy ${vap[1]}`,
      `The ValidatingAdmissionPolicy ${vap[1]} (binding ${vap[2]}) refuses the pods ${owner} tries to create. Change the pod template to satisfy it.`,
      [{ description: 'Read the policy', command: `kubectl --context {context} get validatingadmissionpolicy ${vap[1]} -o yaml` }], { root: { kind: 'ValidatingAdmissionPolicy', name: vap[1]! }, title: `ValidatingAdmissionPolicy ${vap[1]} refuses the pods` });
  }
  const sa = message.match(/error looking up service account ([^/\s]+)\/([^:\s]+): serviceaccount "[^"]+" not found/);
  if (sa) {
    return of(1, `serviceaccount:${sa[1]}/${sa[2]}`, `pods refused: ServiceAccount ${sa[1]}/${sa[2]} does not exist`,
      `The pod template names the ServiceAccount ${sa[1]}/${sa[2]}, which does not exist, so no pod is created: it is created by something not applied yet, or the chart was told not to create it (serviceAccount.create: false) while still naming it.`,
      [{ description: 'Check the ServiceAccount', command: `kubectl --context {context} -n ${sa[1]} get serviceaccount ${sa[2]}` }], { root: { kind: 'ServiceAccount', namespace: sa[1]!, name: sa[2]! }, title: `ServiceAccount ${sa[1]}/${sa[2]} does not exist` });
  }
  if (/(?:maximum|minimum) \S+ usage per (?:Container|Pod) is|must be less than or equal to \S+ limit/.test(message)) {
    return of(1, `limitrange:${ns}`, `pods refused by a LimitRange in ${ns}`,
      `The pods ${owner} creates ask for more (or less) than the namespace's LimitRange allows, so they are refused. Adjust the resources in the manifest or chart values, or the LimitRange.`,
      [{ description: 'See the LimitRange', command: `${k} describe limitrange` }], { root: { kind: 'Namespace', name: ns }, title: `a LimitRange in ${ns} refuses the pods` });
  }
  // OpenShift's SecurityContextConstraints admission, and PodSecurityPolicy (removed in Kubernetes 1.25).
  const scc = message.match(/unable to validate against any security context constraint: (.*)/);
  if (scc) {
    return of(1, 'scc', 'pods refused: no SecurityContextConstraints admits them',
      `OpenShift refuses the pods ${owner} tries to create: no SecurityContextConstraints usable by their ServiceAccount admits their security settings (${scc[1]!.slice(0, 400)}). Change the pod's securityContext (runAsUser, fsGroup, capabilities) in the manifest or chart values to what restricted-v2 allows, or grant the ServiceAccount a fitting SCC.`,
      [{ description: 'See which SCC the pods would need and which the ServiceAccount may use', command: `${k} describe ${e.involvedObject?.kind?.toLowerCase() ?? 'replicaset'} ${owner}` },
        { description: 'List the SecurityContextConstraints', command: 'kubectl --context {context} get securitycontextconstraints' }],
      { root: 'cluster', title: 'no SecurityContextConstraints admits the pods' });
  }
  if (/unable to validate against any pod security policy/.test(message)) {
    return of(1, 'psp', 'pods refused: no PodSecurityPolicy admits them',
      `PodSecurityPolicy admission refuses the pods ${owner} tries to create: no policy their ServiceAccount may use admits them${/policy: \[\]$/.test(message) ? ' (none is usable by it at all: a missing RoleBinding to a PSP ClusterRole)' : ''}. Bind a PodSecurityPolicy to the ServiceAccount (use verb on the policy), or change the pod to fit an allowed one. PodSecurityPolicy was removed in Kubernetes 1.25: migrate to Pod Security admission.`,
      [{ description: 'List the PodSecurityPolicies', command: 'kubectl --context {context} get podsecuritypolicies' },
        { description: 'See the refusals', command: `${k} describe ${e.involvedObject?.kind?.toLowerCase() ?? 'replicaset'} ${owner}` }],
      { root: 'cluster', title: 'no PodSecurityPolicy admits the pods' });
  }
  const first = message.split('\n')[0]!;
  return of(1, `refused:${ns}/${owner}`, `pods cannot be created: ${first.length > 160 ? `${first.slice(0, 157)}…` : first}`,
    `The controller of ${owner} cannot create its pods: the API server refuses them (the event says why). No pod is created, so the wait runs out.`,
    [{ description: `See the refused creations`, command: `${k} describe ${e.involvedObject?.kind?.toLowerCase() ?? 'replicaset'} ${owner}` }]);
}
