// An artifact that was downloaded but failed its digest check. kustomize-controller (fluxcd/pkg http/fetch) verifies
// the tarball against the digest the source advertises: `failed to verify artifact: computed checksum '<x>' doesn't
// match advertised '<y>'` (≤ v0.x, SHA1/SHA256 checksum), `… computed digest doesn't match advertised|provided '<d>'`
// (2.0+), and `failed to parse digest: invalid checksum digest format` when the advertised digest is in a format this
// kustomize-controller does not read. Both mean the two controllers disagree (one upgraded, not the other) or the
// stored file is not the one advertised: no network problem.
import type { RemediationTemplate } from '../types';

export const ARTIFACT_INTEGRITY = /failed to parse digest|invalid checksum digest format|computed (?:checksum|digest)(?: '[^']*')? doesn't match (?:advertised|provided)/i;

export const INTEGRITY_EXPLANATION = 'kustomize-controller downloaded the artifact but could not verify it against the digest the source advertises: either it cannot read the digest format at all ("invalid checksum digest format") or the file does not hash to it. This happens when source-controller and kustomize-controller are out of step (one was upgraded without the other, or the upgrade is still rolling out: the digest format changed between Flux versions) or when the stored file no longer matches its status (a storage volume restored or shared between replicas). The network is fine; nothing new is applied until the two agree.';

export const INTEGRITY_REMEDIATION: RemediationTemplate[] = [
  { description: 'Check that all Flux controllers run the versions of one release', command: 'flux --context {context} check' },
  { description: 'If they differ, upgrade the controllers together (re-run flux bootstrap / flux install, or upgrade the flux-operator FluxInstance) and wait for the rollout' },
  { description: 'Have source-controller produce the artifact again', command: 'flux --context {context} reconcile {sourceNoun} {sourceName} -n {sourceNamespace}' },
];
