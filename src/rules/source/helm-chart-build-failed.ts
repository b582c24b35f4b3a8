import { sourceRule } from './rule';

const TITLES: Record<string, string> = {
  ValuesFilesError: 'Chart values files cannot be merged (spec.valuesFiles)',
  DependencyBuildError: 'Chart dependencies cannot be built',
  ChartPackageError: 'Chart cannot be packaged',
  MetadataPatchError: 'Chart metadata cannot be patched',
};

export default sourceRule({
  code: 'FD217',
  slug: 'helm-chart-build-failed',
  category: 'chart-not-found',
  severity: 'error',
  kinds: ['HelmChart'],
  title: 'Chart build failed',
  signals: [
    'BuildFailed=True → Ready=False ValuesFilesError (+Stalled): values files merge error: failed to merge chart values: no values file found at path \'<file>\'',
    'Ready=False DependencyBuildError: dependency build error: … (a dependency of a chart from Git/Bucket cannot be resolved; network tails are FD206)',
    'Ready=False ChartPackageError: chart package error: … / MetadataPatchError (+Stalled): chart metadata patch error: … / Unknown: unknown build error: …',
  ],
  explanation: 'The chart was found, but source-controller could not build the artifact: a file listed in spec.valuesFiles (from the HelmRelease\'s chart.spec.valuesFiles) does not exist in the chart or source, a chart dependency in Chart.yaml cannot be resolved or downloaded, the chart directory cannot be packaged, or its metadata is invalid. ValuesFilesError and MetadataPatchError are stalled until the spec changes. The installed release keeps running on the previous chart.',
  remediation: [
    { description: 'See the values files and the chart', command: 'kubectl --context {context} -n {namespace} get helmchart {name} -o jsonpath=\'{.spec.chart}{" "}{.spec.valuesFiles}{"\\n"}\'' },
    { description: 'For missing values files, fix chart.spec.valuesFiles or set ignoreMissingValuesFiles: true' },
    { description: 'Reproduce the dependency build locally from the chart directory', command: 'helm dependency build {chart}' },
    { description: 'Fetch the chart again after fixing it', command: 'flux --context {context} reconcile source chart {name} -n {namespace}' },
  ],
  classes: ['chart-build'],
  refine(_obj, _ctx, found) {
    const file = (found.condition.message ?? '').match(/no values file found at path '([^']+)'/);
    if (file) return { title: `Values file ${file[1]} not found in the chart` };
    const title = TITLES[found.detail ?? ''];
    return title ? { title } : {};
  },
});
