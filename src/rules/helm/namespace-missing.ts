import type { RuleHit } from '../types';
import { releaseFailureRule } from './failure';
import { NAMESPACE_TERMINATING, terminationBlocker } from '../namespace-termination';

export default releaseFailureRule({
  code: 'FD413',
  slug: 'helm-namespace-missing',
  category: 'namespace-missing',
  severity: 'error',
  kinds: ['HelmRelease'],
  title: 'Target namespace of the release does not exist',
  signals: [
    'Released=False InstallFailed/UpgradeFailed: … <err> containing namespaces "<ns>" not found (failed to create resource: …, create: failed to create: … for the storage Secret, warning: Hook … failed: …)',
    '… <resource> "<name>" is forbidden: unable to create new content in namespace <ns> because it is being terminated (the namespace is being deleted; its conditions, when the input has the Namespace, say what holds the deletion)',
  ],
  explanation: 'Helm installs into spec.targetNamespace (or the HelmRelease namespace) and keeps its release Secrets in spec.storageNamespace; one of them does not exist, so Helm cannot create the release objects or its storage. helm-controller creates the target namespace only with spec.install.createNamespace: true.',
  remediation: [
    { description: 'Check the namespace {missingNamespace}', command: 'kubectl --context {context} get namespace {missingNamespace}' },
    { description: 'Let helm-controller create it: set spec.install.createNamespace: true in Git (or add the Namespace to a Kustomization this release depends on)' },
    { description: 'Run the release again', command: 'flux --context {context} reconcile helmrelease {name} -n {namespace} {forceFlag}' },
  ],
  classes: ['namespace'],
  enrich(obj, { index }, failure): Partial<RuleHit> {
    const terminating = failure.tail.match(NAMESPACE_TERMINATING);
    if (terminating) {
      // Not missing: being deleted. createNamespace cannot help; the deletion has to finish (or be unblocked) first.
      const ns = terminating[1]!;
      const blocker = terminationBlocker(index, ns);
      return {
        vars: { missingNamespace: ns },
        evidence: blocker.evidence,
        title: blocker.title,
        explanation: `The API server refuses every new object in namespace ${ns}, the Helm release Secret included, because the namespace is being deleted (Terminating). Until the namespace controller has finished, nothing can be installed there; once it has, helm-controller can recreate it (spec.install.createNamespace) or the Kustomization that applies it does. A deletion that does not finish is held by an aggregated API that does not answer or by finalizers: the Namespace's conditions say which.`,
        remediation: [...blocker.remediation, { description: 'Run the release again once the namespace is gone (or recreated)', command: 'flux --context {context} reconcile helmrelease {name} -n {namespace} {forceFlag}' }],
        replaceRemediation: true,
      };
    }
    const m = failure.tail.match(/\bnamespaces? "([^"]+)" not found/);
    if (!m) return { vars: {} };
    const evidence = obj.spec?.install?.createNamespace === true ? [] : ['spec.install.createNamespace is not set'];
    return { vars: { missingNamespace: m[1]! }, evidence, title: `Namespace ${m[1]} does not exist` };
  },
});
