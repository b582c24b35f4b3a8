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
    const failed = [...message.matchAll(/([A-Za-z][A-Za-z0-9]*)\/(?:([^/\s]+)\/)?([^\s/]+) (?:delete|query) failed/g)];
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
    return {
      vars,
      evidence,
      ...(title ? { title } : {}),
      ...(crdGone ? { explanation: crdGone.explanation, remediation: crdGone.remediation } : {}),
    };
  },
});
