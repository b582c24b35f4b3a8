// libgit2's `remote authentication required but no callback set` (image-automation-controller with libgit2, Flux 0.x):
// the Git server asked for credentials and the automation had none to give. Not a rejection: nothing was configured.
import type { ObjRef } from '../../flux/refs';
import type { ClusterIndex } from '../../snapshot/indexes';
import type { RuleHit } from '../types';

export { LIBGIT2_NO_CREDENTIALS } from '../source/vocabulary';

/** Title and steps for a checkout or push that ran without credentials, from what the GitRepository configures. */
export function noCredentialsHit(step: 'check out' | 'push', git: ObjRef | null, index: ClusterIndex): Partial<RuleHit> {
  const gitObj = git ? index.get(git) : undefined;
  const secret = gitObj?.spec?.secretRef?.name;
  const url = typeof gitObj?.spec?.url === 'string' ? gitObj.spec.url : '';
  const ssh = /^ssh:|^[\w.-]+@[\w.-]+:/.test(url);
  const name = git?.name ?? 'of the automation';
  const title = !git
    ? `Image automation cannot ${step}: the Git server requires credentials and none are configured`
    : !secret
      ? `Image automation cannot ${step}: GitRepository ${name} has no spec.secretRef, and the Git server requires credentials`
      : `Image automation cannot ${step}: Secret ${secret} of GitRepository ${name} gives no ${ssh ? 'SSH key (identity)' : 'username/password'}`;
  return {
    title,
    remediation: [{
      // A public repository clones anonymously, so the GitRepository may be Ready while the push still needs credentials.
      description: `libgit2 was asked for credentials and had none: ${secret ? `Secret ${secret} lacks ${ssh ? 'the identity key' : 'username and password keys (a token alone is not used for HTTPS)'}` : 'set spec.secretRef on the GitRepository (anonymous clones of a public repository work, pushes never do)'}. Create it with write access and reference it; libgit2 was removed in Flux 2.0, so upgrading also changes the Git client`,
      command: `flux --context {context} create secret git ${secret ?? '<secret-name>'} -n {gitNamespace} --url=${url || '<url>'}${ssh ? '' : ' --username=<user> --password=<token>'}`,
    }],
  };
}
