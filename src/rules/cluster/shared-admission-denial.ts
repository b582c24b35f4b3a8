// One admission webhook (or ValidatingAdmissionPolicy) denying the applies and Helm actions of several Flux objects:
// a policy rolled out, or a policy engine upgraded, refuses what it used to admit. Each object reports its own denial
// (FD311, FD426); this names the one party they share, and the recent change of the engine when the cluster shows it.
import { condition } from '../../flux/conditions';
import { inventory, refKey, type ObjRef } from '../../flux/refs';
import type { ClusterIndex } from '../../snapshot/indexes';
import type { KubeObject } from '../../snapshot/schema';
import { admissionDenial, type AdmissionDenial } from '../admission';
import { defineRule } from '../define';
import type { RuleHit } from '../types';
import { releaseFailure } from '../helm/failure';
import { applyError, applyTarget, classifyApply } from '../kustomize/messages';
import { failures, listRefs, listSome } from './failure-text';

/** A change of the engine this long before the first denial is reported as its likely cause. */
const RECENT_MS = 24 * 3600_000;
// Words of webhook names that name no product (`validate.kyverno.svc-fail`, `validation.gatekeeper.sh`).
const GENERIC = new Set(['validate', 'validation', 'validating', 'mutate', 'mutating', 'mutation', 'webhook', 'webhooks', 'admission', 'policy', 'policies', 'svc', 'fail', 'ignore', 'cluster', 'local', 'com', 'org', 'net', 'io', 'sh', 'dev', 'k8s', 'kubernetes', 'x-k8s', 'default', 'check', 'resource', 'resources', 'system', 'config']);

interface Member { ref: ObjRef; denial: AdmissionDenial; target: string | null; since: number }

/** The denial behind a failing Kustomization's apply or HelmRelease's install/upgrade, with what it refused. */
function denialOf(obj: KubeObject, message: string): { denial: AdmissionDenial; target: string | null } | null {
  if (obj.kind === 'Kustomization') {
    if (classifyApply(message) !== 'validation') return null;
    const denial = admissionDenial(applyError(message));
    const target = applyTarget(message);
    return denial ? { denial, target: target ? refKey(target.ref) : null } : null;
  }
  if (obj.kind !== 'HelmRelease') return null;
  const failure = releaseFailure(obj);
  const denial = failure ? admissionDenial(failure.tail) : null;
  return denial ? { denial, target: null } : null;
}

/** The product a webhook name carries (`kyverno`, `gatekeeper`), to find the release or Kustomization installing it. */
function productWords(webhook: string): string[] {
  return webhook.toLowerCase().split(/[.\-_]/).filter((w) => w.length >= 4 && !GENERIC.has(w));
}

/** `HelmRelease/kyverno/kyverno upgraded kyverno 2.7.5 → 3.0.0 at …, 15m before the first denial`, or null. */
function engineChange(index: ClusterIndex, words: string[], firstDenial: number): string | null {
  if (words.length === 0 || !Number.isFinite(firstDenial)) return null;
  const named = (name: unknown) => typeof name === 'string' && words.some((w) => name.toLowerCase().includes(w));
  const recent = (t: number) => Number.isFinite(t) && t <= firstDenial && firstDenial - t <= RECENT_MS;
  const ago = (t: number) => `${Math.round((firstDenial - t) / 60_000)}m before the first denial`;
  for (const hr of index.objects('HelmRelease')) {
    const history: any[] = Array.isArray(hr.status?.history) ? hr.status.history : [];
    const chart = history[0]?.chartName ?? hr.spec?.chart?.spec?.chart;
    if (!named(chart) && !named(hr.metadata.name)) continue;
    const deployed = Date.parse(String(history[0]?.lastDeployed ?? ''));
    if (!recent(deployed)) continue;
    const from = history[1]?.chartVersion;
    const to = history[0]?.chartVersion;
    const what = from && to && from !== to ? `upgraded ${chart} ${from} → ${to}` : `deployed ${chart}${to ? ` ${to}` : ''}`;
    return `${refKey({ kind: 'HelmRelease', namespace: hr.metadata.namespace, name: hr.metadata.name })} ${what} at ${history[0].lastDeployed}, ${ago(deployed)}`;
  }
  // A Kustomization that applies the engine's webhook configurations (its inventory), changed per status.history (2.7+).
  for (const ks of index.objects('Kustomization')) {
    if (!inventory(ks).some((e) => /WebhookConfiguration$/.test(e.kind) && named(e.name))) continue;
    const history: any[] = Array.isArray(ks.status?.history) ? ks.status.history : [];
    const changed = Math.max(...history.map((h) => Date.parse(String(h.firstReconciled ?? ''))).filter(Number.isFinite));
    if (recent(changed)) return `${refKey({ kind: 'Kustomization', namespace: ks.metadata.namespace, name: ks.metadata.name })} applied new manifests of the engine's webhooks at ${new Date(changed).toISOString().replace('.000Z', 'Z')}, ${ago(changed)}`;
  }
  return null;
}

