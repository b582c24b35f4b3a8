import { sourceRef, type ObjRef } from '../../flux/refs';
import type { KubeObject } from '../../snapshot/schema';
import { conditionRule } from '../define';
import { conditionEvidence } from '../evidence';
import { isBlocking, refState } from './messages';

/** The object whose spec.serviceAccountName asks for object-level workload identity. */
function identityOwner(obj: KubeObject): ObjRef | null {
  if (obj.kind === 'ImageRepository') return null;
  // ImagePolicy: its ImageRepository's; ImageUpdateAutomation: its GitRepository's (provider azure/github/…).
  if (obj.kind === 'ImagePolicy') {
    const name = obj.spec?.imageRepositoryRef?.name;
    return name ? { kind: 'ImageRepository', namespace: obj.spec.imageRepositoryRef.namespace ?? obj.metadata.namespace, name } : null;
  }
  return sourceRef(obj);
}

export default conditionRule({
  code: 'FD545',
  slug: 'image-feature-gate-disabled',
  category: 'image-automation-failed',
  severity: 'error',
  kinds: ['ImageRepository', 'ImagePolicy', 'ImageUpdateAutomation'],
  title: 'Workload identity per object needs a controller feature gate',
  signals: [
    'Stalled=True (and Ready=False) FeatureGateDisabled (Flux 2.6+): to use spec.serviceAccountName (in the ImageRepository )?for provider authentication please enable the <Gate> feature gate in the controller',
    'ImagePolicy: the ImageRepository stalled the same way → blocked by it',
  ],
  explanation: 'The object (for an ImagePolicy its ImageRepository, for an ImageUpdateAutomation its GitRepository) sets spec.serviceAccountName with a cloud provider, asking the controller to log in with that service account\'s workload identity. Since Flux 2.6 this object-level identity is off unless the controller runs with the ObjectLevelWorkloadIdentity feature gate, so the object is stalled: Flux will not retry until the controller flags or the spec change.',
  remediation: [
    { description: 'Enable the gate on {controller}: add --feature-gates={featureGate}=true to its arguments (a patch in the flux-system kustomization, or the FluxInstance\'s spec.kustomize.patches)', command: 'kubectl --context {context} -n {fluxNamespace} get deploy {controller} -o jsonpath=\'{.spec.template.spec.containers[0].args}\'' },
    { description: 'Or drop spec.serviceAccountName from {owner} in Git to use the controller\'s own identity', command: 'kubectl --context {context} -n {ownerNamespace} get {ownerResource} {ownerName} -o jsonpath=\'{.spec.provider}{" "}{.spec.serviceAccountName}\'' },
    { description: 'Then retry', command: 'flux --context {context} reconcile {noun} {name} -n {namespace}' },
  ],
  when: [
    { type: 'Stalled', status: 'True', reasons: ['FeatureGateDisabled'], message: /please enable the (\S+) feature gate/ },
    { type: 'Ready', status: 'False', reasons: ['FeatureGateDisabled'], message: /please enable the (\S+) feature gate/ },
  ],
  refine(obj, { index }, { condition, match }) {
    const controller = obj.kind === 'ImageUpdateAutomation' ? 'image-automation-controller' : 'image-reflector-controller';
    const vars: Record<string, string> = { featureGate: match![1]!, controller, fluxNamespace: index.cluster.fluxNamespace };
    const evidence = [conditionEvidence(condition)];
    const owner = identityOwner(obj) ?? { kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name };
    vars.owner = `${owner.kind} ${owner.namespace ?? ''}/${owner.name}`;
    vars.ownerName = owner.name;
    vars.ownerNamespace = owner.namespace ?? obj.metadata.namespace ?? '';
    vars.ownerResource = owner.kind.toLowerCase();
    const blockedBy = [];
    if (owner.kind !== obj.kind) {
      evidence.push(refState(index, owner));
      // The ImageRepository stalled on the same gate speaks for its policies.
      if (obj.kind === 'ImagePolicy' && isBlocking(index, owner)) blockedBy.push(owner);
    }
    return { vars, evidence, title: `${controller} needs the ${vars.featureGate} feature gate for spec.serviceAccountName`, ...(blockedBy.length ? { blockedBy } : {}) };
  },
});
