import { releaseFailureRule } from './failure';

export default releaseFailureRule({
  code: 'FD416',
  slug: 'helm-no-deployed-release',
  category: 'helm-upgrade-failed',
  severity: 'error',
  kinds: ['HelmRelease'],
  title: 'Upgrade of a release that was never deployed',
  signals: [
    'Released=False UpgradeFailed (or InstallFailed): … "<release>" has no deployed releases',
  ],
  explanation: 'Helm was asked to upgrade a release that has no successfully deployed revision: the first install failed (or every revision failed or was uninstalled) and the storage still holds only failed revisions. Helm cannot compute an upgrade from that; the release has to be installed again.',
  remediation: [
    { description: 'See the revisions Helm kept (all failed or uninstalled)', command: 'helm --kube-context {context} history {releaseName} -n {storageNamespace}' },
    { description: 'Force a new install/upgrade (or let install remediation uninstall the failed release: spec.install.remediation.retries)', command: 'flux --context {context} reconcile helmrelease {name} -n {namespace} {forceFlag}' },
    { description: 'If it persists, uninstall the failed release by hand (this deletes its objects) and reconcile again: helm --kube-context {context} uninstall {releaseName} -n {storageNamespace}' },
  ],
  classes: ['no-deployed'],
});
