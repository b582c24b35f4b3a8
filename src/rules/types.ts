// The shape of a rule: metadata beside the logic, so `fluxdiag rules`, docs/rules.md and findings share one source.
import type { ObjRef } from '../flux/refs';
import type { Category, Severity } from '../report/schema';
import type { ClusterIndex } from '../snapshot/indexes';
import type { KubeObject } from '../snapshot/schema';

/**
 * A remediation step. `command` is a template: `{context}`, `{namespace}`, `{name}`, `{kind}`, `{noun}` (the
 * flux CLI noun, e.g. `source git`), `{resource}` (kubectl resource) and any var the rule's hit provides.
 * A step whose command names a var the hit does not provide is dropped, so no half-filled command is printed.
 */
export interface RemediationTemplate {
  description: string;
  command?: string;
  /** Only for objects of these kinds (a rule covering several kinds may have kind-specific steps). */
  kinds?: string[];
}

export interface RuleContext {
  index: ClusterIndex;
  /** "Now" in ms: --now, or the snapshot's collection time. */
  now: number;
}

export interface RuleHit {
  /** Defaults to the object the rule was run on. */
  object?: ObjRef;
  evidence: string[];
  vars?: Record<string, string>;
  /** Objects this one waits on; root-cause linking follows them to the deepest culprit. */
  blockedBy?: ObjRef[];
  /**
   * The reverse: objects whose failures this finding explains (a shared cause found by a cluster-level rule, e.g. the
   * cluster DNS every failing source times out on). Their findings are linked to it as if they named it in blockedBy.
   */
  explains?: ObjRef[];
  severity?: Severity;
  since?: string | null;
  /** A sharper title or explanation for this case (e.g. with the duration of a suspension). */
  title?: string;
  explanation?: string;
  /** Steps for this case only (e.g. one per workload a health check waited on), placed before the rule's own. */
  remediation?: RemediationTemplate[];
  /** The hit's steps replace the rule's own: a case where the rule's general steps would send the user elsewhere. */
  replaceRemediation?: boolean;
}

export interface RuleMeta {
  /** Stable code, `FD` + 3 digits; never reused. */
  code: string;
  slug: string;
  category: Category;
  severity: Severity;
  /** Kinds the rule looks at; `*` for every Flux kind; `Cluster` for cluster-level rules. */
  kinds: string[];
  title: string;
  /** What the rule matches: condition type/status/reason, message pattern, events, spec/status fields. */
  signals: string[];
  explanation: string;
  remediation: RemediationTemplate[];
  /** A catch-all that only fires when no specific rule found an error or warning on the same object. */
  fallback?: boolean;
  /** Rules normally skip suspended objects (their status is stale); set for rules about suspension itself. */
  onSuspended?: boolean;
  /** Says what follows from the object's failure (retries exhausted, a stale artifact), not why: listed after the cause. */
  consequence?: boolean;
  /** The remedy edits the object's own spec (a branch, a URL): a source that applies itself cannot receive it through Git. */
  specFix?: boolean;
}

export interface Rule extends RuleMeta {
  match?(obj: KubeObject, ctx: RuleContext): RuleHit | null;
  /** Cluster-level checks: controllers, collection errors, dependency cycles. */
  matchCluster?(ctx: RuleContext): RuleHit[];
}
