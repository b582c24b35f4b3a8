// Reading Flux Operator messages (controlplaneio-fluxcd/flux-operator internal/controller: fluxinstance_controller.go,
// resourceset_controller.go, resourcesetinputprovider_controller.go, common.go; internal/builder), v0.14–v0.58.
import { parseStatusItems, type ObjRef } from '../../flux/refs';
import type { RemediationTemplate } from '../types';

/** Health-check failures inside `reconciliation failed: …` (fluxcd/pkg ssa WaitForSet, step health checks). */
export const HEALTH = /timeout waiting for|failed early due to stalled resources|health check failed/;

/** Commands for any operator kind: the flux CLI has no nouns for them. */
export const OPERATOR_STEPS: RemediationTemplate[] = [
  { description: 'Show the status, conditions and events', command: 'kubectl --context {context} -n {namespace} describe {resource} {name}' },
  { description: 'Read the operator log for this object', command: 'kubectl --context {context} logs -n {fluxNamespace} deploy/flux-operator --tail=50' },
];

export const RETRY: RemediationTemplate = {
  description: 'Reconcile it again once fixed',
  command: 'kubectl --context {context} -n {namespace} annotate {resource} {name} reconcile.fluxcd.io/requestedAt="$(date +%s)" --overwrite',
};

/**
 * The Flux objects a health check names: kstatus items (`Kind/ns/name status: 'InProgress'`) and the operator's
 * not-ready summary lines (`Kind/ns/name status: <Ready message>`).
 */
export function namedObjects(message: string): ObjRef[] {
  const out: ObjRef[] = parseStatusItems(message).map((i) => i.ref);
  for (const m of message.matchAll(/^([A-Z][A-Za-z]+)\/([^/\s]+)\/([^/\s]+) status: /gm)) {
    out.push({ kind: m[1]!, namespace: m[2]!, name: m[3]! });
  }
  const seen = new Set<string>();
  return out.filter((r) => {
    const key = `${r.kind}/${r.namespace ?? ''}/${r.name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** `dependency <apiVersion>/<Kind>/<ns>/<name> not ready…` → the dependency's ref. */
export function namedDependency(message: string, fallbackNs: string | undefined): ObjRef | null {
  const m = message.match(/dependency (\S+?) (?:not ready|not found)/);
  if (!m) return null;
  const parts = m[1]!.split('/');
  const v = parts.findIndex((p) => /^v\d+((alpha|beta)\d+)?$/.test(p));
  const rest = v >= 0 ? parts.slice(v + 1) : parts;
  if (rest.length === 3) return { kind: rest[0]!, namespace: rest[1]!, name: rest[2]! };
  if (rest.length === 2) return fallbackNs ? { kind: rest[0]!, namespace: fallbackNs, name: rest[1]! } : { kind: rest[0]!, name: rest[1]! };
  return null;
}
