// Server-side apply field ownership conflicts of Helm v4 (Flux 2.8+). Unlike FD410 the object belongs to the release:
// adopting it changes nothing, the field must be given up by one of the two managers.
import type { RuleHit } from '../types';
import { appliedObject, appliedRef } from './applied-object';
import { releaseFailureRule } from './failure';

interface Claim {
  manager: string;
  subresource: string | null;
  fields: string[];
}

// `conflict with "<m>"[ with subresource "<s>"] using <gv>: <field>` (one) or `conflicts with "<m>" …:\n- <f>\n- <f>`.
const CLAIM = /conflicts? with "([^"]+)"(?: with subresource "([^"]+)")?(?: using [^:\s]+)?:((?:\s*\n\s*- \S+)+| \S+)?/g;

function claims(tail: string): Claim[] {
  return [...tail.matchAll(CLAIM)].map((m) => ({
    manager: m[1]!,
    subresource: m[2] ?? null,
    fields: (m[3] ?? '').split(/\n\s*- |\s+/).map((f) => f.trim()).filter((f) => f.startsWith('.')),
  }));
}

function describe(c: Claim): string {
  return `"${c.manager}"${c.subresource ? ` (subresource ${c.subresource})` : ''}`;
}

export default releaseFailureRule({
  code: 'FD431',
  slug: 'helm-field-manager-conflict',
  category: 'apply-conflict',
  severity: 'error',
  kinds: ['HelmRelease'],
  title: 'Another field manager owns a field of a release object',
  signals: [
    'Released=False InstallFailed/UpgradeFailed: … conflict occurred while applying object <ns>/<name> <group>/<version>, Kind=<Kind>: Apply failed with N conflict(s): conflict(s) with "<manager>"[ with subresource "<sub>"] using <gv>: <field> (Helm v4 server-side apply, Flux 2.8+)',
    '(an object that exists outside the release, with Helm ownership metadata to fix, is FD410)',
  ],
  explanation: 'Helm v4 (Flux 2.8+) applies the chart\'s objects with server-side apply, where the API server records which field manager owns each field. The object belongs to this release, but another manager has written a field the chart also sets: a hand edit (kubectl edit/patch; kubectl scale writes through the "scale" subresource), an HPA (kube-controller-manager owns .spec.replicas), an operator or a mutating controller. The apply was not allowed to take the field over, so the install or upgrade stopped. Adopting the object (ownership labels) does not help: one of the two managers must give up the field.',
  remediation: [
    { description: 'See which managers own fields of {conflictRef}', command: 'kubectl --context {context} -n {conflictNamespace} get {conflictResource} {conflictName} --show-managed-fields -o json | jq -r \'.metadata.managedFields[] | "\\(.manager) \\(.operation) \\(.subresource // "-") \\(.time)"\'' },
    { description: 'If the field was changed by hand (kubectl edit/patch/scale), make that change in Git (the HelmRelease values) instead and drop the manual edit; if a controller owns it by design (an HPA on .spec.replicas, an operator injecting a caBundle), stop setting the field in the chart (e.g. the chart\'s autoscaling values omit replicas)' },
    { description: 'Or let the release take the field over: current helm-controller forces conflicts for the chart\'s objects (upgrade the controllers if yours does not: flux check), or set spec.upgrade.serverSideApply: disabled in Git so Helm patches client-side without field ownership (with spec.upgrade.force: true to replace objects)', command: 'flux --context {context} check' },
    { description: 'Run the release again', command: 'flux --context {context} reconcile helmrelease {name} -n {namespace} {forceFlag}' },
  ],
  classes: ['field-conflict'],
  enrich(_obj, _ctx, failure, vars): Partial<RuleHit> {
    const obj = appliedObject(failure.tail);
    const owners = claims(failure.tail);
    const extra: Record<string, string> = {};
    const evidence: string[] = [];
    if (obj) {
      extra.conflictRef = appliedRef(obj);
      extra.conflictResource = obj.kind.toLowerCase();
      extra.conflictName = obj.name;
      // kubectl ignores -n for cluster-scoped objects (their namespace is empty in the message).
      const ns = obj.namespace ?? vars.releaseNamespace;
      if (ns) extra.conflictNamespace = ns;
    }
    for (const c of owners) evidence.push(`field manager ${describe(c)} owns ${c.fields.join(', ') || 'the conflicting fields'}`);
    const what = obj ? appliedRef(obj) : 'an object of the release';
    const fields = [...new Set(owners.flatMap((c) => c.fields))];
    const title = owners.length > 0
      ? `Field manager${owners.length > 1 ? 's' : ''} ${owners.map(describe).join(', ')} own${owners.length > 1 ? '' : 's'} ${fields.length > 0 ? fields.join(', ') : 'fields'} of ${what}`
      : `Server-side apply conflict on ${what}`;
    // Helm wraps every 409 of the apply, also an optimistic-lock conflict: the object changed meanwhile, a retry passes.
    if (owners.length === 0 && /the object has been modified/.test(failure.tail)) {
      return { vars: extra, evidence, title: `${what} changed while Helm applied it (retry)`, severity: 'warning' };
    }
    return { vars: extra, evidence, title };
  },
});
