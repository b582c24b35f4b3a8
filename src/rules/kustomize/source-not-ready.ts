import { readyState } from '../../flux/conditions';
import { refKey, sourceRef } from '../../flux/refs';
import { conditionRule } from '../define';
import { baseEvidence, classifyArtifact, isFresh, ksVars, nounOf, sourceHasArtifact, stateLine } from './messages';

export default conditionRule({
  code: 'FD302',
  slug: 'source-not-ready',
  category: 'dependency-not-ready',
  severity: 'error',
  kinds: ['Kustomization'],
  title: 'Waiting on a source that has no artifact',
  signals: [
    'Ready=False ArtifactFailed: Source artifact not found, retrying in <d> (2.2+) / Source is not ready, artifact not found (before 2.2)',
    'not: Source is not ready, artifact not found, retrying in <d> (a 404 downloading the artifact: FD303), unless the snapshot shows the source without an artifact',
    'Ready=False ArtifactFailed: <Kind>.source.toolkit.fluxcd.io "<name>" not found (the sourceRef names no object)',
    "… unable to get source '<ns>/<name>': <err> / source `<name>` kind '<Kind>' not supported",
    'the source\'s own state read from the snapshot; a source still fetching its first artifact, for less than 10 minutes → warning',
  ],
  explanation: 'kustomize-controller builds from the artifact of spec.sourceRef. Either that source object does not exist (wrong name, kind or namespace in sourceRef, or it was deleted), or it exists but has never stored an artifact (its first fetch is failing) or its artifact file is gone. Nothing is built or applied until the source serves an artifact; the cause is on the source.',
  remediation: [
    { description: 'See the source this Kustomization reads', command: 'flux --context {context} get {sourceNoun} {sourceName} -n {sourceNamespace}' },
    { description: 'Read the source\'s events for the fetch error', command: 'flux --context {context} events --for {sourceKind}/{sourceName} -n {sourceNamespace}' },
    { description: 'List every source and whether it has an artifact', command: 'flux --context {context} get sources all -n {sourceNamespace}' },
    { description: 'Create {missingSource}, or fix spec.sourceRef (kind, name, namespace)', command: 'kubectl --context {context} -n {namespace} get kustomization {name} -o jsonpath=\'{.spec.sourceRef}\'' },
    { description: 'Fetch the source and apply again once it is fixed', command: 'flux --context {context} reconcile kustomization {name} -n {namespace} --with-source' },
  ],
  when: { type: 'Ready', status: 'False', reasons: ['ArtifactFailed'] },
  refine(obj, { index, now }, { condition }) {
    const cls = classifyArtifact(condition.message ?? '', sourceHasArtifact(obj, index));
    if (cls !== 'no-artifact' && cls !== 'source-missing') return null;
    const src = sourceRef(obj);
    const vars = ksVars(obj, index);
    const evidence = baseEvidence(obj, condition);
    let title: string | undefined;
    let severity: 'warning' | undefined;
    if (src) {
      vars.sourceKind = src.kind;
      vars.sourceName = src.name;
      vars.sourceNamespace = src.namespace ?? obj.metadata.namespace ?? '';
      const noun = nounOf(src.kind);
      if (noun) vars.sourceNoun = noun;
      const found = index.get(src);
      if (found || cls === 'source-missing') evidence.push(stateLine(index, src));
      if (!found && cls === 'source-missing') {
        vars.missingSource = `the missing source ${refKey(src)}`;
        title = `Source ${refKey(src)} does not exist`;
      } else if (cls === 'no-artifact' && found?.status?.artifact) {
        // `Source artifact not found` while the snapshot shows one: the source stored it after the last attempt.
        title = `Waiting on ${refKey(src)}: it had no artifact at the last attempt (it has one now; the next retry should pick it up)`;
        if (readyState(found) !== 'failing' && readyState(found) !== 'suspended') severity = 'warning';
      } else if (found) {
        title = `Waiting on ${refKey(src)}, which has no artifact`;
        // A source that is still fetching its first artifact (or has one by now): a short wait, not a failure.
        if (readyState(found) !== 'failing' && readyState(found) !== 'suspended' && isFresh(condition, now)) severity = 'warning';
      }
    }
    return { vars, evidence, ...(src ? { blockedBy: [src] } : {}), ...(title ? { title } : {}), ...(severity ? { severity } : {}) };
  },
});
