import { chartContext, sourceRule } from './rule';

function titleFor(message: string, chart: string | undefined, version: string | undefined): string | undefined {
  const m = message.match(/no '([^']+)' chart with version matching '([^']*)' found/);
  if (m) return `Chart ${m[1]} has no version matching '${m[2] || '*'}' in the repository index`;
  const oci = message.match(/could not locate a version matching provided version string (\S+)/);
  if (oci) return `Chart ${chart ?? ''} has no version matching ${oci[1]} in the OCI registry`.replace('  ', ' ');
  if (/unable to locate any tags/.test(message)) return `No tags for chart ${chart ?? ''} in the OCI registry`.replace('  ', ' ');
  if (/no chart name found/.test(message)) return `Chart ${chart ?? ''} is not in the repository index`.replace('  ', ' ');
  if (/no chart version found/.test(message)) return `Chart ${chart ?? ''} has no versions in the repository index`.replace('  ', ' ');
  if (/MANIFEST_UNKNOWN|manifest unknown|not found/i.test(message) && version) return `Chart ${chart ?? ''} version ${version} not found`.replace('  ', ' ');
  if (/no such file or directory|Chart\.yaml/i.test(message)) return `No chart at path ${chart ?? ''} in the source artifact`.replace('  ', ' ');
  return undefined;
}

export default sourceRule({
  code: 'FD215',
  slug: 'helm-chart-version-not-found',
  category: 'chart-not-found',
  severity: 'error',
  kinds: ['HelmChart'],
  title: 'Chart or chart version not found',
  signals: [
    'Ready=False + Stalled=True InvalidChartReference: invalid chart reference: failed to get chart version for remote reference: no \'<chart>\' chart with version matching \'<constraint>\' found',
    '… invalid chart reference: failed to get chart version for remote reference: no chart name found / no chart version found (Helm repo index); invalid chart reference: <path>: no such file or directory (chart path in a GitRepository/Bucket)',
    'Ready=False ChartPullError: chart pull error: failed to get chart version for remote reference: could not locate a version matching provided version string <v> / unable to locate any tags in provided repository / MANIFEST_UNKNOWN (OCI HelmRepository)',
    'the HelmRepository failing too (its index is stale) → blocked by it',
  ],
  explanation: 'The chart name or the version constraint (spec.chart / spec.version, set from the HelmRelease\'s spec.chart.spec) matches nothing in the repository: a typo in the chart name, a version that was never published or was removed, a constraint that excludes every release (pre-releases need -0 or an explicit version), or a chart path that does not exist in the Git/Bucket source. When the HelmRepository is failing, its index is stale and may simply not list the new version yet: fix the repository first. InvalidChartReference is stalled: Flux does not retry until the spec changes; the installed release keeps running on its current chart.',
  remediation: [
    { description: 'See the requested chart and version', command: 'kubectl --context {context} -n {namespace} get helmchart {name} -o jsonpath=\'{.spec.chart}{" "}{.spec.version}{"\\n"}\'' },
    { description: 'List the versions the repository offers', command: 'helm repo add fluxdiag-check {httpRepoUrl} && helm search repo fluxdiag-check/{chart} --versions' },
    { description: 'List the versions the OCI registry has', command: 'flux --context {context} list artifacts {ociChart}' },
    { description: 'Refresh the repository index (when it is stale or failing)', command: 'flux --context {context} reconcile source helm {repoName} -n {repoNamespace}' },
    { description: 'Fix spec.chart.spec.chart/version in HelmRelease {helmReleaseNamespace}/{helmRelease} in Git, then reconcile it with its source', command: 'flux --context {context} reconcile helmrelease {helmRelease} -n {helmReleaseNamespace} --with-source' },
    { description: 'Fix spec.chart/spec.version, then fetch again', command: 'flux --context {context} reconcile source chart {name} -n {namespace}' },
  ],
  classes: ['chart-version'],
  refine(obj, { index }, found, base) {
    const chart = chartContext(obj, index);
    const vars = { ...chart.vars };
    const title = titleFor(found.condition.message ?? '', obj.spec?.chart, obj.spec?.version);
    return {
      vars,
      evidence: [...base.evidence, ...chart.evidence],
      ...(chart.blockedBy.length > 0 ? { blockedBy: chart.blockedBy } : {}),
      ...(title ? { title } : {}),
    };
  },
});
