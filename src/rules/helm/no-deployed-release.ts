import { releaseFailureRule } from './failure';

export default releaseFailureRule({
  code: 'FD416',
  slug: 'helm-no-deployed-release',
  category: 'helm-upgrade-failed',
  severity: 'error',
  kinds: ['HelmRelease'],
  title: 'Upgrade of a release with no deployed revision in Helm\'s storage',
  signals: [
    'Released=False UpgradeFailed (or InstallFailed): … "<release>" has no deployed releases',
  ],
  explanation: 'Helm was asked to upgrade a release whose storage holds no deployed revision: the first install failed (or every revision failed), or the release was uninstalled or its storage Secrets deleted outside Flux (helm uninstall --keep-history, a namespace wiped and recreated) while helm-controller still remembers it as installed. Helm cannot compute an upgrade from that and retrying the upgrade fails the same way: the stale records have to go so that helm-controller installs afresh.',
  remediation: [
    { description: 'See the revisions Helm kept (all failed, superseded or uninstalled)', command: 'helm --kube-context {context} history {releaseName} -n {storageNamespace}' },
    { description: 'See its storage Secrets (one per revision)', command: 'kubectl --context {context} -n {storageNamespace} get secrets -l owner=helm,name={releaseName}' },
    { description: 'Remove the stale records, so the next reconciliation installs: helm uninstall (deletes the release\'s objects too), or delete only those storage Secrets to keep the objects running and let the install adopt them', command: 'helm --kube-context {context} uninstall {releaseName} -n {storageNamespace}' },
    { description: 'Then reconcile (with install remediation, spec.install.remediation.retries, helm-controller also uninstalls a failed first install by itself)', command: 'flux --context {context} reconcile helmrelease {name} -n {namespace} {forceFlag}' },
  ],
  classes: ['no-deployed'],
});
