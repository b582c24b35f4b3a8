// A namespace being deleted refuses new objects (NamespaceLifecycle admission: `<resource> "<name>" is forbidden:
// unable to create new content in namespace <ns> because it is being terminated`) until the namespace controller
// finishes. When the snapshot holds the Namespace (offline input that includes it), its status conditions say what
// holds the deletion (Kubernetes pkg/controller/namespace/deletion): NamespaceDeletionDiscoveryFailure (`Discovery
// failed for some groups, <n> failing: … <group>/<version>: <err>`, an aggregated APIService that does not answer),
// NamespaceFinalizersRemaining (`Some content in the namespace has finalizers remaining: <finalizer> in <n> resource
// instances`), NamespaceContentRemaining, NamespaceDeletionContentFailure. No request is made for it.
import type { ClusterIndex } from '../snapshot/indexes';
import type { RemediationTemplate } from './types';

export const NAMESPACE_TERMINATING = /unable to create new content in namespace (\S+) because it is being terminated/;

export interface TerminationBlocker {
  /** `Namespace <ns> is being deleted[: <cause>]`, the title of one refused object's finding. */
  title: string;
  /** What holds the deletion, for titles: `the APIService v1beta1.metrics.k8s.io is unavailable`. */
  cause: string | null;
  evidence: string[];
  remediation: RemediationTemplate[];
}

const HOLDING = ['NamespaceDeletionDiscoveryFailure', 'NamespaceFinalizersRemaining', 'NamespaceContentRemaining', 'NamespaceDeletionContentFailure', 'NamespaceDeletionGroupVersionParsingFailure'];

/** Why the deletion of `ns` does not finish, from the Namespace's conditions when the snapshot has it. */
export function terminationBlocker(index: ClusterIndex, ns: string): TerminationBlocker {
  const { cause, evidence, remediation } = holdingReason(index, ns);
  return { title: `Namespace ${ns} is being deleted${cause ? `: ${cause}` : ''}`, cause, evidence, remediation };
}

function holdingReason(index: ClusterIndex, ns: string): Omit<TerminationBlocker, 'title'> {
  const steps: RemediationTemplate[] = [{ description: `See why the deletion of namespace ${ns} does not finish (status.conditions)`, command: `kubectl --context {context} get namespace ${ns} -o yaml` }];
  const namespace = index.resource({ kind: 'Namespace', name: ns });
  if (!namespace) return { cause: null, evidence: [], remediation: steps };
  const conditions: any[] = Array.isArray(namespace.status?.conditions) ? namespace.status.conditions : [];
  const evidence = [`Namespace ${ns}: ${namespace.status?.phase ?? 'phase unknown'}${namespace.metadata.deletionTimestamp ? ` since ${namespace.metadata.deletionTimestamp}` : ''}`];
  const holding = HOLDING.map((t) => conditions.find((c) => c?.type === t && c.status === 'True')).filter(Boolean);
  for (const c of holding) evidence.push(`${c.type}=True ${c.reason ?? ''}: ${c.message ?? ''}`.replace(/\s+:/, ':'));
  const discovery = holding.find((c) => c.type === 'NamespaceDeletionDiscoveryFailure');
  if (discovery) {
    // `<group>/<version>: <err>` per failing group; the APIService of it is named `<version>.<group>`.
    const services = [...String(discovery.message ?? '').matchAll(/([a-z0-9-]+(?:\.[a-z0-9-]+)+)\/(v[a-z0-9]+): /g)].map((m) => `${m[2]}.${m[1]}`);
    for (const name of services) {
      const available = (index.resource({ kind: 'APIService', name })?.status?.conditions ?? []).find((c: any) => c?.type === 'Available');
      if (available) evidence.push(`APIService ${name}: Available=${available.status}${available.reason ? ` ${available.reason}` : ''}${available.message ? `: ${available.message}` : ''}`);
    }
    const list = services.length ? services.join(', ') : 'an aggregated API';
    return {
      cause: `the namespace controller cannot list every API (${list} unavailable)`,
      evidence,
      remediation: [
        { description: `Restore the service behind ${list} (e.g. metrics-server), or delete the APIService if that API is gone for good; the namespace controller then finishes the deletion. Removing the namespace's finalizer instead leaves that API's objects behind`, command: 'kubectl --context {context} get apiservices | grep -v True' },
        ...steps,
      ],
    };
  }
  const finalizers = holding.find((c) => c.type === 'NamespaceFinalizersRemaining');
  if (finalizers) {
    return {
      cause: `objects in it keep finalizers (${String(finalizers.message ?? '').replace(/^Some content in the namespace has finalizers remaining: /, '')})`,
      evidence,
      remediation: [{ description: 'The controllers that own those finalizers must remove them: check that they run (remove a finalizer by hand only if its controller is gone for good)' }, ...steps],
    };
  }
  return { cause: holding.length ? `${holding[0].type} (${holding[0].reason ?? ''})` : null, evidence, remediation: steps };
}
