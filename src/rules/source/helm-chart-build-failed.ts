import type { KubeObject } from '../../snapshot/schema';
import type { RemediationTemplate, RuleHit } from '../types';
import { sourceRule } from './rule';

const TITLES: Record<string, string> = {
  ValuesFilesError: 'Chart values files cannot be merged (spec.valuesFiles)',
  DependencyBuildError: 'Chart dependencies cannot be built',
  ChartPackageError: 'Chart cannot be packaged',
  MetadataPatchError: 'Chart metadata cannot be patched',
  Unknown: 'Chart build failed with an error of no known build step (unknown build error)',
};

/** Kinds whose artifact is a directory tree with the chart's sources (Chart.yaml, charts/, values files). */
const LOCAL_SOURCES = ['GitRepository', 'Bucket', 'ExternalArtifact'];

/** sigs.k8s.io/yaml (`error converting YAML to JSON: yaml: line <n>: <problem>`) or yaml.v3 without the prefix. */
const YAML_LINE = /yaml: line (\d+): ([^\n]+)/;

/** `unmarshaling values from '<file>' failed: <YAML error>`: the file exists and is not YAML (builder_local.go, builder_remote.go). */
function valuesYamlHit(obj: KubeObject, file: string, message: string): Partial<RuleHit> {
  const line = message.match(YAML_LINE);
  const local = LOCAL_SOURCES.includes(obj.spec?.sourceRef?.kind);
  const where = line ? `line ${line[1]}: ${line[2]}` : 'see the message';
  const source = `${obj.spec?.sourceRef?.kind ?? 'source'} ${obj.spec?.sourceRef?.name ?? ''}`.trim();
  const steps: RemediationTemplate[] = [
    local
      ? { description: `Fix the YAML of ${file} (${where}) in ${source} and push; once the new revision is fetched, build the chart again`, command: 'flux --context {context} reconcile source chart {name} -n {namespace}' }
      : { description: `${file} inside the chart package is not valid YAML (${where}): take another chart version or another values file in spec.valuesFiles` },
    { description: 'See the values files the chart is built with', command: 'kubectl --context {context} -n {namespace} get helmchart {name} -o jsonpath=\'{.spec.valuesFiles}{"\\n"}\'' },
  ];
  return { title: `Values file ${file} is not valid YAML${line ? ` (line ${line[1]}: ${line[2]})` : ''}`, remediation: steps, replaceRemediation: true };
}

export default sourceRule({
  code: 'FD217',
  slug: 'helm-chart-build-failed',
  category: 'chart-not-found',
  severity: 'error',
  kinds: ['HelmChart'],
  title: 'Chart build failed',
  signals: [
    'BuildFailed=True → Ready=False ValuesFilesError (+Stalled): values files merge error: failed to merge chart values: no values file found at path \'<file>\'',
    'ValuesFilesError: values files merge error: unmarshaling values from \'<file>\' failed: error converting YAML to JSON: yaml: line <n>: <problem> (the file exists and is not YAML; the line is shown)',
    'Ready=False DependencyBuildError: dependency build error: … (a dependency of a chart from Git/Bucket cannot be resolved; network tails are FD206)',
    'Ready=False ChartPackageError: chart package error: … / MetadataPatchError (+Stalled): chart metadata patch error: …',
    'Ready=False Unknown: unknown build error: <err> when the error is none of credentials (FD209/FD208) or network (FD206): shown as it is, with no build-step advice',
  ],
  explanation: 'The chart was found, but source-controller could not build the artifact: a file listed in spec.valuesFiles (from the HelmRelease\'s chart.spec.valuesFiles) does not exist in the chart or source, or is not valid YAML, a chart dependency in Chart.yaml cannot be resolved or downloaded, the chart directory cannot be packaged, or its metadata is invalid. ValuesFilesError and MetadataPatchError are stalled until the spec changes. The installed release keeps running on the previous chart.',
  remediation: [
    { description: 'See the values files and the chart', command: 'kubectl --context {context} -n {namespace} get helmchart {name} -o jsonpath=\'{.spec.chart}{" "}{.spec.valuesFiles}{"\\n"}\'' },
    { description: 'Fix chart.spec.valuesFiles ({missingValuesFile} is not in the chart or the source) or set ignoreMissingValuesFiles: true' },
    { description: 'Reproduce the dependency build locally from the chart directory of {sourceKind} {sourceName}', command: 'helm dependency build {localChartPath}' },
    { description: 'The build failed outside the known build steps: the error in the message is the cause ({unknownError})' },
    { description: 'Fetch the chart again after fixing it', command: 'flux --context {context} reconcile source chart {name} -n {namespace}' },
  ],
  classes: ['chart-build'],
  refine(obj, _ctx, found) {
    const message = found.condition.message ?? '';
    const yaml = message.match(/unmarshaling values from '([^']+)' failed: /);
    if (yaml) return valuesYamlHit(obj, yaml[1]!, message);
    const vars: Record<string, string> = {};
    const file = message.match(/no values file found at path '([^']+)'/);
    if (file) vars.missingValuesFile = file[1]!;
    // helm dependency build needs the chart's directory: only charts built from Git, Bucket or ExternalArtifact have one.
    const sourceKind = obj.spec?.sourceRef?.kind;
    if (found.detail === 'DependencyBuildError' && LOCAL_SOURCES.includes(sourceKind) && typeof obj.spec?.chart === 'string') {
      Object.assign(vars, { sourceKind, sourceName: obj.spec.sourceRef.name ?? '', localChartPath: obj.spec.chart });
    }
    if (found.detail === 'Unknown') vars.unknownError = message.replace(/^unknown build error: /, '').split('\n')[0]!.slice(0, 200);
    const title = file ? `Values file ${file[1]} not found in the chart` : TITLES[found.detail ?? ''];
    return { vars, ...(title ? { title } : {}) };
  },
});
