// pod-security-admission refuses to create a Pod that breaks the namespace's enforced Pod Security Standard:
// `pods "<name>" is forbidden: violates PodSecurity "<level>:<version>": <checks>` (Kubernetes 1.23+). Helm creates
// Pods itself only for bare Pod templates and hooks (workload controllers' pods are refused later, as events); the
// Pod never ran, so it has no logs.
import type { RuleHit } from '../types';

export const POD_SECURITY = /pods "([^"]+)" is forbidden: violates PodSecurity "([^":]+)(?::([^"]+))?": ?([^\n]*)/;

/** `what`: how the finding names the Pod (a hook, a template of the chart). */
export function podSecurityHint(m: RegExpMatchArray, namespace: string, what: string): Partial<RuleHit> {
  const [, pod, level, version, checks] = m;
  return {
    title: `${what} ${pod} was rejected by Pod Security "${level}" in namespace ${namespace}`,
    explanation: `Namespace ${namespace} enforces the Pod Security Standard "${level}"${version ? ` (version ${version})` : ''} (label pod-security.kubernetes.io/enforce), and the chart's Pod ${pod} breaks it${checks ? ` (${checks.length > 300 ? `${checks.slice(0, 300)}…` : checks})` : ''}, so the API server refused to create it; it never ran and has no logs. Give it a compliant securityContext through the chart's values (if the chart exposes one), disable that part of the chart, or, if the namespace may run such pods, relax its enforce label.`,
    remediation: [
      { description: `See the Pod Security labels of namespace ${namespace}`, command: `kubectl --context {context} get namespace ${namespace} --show-labels` },
      { description: `In Git, set the securityContext of ${pod} through spec.values (for "restricted": allowPrivilegeEscalation: false, capabilities drop ALL, runAsNonRoot: true, seccompProfile RuntimeDefault), or disable it in the values` },
      { description: 'Or, if the namespace may run such pods, relax its enforce level (better in the manifest that manages the namespace)', command: `kubectl --context {context} label namespace ${namespace} pod-security.kubernetes.io/enforce=baseline --overwrite` },
      { description: 'Run the release again', command: 'flux --context {context} reconcile helmrelease {name} -n {namespace} {forceFlag}' },
    ],
    replaceRemediation: true,
  };
}
