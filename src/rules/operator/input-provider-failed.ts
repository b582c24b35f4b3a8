import { conditionRule } from '../define';
import { OPERATOR_STEPS, RETRY } from './messages';

/** Credentials problems of the Git/OCI/external service an input provider calls. */
export const PROVIDER_AUTH = /failed to read secret|invalid secret '[^']+': key '(?:username|password)' is missing|failed to get auth credentials|401|403|Unauthorized|Bad credentials|authentication (?:required|failed)|invalid (?:token|credentials)|access denied|DENIED/i;

export default conditionRule({
  code: 'FD566',
  slug: 'input-provider-failed',
  category: 'source-unreachable',
  severity: 'error',
  kinds: ['ResourceSetInputProvider'],
  title: 'Input provider could not fetch its inputs',
  signals: [
    'Ready=False ReconciliationFailed: failed to call Git provider: … / failed to call OCI provider: … / failed to call ExternalService provider: … / failed to call ExternalArtifact provider: … / failed to create Git provider: …',
    'credential errors are FD565',
  ],
  explanation: 'The ResourceSetInputProvider asks a Git host (branches, tags, pull requests), an OCI registry (tags) or an external service for the inputs of its ResourceSets, and that call failed: the service is unreachable, timed out or answered with an error. The ResourceSets keep the inputs of the last successful call, so new branches, tags or environments are not picked up.',
  remediation: [
    ...OPERATOR_STEPS,
    { description: 'See the provider type, URL and filters', command: 'kubectl --context {context} -n {namespace} get resourcesetinputprovider {name} -o jsonpath=\'{.spec.type}{" "}{.spec.url}{"\\n"}{.spec.filter}\'' },
    RETRY,
  ],
  when: { type: 'Ready', status: 'False', reasons: ['ReconciliationFailed'] },
  refine(_obj, { index }, { condition }) {
    if (PROVIDER_AUTH.test(condition.message ?? '')) return null;
    return { vars: { fluxNamespace: index.cluster.fluxNamespace } };
  },
});
