import type { RuleHit } from '../types';
import { sourceRule } from './rule';

/**
 * sigs.k8s.io/yaml's `error converting YAML to JSON: yaml: line <n>: <problem>` (go-yaml). A page that is not YAML at
 * all (an HTML login or error page) fails within its first lines; an error deep in the file is a broken index.
 */
const YAML_LINE = /error converting YAML to JSON: yaml: line (\d+): ([^\n]*?)\s*$/;
const HTML_LINES = 5;

export default sourceRule({
  code: 'FD219',
  slug: 'helm-index-invalid',
  category: 'chart-not-found',
  severity: 'error',
  kinds: ['HelmRepository'],
  title: 'Helm repository index cannot be loaded',
  signals: [
    'Ready=False IndexationFailed (FetchFailed=True): failed to load Helm repository from index YAML: … (error converting YAML to JSON, index exceeds the maximum index file size, no API version)',
    'source-controller ≤ v0.31 (Flux ≤ 0.36): IndexationFailed failed to load Helm repository from cache: … (the same errors, read from the downloaded index)',
    'Ready=False IndexationFailed: failed to calculate revision: …',
    'HelmRepository (v1beta1, Flux 0.x) Ready=False with a bare error converting YAML to JSON: yaml: … whatever the reason (no Secret is parsed as YAML, so it is the index)',
    `error converting YAML to JSON: yaml: line <n>: … within the first ${HTML_LINES} lines → probably not an index at all (HTML login or error page); deeper → the published index itself is malformed YAML (an upstream publishing error: report it, the last good artifact keeps serving)`,
  ],
  explanation: 'index.yaml was downloaded from spec.url but is not a usable Helm repository index: the URL serves something else (an HTML login or error page, a proxy response), the index is corrupt, or it is larger than source-controller accepts (--helm-index-max-size). No new chart versions are visible to the HelmCharts of this repository until the index loads.',
  remediation: [
    { description: 'Look at what the URL serves', command: 'curl -sS {url}/index.yaml | head -20' },
    { description: 'Read source-controller\'s errors for this repository', command: 'flux --context {context} logs --kind=HelmRepository --name={name} -n {namespace} --level=error' },
    { description: 'The index is larger than source-controller accepts ({indexMaxSize}): raise --helm-index-max-size on source-controller', command: 'kubectl --context {context} -n {fluxNamespace} get deploy source-controller -o jsonpath=\'{.spec.template.spec.containers[0].args}\'' },
    { description: 'Fetch again', command: 'flux --context {context} reconcile source helm {name} -n {namespace}' },
  ],
  classes: ['index-invalid'],
  refine(obj, _ctx, found, base): Partial<RuleHit> {
    const message = found.condition.message ?? '';
    if (/exceeds the maximum index file size/.test(message)) {
      const size = message.match(/maximum index file size of (\d+) bytes/)?.[1];
      return { title: 'Helm repository index exceeds the maximum size', vars: { indexMaxSize: size ? `${size} bytes` : 'the --helm-index-max-size limit' } };
    }
    const yaml = message.match(YAML_LINE);
    const line = yaml ? Number(yaml[1]) : 0;
    if (yaml && line > HTML_LINES) {
      // Deep in the file: a real index with a YAML mistake, as published by the repository's maintainers.
      const revision = typeof obj.status?.artifact?.revision === 'string' ? obj.status.artifact.revision : null;
      const from = Math.max(1, line - 5);
      return {
        title: `The upstream Helm index is malformed YAML (line ${line}: ${yaml[2]}): a publishing error of the chart repository, not of the cluster`,
        explanation: `index.yaml was downloaded from spec.url and parses as YAML up to line ${line}: it is the repository's own index, published with a YAML mistake (a broken entry, a missing key or bad indentation), not an HTML page or a credentials problem. Nothing in the cluster can fix it: the maintainers have to republish the index. ${revision ? `Meanwhile source-controller keeps serving the last good index (revision ${revision}), so existing HelmCharts keep working; chart versions published since are not seen.` : 'No index has been stored yet, so the HelmCharts of this repository have nothing to resolve versions from.'}`,
        evidence: [...base.evidence, `the YAML error is at line ${line} of the index, past the first ${HTML_LINES} lines an HTML or error page would fail on`],
        vars: { indexLineFrom: String(from), indexLineTo: String(line + 5) },
        remediation: [
          { description: `Look at the index around line ${line}`, command: 'curl -sS {url}/index.yaml | sed -n \'{indexLineFrom},{indexLineTo}p\'' },
          { description: 'Report the malformed index to the chart repository\'s maintainers (or check their issue tracker: a broken publish is usually fixed quickly); there is nothing to change in the cluster' },
          { description: 'Until it is fixed, pin the chart version of the HelmReleases (spec.chart.spec.version) to versions already in the last good index, or take the chart from the project\'s OCI registry if it publishes one' },
          { description: 'Fetch again once the index is republished', command: 'flux --context {context} reconcile source helm {name} -n {namespace}' },
        ],
        replaceRemediation: true,
      };
    }
    // A login, error or proxy page instead of index.yaml: often a URL or credentials problem in disguise.
    if (/error converting YAML to JSON/.test(message)) return { title: 'spec.url does not serve a YAML Helm index (an HTML login or error page?)' };
    return {};
  },
});
