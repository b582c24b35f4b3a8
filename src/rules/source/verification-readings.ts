// What a failed OCI signature check says, by provider: the artifact is unsigned, signed by someone the trust settings
// do not accept, or cosign never got to check it because sigstore's own trust data could not be used.
// Formats: source-controller internal/controller/{ocirepository,helmchart}_controller.go (`failed to verify the
// signature using provider '%s': %w`, `no matching signatures were found for '%s'`), internal/helm/repository
// (`failed to verify %s: %w` under `chart verification error: `), internal/oci/notation (`signature verification failed
// for all the signatures associated with %s`); notation-go (`no signature is associated with %q, make sure the artifact
// was signed successfully`, `failed to verify signature with digest %v, …`); sigstore/cosign pkg/cosign/tuf and
// verify (`no matching signatures: …`, `error getting target %s by usage`, `error verifying local metadata; local cache
// may be corrupt`, TUF `expired`, Rekor / Fulcio / CTFE key lookups).
import type { KubeObject } from '../../snapshot/schema';
import type { RemediationTemplate } from '../types';

/** cosign could not use sigstore's trust data (TUF metadata, CT log / Rekor keys, Fulcio roots): nothing was verified. */
export const SIGSTORE_INFRA = /\btuf\b|local (?:metadata|cache may be corrupt)|trusted root|ctfe|\bCTLog\b|rekor|fulcio|transparency log/i;

export interface VerificationReading {
  title: string;
  remediation?: RemediationTemplate[];
  replaceRemediation?: boolean;
}

/** The artifact reference the message names, without the oci:// scheme. */
export function verifiedRef(message: string): string | null {
  const m = message.match(/no signature is associated with "([^"]+)"/) ?? message.match(/no matching signatures were found for '([^']+)'/)
    ?? message.match(/failed to verify (?:oci:\/\/)?([^\s:]+(?::[^\s:]+)?(?:@sha256:[a-f0-9]+)?): /) ?? message.match(/signatures associated with (?:oci:\/\/)?(\S+?)\.?$/m);
  return m ? m[1]!.replace(/^oci:\/\//, '') : null;
}

/** The provider a verification used: from the message, else spec.verify.provider (cosign is the API default). */
export function verifyProvider(obj: KubeObject, message: string): string {
  return message.match(/using provider '([^']+)'/)?.[1] ?? (typeof obj.spec?.verify?.provider === 'string' ? obj.spec.verify.provider : 'cosign');
}

const SIGSTORE_STEPS: RemediationTemplate[] = [
  { description: 'cosign could not use sigstore\'s trust data, so the signature was never checked: the TUF metadata source-controller embeds (or cached) has expired, or the sigstore services (TUF repository, Rekor transparency log, Fulcio) are unreachable. Upgrade source-controller: newer releases carry fresh sigstore trust metadata (flux check shows the running versions)', command: 'flux --context {context} check' },
  { description: 'If the error names a network failure, allow egress from source-controller to the sigstore services (tuf-repo-cdn.sigstore.dev, rekor.sigstore.dev, fulcio.sigstore.dev) or the mirrors it is configured with', command: 'kubectl --context {context} -n {fluxNamespace} get networkpolicy' },
  { description: 'Until then, removing spec.verify lets new revisions through unverified: a deliberate trade-off, to undo once verification works again' },
  { description: 'Fetch again', command: 'flux --context {context} reconcile {noun} {name} -n {namespace}' },
];

/** A reading of an OCI or chart signature failure, or null for the family's general steps. */
export function verificationReading(message: string, provider: string, ref: string | null): VerificationReading | null {
  // The artifact's own name may contain such words (an image called rekor-server): only the error text counts.
  const text = ref ? message.split(ref).join('') : message;
  if (/^cosign/.test(provider) && SIGSTORE_INFRA.test(text)) {
    return {
      title: /expired/i.test(message)
        ? 'sigstore\'s TUF trust metadata in source-controller has expired: cosign could not check the signature (not an unsigned artifact)'
        : 'cosign could not reach or load sigstore\'s trust data (TUF, Rekor, Fulcio): the signature was never checked',
      remediation: SIGSTORE_STEPS,
      replaceRemediation: true,
    };
  }
  if (provider === 'notation' && /no signature is associated with/.test(message)) {
    return {
      title: 'The artifact has no notation signature in the registry (unsigned, or its signature was not pushed)',
      remediation: [
        { description: 'Sign the artifact with notation (the signature is pushed next to it in the same repository), then check it with notation verify against the trust policy of spec.verify', command: 'notation sign --key <key-name> {notationRef}' },
        { description: 'If it is signed, check the signature is readable with the OCIRepository\'s credentials (spec.secretRef) and that spec.ref names the signed digest' },
      ],
    };
  }
  if (provider === 'notation' && /signature verification failed for all the signatures|failed to verify signature with digest|trusted (?:signer|certificate|identit)|trust policy/i.test(message)) {
    return {
      title: 'The artifact is signed, but no notation signature is trusted by the trust policy and certificates of spec.verify',
      remediation: [
        { description: 'The Secret of spec.verify holds trustpolicy.json and the trusted certificates (.crt/.pem): the certificates must include the signer\'s CA and trustedIdentities must name the signer (or the artifact was signed by another key than expected)' },
      ],
    };
  }
  return null;
}
