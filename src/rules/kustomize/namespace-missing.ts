import { inventory, refKey, refOf, sameRef, targetCluster, type ObjRef } from '../../flux/refs';
import type { ClusterIndex } from '../../snapshot/indexes';
import type { KubeObject } from '../../snapshot/schema';
import { conditionRule } from '../define';
import { NAMESPACE_TERMINATING, terminationBlocker } from '../namespace-termination';
import { APPLY_REASONS, applyTarget, baseEvidence, classifyApply, isUnnamespaced, ksVars, stateLine, targetVars } from './messages';

/** Another Kustomization in the snapshot whose inventory holds this Namespace. */
function namespaceProvider(index: ClusterIndex, self: KubeObject, ns: string): ObjRef | null {
  for (const ks of index.objects('Kustomization')) {
    if (sameRef(refOf(ks), refOf(self)) || targetCluster(ks) !== targetCluster(self)) continue;
    if (inventory(ks).some((e) => e.kind === 'Namespace' && e.group === '' && e.name === ns)) return refOf(ks);
  }
  return null;
}

export default conditionRule({
  code: 'FD313',
  slug: 'namespace-missing',
  category: 'namespace-missing',
  severity: 'error',
  kinds: ['Kustomization'],
  title: 'Target namespace missing',
  signals: [
    'Ready=False ReconciliationFailed: <Kind>/<ns>/<name> not found: namespaces "<ns>" not found',
    'Ready=False ReconciliationFailed: <Kind>/<name> namespace not specified: … (a namespaced object without metadata.namespace and no targetNamespace)',
    'Flux 2.0–2.2.1: <Kind>/<ns>/<name> namespace not specified: namespaces "<ns>" not found (the old wording of a NotFound: still a missing namespace)',
    'Flux 2.2.0–2.2.1: <Kind>/<name> not found: the server could not find the requested resource (the inverted wording: no namespace)',
    '… unable to create new content in namespace <ns> because it is being terminated (the namespace is being deleted; its conditions, when the input has the Namespace, say what holds the deletion)',
    'the Kustomization whose inventory holds that Namespace, when the snapshot has one',
  ],
  explanation: 'A namespaced object is applied into a namespace that does not exist (it is created by another Kustomization that has not run yet, or nowhere), into a namespace that is being deleted, or names no namespace at all. kustomize-controller applies all objects or none, so nothing from this revision is applied.',
  remediation: [
    { description: 'Check the namespace {namespaceName}', command: 'kubectl --context {context} get namespace {namespaceName}' },
    { description: 'Include the Namespace manifest in this Kustomization (Flux applies Namespaces first), or add spec.dependsOn on {namespaceProvider} which creates it' },
    { description: '{unnamespacedObject} has no namespace: set spec.targetNamespace on the Kustomization (or metadata.namespace / the kustomize namespace: field in Git)', command: 'kubectl --context {context} -n {namespace} get kustomization {name} -o jsonpath=\'{.spec.targetNamespace}\'' },
    { description: 'Apply again once fixed', command: 'flux --context {context} reconcile kustomization {name} -n {namespace}' },
  ],
  when: { type: 'Ready', status: 'False', reasons: APPLY_REASONS },
  refine(obj, { index }, { condition }) {
    const message = condition.message ?? '';
    if (classifyApply(message) !== 'namespace') return null;
    const target = applyTarget(message);
    const vars = { ...ksVars(obj, index), ...targetVars(target) };
    const evidence = baseEvidence(obj, condition);
    let title: string | undefined;
    let blockedBy: ObjRef[] = [];
    // The inner error decides, not the prefix: ssa's wording of NotFound changed three times (see classifyNotFound).
    if (isUnnamespaced(message)) {
      vars.unnamespacedObject = target ? refKey(target.ref) : 'A namespaced object';
      title = `${target ? refKey(target.ref) : 'A namespaced object'} has no namespace`;
      if (!obj.spec?.targetNamespace) evidence.push('spec.targetNamespace is not set, so objects without metadata.namespace are sent without one');
    } else if (NAMESPACE_TERMINATING.test(message)) {
      // Not missing: being deleted. A dependsOn or a Namespace manifest cannot help until the deletion finishes.
      const ns = message.match(NAMESPACE_TERMINATING)![1]!;
      const blocker = terminationBlocker(index, ns);
      vars.namespaceName = ns;
      const provider = namespaceProvider(index, obj, ns);
      const providerLines = provider ? [`Namespace ${ns} is applied by ${refKey(provider)}`, stateLine(index, provider)] : [];
      return {
        vars,
        evidence: [...evidence, ...blocker.evidence, ...providerLines],
        title: blocker.title,
        explanation: `The API server refuses every new object in namespace ${ns} because the namespace is being deleted (Terminating), so the dry-run of this revision fails and nothing is applied. Once the namespace controller has finished, the Kustomization that applies the Namespace recreates it and this one applies again. A deletion that does not finish is held by an aggregated API that does not answer or by finalizers: the Namespace's conditions say which.`,
        remediation: [...blocker.remediation, { description: 'Apply again once the namespace is gone (or recreated)', command: 'flux --context {context} reconcile kustomization {name} -n {namespace}' }],
        replaceRemediation: true,
      };
    } else {
      const ns = message.match(/namespaces? "([^"]+)" not found/)?.[1] ?? target?.ref.namespace;
      if (ns) {
        vars.namespaceName = ns;
        title = `Namespace ${ns} does not exist`;
        const provider = namespaceProvider(index, obj, ns);
        if (provider) {
          blockedBy = [provider];
          vars.namespaceProvider = refKey(provider);
          evidence.push(`Namespace ${ns} is applied by ${refKey(provider)}`, stateLine(index, provider));
        }
      }
    }
    return { vars, evidence, blockedBy, ...(title ? { title } : {}) };
  },
});
