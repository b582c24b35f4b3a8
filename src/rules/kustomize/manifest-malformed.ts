import { conditionRule } from '../define';
import { baseEvidence, classifyBuild, ksVars } from './messages';

/** The chart's directory in the repository: the file's, else the Kustomization's spec.path (messages may name a bare file). */
function chartDir(file: string, path: unknown): string {
  const dir = file.replace(/\/templates\/.*$/, '').replace(/\/?[^/]+$/, '');
  return dir ? `./${dir}` : typeof path === 'string' && path ? path : '.';
}

export default conditionRule({
  code: 'FD306',
  slug: 'manifest-malformed',
  category: 'manifest-malformed',
  severity: 'error',
  kinds: ['Kustomization'],
  title: 'A manifest cannot be decoded',
  signals: [
    'Ready=False BuildFailed: failed to decode Kubernetes YAML from <file>: MalformedYAMLError: yaml: line <n>: <yaml error>',
    '… yaml: line <n>: … / error converting YAML to JSON / cannot unmarshal <type> into Go … (also inside kustomize build failed: …)',
    '… failed to decode Kubernetes apiVersion, kind and name from: <object> (a document without apiVersion, kind or metadata.name)',
    '… failed to decode Kubernetes YAML from <file>: missing Resource metadata | missing kind (valid YAML that is no Kubernetes object: a config file or a Helm chart under a path without kustomization.yaml)',
  ],
  explanation: 'A YAML file under spec.path (or kustomization.yaml itself) is not valid YAML, or a document lacks apiVersion, kind or metadata.name, so nothing can be built. The message names the file (the /tmp/kustomization-<n>/ prefix is the controller\'s checkout) and the line. Nothing is applied; the cluster keeps the objects of the last applied revision.',
  remediation: [
    { description: 'Find the file and line in the message, then validate it locally (run at the repository root)', command: 'flux --context {context} build kustomization {name} -n {namespace} --path {path}' },
    { description: 'Lint the YAML under the path', command: 'yamllint {path}' },
    { description: 'After fixing Git, apply again', command: 'flux --context {context} reconcile kustomization {name} -n {namespace} --with-source' },
  ],
  when: { type: 'Ready', status: 'False', reasons: ['BuildFailed'] },
  refine(obj, { index }, { condition }) {
    const message = condition.message ?? '';
    if (classifyBuild(message, obj) !== 'malformed') return null;
    const vars = ksVars(obj, index);
    const file = message.match(/failed to decode Kubernetes YAML from \/tmp\/kustomization-\d+\/(\S+?):/)?.[1];
    const line = message.match(/yaml: line (\d+)/)?.[1];
    const where = file ? `${file}${line ? ` line ${line}` : ''}` : null;
    // kyaml's `missing Resource metadata` / `missing kind|apiVersion`: valid YAML that is not a Kubernetes object. Without
    // a kustomization.yaml at spec.path, kustomize-controller generates one listing every YAML file there.
    const notK8s = message.match(/failed to decode Kubernetes YAML from (?:\/tmp\/kustomization-\d+\/)?(\S+?): missing (?:Resource metadata|kind|apiVersion)\b/);
    if (notK8s) {
      const name = notK8s[1]!;
      const chart = /(?:^|\/)(?:Chart|values)\.ya?ml$|\/templates\//.test(name);
      return {
        vars,
        evidence: [...baseEvidence(obj, condition), `file in the repository: ${name}`],
        title: `${name} is not a Kubernetes manifest: ${chart ? 'the path holds a Helm chart' : 'without a kustomization.yaml every YAML file under the path is read as one'}`,
        remediation: [chart
          ? { description: `The path is a Helm chart: deploy it with a HelmRelease (chart from the same GitRepository, spec.chart.spec.chart: ${chartDir(name, obj.spec?.path)}) instead of a Kustomization` }
          : { description: `Keep ${name} out of the build: add a kustomization.yaml that lists the resources, move the file out of spec.path, or exclude it (.sourceignore, or the GitRepository's spec.ignore); a SOPS config belongs in .sops.yaml at the repository root` }],
      };
    }
    return {
      vars,
      evidence: [...baseEvidence(obj, condition), ...(where ? [`file in the repository: ${where}`] : [])],
      ...(where ? { title: `Malformed YAML in ${where}` } : {}),
    };
  },
});
