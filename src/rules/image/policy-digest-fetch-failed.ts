import { conditionRule } from '../define';
import { conditionEvidence } from '../evidence';
import { REGISTRY_TITLES, isBlocking, refState, registryProblem } from './messages';

export default conditionRule({
  code: 'FD544',
  slug: 'image-policy-digest-fetch-failed',
  category: 'image-automation-failed',
  severity: 'error',
  kinds: ['ImagePolicy'],
  title: 'Digest of the selected image could not be fetched',
  signals: [
    'Ready=False Failed (Flux 2.6+, spec.digestReflectionPolicy IfNotPresent or Always): failed fetching digest of <image>:<tag>: failed fetching descriptor for "<ref>": <registry error> (HEAD …/manifests/<tag>: 401 Unauthorized, DENIED, no such host …) / failed to configure authentication options: …',
    'the registry error classified: credentials, cloud IAM permission, manifest gone (404), network, TLS, rate limit; the ImageRepository failing too → blocked by it',
  ],
  explanation: 'The policy selected the latest tag, then asks the registry for that tag\'s digest (a HEAD request on the manifest, with the credentials of the ImageRepository) because spec.digestReflectionPolicy wants digests. That request failed: the credentials allow listing tags but not reading manifests, the provider login could not be set up, the tag was deleted since the last scan (404), or the registry is unreachable. The policy does not update its latest image until the digest is known, so automations keep the previous one.',
  remediation: [
    { description: 'See the credentials the ImageRepository gives the lookup', command: 'kubectl --context {context} -n {repositoryNamespace} get imagerepository {repository} -o jsonpath=\'{.spec.secretRef}{" "}{.spec.provider}{" "}{.spec.serviceAccountName}\'' },
    { description: 'Give those credentials read (pull) access to the manifests of {image}; or, if digests are not needed, set spec.digestReflectionPolicy: Never on the ImagePolicy in Git' },
    { description: 'Re-evaluate the policy', command: 'flux --context {context} reconcile image policy {name} -n {namespace}' },
  ],
  when: { type: 'Ready', status: 'False', message: /^failed fetching digest of (\S+): / },
  refine(obj, { index }, { condition, match }) {
    const message = condition.message ?? '';
    const vars: Record<string, string> = { image: match![1]! };
    const evidence = [conditionEvidence(condition)];
    const name = obj.spec?.imageRepositoryRef?.name;
    const blockedBy = [];
    if (name) {
      const ref = { kind: 'ImageRepository', namespace: obj.spec.imageRepositoryRef.namespace ?? obj.metadata.namespace, name };
      vars.repository = name;
      vars.repositoryNamespace = ref.namespace ?? '';
      evidence.push(refState(index, ref));
      if (isBlocking(index, ref)) blockedBy.push(ref);
    }
    const authSetup = /: failed to configure authentication options: /.test(message);
    const problem = authSetup ? null : registryProblem(message.replace(/^failed fetching digest of \S+: /, ''));
    // A 404 on the manifest of a tag the scan listed: the tag was deleted or re-pushed since, not a missing repository.
    const title = authSetup ? 'Digest lookup failed: the registry credentials cannot be set up'
      : problem === 'not-found' ? `Digest lookup failed: the manifest of ${vars.image} is gone from the registry`
        : problem ? `Digest lookup failed: ${REGISTRY_TITLES[problem].toLowerCase()}` : undefined;
    const gone = problem === 'not-found' && vars.repository
      ? { remediation: [{ description: 'Scan the ImageRepository again so that the policy stops selecting the deleted tag', command: 'flux --context {context} reconcile image repository {repository} -n {repositoryNamespace}' }] }
      : {};
    return { vars, evidence, ...gone, ...(blockedBy.length ? { blockedBy } : {}), ...(title ? { title } : {}) };
  },
});
