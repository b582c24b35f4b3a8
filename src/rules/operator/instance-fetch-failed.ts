import { conditionRule } from '../define';
import { REGISTRY_TITLES, registryProblem } from '../image/messages';
import { OPERATOR_STEPS, RETRY } from './messages';

export default conditionRule({
  code: 'FD560',
  slug: 'flux-instance-fetch-failed',
  category: 'source-unreachable',
  severity: 'error',
  kinds: ['FluxInstance'],
  title: 'Flux distribution artifact could not be fetched',
  signals: [
    'FluxInstance Ready=False ArtifactFailed: fetch failed: pulling artifact <oci url> failed: <registry error> / … no layers found in artifact … / extracting layer from artifact … failed',
    'the registry error classified: credentials, not found, network, TLS, rate limit',
  ],
  explanation: 'The FluxInstance names an OCI artifact with the Flux distribution manifests (spec.distribution.artifact) and the operator could not pull it: the registry is unreachable from the cluster, refused the credentials of spec.distribution.artifactPullSecret, or the artifact or tag does not exist. Flux keeps running at its current version, but upgrades and configuration changes of the instance are not applied.',
  remediation: [
    ...OPERATOR_STEPS,
    { description: 'See the artifact URL and its pull secret', command: 'kubectl --context {context} -n {namespace} get fluxinstance {name} -o jsonpath=\'{.spec.distribution.artifact}{"\\n"}{.spec.distribution.artifactPullSecret}\'' },
    { description: 'Check the pull secret {pullSecret} exists (list keys only)', command: 'kubectl --context {context} -n {namespace} get secret {pullSecret} -o jsonpath=\'{.data}\' | jq \'keys\'' },
    RETRY,
  ],
  when: { type: 'Ready', status: 'False', reasons: ['ArtifactFailed'] },
  refine(obj, { index }, { condition }) {
    const vars: Record<string, string> = { fluxNamespace: index.cluster.fluxNamespace };
    if (obj.spec?.distribution?.artifactPullSecret) vars.pullSecret = obj.spec.distribution.artifactPullSecret;
    const problem = registryProblem(condition.message ?? '');
    return { vars, ...(problem ? { title: `Flux distribution artifact could not be fetched: ${REGISTRY_TITLES[problem]!.toLowerCase()}` } : {}) };
  },
});
