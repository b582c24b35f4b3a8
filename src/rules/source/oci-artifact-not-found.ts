import { refText } from './classify';
import { sourceRule } from './rule';

export default sourceRule({
  code: 'FD212',
  specFix: true,
  slug: 'oci-artifact-not-found',
  category: 'source-ref-not-found',
  severity: 'error',
  kinds: ['OCIRepository'],
  title: 'OCI tag, semver or digest not found',
  signals: [
    'Ready=False ReadOperationFailed: failed to determine the artifact tag for \'<url>\': no match found for semver: <range> / semver \'<range>\' parse error',
    'Ready=False OCIArtifactPullFailed: failed to determine artifact digest: GET https://<registry>/v2/<repo>/manifests/<tag>: MANIFEST_UNKNOWN: manifest unknown / unexpected status code 404 Not Found',
    'failed to pull artifact from \'<url>\': … MANIFEST_UNKNOWN (digest not found)',
  ],
  explanation: 'The registry and the repository exist, but what spec.ref asks for does not: the tag was never pushed (or was deleted), no tag matches the semver range (or spec.ref.semverFilter filters them all out), or the pinned digest is gone. Kustomizations or HelmReleases using this source keep the last artifact it did fetch, or have none.',
  remediation: [
    { description: 'See what spec.ref asks for ({ref})', command: 'kubectl --context {context} -n {namespace} get ocirepository {name} -o jsonpath=\'{.spec.ref}{"\\n"}\'' },
    { description: 'List the tags in the repository', command: 'flux --context {context} list artifacts {url}' },
    { description: 'Push the artifact (flux push artifact / helm push) or fix spec.ref in Git, then fetch again', command: 'flux --context {context} reconcile source oci {name} -n {namespace}' },
  ],
  classes: ['oci-artifact-not-found'],
  refine(obj, _ctx, found) {
    const message = found.condition.message ?? '';
    const semver = message.match(/no match found for semver: (\S+)/);
    if (semver) return { title: `No OCI tag matches semver ${semver[1]}` };
    const ref = refText(obj);
    return ref ? { title: `OCI ${ref} not found in ${obj.spec?.url ?? 'the repository'}` } : {};
  },
});
