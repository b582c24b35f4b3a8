import type { RuleHit } from '../types';
import { appliedObject, appliedRef } from './applied-object';
import { releaseFailureRule } from './failure';

const EXPLANATION = 'The new chart version or values change a field the API server does not allow to change on an existing object (a Deployment\'s or StatefulSet\'s selector, a StatefulSet\'s volumeClaimTemplates, a Service\'s clusterIP, a Job\'s template…). Helm patches objects in place, so the upgrade fails until the object is recreated.';
const SSA_NOTE = `${EXPLANATION} Helm v4 applied it server-side: helm-controller then ignores spec.upgrade.force (it only replaces objects with spec.upgrade.serverSideApply: disabled), so delete the object and let the upgrade create it anew.`;

export default releaseFailureRule({
  code: 'FD412',
  slug: 'helm-immutable-field',
  category: 'immutable-field',
  severity: 'error',
  kinds: ['HelmRelease'],
  title: 'Helm upgrade changes an immutable field',
  signals: [
    'Released=False UpgradeFailed: … cannot patch "<name>" with kind <Kind>: <Kind>.<group> "<name>" is invalid: <field>: Invalid value: …: field is immutable',
    '… <field>: Forbidden: updates to <field> are forbidden. (StorageClass parameters/provisioner/reclaimPolicy, storage validation)',
    '… spec: Forbidden: updates to statefulset spec for fields other than … are forbidden',
    '… server-side apply failed for object <ns>/<name> <group>/<version>, Kind=<Kind>: … field is immutable (Helm v4, Flux 2.8+)',
    '("cannot patch" without an immutable-field error is a generic upgrade failure, FD408)',
  ],
  explanation: EXPLANATION,
  remediation: [
    { description: 'See the object that cannot be patched ({immutableRef})', command: 'kubectl --context {context} -n {immutableNamespace} get {immutableResource} {immutableName} -o yaml' },
    { description: 'Let Helm recreate changed objects: set spec.upgrade.force: true in Git (replaces objects; may cause downtime), or delete the object so the upgrade creates it anew', command: 'kubectl --context {context} -n {immutableNamespace} delete {immutableResource} {immutableName}' },
    { description: 'Run the upgrade again', command: 'flux --context {context} reconcile helmrelease {name} -n {namespace} {forceFlag}' },
  ],
  classes: ['immutable'],
  enrich(_obj, _ctx, failure, vars): Partial<RuleHit> {
    // Helm v4 names the object with its namespace; Helm v3's errors only by name (in the release namespace). kubectl
    // ignores -n for cluster-scoped objects, so the release namespace stands in for them.
    const applied = appliedObject(failure.tail);
    const m = applied ? null : failure.tail.match(/cannot patch "([^"]+)" with kind (\w+)/) ?? failure.tail.match(/(\w+)\.[\w.]+ "([^"]+)" is invalid/);
    if (!applied && !m) return { vars: {} };
    const [kind, name] = applied ? [applied.kind, applied.name] : m![0].startsWith('cannot patch') ? [m![2]!, m![1]!] : [m![1]!, m![2]!];
    const namespace = applied?.namespace ?? vars.releaseNamespace;
    return {
      vars: { immutableRef: applied ? appliedRef(applied) : `${kind}/${name}`, immutableResource: kind.toLowerCase(), immutableName: name, ...(namespace ? { immutableNamespace: namespace } : {}) },
      title: `Helm upgrade changes an immutable field of ${applied ? appliedRef(applied) : `${kind}/${name}`}`,
      // helm-controller ignores upgrade.force with server-side apply (Flux 2.8+): only a deletion recreates the object.
      ...(applied ? { explanation: SSA_NOTE } : {}),
    };
  },
});
