// Readings of health-check messages beyond the kstatus list `<Kind>/<ns>/<name> status: '<s>'` (flux/refs).
import { FLUX_KINDS } from '../../flux/kinds';
import type { ObjRef } from '../../flux/refs';
import type { RemediationTemplate } from '../types';

// Workload resources a health check names by their plural (pre-0.8 form); Flux kinds come from their descriptors.
const WORKLOAD_PLURALS: Record<string, string> = {
  deployments: 'Deployment', statefulsets: 'StatefulSet', daemonsets: 'DaemonSet', jobs: 'Job', services: 'Service',
  pods: 'Pod', persistentvolumeclaims: 'PersistentVolumeClaim', replicasets: 'ReplicaSet', ingresses: 'Ingress',
};

function kindOfPlural(plural: string): string {
  const flux = FLUX_KINDS.find((k) => k.plural === plural);
  if (flux) return flux.kind;
  return WORKLOAD_PLURALS[plural] ?? plural.replace(/s$/, '').replace(/^./, (c) => c.toUpperCase());
}

/**
 * kustomize-controller before v0.8 (Flux 0.8): `Health check timed out for [<plural>[.<group>] '<ns>/<name>', …]`.
 * Each item is reported as timed out (status unknown to the message).
 */
export function legacyTimedOut(message: string): { ref: ObjRef; status: string }[] {
  const list = message.match(/Health check timed out for \[([^\]]*)\]/)?.[1];
  if (!list) return [];
  return [...list.matchAll(/([a-z0-9]+)(?:\.[a-z0-9.-]+)? '(?:([^'/]+)\/)?([^']+)'/g)].map((m) => {
    const kind = kindOfPlural(m[1]!);
    return { ref: m[2] ? { kind, namespace: m[2], name: m[3]! } : { kind, name: m[3]! }, status: 'NotReady' };
  });
}

/** Objects stuck in deletion: their finalizer's controller is gone or failing, not a slow rollout. */
export function terminatingHint(refs: ObjRef[]): { explanation: string; remediation: RemediationTemplate[] } | null {
  const first = refs[0];
  if (!first) return null;
  const resource = first.kind.toLowerCase();
  const ns = first.namespace ? ` -n ${first.namespace}` : '';
  return {
    explanation: 'The health check waits for objects that are being deleted (status Terminating): they carry a deletion timestamp and stay until their finalizers are removed, which only the controller that put them there does. Usually that controller is not installed any more (e.g. the image automation controllers were removed while their objects remained), is failing, or the object is being recreated under the same name. Waiting longer does not help.',
    remediation: [
      { description: `See the finalizers and deletion time of ${first.kind}/${first.namespace ? `${first.namespace}/` : ''}${first.name}`, command: `kubectl --context {context}${ns} get ${resource} ${first.name} -o jsonpath='{.metadata.deletionTimestamp}{" "}{.metadata.finalizers}'` },
      { description: 'Make sure the controller that owns the finalizer runs (for Flux kinds: flux check); only if it is gone for good, remove the finalizer by hand', command: `kubectl --context {context}${ns} patch ${resource} ${first.name} --type=merge -p '{"metadata":{"finalizers":null}}'` },
    ],
  };
}
