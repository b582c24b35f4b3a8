import { sourceRule } from './rule';

export default sourceRule({
  code: 'FD219',
  slug: 'helm-index-invalid',
  category: 'chart-not-found',
  severity: 'error',
  kinds: ['HelmRepository'],
  title: 'Helm repository index cannot be loaded',
  signals: [
    'Ready=False IndexationFailed (FetchFailed=True): failed to load Helm repository from index YAML: … (error converting YAML to JSON, index exceeds the maximum index file size, no API version)',
    'Ready=False IndexationFailed: failed to calculate revision: …',
    'HelmRepository (v1beta1, Flux 0.x) Ready=False with a bare error converting YAML to JSON: yaml: … whatever the reason (no Secret is parsed as YAML, so it is the index)',
  ],
  explanation: 'index.yaml was downloaded from spec.url but is not a usable Helm repository index: the URL serves something else (an HTML login or error page, a proxy response), the index is corrupt, or it is larger than source-controller accepts (--helm-index-max-size). No new chart versions are visible to the HelmCharts of this repository until the index loads.',
  remediation: [
    { description: 'Look at what the URL serves', command: 'curl -sS {url}/index.yaml | head -20' },
    { description: 'Read source-controller\'s errors for this repository', command: 'flux --context {context} logs --kind=HelmRepository --name={name} -n {namespace} --level=error' },
    { description: 'For very large indexes, raise --helm-index-max-size on source-controller', command: 'kubectl --context {context} -n {fluxNamespace} get deploy source-controller -o jsonpath=\'{.spec.template.spec.containers[0].args}\'' },
    { description: 'Fetch again', command: 'flux --context {context} reconcile source helm {name} -n {namespace}' },
  ],
  classes: ['index-invalid'],
  refine(_obj, _ctx, found) {
    const message = found.condition.message ?? '';
    if (/exceeds the maximum index file size/.test(message)) return { title: 'Helm repository index exceeds the maximum size' };
    // A login, error or proxy page instead of index.yaml: often a URL or credentials problem in disguise.
    if (/error converting YAML to JSON/.test(message)) return { title: 'spec.url does not serve a YAML Helm index (an HTML login or error page?)' };
    return {};
  },
});
