import { conditionRule } from '../define';
import { baseEvidence, classifyBuild, ksVars } from './messages';

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
    return {
      vars,
      evidence: [...baseEvidence(obj, condition), ...(where ? [`file in the repository: ${where}`] : [])],
      ...(where ? { title: `Malformed YAML in ${where}` } : {}),
    };
  },
});
