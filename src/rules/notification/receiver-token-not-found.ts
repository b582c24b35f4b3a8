import { conditionRule } from '../define';

export default conditionRule({
  code: 'FD500',
  slug: 'receiver-token-not-found',
  category: 'notification-failed',
  severity: 'error',
  kinds: ['Receiver'],
  title: 'Receiver webhook token Secret missing or invalid',
  signals: [
    "Ready=False TokenNotFound: unable to read token from secret '<ns>/<name>' error: <API error> (Secret missing or unreadable)",
    "Ready=False TokenNotFound: invalid '<ns>/<name>' secret data: required fields 'token' (Secret without a token key)",
    "… secret '<ns>/' … Secret \"\" not found: no spec.secretRef at all (v1beta1 allowed it)",
  ],
  explanation: 'notification-controller derives the Receiver\'s webhook path from the token in spec.secretRef and uses it to verify every call; without a readable Secret holding a `token` key the Receiver is not ready and its webhook path is cleared, so pushes and registry events no longer trigger reconciliations: sources are only refreshed on their interval. Usually the Secret was never created in this namespace (for instance a SOPS-encrypted Secret that failed to decrypt), or it was created with another key name.',
  remediation: [
    { description: 'Check the Secret exists and which keys it has (a `token` key is required)', command: 'kubectl --context {context} -n {namespace} get secret {secretName} -o jsonpath=\'{.data}\' | jq \'keys\'' },
    { description: 'Create it with a random token (then configure the same token as the webhook secret in the Git or registry provider)', command: 'head -c 12 /dev/urandom | shasum | cut -d \' \' -f1 | tr -d \'\\n\' > token && kubectl --context {context} -n {namespace} create secret generic {secretName} --from-file=token && rm token' },
    { description: 'Re-initialise the Receiver', command: 'flux --context {context} reconcile receiver {name} -n {namespace}' },
    { description: 'Read the webhook path to configure in the provider (the path changes when the token changes)', command: 'kubectl --context {context} -n {namespace} get receiver {name} -o jsonpath=\'{.status.webhookPath}\'' },
  ],
  when: { type: 'Ready', status: 'False', reasons: ['TokenNotFound'] },
  refine(obj, _ctx, { condition }) {
    const message = condition.message ?? '';
    const vars: Record<string, string> = {};
    // `secret '<ns>/'` and `Secret "" not found`: spec.secretRef names no Secret (v1beta1 did not require it).
    if (!obj.spec?.secretRef?.name && (/secret '[^'/\s]+\/'/.test(message) || /ecrets? "" not found/.test(message))) {
      return {
        vars,
        title: 'Receiver has no spec.secretRef: it names no token Secret',
        explanation: 'The Receiver sets no spec.secretRef.name, so notification-controller looks for a Secret with an empty name and finds none: the Receiver is not ready and has no webhook path. Create a Secret with a `token` key and name it in spec.secretRef.',
        remediation: [{ description: 'In Git, set spec.secretRef.name of Receiver {name} to a Secret in {namespace} with a `token` key, e.g. created with kubectl -n {namespace} create secret generic <name> --from-literal=token=<random string>' }],
      };
    }
    const named = message.match(/'([^/'\s]+)\/([^'\s]+)'/);
    const secretName = obj.spec?.secretRef?.name ?? named?.[2];
    if (secretName) vars.secretName = secretName;
    const who = secretName ? ` ${secretName}` : '';
    const title = /required fields 'token'/.test(message) ? `Receiver token Secret${who} has no 'token' key`
      : /not found/i.test(message) ? `Receiver token Secret${who} does not exist` : undefined;
    return { vars, ...(title ? { title } : {}) };
  },
});
