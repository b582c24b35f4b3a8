import { sourceRef } from '../../flux/refs';
import { conditionRule } from '../define';
import { baseEvidence, classifyArtifact, ksVars, nounOf } from './messages';

export default conditionRule({
  code: 'FD304',
  slug: 'path-not-found',
  category: 'path-not-found',
  severity: 'error',
  kinds: ['Kustomization'],
  title: 'spec.path does not exist in the source revision',
  signals: [
    'Ready=False ArtifactFailed: kustomization path not found: stat /tmp/kustomization-<n>/<path>: no such file or directory',
  ],
  explanation: 'The source artifact was downloaded, but the directory named in spec.path is not in it at this revision: the path is misspelled, the directory was moved or deleted in Git, the GitRepository tracks another branch than expected, or spec.ignore / .sourceignore excluded it. Nothing is built or applied; the cluster keeps the objects of the last applied revision.',
  remediation: [
    { description: 'See the path and the revision that was tried', command: 'kubectl --context {context} -n {namespace} get kustomization {name} -o jsonpath=\'{.spec.path}{" @ "}{.status.lastAttemptedRevision}\'' },
    { description: 'See which branch/tag the source tracks and its current revision', command: 'flux --context {context} get {sourceNoun} {sourceName} -n {sourceNamespace}' },
    { description: 'In a checkout of that revision, check the directory exists (paths are relative to the repository root)', command: 'git ls-tree -d --name-only HEAD {path}' },
    { description: 'Fix spec.path (or restore the directory) in Git, then apply again', command: 'flux --context {context} reconcile kustomization {name} -n {namespace} --with-source' },
  ],
  when: { type: 'Ready', status: 'False', reasons: ['ArtifactFailed'], message: /kustomization path not found/i },
  refine(obj, { index }, { condition }) {
    if (classifyArtifact(condition.message ?? '') !== 'path') return null;
    const vars = ksVars(obj, index);
    const src = sourceRef(obj);
    if (src) {
      vars.sourceName = src.name;
      vars.sourceNamespace = src.namespace ?? obj.metadata.namespace ?? '';
      const noun = nounOf(src.kind);
      if (noun) vars.sourceNoun = noun;
    }
    const revision = obj.status?.lastAttemptedRevision;
    return {
      vars,
      evidence: baseEvidence(obj, condition),
      title: `spec.path ${vars.path} does not exist${typeof revision === 'string' && revision ? ` at ${revision}` : ' in the source'}`,
    };
  },
});
