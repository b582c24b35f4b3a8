import { releaseFailureRule } from './failure';
import { renderHint } from './render-hints';
import { schemaRefHint } from './schema-ref-hint';
import { templateFunctionHint } from './template-function-hint';

export default releaseFailureRule({
  code: 'FD406',
  slug: 'helm-chart-render-failed',
  category: 'helm-values-invalid',
  severity: 'error',
  kinds: ['HelmRelease'],
  title: 'Chart cannot be rendered with these values',
  signals: [
    'Released=False InstallFailed/UpgradeFailed: Helm <action> failed for release <ns>/<name> with chart <chart>@<version>: <err>, where <err> is',
    "… execution error at (<chart>/templates/<file>:<l>:<c>): <message> (template `fail`/`required`)",
    "… template: <chart>/templates/<file>:<l>:<c>: executing … / parse error at (…) / function \"x\" not defined",
    '… function "<name>" not defined: a function of a newer Helm than helm-controller embeds (sha512sum 3.16, fromToml/toYamlPretty 3.17, mustToYaml/mustToJson 4.0, mustToToml 4.2: Flux 2.4/2.5/2.8/2.9), compared with the helm-controller image tag when the snapshot has it; otherwise a newer Helm or a typo',
    '… YAML parse error on <chart>/templates/<file>: error converting YAML to JSON: …',
    "… values don't meet the specifications of the schema(s) in the following chart(s): … (values.schema.json)",
    '… the same, with failing loading "<url>": HTTP request failed for … / returned status … (Helm 3.19+/4) or Get "<url>": … / Could not read schema from HTTP (Helm ≤3.18): a remote $ref helm-controller cannot fetch (DNS, egress, proxy), not the values; disableSchemaValidation skips it',
    '… unable to build kubernetes objects from release manifest: error validating "": error validating data: … (OpenAPI validation)',
    '… [unable to build kubernetes objects from [new ]release manifest: ]unable to decode "": json: cannot unmarshal <number|bool> into Go struct field ObjectMeta.<path>.<labels|annotations> of type string (unquoted value; `v1.ObjectMeta.Labels: ReadString: expects " or n` before Kubernetes 1.23)',
  ],
  explanation: 'Helm could not render the chart with the values of this HelmRelease: a required value is missing, a value has the wrong type or fails the chart\'s values.schema.json, or a template produces invalid YAML or an invalid object. It is a chart or values bug, so retrying cannot help: fix spec.values/valuesFrom (or pick another chart version) in Git. The previous release keeps running.',
  remediation: [
    { description: 'Read the full error (the template file and line, or the schema violations)', command: 'kubectl --context {context} -n {namespace} get helmrelease {name} -o jsonpath=\'{.status.conditions[?(@.type=="Released")].message}\'' },
    { description: 'See the values references (inline values and valuesFrom ConfigMaps/Secrets)', command: 'kubectl --context {context} -n {namespace} get helmrelease {name} -o jsonpath=\'{.spec.valuesFrom}\'' },
    { description: 'Reproduce locally with the same values: helm template {releaseName} <chart> --version {chartVersion} -f <values.yaml> (or helm lint), fix the values or the chart in Git' },
    { description: 'Apply the fix (a change of values or chart version resets the failure counters)', command: 'flux --context {context} reconcile helmrelease {name} -n {namespace} --with-source' },
  ],
  classes: ['render'],
  enrich(_obj, { index }, failure) {
    const vars: Record<string, string> = {};
    const version = failure.chart?.match(/@(.+)$/)?.[1];
    if (version) vars.chartVersion = version;
    vars.fluxNamespace = index.cluster.fluxNamespace;
    const hint = templateFunctionHint(failure.tail, index.controllerFor('HelmRelease')?.version ?? null, failure.chart) ?? schemaRefHint(failure.tail) ?? renderHint(failure.tail);
    if (hint) return { vars, ...hint };
    const at = failure.tail.match(/execution error at \(([^)]+)\): ([^\n]*)/) ?? failure.tail.match(/(?:YAML parse error on|template:) ([^\s:]+(?::\d+(?::\d+)?)?)/);
    const title = at ? `Chart render failed at ${at[1]}` : /values don't meet the specifications of the schema/.test(failure.tail) ? 'Values do not match the chart\'s values.schema.json' : undefined;
    return { vars, ...(title ? { title } : {}) };
  },
});
