// Several Kustomizations and Helm releases refused by the same namespace being deleted: one Namespace, stuck in
// Terminating or not yet gone, is their common cause (each reports it alone: FD313, FD413). When the input holds the
// Namespace, its conditions name what holds the deletion (rules/namespace-termination).
import type { ObjRef } from '../../flux/refs';
import { defineRule } from '../define';
import { releaseFailure } from '../helm/failure';
import { applyError, classifyApply } from '../kustomize/messages';
import { NAMESPACE_TERMINATING, terminationBlocker } from '../namespace-termination';
import { failures, listRefs } from './failure-text';

export default defineRule({
  code: 'FD033',
  slug: 'shared-namespace-terminating',
  category: 'namespace-missing',
  severity: 'error',
  kinds: ['Cluster'],
  title: 'A namespace being deleted refuses the objects of several Kustomizations and Helm releases',
  signals: [
    'two or more Kustomizations (FD313) and HelmReleases (FD413) refused with `<resource> "<name>" is forbidden: unable to create new content in namespace <ns> because it is being terminated` for the same namespace',
    'when the input has the Namespace: its status.conditions NamespaceDeletionDiscoveryFailure (an aggregated APIService that does not answer; the APIService\'s Available condition when present), NamespaceFinalizersRemaining, NamespaceContentRemaining',
    'the finding is on the Namespace; the objects are linked to it',
  ],
  explanation: 'The namespace is being deleted, and the API server refuses every new object in it until the namespace controller has finished: all Flux objects that apply or install into it fail together. A deletion that does not finish is held by an aggregated API the namespace controller cannot list (NamespaceDeletionDiscoveryFailure: restore the APIService\'s service, or delete the stale APIService) or by finalizers whose controller does not remove them. Once the namespace is gone, the Kustomization that applies it or helm-controller (spec.install.createNamespace) creates it again. Do not remove the namespace\'s own finalizer without fixing the cause: the objects left behind reappear when the namespace is recreated.',
  remediation: [
    { description: 'Once the namespace is gone, list what is still not ready (Helm releases that exhausted their retries need flux reconcile helmrelease --reset)', command: 'flux --context {context} get all -A --status-selector ready=false' },
  ],
  matchCluster({ index }) {
    const groups = new Map<string, ObjRef[]>();
    for (const f of failures(index)) {
      let text: string | null = null;
      if (f.ref.kind === 'Kustomization' && f.message.includes('terminated') && classifyApply(f.message) === 'namespace') text = applyError(f.message);
      else if (f.ref.kind === 'HelmRelease') {
        const obj = index.get(f.ref);
        const failure = obj ? releaseFailure(obj) : null;
        if (failure?.klass === 'namespace') text = failure.tail;
      }
      const ns = text?.match(NAMESPACE_TERMINATING)?.[1];
      if (ns) groups.set(ns, [...groups.get(ns) ?? [], f.ref]);
    }
    return [...groups].filter(([, refs]) => refs.length >= 2).map(([ns, refs]) => {
      const blocker = terminationBlocker(index, ns);
      return {
        object: { kind: 'Namespace', name: ns },
        title: `Namespace ${ns} is being deleted and refuses ${refs.length} Flux objects${blocker.cause ? `: ${blocker.cause}` : ''}`,
        evidence: [`${refs.length} objects refused in ${ns} (being terminated): ${listRefs(refs, 4)}`, ...blocker.evidence],
        remediation: blocker.remediation,
        explains: refs,
      };
    });
  },
});
