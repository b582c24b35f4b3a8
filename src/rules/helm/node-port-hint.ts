// NodePorts are allocated cluster-wide by the API server's Service registry (kubernetes pkg/registry/core/service
// portallocator): a fixed spec.ports[].nodePort another Service holds is refused with `Service "<name>" is invalid:
// spec.ports[<i>].nodePort: Invalid value: <port>: provided port is already allocated`, a fixed healthCheckNodePort with
// `Internal error occurred: failed to allocate requested HealthCheck NodePort <port>: provided port is already
// allocated`, and a port outside --service-node-port-range with `provided port is not in the valid range. The range of
// valid ports is <range>`. The chart got the port from the values: no retry frees it.
import type { RuleHit } from '../types';

export const HEALTH_CHECK_PORT_TAKEN = /failed to allocate requested HealthCheck NodePort (\d+): provided port is already allocated/;
const NOT_IN_RANGE = /provided port is not in the valid range\. The range of valid ports is (\S+)/;

export function nodePortHint(service: string | null, field: string, port: string, detail: string): Partial<RuleHit> | null {
  const range = detail.match(NOT_IN_RANGE)?.[1];
  const taken = /provided port is already allocated/.test(detail);
  if (!range && !taken) return null;
  const svc = service ? `Service ${service}` : 'a Service of the chart';
  const Svc = svc[0]!.toUpperCase() + svc.slice(1);
  if (range) {
    return {
      title: `${Svc} asks for ${field} ${port}, outside the cluster's NodePort range ${range}`,
      explanation: `The chart renders ${svc} with a fixed ${field} of ${port}, and this cluster only hands out NodePorts in ${range} (the API server's --service-node-port-range). Set a port inside that range in the values, or leave it empty so Kubernetes picks one.`,
      remediation: [{ description: `In Git, set the ${field} of ${svc} in the values to a port in ${range}, or remove it` }],
    };
  }
  return {
    title: `${Svc} asks for ${field} ${port}, which another Service already holds`,
    explanation: `NodePorts are unique across the whole cluster, and ${port} is allocated to another Service (in any namespace: another release of the same chart, a copy of this one in another namespace, or a Service created by hand), so the API server refuses ${svc}. The port comes from the values: choose another one, leave it empty so Kubernetes assigns a free one, or free it on the other Service. Retrying cannot help while the other Service holds it.`,
    remediation: [
      { description: `Find the Service that holds ${port}`, command: `kubectl --context {context} get svc -A -o jsonpath='{range .items[*]}{.metadata.namespace}/{.metadata.name}{" "}{.spec.ports[*].nodePort}{" "}{.spec.healthCheckNodePort}{"\\n"}\\{end\\}' | grep -w ${port}` },
      { description: `In Git, choose another ${field} for ${svc} in the values (or remove it so Kubernetes assigns one), or free ${port} on the other Service` },
      { description: 'Run the release again once the port is changed or free', command: 'flux --context {context} reconcile helmrelease {name} -n {namespace}' },
    ],
    replaceRemediation: true,
  };
}
