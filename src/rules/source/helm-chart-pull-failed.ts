import { chartContext, sourceRule } from './rule';

export default sourceRule({
  code: 'FD216',
  slug: 'helm-chart-pull-failed',
  category: 'chart-not-found',
  severity: 'error',
  kinds: ['HelmChart'],
  title: 'Chart pull failed',
  signals: [
    'Ready=False ChartPullError: chart pull error: failed to download chart for remote reference: failed to fetch <url>.tgz : 404 Not Found / chart \'<name>\' has no downloadable URLs / failed to load index: … / failed to get chart version for remote reference: <other error>',
    'not: network errors (FD206), rejected credentials (FD208), version not found (FD215)',
  ],
  explanation: 'The chart version was resolved from the repository index, but downloading or validating the chart package failed: the index points to a package URL that no longer exists (a repository that rewrote its history or moved its packages), the package is not a valid chart archive, or the cached index could not be loaded. The installed release keeps running; no new chart version is installed until the pull works.',
  remediation: [
    { description: 'See the chart and the error', command: 'kubectl --context {context} -n {namespace} describe helmchart {name}' },
    { description: 'Refresh the repository index, then pull again', command: 'flux --context {context} reconcile source helm {repoName} -n {repoNamespace}' },
    { description: 'Try the pull outside the cluster', command: 'helm pull {chart} --repo {httpRepoUrl} --version {chartVersion}' },
    { description: 'Try the pull outside the cluster', command: 'helm pull {ociChart} --version {chartVersion}' },
    { description: 'Fetch the chart again', command: 'flux --context {context} reconcile source chart {name} -n {namespace}' },
  ],
  classes: ['chart-pull'],
  refine(obj, { index }, _found, base) {
    const chart = chartContext(obj, index);
    return {
      vars: chart.vars,
      evidence: [...base.evidence, ...chart.evidence],
      ...(chart.blockedBy.length > 0 ? { blockedBy: chart.blockedBy } : {}),
      ...(typeof obj.spec?.chart === 'string' ? { title: `Pulling chart ${obj.spec.chart}${typeof obj.spec.version === 'string' ? ` ${obj.spec.version}` : ''} failed` } : {}),
    };
  },
});
