import { refKey } from '../../flux/refs';
import { conditionRule } from '../define';
import { APPLY_REASONS, applyTarget, baseEvidence, classifyApply, ksVars, targetVars } from './messages';

export default conditionRule({
  code: 'FD310',
  slug: 'immutable-field',
  category: 'immutable-field',
  severity: 'error',
  kinds: ['Kustomization'],
  title: 'Change to an immutable field',
  signals: [
    'Ready=False ReconciliationFailed: <Kind>/<ns>/<name> dry-run failed (Invalid): <Kind> "<name>" is invalid: <field>: … field is immutable',
    '… is immutable / immutable field (CEL and webhook variants, as fluxcd/pkg ssa detects them) / updates to statefulset spec for fields other than … are forbidden',
    '… StorageClass/<name> dry-run failed (Invalid): … <field>: Forbidden: updates to <field> are forbidden. (storage validation: parameters, provisioner, reclaimPolicy; VolumeAttributesClass driverName)',
    '… <Kind>/<ns>/<name> immutable field detected, failed to delete object: … (force recreate failed)',
  ],
  explanation: 'The new revision changes a field the API server does not allow to change on an existing object (a Deployment\'s selector, a Service\'s clusterIP, a Job\'s template, a StatefulSet\'s volumeClaimTemplates, an immutable Secret\'s data…). The dry-run rejects it, so nothing from this revision is applied. The object must be recreated: Flux does that only when told to.',
  remediation: [
    { description: 'See the live object and the field the new revision changes ({objectRef})', command: 'kubectl --context {context} -n {objectNamespace} get {objectResource} {objectName} -o yaml' },
    { description: 'Let Flux recreate just this object: annotate it in Git with kustomize.toolkit.fluxcd.io/force: enabled (or set spec.force: true on the Kustomization to recreate any such object)' },
    { description: 'Or delete it by hand so the next apply creates it anew (this causes downtime for workloads)', command: 'kubectl --context {context} -n {objectNamespace} delete {objectResource} {objectName}' },
    { description: 'Apply again', command: 'flux --context {context} reconcile kustomization {name} -n {namespace}' },
  ],
  when: { type: 'Ready', status: 'False', reasons: APPLY_REASONS },
  refine(obj, { index }, { condition }) {
    const message = condition.message ?? '';
    if (classifyApply(message) !== 'immutable') return null;
    const target = applyTarget(message);
    const field = message.match(/is invalid: ([^:]+): (?:Invalid value|Forbidden)/)?.[1];
    // A cluster-scoped object (StorageClass, …) has no namespace: the rule's -n steps drop out, these replace them.
    const clusterScoped = target && !target.ref.namespace ? `${target.ref.kind.toLowerCase()} ${target.ref.name}` : null;
    // Storage validation: `updates to <field> are forbidden.` on a StorageClass (parameters, provisioner, reclaimPolicy).
    const storageClass = target?.ref.kind === 'StorageClass' && /Forbidden: updates to \w+ are forbidden|volumeBindingMode: .*field is immutable/.test(message);
    return {
      vars: { ...ksVars(obj, index), ...targetVars(target) },
      evidence: baseEvidence(obj, condition),
      ...(target ? { title: `Immutable field${field ? ` ${field}` : ''} changed on ${refKey(target.ref)}` } : {}),
      ...(storageClass
        ? { explanation: `A StorageClass's parameters, provisioner, reclaimPolicy and volumeBindingMode cannot change once it exists (Kubernetes storage validation: "updates to <field> are forbidden"), and the new revision changes ${field ?? 'one of them'} of ${refKey(target!.ref)}. The dry-run rejects it, so nothing of this apply stage is applied. The StorageClass must be recreated: deleting it does not touch the PersistentVolumes and claims already provisioned from it (they keep their settings; only new volumes get the new ones). Flux recreates it when told to (force annotation) or after a manual delete.` }
        : {}),
      ...(clusterScoped
        ? {
            remediation: [
              { description: `See the live ${refKey(target!.ref)} and the field the new revision changes`, command: `kubectl --context {context} get ${clusterScoped} -o yaml` },
              { description: `Delete ${refKey(target!.ref)} so the next apply creates it anew (or let Flux do it: next step)`, command: `kubectl --context {context} delete ${clusterScoped}` },
            ],
          }
        : {}),
    };
  },
});
