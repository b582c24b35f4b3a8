import { conditionRule } from '../define';
import { buildHint } from './build-hints';
import { baseEvidence, classifyBuild, ksVars } from './messages';

export default conditionRule({
  code: 'FD305',
  slug: 'build-failed',
  category: 'build-failed',
  severity: 'error',
  kinds: ['Kustomization'],
  title: 'kustomize build failed',
  signals: [
    'Ready=False BuildFailed: kustomize build failed: <kustomize error> (accumulating resources, must build at directory, no such file or directory, may not add resource with an already registered id, unable to find patch target…)',
    'Ready=False BuildFailed from generating kustomization.yaml (unable to get patches/components…, component path must be local) or recovered from kustomize build panic',
    'stated causes: json: unknown field "<f>" (kustomization.yaml not in kustomize\'s format, often a Flux Kustomization), error decrypting [env ]sources: no kustomization file found (Flux < 2.2.3), kustomization.yaml is empty (kustomize 5.3, Flux 2.2), HelmChartInflationGenerator …: must specify --enable-helm (helmCharts, never enabled in kustomize-controller)',
    'not: SOPS decryption (FD307), post-build substitution (FD308) or undecodable YAML (FD306)',
  ],
  explanation: 'kustomize-controller could not render the overlay at spec.path: kustomization.yaml refers to a file or directory that does not exist at this revision, a patch matches no resource, two resources have the same id, a remote base is unreachable or disabled, or a component is invalid. Nothing is applied; the cluster keeps the objects of the last applied revision.',
  remediation: [
    { description: 'Reproduce the build locally from a checkout of the failing revision (run at the repository root)', command: 'flux --context {context} build kustomization {name} -n {namespace} --path {path}' },
    { description: 'Or with kustomize alone', command: 'kustomize build {path}' },
    { description: 'See the full error and the revision that was tried', command: 'kubectl --context {context} -n {namespace} describe kustomization {name}' },
    { description: 'After fixing Git, apply again', command: 'flux --context {context} reconcile kustomization {name} -n {namespace} --with-source' },
  ],
  when: { type: 'Ready', status: 'False', reasons: ['BuildFailed'] },
  refine(obj, { index }, { condition }) {
    if (classifyBuild(condition.message ?? '', obj) !== 'build') return null;
    const message = condition.message ?? '';
    const missing = message.match(/accumulating resources from '([^']+)'/)?.[1];
    const duplicate = message.match(/already registered id: (\S+)/)?.[1];
    const title = missing ? `kustomize build failed: cannot load resource '${missing}'`
      : duplicate ? `kustomize build failed: ${duplicate} is defined twice` : undefined;
    const hint = buildHint(message);
    if (hint) return { vars: ksVars(obj, index), evidence: baseEvidence(obj, condition), ...hint };
    return { vars: ksVars(obj, index), evidence: baseEvidence(obj, condition), ...(title ? { title } : {}) };
  },
});
