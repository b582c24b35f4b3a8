// Kubernetes built-in kinds `explain` accepts besides Flux kinds: it resolves them to the Flux object
// that manages them (through the kustomize/helm labels, as `flux trace` does).
export interface BuiltinKind {
  kind: string;
  group: string;
  version: string;
  plural: string;
  namespaced: boolean;
  aliases: string[];
}

const k = (kind: string, group: string, version: string, plural: string, namespaced: boolean, aliases: string[]): BuiltinKind =>
  ({ kind, group, version, plural, namespaced, aliases });

export const BUILTIN_KINDS: readonly BuiltinKind[] = [
  k('Deployment', 'apps', 'v1', 'deployments', true, ['deploy', 'deployment']),
  k('StatefulSet', 'apps', 'v1', 'statefulsets', true, ['sts', 'statefulset']),
  k('DaemonSet', 'apps', 'v1', 'daemonsets', true, ['ds', 'daemonset']),
  k('ReplicaSet', 'apps', 'v1', 'replicasets', true, ['rs', 'replicaset']),
  k('Job', 'batch', 'v1', 'jobs', true, ['job']),
  k('CronJob', 'batch', 'v1', 'cronjobs', true, ['cj', 'cronjob']),
  k('Pod', '', 'v1', 'pods', true, ['po', 'pod']),
  k('Service', '', 'v1', 'services', true, ['svc', 'service']),
  k('ConfigMap', '', 'v1', 'configmaps', true, ['cm', 'configmap']),
  k('Secret', '', 'v1', 'secrets', true, ['secret']),
  k('ServiceAccount', '', 'v1', 'serviceaccounts', true, ['sa', 'serviceaccount']),
  k('PersistentVolumeClaim', '', 'v1', 'persistentvolumeclaims', true, ['pvc', 'persistentvolumeclaim']),
  k('Namespace', '', 'v1', 'namespaces', false, ['ns', 'namespace']),
  k('Ingress', 'networking.k8s.io', 'v1', 'ingresses', true, ['ing', 'ingress']),
  k('NetworkPolicy', 'networking.k8s.io', 'v1', 'networkpolicies', true, ['netpol', 'networkpolicy']),
  k('HorizontalPodAutoscaler', 'autoscaling', 'v2', 'horizontalpodautoscalers', true, ['hpa', 'horizontalpodautoscaler']),
  k('Role', 'rbac.authorization.k8s.io', 'v1', 'roles', true, ['role']),
  k('RoleBinding', 'rbac.authorization.k8s.io', 'v1', 'rolebindings', true, ['rolebinding']),
  k('ClusterRole', 'rbac.authorization.k8s.io', 'v1', 'clusterroles', false, ['clusterrole']),
  k('ClusterRoleBinding', 'rbac.authorization.k8s.io', 'v1', 'clusterrolebindings', false, ['clusterrolebinding']),
  k('CustomResourceDefinition', 'apiextensions.k8s.io', 'v1', 'customresourcedefinitions', false, ['crd', 'crds', 'customresourcedefinition']),
];

const byAlias = new Map<string, BuiltinKind>();
for (const b of BUILTIN_KINDS) for (const a of [b.kind.toLowerCase(), b.plural, ...b.aliases]) byAlias.set(a, b);

export function resolveBuiltinKind(text: string): BuiltinKind | undefined {
  const lower = text.toLowerCase();
  return byAlias.get(lower) ?? byAlias.get(lower.split('.')[0] ?? '');
}

export function builtinKind(kind: string): BuiltinKind | undefined {
  return BUILTIN_KINDS.find((b) => b.kind === kind);
}

/** Workload kinds whose readiness explain reports, with their pods. */
export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job'] as const;