/** The Kustomization whose inventory holds one of the named policies (Kyverno policies, Gatekeeper constraints). */
function policySource(index: ClusterIndex, rules: string[]): ObjRef | null {
  const names = new Set(rules.map((r) => r.split('/')[0]!));
  if (names.size === 0) return null;
  for (const ks of index.objects('Kustomization')) {
    if (inventory(ks).some((e) => names.has(e.name) && /Polic(?:y|ies)$|^K8s|Constraint/.test(e.kind))) return { kind: 'Kustomization', namespace: ks.metadata.namespace, name: ks.metadata.name };
  }
  return null;
}

export default defineRule({
  code: 'FD031',
  slug: 'shared-admission-denial',
  category: 'validation-failed',
  severity: 'error',
  kinds: ['Cluster'],
  title: 'One admission webhook or policy denies several Flux objects',
  signals: [
    'two or more Kustomizations (FD311) and HelmReleases (FD426) refused by the same admission webhook: `admission webhook "<name>" denied the request: …`, or the same `ValidatingAdmissionPolicy \'<policy>\' [with binding \'<binding>\'] denied request: …`',
    'the policies and rules the denials name: Kyverno `resource <Kind>/<ns>/<name> was blocked due to the following policies` / `policy … for resource violation:` then `<policy>:` / `  <rule>: <message>`, Gatekeeper `[<constraint>] <message>`',
    'a HelmRelease of the engine (its chart or name in the webhook name) deployed within a day before the first denial (status.history), or a Kustomization applying its webhook configurations that changed (status.history, 2.7+)',
    'the finding is on the pseudo-object AdmissionWebhook/<name> (or the ValidatingAdmissionPolicy); the objects are linked to it; a warning when the flux-system Kustomization itself is denied',
  ],
  explanation: 'Several Flux objects are refused by the same admission webhook or policy. The manifests did not all break at once: a policy was added or tightened, or the policy engine was upgraded and now judges what it used to admit (Kyverno 1.10 began to require digests for images its verifyImages rules check). Fix it once, in the policy (an exception, Audit instead of Enforce, the rule\'s options) or by rolling the engine back, instead of editing every manifest; each object applies at its next attempt (Helm releases that exhausted their retries need a reconcile with --reset or --force).',
  remediation: [
    { description: 'See the policies the denials name, and their failure action', command: 'kubectl --context {context} get clusterpolicies,policies -A' },
    { description: 'See the webhook configurations that call {webhook}', command: 'kubectl --context {context} get validatingwebhookconfigurations,mutatingwebhookconfigurations' },
    { description: 'Once the policy admits them, list what is still not ready: each object retries at its interval (flux reconcile retries one sooner)', command: 'flux --context {context} get all -A --status-selector ready=false' },
  ],
  matchCluster({ index }) {
    const groups = new Map<string, Member[]>();
    for (const f of failures(index)) {
      // Every Kustomization denial carries the API server's `denied`; most failures do not (the hot path).
      if (f.ref.kind === 'Kustomization' && !f.message.includes('denied')) continue;
      if (f.ref.kind !== 'Kustomization' && f.ref.kind !== 'HelmRelease') continue;
      const obj = index.get(f.ref);
      if (!obj) continue;
      const found = denialOf(obj, f.message);
      if (!found) continue;
      const key = `${found.denial.by}:${found.denial.name}`;
      const since = Date.parse(condition(obj, 'Ready')?.lastTransitionTime ?? '');
      groups.set(key, [...groups.get(key) ?? [], { ref: f.ref, denial: found.denial, target: found.target, since }]);
    }
    const hits: RuleHit[] = [];
    for (const members of groups.values()) {
      if (members.length < 2) continue;
      const { by, name, binding } = members[0]!.denial;
      const refs = members.map((m) => m.ref);
      const rules = [...new Set(members.flatMap((m) => m.denial.rules))];
      const reasons = [...new Set(members.map((m) => m.denial.reason).filter(Boolean))];
      const first = Math.min(...members.map((m) => m.since).filter(Number.isFinite));
      const change = by === 'webhook' ? engineChange(index, productWords(name), first) : null;
      const source = policySource(index, rules);
      const fluxNs = index.cluster.fluxNamespace;
      // The Kustomization that applies Flux itself: once it is denied, a fix committed to its own path cannot arrive.
      const self = members.find((m) => m.ref.kind === 'Kustomization' && m.ref.namespace === fluxNs && (m.ref.name === fluxNs || m.target?.split('/')[1] === fluxNs));
      const party = by === 'webhook' ? `Admission webhook ${name}` : `ValidatingAdmissionPolicy ${name}${binding ? ` (binding ${binding})` : ''}`;
      hits.push({
        object: by === 'webhook' ? { kind: 'AdmissionWebhook', name } : { kind: 'ValidatingAdmissionPolicy', name },
        title: `${party} denies ${members.length} Flux objects${rules.length ? ` (${listSome(rules, 3)})` : ''}${change ? ` since ${change.split(' at ')[0]}` : ''}`,
        // The warning and the engine's change first: they change what to do; then the denials themselves.
        evidence: [
          ...(self ? [`${refKey(self.ref)}, which applies Flux itself, is denied too: a fix committed to its path cannot be applied by it`] : []),
          ...(change ? [`the policy engine changed shortly before: ${change}`] : []),
          ...(source ? [`the policies are applied by ${refKey(source)}`] : []),
          ...(reasons.length === 1 ? [`every denial says the same: ${reasons[0]}`] : []),
          ...members.slice(0, 4).map((m) => `${refKey(m.ref)}${m.target ? ` (${m.target})` : ''}: ${m.denial.reason || 'denied'}`),
          ...(members.length > 4 ? [`and ${members.length - 4} more: ${listRefs(refs.slice(4), 4)}`] : []),
        ],
        vars: (by === 'webhook' ? { webhook: name } : {}) as Record<string, string>,
        remediation: [
          ...(change ? [{ description: `The denials began after the engine changed (${change.split(',')[0]}): read its release notes for new checks or defaults, and roll it back (or forward to a fixed release) if that is the cause` }] : []),
          { description: `Change the policy once${source ? ` through ${refKey(source)}` : ''} (an exception for these objects, the rule's options, or validationFailureAction: Audit), rather than every manifest` },
          ...(self ? [{ description: `${refKey(self.ref)} cannot apply a fix in its own path while it is denied: change the policy through whatever applies it${source ? ` (${refKey(source)})` : ''}, or with kubectl, then reconcile it` }] : []),
        ],
        explains: refs,
      });
    }
    return hits;
  },
});
