import { sourceRef } from '../../flux/refs';
import { conditionRule } from '../define';
import { artifactGone } from './artifact-gone';
import { ARTIFACT_INTEGRITY, INTEGRITY_EXPLANATION, INTEGRITY_REMEDIATION } from './artifact-integrity';
import { baseEvidence, classifyArtifact, controllerRef, isFresh, ksVars, nounOf, sourceHasArtifact } from './messages';

export default conditionRule({
  code: 'FD303',
  slug: 'artifact-download-failed',
  category: 'source-unreachable',
  severity: 'error',
  kinds: ['Kustomization'],
  title: 'Cannot download the source artifact from source-controller',
  signals: [
    'Ready=False ArtifactFailed with a fetch error from fluxcd/pkg http/fetch: failed to download archive: … (connection refused, i/o timeout, giving up after N attempt(s))',
    '… failed to download archive from <url> (status: <code>) / failed to verify archive / computed digest doesn\'t match / failed to extract archive',
    'failed to parse digest: invalid checksum digest format / failed to verify artifact: computed checksum|digest … doesn\'t match advertised|provided: a digest check, not a network problem (controllers out of step, stale artifact)',
    'Ready=False ArtifactFailed: Source is not ready, artifact not found, retrying in <d> while the source has status.artifact (or is not in the snapshot): source-controller answered 404, the file is gone from its storage',
    'not: path not found, source missing, no artifact (FD304, FD302)',
    'failing for less than 10 minutes → warning (usually source-controller restarting)',
  ],
  explanation: 'The source has an artifact, but kustomize-controller could not download or unpack it from source-controller\'s in-cluster HTTP server (or source-watcher\'s for ExternalArtifacts). Usually source-controller is down or restarting, a NetworkPolicy blocks flux-system traffic, the service DNS does not resolve, or the artifact exceeds the size limits. Nothing new is applied until the download works.',
  remediation: [
    { description: 'Check that source-controller is running and its Service has endpoints', command: 'kubectl --context {context} -n {fluxNamespace} get deploy,svc,endpoints source-controller' },
    { description: 'Read source-controller\'s recent log lines', command: 'kubectl --context {context} -n {fluxNamespace} logs deploy/source-controller --tail=50' },
    { description: 'Look for NetworkPolicies that block traffic between the Flux controllers', command: 'kubectl --context {context} -n {fluxNamespace} get networkpolicy' },
    { description: 'Check the source still serves an artifact', command: 'flux --context {context} get {sourceNoun} {sourceName} -n {sourceNamespace}' },
    { description: 'Retry the download', command: 'flux --context {context} reconcile kustomization {name} -n {namespace} --with-source' },
  ],
  when: { type: 'Ready', status: 'False', reasons: ['ArtifactFailed'] },
  refine(obj, { index, now }, { condition }) {
    const cls = classifyArtifact(condition.message ?? '', sourceHasArtifact(obj, index));
    if (cls !== 'download' && cls !== 'artifact-gone') return null;
    const vars = ksVars(obj, index);
    const src = sourceRef(obj);
    const serving = src?.kind === 'ExternalArtifact' ? 'source-watcher' : 'source-controller';
    if (src) {
      vars.sourceName = src.name;
      vars.sourceNamespace = src.namespace ?? obj.metadata.namespace ?? '';
      const noun = nounOf(src.kind);
      if (noun) vars.sourceNoun = noun;
    }
    const gone = cls === 'artifact-gone' ? artifactGone(obj, index, src) : null;
    const integrity = !gone && ARTIFACT_INTEGRITY.test(condition.message ?? '');
    // The rule's steps about source-controller being down and NetworkPolicies need {fluxNamespace}: without it they
    // are dropped, which is right for a digest check that the network passed.
    if (integrity) delete vars.fluxNamespace;
    return {
      vars,
      evidence: [...baseEvidence(obj, condition), ...(gone?.evidence ?? [])],
      ...(gone ? { title: gone.title, explanation: gone.explanation, remediation: gone.remediation } : {}),
      ...(integrity ? { title: `The artifact of ${src ? `${src.kind}/${vars.sourceName}` : 'the source'} fails its digest check`, explanation: INTEGRITY_EXPLANATION, remediation: INTEGRITY_REMEDIATION } : {}),
      // The controller that serves artifacts first: when it is down it is the root cause.
      blockedBy: [controllerRef(index, serving), ...(src ? [src] : [])],
      // source-controller restarting is the usual cause: a fresh failure is likely to clear on the next retry.
      ...(isFresh(condition, now) ? { severity: 'warning' as const } : {}),
    };
  },
});
