// What one event says about why a workload cannot become ready: the shape every cause module returns.
import type { ObjRef } from '../../flux/refs';
import type { KubeObject } from '../../snapshot/schema';
import { eventTimeMs } from '../../snapshot/indexes';
import { eventEvidence } from '../evidence';
import { redact } from '../../util/redact';
import type { RemediationTemplate } from '../types';

export interface WorkloadTrouble {
  /** A short phrase for a title: `pods refused: ResourceQuota apps/compute exceeded (…)`. */
  title: string;
  explanation: string;
  remediation: RemediationTemplate[];
  /** The event quoted, with the object it is about. */
  evidence: string;
  /** The namespace of that object. */
  namespace: string;
  /** The same cause behind several workloads has the same key (`storageclass:fast`, `podsecurity:restricted`…). */
  key: string;
  /** Lower is more telling: a refused pod explains a crash loop's absence, not the other way round. */
  rank: number;
  /**
   * When several workloads can share the cause: what to fix (the quota, the StorageClass, the registry as a `Host`;
   * 'cluster' for the nodes, the CNI or a policy) and a title for the cause itself. Null when it is the workload's own
   * (a crash loop, a failing probe).
   */
  shared: { root: ObjRef | 'cluster'; title: string } | null;
  /** How long the event has been repeating (ms between its first and last occurrence) and when it last happened. */
  repeatingMs: number;
  lastSeen: number;
}

type Make = (rank: number, key: string, title: string, explanation: string, remediation: RemediationTemplate[], shared?: WorkloadTrouble['shared']) => WorkloadTrouble;

/** An event read once: who it is about, its message, and a maker that fills in the evidence and namespace. */
export interface EventFacts {
  e: KubeObject;
  kind: string;
  name: string;
  ns: string;
  message: string;
  /** `kubectl --context {context} -n <ns>`, for steps. */
  k: string;
  of: Make;
}

export function involved(e: KubeObject): { kind: string; name: string } {
  const io = e.involvedObject ?? e.regarding ?? {};
  return { kind: String(io.kind ?? ''), name: String(io.name ?? '') };
}

export function factsOf(e: KubeObject): EventFacts {
  const { kind, name } = involved(e);
  const ns = String((e.involvedObject ?? e.regarding)?.namespace ?? e.metadata.namespace ?? '');
  const evidence = `${kind} ${ns}/${name}: ${eventEvidence(e)}`;
  const lastSeen = eventTimeMs(e);
  const first = Date.parse(String(e.firstTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? ''));
  const repeatingMs = Number.isNaN(first) ? 0 : Math.max(0, lastSeen - first);
  const of: Make = (rank, key, title, explanation, remediation, shared = null) => ({ rank, key, title, explanation, remediation, evidence, namespace: ns, shared, repeatingMs, lastSeen });
  // Titles and explanations quote the message (a webhook's reason, a policy's detail): redacted like evidence.
  return { e, kind, name, ns, message: redact(String(e.message ?? e.note ?? '')), k: `kubectl --context {context} -n ${ns}`, of };
}
