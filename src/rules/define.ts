// Declarative rules: kinds + condition type/status/reason + message pattern, with an optional refinement.
// Most rules are one call to conditionRule(); rules that need the graph write match() themselves.
import { condition, type Condition } from '../flux/conditions';
import type { KubeObject } from '../snapshot/schema';
import { conditionEvidence } from './evidence';
import type { Rule, RuleContext, RuleHit, RuleMeta } from './types';

export interface ConditionSignal {
  type: string;
  /** Default 'False' for Ready-like conditions; pass 'True' for Stalled, FetchFailed... */
  status?: string;
  reasons?: string[];
  message?: RegExp;
}

export interface Found {
  condition: Condition;
  match: RegExpMatchArray | null;
}

export interface ConditionRuleSpec extends RuleMeta {
  /** The rule matches when any of these signals is present. */
  when: ConditionSignal | ConditionSignal[];
  /** Extra predicate and enrichment: return null/false to reject, or fields to add to the hit. */
  refine?: (obj: KubeObject, ctx: RuleContext, found: Found) => Partial<RuleHit> | null | false;
}

function signalMatches(obj: KubeObject, signal: ConditionSignal): Found | null {
  const c = condition(obj, signal.type);
  if (!c) return null;
  if (c.status !== (signal.status ?? 'False')) return null;
  if (signal.reasons && !signal.reasons.includes(c.reason ?? '')) return null;
  if (!signal.message) return { condition: c, match: null };
  const match = (c.message ?? '').match(signal.message);
  return match ? { condition: c, match } : null;
}

export function conditionRule(spec: ConditionRuleSpec): Rule {
  const { when, refine, ...meta } = spec;
  const signals = Array.isArray(when) ? when : [when];
  return {
    ...meta,
    match(obj, ctx) {
      for (const signal of signals) {
        const found = signalMatches(obj, signal);
        if (!found) continue;
        const extra = refine ? refine(obj, ctx, found) : {};
        if (!extra) continue;
        return {
          evidence: [conditionEvidence(found.condition)],
          since: found.condition.lastTransitionTime ?? null,
          ...extra,
        };
      }
      return null;
    },
  };
}

export function defineRule(rule: Rule): Rule {
  return rule;
}
