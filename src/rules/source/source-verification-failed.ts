import { chartContext, ociArtifactRef, sourceRule } from './rule';
import { verificationReading, verifiedRef, verifyProvider } from './verification-readings';
import type { RemediationTemplate } from '../types';

/**
 * cosign v3 signs in the new Sigstore bundle format by default, which source-controller reads only from Flux 2.8 on
 * (source-controller#1923, fixed by #1961): before, a valid v3 signature is "no matching signatures". Offered unless
 * the cluster is known to run 2.8 or later.
 */
function cosignV3Step(message: string, fluxVersion: string | null): RemediationTemplate | null {
  if (!/using provider 'cosign[^']*'/.test(message) || !/no matching signatures were found/.test(message)) return null;
  const v = fluxVersion?.match(/^v?(\d+)\.(\d+)/);
  if (v && (Number(v[1]) > 2 || (Number(v[1]) === 2 && Number(v[2]) >= 8))) return null;
  return { description: `If the artifact was signed with cosign v3, whose default new bundle format Flux reads only from 2.8 on${fluxVersion ? ` (this cluster runs ${fluxVersion})` : ''}: upgrade Flux, or sign with cosign v3 --new-bundle-format=false --use-signing-config=false (or cosign v2)` };
}

export default sourceRule({
  code: 'FD214',
  slug: 'source-verification-failed',
  category: 'source-verification-failed',
  severity: 'error',
  kinds: ['GitRepository', 'OCIRepository', 'HelmChart'],
  title: 'Signature verification failed',
  signals: [
    'SourceVerified=False, copied into Ready=False (bipolar condition):',
    'GitRepository (v1beta1, Flux 0.x) Ready=False VerificationFailed: no PGP signature found for commit: <sha>; the same message under InvalidCommitSignature later',
    'GitRepository InvalidCommitSignature: signature verification of commit \'<sha>\' failed: … / InvalidTagSignature: signature verification of tag \'<tag>\' failed / InvalidGitObject: cannot verify signature of tag \'<tag>\' since it is not signed / VerificationError: public keys secret error: … / InvalidVerificationMode (+Stalled): cannot verify tag object\'s signature if a tag reference is not specified',
    'a commit signature failure while spec.ref selects a tag (tag or semver) with spec.verify.mode HEAD (the default): the commit of the tag is checked, not the tag; spec.verify.mode: Tag (Flux 2.1+) when the tag is what is signed',
    'OCIRepository / HelmChart (OCI) VerificationError: failed to verify the signature using provider \'cosign|cosign keyless|notation\': no matching signatures were found for \'<ref>\' / …',
    'HelmChart BuildFailed ChartVerificationError: chart verification error: failed to verify <ref>: …',
    'cosign … no matching signatures were found for \'<ref>\' on Flux before 2.8 (or an unknown version): a cosign v3 signature (new bundle format by default) is not read (source-controller#1923, fixed in 2.8)',
    'cosign, any kind: … no matching signatures: error getting target ctfe.pub by usage: error verifying local metadata; local cache may be corrupt: tuf: … expired … / Rekor, Fulcio, TUF errors → sigstore\'s trust data (embedded TUF metadata expired, services unreachable), not the artifact: upgrade source-controller or temporarily drop spec.verify',
    'notation: … no signature is associated with "<ref>", make sure the artifact was signed successfully (unsigned → notation sign) / signature verification failed for all the signatures associated with <ref> (signed, not trusted → trust policy and certificates)',
    'the check command follows spec.verify.provider and the reference the controller checked (cosign verify --key, keyless cosign verify, notation verify)',
  ],
  explanation: 'spec.verify asks source-controller to accept only signed content, and the signature check failed: the commit or tag is not signed, or signed by a key that is not in the trusted keys Secret, the cosign/notation signature is missing, made by another identity, or in a format this Flux cannot read (the cosign v3 bundle format before Flux 2.8), or the keys Secret itself is missing. The new revision is not stored, so downstream objects keep the last verified one. This is working as designed when the content is not trustworthy; otherwise add the signer\'s key or sign the content.',
  remediation: [
    { description: 'See the verification settings', command: 'kubectl --context {context} -n {namespace} get {resource} {name} -o jsonpath=\'{.spec.verify}{"\\n"}\'' },
    { description: 'List the keys of the trusted keys Secret {verifySecret} (.asc PGP / .sshpub SSH keys for Git; cosign.pub or notation trust policy for OCI)', command: 'kubectl --context {context} -n {namespace} get secret {verifySecret} -o jsonpath=\'{.data}\' | jq \'keys\'' },
    { description: 'Check the signature of the fetched commit locally', command: 'git verify-commit {commit}', kinds: ['GitRepository'] },
    { description: 'Check the signature with the public key of the Secret of spec.verify', command: 'cosign verify {cosignKeyRef} --key cosign.pub' },
    { description: 'Check the keyless signature with the identity spec.verify.matchOIDCIdentity expects', command: 'cosign verify {cosignKeylessRef} --certificate-identity-regexp=<subject> --certificate-oidc-issuer-regexp=<issuer>' },
    { description: 'Check the notation signature against the trust policy of the Secret of spec.verify', command: 'notation verify {notationRef}' },
    { description: 'For verify.mode Tag/TagAndHEAD, reference a tag in spec.ref (the object is stalled until the spec changes)', kinds: ['GitRepository'] },
    { description: 'Sign the content or add the signer\'s key, then fetch again', command: 'flux --context {context} reconcile {noun} {name} -n {namespace}' },
  ],
  classes: ['verification'],
  refine(obj, { index }, found, base) {
    const message = found.condition.message ?? '';
    const vars: Record<string, string> = {};
    const verifySecret = obj.spec?.verify?.secretRef?.name;
    if (typeof verifySecret === 'string') vars.verifySecret = verifySecret;
    const commit = message.match(/signature verification of commit '([0-9a-f]{7,64})'/);
    // v1beta1 (Flux 0.x, reason VerificationFailed) and later: the commit carries no signature at all.
    const unsigned = message.match(/no PGP signature found for commit:? '?([0-9a-f]{7,64})/);
    if (unsigned) vars.commit = unsigned[1]!;
    if (commit) vars.commit = commit[1]!;
    const evidence = [...base.evidence];
    if (obj.kind === 'HelmChart') Object.assign(vars, chartContext(obj, index).vars);
    // The command that checks the signature follows the provider; the reference is the one the controller checked.
    let reading = null;
    if (obj.kind !== 'GitRepository') {
      const ref = verifiedRef(message) ?? (obj.kind === 'OCIRepository' ? ociArtifactRef(obj)?.replace(/^oci:\/\//, '') : null) ?? (vars.ociChart ? `${vars.ociChart.replace(/^oci:\/\//, '')}:${base.vars.chartVersion ?? '<version>'}` : null);
      const provider = verifyProvider(obj, message);
      reading = verificationReading(message, provider, verifiedRef(message));
      if (ref) {
        if (provider === 'notation') vars.notationRef = ref;
        else if (obj.spec?.verify?.secretRef?.name) vars.cosignKeyRef = ref;
        else vars.cosignKeylessRef = ref;
      }
    }
    let title: string | undefined;
    const provider = message.match(/using provider '([^']+)'/);
    if (commit) title = `Commit ${commit[1]!.slice(0, 12)} is not signed by a trusted key`;
    else if (unsigned) title = `Commit ${unsigned[1]!.slice(0, 12)} is not signed (spec.verify requires a PGP signature)`;
    else if (/signature verification of tag '([^']+)'/.test(message)) title = `Tag ${message.match(/signature verification of tag '([^']+)'/)![1]} is not signed by a trusted key`;
    else if (/since it is not signed/.test(message)) title = 'The tag is not signed (spec.verify requires a signed tag)';
    else if (/public keys secret error/.test(message)) title = 'The trusted keys Secret of spec.verify cannot be read';
    else if (/if a tag reference is not specified/.test(message)) title = 'spec.verify.mode needs a tag in spec.ref';
    else if (provider) title = `${provider[1]} signature verification failed`;
    // A tag checked out with the default mode verifies the commit, which is often unsigned (a merge made by the forge)
    // while the tag itself is signed: spec.verify.mode Tag (Flux 2.1+) checks the tag instead (source-controller#1133).
    const tagRef = obj.kind === 'GitRepository' && (commit || unsigned) && (obj.spec?.ref?.tag || obj.spec?.ref?.semver) ? (obj.spec.ref.tag ?? obj.spec.ref.semver) : null;
    const mode = String(obj.spec?.verify?.mode ?? 'HEAD');
    if (tagRef && /^head$/i.test(mode)) {
      return {
        vars, evidence,
        title: `${title}: spec.verify.mode ${mode} checks the commit of tag ${tagRef}, not the tag`,
        remediation: [{ description: `spec.ref selects a tag (${tagRef}), but spec.verify.mode ${mode} verifies the commit it points to, which is often unsigned (a merge or release made by the forge) while the tag is signed. If the tag is what you sign, set spec.verify.mode: Tag (Flux 2.1+; TagAndHEAD checks both) in Git`, command: obj.spec.ref.tag ? `git verify-tag ${obj.spec.ref.tag}` : 'git verify-tag <tag>' }],
      };
    }
    const v3 = cosignV3Step(message, index.cluster.flux.version);
    if (reading) return { vars, evidence, title: reading.title, ...(reading.remediation || v3 ? { remediation: [...(v3 ? [v3] : []), ...(reading.remediation ?? [])] } : {}), ...(reading.replaceRemediation ? { replaceRemediation: true } : {}) };
    return { vars, evidence, ...(title ? { title } : {}), ...(v3 ? { remediation: [v3] } : {}) };
  },
});
