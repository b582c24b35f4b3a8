import { chartNameTwice } from './chart-package-access';
import { chartContext, sourceRule } from './rule';
import type { RemediationTemplate } from '../types';

/** What is wrong with the chart's Chart.yaml, from Helm's validation error or source-controller's loader. */
function metadataProblem(message: string): string {
  const version = message.match(/chart\.metadata\.version ("[^"]*") is invalid/);
  if (version) return `version ${version[1]} is not SemVer 2`;
  const required = message.match(/chart\.metadata\.(\w+) is required/);
  if (required) return `${required[1]} is missing`;
  const invalid = message.match(/chart\.metadata\.(\w+) ("[^"]*") is invalid/);
  if (invalid) return `${invalid[1]} ${invalid[2]} is invalid`;
  if (/Chart\.yaml: no such file or directory|no 'Chart\.yaml' found|Chart\.yaml file is missing/.test(message)) return 'there is no Chart.yaml (is spec.chart the chart\'s directory?)';
  if (/cannot load 'Chart\.yaml'/.test(message)) return 'Chart.yaml is not valid YAML';
  return 'Chart.yaml does not validate';
}

function titleFor(message: string, chart: string | undefined, version: string | undefined, detail: string | undefined): string | undefined {
  if (detail === 'metadata') return `The chart at ${chart ?? 'spec.chart'} is invalid: ${metadataProblem(message)}`;
  if (detail === 'path') return `No chart at path ${chart ?? ''} in the source artifact`.replace('  ', ' ');
  const m = message.match(/no '([^']+)' chart with version matching '([^']*)' found/);
  if (m) return `Chart ${m[1]} has no version matching '${m[2] || '*'}' in the repository index`;
  const oci = message.match(/could not locate a version matching provided version string (\S+)/);
  if (oci) return `Chart ${chart ?? ''} has no version matching ${oci[1]} in the OCI registry`.replace('  ', ' ');
  if (NO_SEMVER_TAGS.test(message)) return `No usable tags for chart ${chart ?? ''} in the OCI registry: none is strict SemVer (a v prefix, latest, a commit hash), or the repository is empty`.replace('  ', ' ');
  if (/no chart name found/.test(message)) return `Chart ${chart ?? ''} is not in the repository index`.replace('  ', ' ');
  // v1beta1 (Flux 0.x): `no chart version found for <chart>-<version>`, the version spec.version asked for.
  if (/no chart version found for \S/.test(message)) return `Chart ${chart ?? ''} has no version matching ${version ? `'${version}'` : 'spec.version'} in the repository index`.replace('  ', ' ');
  if (/no chart version found/.test(message)) return `Chart ${chart ?? ''} has no versions in the repository index`.replace('  ', ' ');
  if (/MANIFEST_UNKNOWN|manifest unknown|not found/i.test(message) && version) return `Chart ${chart ?? ''} version ${version} not found${/oci:\/\//.test(message) ? ' in the OCI registry' : ''}`.replace('  ', ' ');
  if (/no such file or directory|Chart\.yaml/i.test(message)) return `No chart at path ${chart ?? ''} in the source artifact`.replace('  ', ' ');
  return undefined;
}

/**
 * Helm's registry client keeps only the tags semver.StrictNewVersion parses (pkg/registry Tags): `v1.2.3`, `latest` or
 * a commit hash are dropped before any version is matched, so an exact spec.version does not help either; source-
 * controller then says `unable to locate any tags in provided repository: <ref>`.
 */
const NO_SEMVER_TAGS = /unable to locate any tags in provided repository/;
const SEMVER_TAGS_STEP = { description: 'Helm (and source-controller) read only tags that are strict SemVer, such as 1.2.3: tags like v1.2.3 or latest are ignored even when spec.version names them exactly. Publish the chart with a Chart.yaml version without the v prefix (helm push uses it as the tag), or check that the chart path under spec.url is right', command: 'flux --context {context} list artifacts {ociChart}' };

/**
 * A version with a pre-release part (`0.0.1-PR-1`): Helm's semver constraints skip pre-releases unless the constraint
 * itself carries one, so a range or a CI tag that is not in the index both end here.
 */
function prereleaseHint(version: unknown): { description: string } | undefined {
  if (typeof version !== 'string' || !/\d-[0-9A-Za-z]/.test(version)) return undefined;
  return { description: `Version ${version} is a pre-release: semver constraints exclude pre-releases unless written explicitly (an exact version, or a range with a pre-release part such as >=0.0.1-0), so check that exactly this version is in the index (helm search repo --devel --versions)` };
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
    '… invalid chart reference: failed to get chart version for remote reference: no chart name found / no chart version found (Helm repo index); v1beta1 (Flux 0.x) ChartPullFailed: no chart version found for <chart>-<version> (a pre-release version gets a hint: constraints skip pre-releases unless written explicitly); invalid chart reference: <path>: no such file or directory (chart path in a GitRepository/Bucket)',
    'Ready=False ChartPullError: chart pull error: failed to get chart version for remote reference: could not locate a version matching provided version string <v> / unable to locate any tags in provided repository / MANIFEST_UNKNOWN (OCI HelmRepository)',
    'Ready=False ChartPullError: chart pull error: failed to download chart for remote reference: failed to get \'oci://<registry>/<chart>:<version>\': <registry>/<chart>:<version>: not found (OCI, exact version: the tag lookup is skipped)',
    'InvalidChartReference: invalid chart reference: validation: chart.metadata.version "<v>" is invalid / chart.metadata.name is required / cannot load \'Chart.yaml\': … / open <path>/Chart.yaml: no such file or directory (a chart from a GitRepository/Bucket whose Chart.yaml is missing or invalid)',
    'Ready=False ChartPullError (older source-controller): chart pull error: (chart pull error: )failed to download chart for remote reference: <host>/<path>/<chart>:<version>: not found (source-controller#933); an OCI spec.url already ending in spec.chart (the chart name doubled, e.g. oci://public.ecr.aws/karpenter/karpenter + karpenter) is named',
    'the HelmRepository failing too (its index is stale) → blocked by it',
  ],
  explanation: 'The chart name or the version constraint (spec.chart / spec.version, set from the HelmRelease\'s spec.chart.spec) matches nothing in the repository: a typo in the chart name, a version that was never published or was removed, a constraint that excludes every release (pre-releases need -0 or an explicit version), or a chart path that does not exist in the Git/Bucket source. For a chart built from a GitRepository or Bucket, the chart may also exist but be invalid: its Chart.yaml is missing, lacks a name, or has a version that is not SemVer 2 (e.g. a branch name written by CI); that is fixed in the source, not in the HelmChart. When the HelmRepository is failing, its index is stale and may simply not list the new version yet: fix the repository first. InvalidChartReference is stalled: Flux does not retry until the spec changes; the installed release keeps running on its current chart.',
  remediation: [
    { description: 'See the requested chart and version', command: 'kubectl --context {context} -n {namespace} get helmchart {name} -o jsonpath=\'{.spec.chart}{" "}{.spec.version}{"\\n"}\'' },
    { description: 'List the versions the repository offers', command: 'helm repo add fluxdiag-check {httpRepoUrl} && helm search repo fluxdiag-check/{chart} --versions' },
    { description: 'List the versions the OCI registry has', command: 'flux --context {context} list artifacts {ociChart}' },
    { description: 'Fix {chartYaml} in {repoKind} {repoName}: {chartProblem}. A chart\'s version must be SemVer 2 (e.g. 0.1.0) even when it is built from Git; helm lint, run from a checkout of the source, shows every problem', command: 'helm lint {chart}' },
    { description: 'Fetch {refreshWhat} again (a stale or failing source may not have the chart yet)', command: 'flux --context {context} reconcile {repoNoun} {refreshRepo} -n {repoNamespace}' },
    { description: 'Fix spec.chart.spec.{specField} in HelmRelease {helmReleaseNamespace}/{helmRelease} in Git, then reconcile it with its source', command: 'flux --context {context} reconcile helmrelease {helmRelease} -n {helmReleaseNamespace} --with-source' },
    { description: 'Fix spec.{specField}, then fetch again', command: 'flux --context {context} reconcile source chart {name} -n {namespace}' },
    { description: 'Once the fixed {chartYaml} is in the artifact of {repoKind} {repoName}, build the chart again', command: 'flux --context {context} reconcile source chart {name} -n {namespace}' },
  ],
  classes: ['chart-version'],
  refine(obj, { index }, found, base) {
    const chart = chartContext(obj, index);
    const vars = { ...chart.vars };
    const message = found.condition.message ?? '';
    if (found.detail === 'metadata') {
      // The chart exists but is not a valid chart: the fix is in the source, not in spec.chart/spec.version.
      vars.chartProblem = metadataProblem(message);
      vars.chartYaml = `${String(obj.spec?.chart ?? '').replace(/\/+$/, '')}/Chart.yaml`;
    } else {
      vars.specField = found.detail === 'path' ? 'chart (the path in the source)' : 'chart/version';
    }
    let title = titleFor(message, obj.spec?.chart, obj.spec?.version, found.detail);
    const prerelease = found.detail ? undefined : prereleaseHint(obj.spec?.version);
    const steps: RemediationTemplate[] = prerelease ? [prerelease] : [];
    if (NO_SEMVER_TAGS.test(message)) steps.push(SEMVER_TAGS_STEP);
    const evidence = [...base.evidence, ...chart.evidence];
    // An OCI HelmRepository URL is the path above the chart: one that already ends in the chart name doubles it.
    if (chartNameTwice(vars.repoUrl, obj.spec?.chart)) {
      vars.suggestedRepoUrl = vars.repoUrl!.replace(/\/+$/, '').replace(/\/[^/]+$/, '');
      evidence.push(`spec.url of ${vars.repoKind} ${vars.repoName} already ends in the chart name: the chart is looked up at ${vars.ociChart}`);
      steps.unshift({ description: 'spec.url of an OCI HelmRepository is the path above the chart (source-controller appends spec.chart): set it to {suggestedRepoUrl} in Git, unless {ociChart} really exists' });
      title = `Chart ${obj.spec.chart} not found at ${vars.ociChart}: the chart name appears twice (spec.url of ${vars.repoKind} ${vars.repoName} already ends in it)`;
    }
    return {
      ...(steps.length > 0 ? { remediation: steps } : {}),
      vars,
      evidence,
      ...(chart.blockedBy.length > 0 ? { blockedBy: chart.blockedBy } : {}),
      ...(title ? { title } : {}),
    };
  },
});
