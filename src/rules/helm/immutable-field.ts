import type { KubeObject } from '../../snapshot/schema';
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
    '… failed to replace object: <Kind> "<name>" is invalid: <field>: Invalid value: "": field is immutable (spec.upgrade.force replaces objects: the cause, not the fix; with force already on, only a deletion recreates the object)',
    '("cannot patch" without an immutable-field error is a generic upgrade failure, FD408)',
  ],
  explanation: EXPLANATION,
  remediation: [
    { description: 'See the object that cannot be patched ({immutableRef})', command: 'kubectl --context {context} -n {immutableNamespace} get {immutableResource} {immutableName} -o yaml' },
    { description: 'Let Helm recreate changed objects: set spec.upgrade.force: true in Git (replaces objects; may cause downtime), or delete the object so the upgrade creates it anew', command: 'kubectl --context {context} -n {immutableNamespace} delete {immutableResource} {immutableName}' },
    { description: 'Run the upgrade again', command: 'flux --context {context} reconcile helmrelease {name} -n {namespace} {forceFlag}' },
  ],
  classes: ['immutable'],
  enrich(obj, _ctx, failure, vars): Partial<RuleHit> {
    // Helm v4 names the object with its namespace; Helm v3's errors only by name (in the release namespace). kubectl
    // ignores -n for cluster-scoped objects, so the release namespace stands in for them.
    const applied = appliedObject(failure.tail);
    const m = applied ? null : failure.tail.match(/cannot patch "([^"]+)" with kind (\w+)/) ?? failure.tail.match(/(\w+)(?:\.[\w.]+)? "([^"]+)" is invalid/);
    const force = forceReplaced(obj, failure.tail, applied !== null);
    if (!applied && !m) return force ? { vars: {}, ...forceHit(force, 'the object') } : { vars: {} };
    const [kind, name] = applied ? [applied.kind, applied.name] : m![0].startsWith('cannot patch') ? [m![2]!, m![1]!] : [m![1]!, m![2]!];
    const namespace = applied?.namespace ?? vars.releaseNamespace;
    const ref = applied ? appliedRef(applied) : `${kind}/${name}`;
    const objVars = { immutableRef: ref, immutableResource: kind.toLowerCase(), immutableName: name, ...(namespace ? { immutableNamespace: namespace } : {}) };
    if (force) return { vars: objVars, ...forceHit(force, ref) };
    return {
      vars: objVars,
      title: `Helm upgrade changes an immutable field of ${applied ? appliedRef(applied) : `${kind}/${name}`}`,
      // helm-controller ignores upgrade.force with server-side apply (Flux 2.8+): only a deletion recreates the object.
      ...(applied ? { explanation: SSA_NOTE } : {}),
    };
  },
});

// Helm v3 with spec.upgrade.force (helm upgrade --force) replaces changed objects (PUT) instead of patching them:
// pkg/kube `failed to replace object: <err>`. A PUT sends the rendered object as it is, so a field the chart leaves out
// but the cluster assigned (a Service's spec.clusterIP, `Invalid value: "": field is immutable`) is sent empty and
// refused: force is then the cause. A replace is an update too, so it cannot change an immutable field the chart does
// change (a selector) either: with force already on, only deleting the object helps.
type ForceCase = 'cleared' | 'changed';

function forceReplaced(hr: KubeObject, tail: string, ssa: boolean): ForceCase | null {
  if (ssa) return null;
  const replaced = /failed to replace object: /.test(tail);
  if (!replaced && hr.spec?.upgrade?.force !== true) return null;
  return replaced && /: Invalid value: (?:""|\[\]string\(nil\)|null): field is immutable/.test(tail) ? 'cleared' : 'changed';
}

function forceHit(force: ForceCase, ref: string): Partial<RuleHit> {
  const kubectlGet = { description: 'See the live object ({immutableRef})', command: 'kubectl --context {context} -n {immutableNamespace} get {immutableResource} {immutableName} -o yaml' };
  const retry = { description: 'Run the upgrade again', command: 'flux --context {context} reconcile helmrelease {name} -n {namespace} {forceFlag}' };
  if (force === 'cleared') {
    return {
      title: `spec.upgrade.force makes Helm replace ${ref}, and the replace clears an immutable field`,
      explanation: `spec.upgrade.force: true makes Helm replace changed objects (a PUT of the rendered object, like helm upgrade --force) instead of patching them. The rendered ${ref} leaves out a field that the cluster filled in and that cannot change afterwards (a Service's spec.clusterIP, assigned at creation), so the replace sends it empty and the API server refuses it as a change of an immutable field. The chart is fine: force is the cause. Remove spec.upgrade.force (a normal three-way patch keeps the assigned values) and run the upgrade again.`,
      remediation: [kubectlGet, { description: 'In Git, remove spec.upgrade.force from the HelmRelease (or set it to false)' }, retry],
      replaceRemediation: true,
    };
  }
  return {
    title: `Helm upgrade changes an immutable field of ${ref} (upgrade.force cannot replace it either)`,
    explanation: `The new chart version or values change a field of ${ref} that cannot change on an existing object (a selector, volumeClaimTemplates, …). spec.upgrade.force is already on: Helm replaced the object instead of patching it, and a replace is an update too, so the API server refuses it all the same. Only deleting the object lets the upgrade create it anew (plan the downtime), or keep the previous chart version.`,
    remediation: [
      kubectlGet,
      { description: 'Delete the object so the upgrade creates it anew', command: 'kubectl --context {context} -n {immutableNamespace} delete {immutableResource} {immutableName}' },
      retry,
    ],
    replaceRemediation: true,
  };
}
