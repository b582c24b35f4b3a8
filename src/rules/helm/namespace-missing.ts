import type { RuleHit } from '../types';
import { releaseFailureRule } from './failure';

export default releaseFailureRule({
  code: 'FD413',
  slug: 'helm-namespace-missing',
  category: 'namespace-missing',
  severity: 'error',
  kinds: ['HelmRelease'],
  title: 'Target namespace of the release does not exist',
  signals: [
    'Released=False InstallFailed/UpgradeFailed: … <err> containing namespaces "<ns>" not found (failed to create resource: …, create: failed to create: … for the storage Secret, warning: Hook … failed: …)',
  ],
  explanation: 'Helm installs into spec.targetNamespace (or the HelmRelease namespace) and keeps its release Secrets in spec.storageNamespace; one of them does not exist, so Helm cannot create the release objects or its storage. helm-controller creates the target namespace only with spec.install.createNamespace: true.',
  remediation: [
    { description: 'Check the namespace {missingNamespace}', command: 'kubectl --context {context} get namespace {missingNamespace}' },
    { description: 'Let helm-controller create it: set spec.install.createNamespace: true in Git (or add the Namespace to a Kustomization this release depends on)' },
    { description: 'Run the release again', command: 'flux --context {context} reconcile helmrelease {name} -n {namespace} {forceFlag}' },
  ],
  classes: ['namespace'],
  enrich(obj, _ctx, failure): Partial<RuleHit> {
    const m = failure.tail.match(/\bnamespaces? "([^"]+)" not found/);
    if (!m) return { vars: {} };
    const evidence = obj.spec?.install?.createNamespace === true ? [] : ['spec.install.createNamespace is not set'];
    return { vars: { missingNamespace: m[1]! }, evidence, title: `Namespace ${m[1]} does not exist` };
  },
});
