// Runs every rule over one cluster's snapshot and turns hits into findings.
import { isSuspended } from '../flux/conditions';
import { isFluxApiVersion } from '../flux/kinds';
import { refOf } from '../flux/refs';
import type { Finding } from '../report/schema';
import { baseVars, renderRemediation } from '../rules/remediation';
import type { Rule, RuleContext, RuleHit } from '../rules/types';
import type { ClusterIndex } from '../snapshot/indexes';
import type { KubeObject } from '../snapshot/schema';
import { redact } from '../util/redact';
import { remoteCluster } from '../rules/remote-cluster';
import { selfApplied } from '../rules/self-applied';
import { earliestFailure } from '../rules/util';
import type { ObjRef } from '../flux/refs';

export interface RawFinding extends Finding {
  /** Objects the hit said it waits on; consumed by root-cause linking, not part of the contract. */
  blockedBy: ObjRef[];
  /** Objects whose failures the hit explains; consumed by root-cause linking like reversed blockedBy. */
  explains: ObjRef[];
}

function toFinding(rule: Rule, hit: RuleHit, object: ObjRef, ctx: RuleContext, obj?: KubeObject): RawFinding {
  // Templates are fluxdiag's own text; what comes from the cluster (filled-in values, titles and explanations a hit
  // builds from messages and URLs) is what is redacted.
  const vars = baseVars(object, ctx.index.context);
  if (hit.vars) for (const k of Object.keys(hit.vars)) vars[k] = redact(hit.vars[k]!);
  const severity = hit.severity ?? rule.severity;
  // A hit's own steps may be built from cluster values (a URL, a Secret name): redacted like the vars, before filling.
  const hitSteps = (hit.remediation ?? []).map((t) => ({ ...t, description: redact(t.description), ...(t.command ? { command: redact(t.command) } : {}) }));
  const remediation = renderRemediation([...hitSteps, ...(hit.replaceRemediation ? [] : rule.remediation)], object.kind, vars);
  const evidence = hit.evidence.map((e) => redact(e));
  // Not when the finding is about the kubeconfig itself: its own steps deal with the Secret.
  const remote = obj && severity !== 'info' && !hit.vars?.kubeConfigSecret ? remoteCluster(obj, ctx.index.context) : null;
  if (remote) {
    evidence.push(remote.evidence);
    remediation.unshift(remote.step);
  }
  // A failing source that applies itself: the Git fix the steps propose cannot arrive until it is fixed in the cluster.
  const self = obj && rule.specFix ? selfApplied(obj, ctx.index, ctx.index.context) : null;
  if (self) {
    evidence.splice(1, 0, self.evidence);
    remediation.unshift(self.step);
  }
  return {
    rule: rule.code,
    slug: rule.slug,
    category: rule.category,
    severity,
    object,
    title: hit.title ? redact(hit.title) : rule.title,
    explanation: hit.explanation ? redact(hit.explanation) : rule.explanation,
    evidence,
    // A failing object's finding dates from when the failure began, not from the controller's last retry.
    since: !obj || severity === 'info' || rule.category === 'suspended' ? (hit.since ?? null) : earliestFailure(obj, hit.since ?? null, ctx.index),
    rootCause: null,
    blocks: [],
    remediation,
    blockedBy: hit.blockedBy ?? [],
    explains: hit.explains ?? [],
  };
}

interface KindRules {
  specific: Rule[];
  fallbacks: Rule[];
}

/** Per rule set: apiVersion -> kind -> the rules for such objects. Two levels, so no key string is built per object. */
const BY_KIND = new WeakMap<readonly Rule[], Map<string, Map<string, KindRules>>>();

/** Which rules look at which kind, worked out once per (apiVersion, kind) rather than once per (rule, object) pair. */
function rulesFor(rules: readonly Rule[], obj: KubeObject): KindRules {
  let byVersion = BY_KIND.get(rules);
  if (!byVersion) BY_KIND.set(rules, (byVersion = new Map()));
  let byKind = byVersion.get(obj.apiVersion);
  if (!byKind) byVersion.set(obj.apiVersion, (byKind = new Map()));
  let entry = byKind.get(obj.kind);
  if (!entry) {
    const flux = isFluxApiVersion(obj.apiVersion);
    const applies = (r: Rule) => r.match !== undefined && (r.kinds.includes(obj.kind) || (flux && r.kinds.includes('*')));
    entry = { specific: rules.filter((r) => applies(r) && !r.fallback), fallbacks: rules.filter((r) => applies(r) && r.fallback) };
    byKind.set(obj.kind, entry);
  }
  return entry;
}

export function runRules(index: ClusterIndex, rules: readonly Rule[], now: number): RawFinding[] {
  const ctx: RuleContext = { index, now };
  const findings: RawFinding[] = [];
  for (const rule of rules) {
    if (!rule.matchCluster) continue;
    for (const hit of rule.matchCluster(ctx)) {
      findings.push(toFinding(rule, hit, hit.object ?? index.clusterRef, ctx));
    }
  }
  for (const obj of index.objects()) {
    const { specific, fallbacks } = rulesFor(rules, obj);
    const suspended = isSuspended(obj);
    const self = refOf(obj);
    let strong = false;
    for (const rule of specific) {
      if (suspended && !rule.onSuspended) continue;
      const hit = rule.match!(obj, ctx);
      if (!hit) continue;
      const finding = toFinding(rule, hit, hit.object ?? self, ctx, hit.object ? undefined : obj);
      if (finding.severity !== 'info') strong = true;
      findings.push(finding);
    }
    if (strong || suspended) continue;
    for (const rule of fallbacks) {
      const hit = rule.match!(obj, ctx);
      if (!hit) continue;
      findings.push(toFinding(rule, hit, hit.object ?? self, ctx, hit.object ? undefined : obj));
      break;
    }
  }
  return findings;
}
