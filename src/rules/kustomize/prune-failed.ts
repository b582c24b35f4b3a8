import { conditionRule } from '../define';
import { baseEvidence, ksVars, RBAC_FORBIDDEN } from './messages';
import { crdGoneCase } from './prune-crd-gone';

export default conditionRule({
  code: 'FD316',
  slug: 'prune-failed',
  category: 'prune-failed',
  severity: 'error',
  kinds: ['Kustomization'],
  title: 'Garbage collection of removed objects failed',
  signals: [
    'Ready=False PruneFailed: delete failed, errors: <Kind>/<ns>/<name> delete failed: <api error>; …',
    '… <Kind>/<ns>/<name> query failed: … (the object could not be read before deletion)',
    '… garbage collection failed: delete failed for <Kind>/[<ns>/]<name>: … (kustomize-controller before v0.14)',
    '… namespaces "<name>" is forbidden: this namespace may not be deleted (default, kube-system, kube-public: the API server\'s NamespaceLifecycle admission never allows it): no permission helps; annotate the live Namespace prune: disabled',
    '… query failed: no matches for kind "<Kind>" in version "<group/version>" / the server could not find the requested resource: the CRD was deleted (with all its objects) but the inventory still lists the object',
  ],
  explanation: 'The new revision was applied, but objects that were removed from Git (spec.prune: true) could not be deleted: the impersonated ServiceAccount lacks delete permission, an admission webhook blocks the deletion, or the API server timed out. Flux keeps them in the inventory and retries; the revision is not marked as applied until pruning succeeds, so health checks and dependents wait.',
  remediation: [
    { description: 'Look at the object that could not be deleted ({pruneObject})', command: 'kubectl --context {context} -n {pruneNamespace} get {pruneResource} {pruneName} -o jsonpath=\'{.metadata.finalizers}{" "}{.metadata.deletionTimestamp}\'' },
    { description: 'Check {user} may delete it', command: 'kubectl --context {context} auth can-i delete {rbacResource} {rbacScope} --as={user}' },
    { description: 'To keep an object that was removed from Git, annotate it kustomize.toolkit.fluxcd.io/prune: disabled; otherwise delete it by hand', command: 'kubectl --context {context} -n {pruneNamespace} delete {pruneResource} {pruneName}' },
    { description: 'Retry the garbage collection', command: 'flux --context {context} reconcile kustomization {name} -n {namespace}' },
  ],
  when: { type: 'Ready', status: 'False', reasons: ['PruneFailed'] },
  refine(obj, { index }, { condition }) {
    const message = condition.message ?? '';
    const vars = ksVars(obj, index);
    const failed = [...message.matchAll(/([A-Za-z][A-Za-z0-9]*)\/(?:([^/\s]+)\/)?([^\s/]+) (?:delete|query) failed/g),
      ...message.matchAll(/delete failed for ([A-Za-z][A-Za-z0-9]*)\/(?:([^/\s:]+)\/)?([^\s/:]+):/g)];
    const first = failed[0];
    if (first) {
      const [, kind, namespace, name] = first;
      vars.pruneObject = `${kind}/${namespace ? `${namespace}/` : ''}${name}`;
      vars.pruneResource = kind!.toLowerCase();
      vars.pruneName = name!;
      if (namespace) vars.pruneNamespace = namespace;
    }
    const rbac = message.match(RBAC_FORBIDDEN);
    if (rbac) {
      const [, user, , resource, group, namespace] = rbac;
      vars.user = user!;
      vars.rbacResource = group ? `${resource}.${group}` : resource!;
      vars.rbacScope = namespace ? `-n ${namespace}` : '--all-namespaces';
    }
    const evidence = baseEvidence(obj, condition);
    let title = failed.length > 0 ? `Could not prune ${failed.length === 1 ? vars.pruneObject : `${failed.length} objects (first ${vars.pruneObject})`}` : undefined;
    // The kubectl get/delete advice cannot work once the kind is gone: restore the CRD or drop the inventory entry.
    const crdGone = first ? crdGoneCase(obj, message, { kind: first[1]!, namespace: first[2] ?? '', name: first[3]! }) : null;
    if (crdGone) {
      Object.assign(vars, crdGone.vars);
      // Drops the rule's kubectl get/delete steps for the object: they fail without its CRD.
      delete vars.pruneResource;
      evidence.push(...crdGone.evidence);
      title = crdGone.title;
    }
    const protectedNs = message.match(/namespaces "([^"]+)" is forbidden: this namespace may not be deleted/)?.[1];
    if (protectedNs) return { vars, evidence, ...protectedNamespace(protectedNs) };
    return {
      vars,
      evidence,
      ...(title ? { title } : {}),
      ...(crdGone ? { explanation: crdGone.explanation, remediation: crdGone.remediation } : {}),
    };
  },
});

/** The API server's NamespaceLifecycle admission refuses to delete default, kube-system and kube-public, to anyone. */
function protectedNamespace(name: string) {
  return {
    title: `Garbage collection tries to delete Namespace ${name}, which Kubernetes never allows`,
    explanation: `This Kustomization once applied Namespace ${name}, and it is no longer in the build, so garbage collection deletes it. The API server refuses to delete ${name} for everyone (NamespaceLifecycle admission: default, kube-system and kube-public may not be deleted), so no permission or retry helps, and the revision is never marked applied. Tell Flux to leave it: with the live Namespace annotated prune: disabled, garbage collection skips it and drops it from the inventory.`,
    remediation: [
      { description: `Mark the live Namespace ${name} as not to be pruned`, command: `kubectl --context {context} annotate namespace ${name} kustomize.toolkit.fluxcd.io/prune=disabled` },
      { description: 'Run the garbage collection again', command: 'flux --context {context} reconcile kustomization {name} -n {namespace}' },
      { description: `Do not manage ${name} from Git again, or keep the annotation in its manifest if you do` },
    ],
    replaceRemediation: true as const,
  };
}
