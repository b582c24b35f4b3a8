import { conditionRule } from '../define';
import { PROVIDER_AUTH } from './input-provider-failed';
import { OPERATOR_STEPS, RETRY } from './messages';

export default conditionRule({
  code: 'FD565',
  slug: 'input-provider-auth-failed',
  category: 'source-auth',
  severity: 'error',
  kinds: ['ResourceSetInputProvider'],
  title: 'Input provider credentials missing or rejected',
  signals: [
    "Ready=False ReconciliationFailed: failed to read secret '<ns>/<name>': … (spec.secretRef missing)",
    "… invalid secret '<ns>/<name>': key 'username' | 'password' is missing (failed to create Git provider: … / failed to get auth credentials: …, ExternalService basic auth)",
    '… failed to call Git provider / OCI provider: … 401 Unauthorized / 403 / Bad credentials / UNAUTHORIZED / DENIED',
  ],
  explanation: 'The ResourceSetInputProvider could not authenticate to the Git host or registry it queries: the Secret in spec.secretRef is missing or lacks the username/password keys, or its token (or GitHub App key) was revoked, expired or lacks the scope to list branches, pull requests or tags. The ResourceSets keep the inputs of the last successful call.',
  remediation: [
    ...OPERATOR_STEPS,
    { description: 'Check the Secret exists and which keys it has (username/password or token; GitHub App keys)', command: 'kubectl --context {context} -n {namespace} get secret {secretName} -o jsonpath=\'{.data}\' | jq \'keys\'' },
    RETRY,
  ],
  when: { type: 'Ready', status: 'False', reasons: ['ReconciliationFailed'], message: PROVIDER_AUTH },
  refine(obj, { index }) {
    const vars: Record<string, string> = { fluxNamespace: index.cluster.fluxNamespace };
    if (obj.spec?.secretRef?.name) vars.secretName = obj.spec.secretRef.name;
    return { vars };
  },
});
