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
    'OCI: chart pull error: failed to download chart for remote reference: failed to get \'oci://<ref>\': failed to copy: httpReadSeeker: failed open: could not fetch content descriptor sha256:… (<media type>) from remote: not found (a blob of the chart is missing)',
    'not: network errors (FD206), rejected credentials (FD208), version not found (FD215, including an exact OCI version: failed to get \'oci://<ref>\': <ref>: not found)',
  ],
  explanation: 'The chart version was resolved from the repository index, but downloading or validating the chart package failed: the index points to a package URL that no longer exists (a repository that rewrote its history or moved its packages), the package is not a valid chart archive, the cached index could not be loaded, or (OCI) the registry lists a layer blob it no longer has. The installed release keeps running; no new chart version is installed until the pull works.',
  remediation: [
    { description: 'See the chart and the error', command: 'kubectl --context {context} -n {namespace} describe helmchart {name}' },
    { description: 'Refresh {refreshWhat} (the package URLs come from it), then pull again', command: 'flux --context {context} reconcile {repoNoun} {refreshRepo} -n {repoNamespace}' },
    { description: 'Try the pull outside the cluster', command: 'helm pull {chart} --repo {httpRepoUrl} --version {chartVersion}' },
    { description: 'Try the pull outside the cluster (an OCI HelmRepository has no index to refresh: the registry is read directly)', command: 'helm pull {ociChart} --version {chartVersion}' },
    { description: 'The registry has the manifest of {missingBlobRef} but not the blob it lists (garbage-collected, or an interrupted push or replication): push that chart version again, or ask the registry\'s administrators', command: 'helm push <chart>-{chartVersion}.tgz {repoUrl}' },
    { description: 'Fetch the chart again', command: 'flux --context {context} reconcile source chart {name} -n {namespace}' },
  ],
  classes: ['chart-pull'],
  refine(obj, { index }, found, base) {
    const chart = chartContext(obj, index);
    const vars = { ...chart.vars };
    if (found.detail === 'blob' && vars.ociChart) vars.missingBlobRef = `${vars.ociChart}:${base.vars.chartVersion ?? '<version>'}`;
    return {
      vars,
      evidence: [...base.evidence, ...chart.evidence],
      ...(chart.blockedBy.length > 0 ? { blockedBy: chart.blockedBy } : {}),
      ...(typeof obj.spec?.chart === 'string' ? { title: `Pulling chart ${obj.spec.chart}${typeof obj.spec.version === 'string' ? ` ${obj.spec.version}` : ''} failed${found.detail === 'blob' ? ': the registry lacks a blob of it' : ''}` } : {}),
    };
  },
});
