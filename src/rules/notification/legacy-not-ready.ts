import { condition } from '../../flux/conditions';
import { defineRule } from '../define';
import { conditionEvidence } from '../evidence';
import type { RuleHit } from '../types';

export default defineRule({
  code: 'FD505',
  slug: 'alert-provider-not-ready',
  category: 'notification-failed',
  severity: 'error',
  kinds: ['Alert', 'Provider'],
  title: 'Alert or Provider not ready (Flux 2.0, v1beta2)',
  signals: [
    'Provider v1beta2 Ready=False ValidationFailed: failed to read secret, error: … / no address found in \'spec.address\' nor in `spec.secretRef` / failed to initialize provider, error: …',
    'Provider v1beta2 Ready=False + Stalled=True InvalidURL: invalid address <url>: … / invalid proxy …',
    "Alert v1beta2 Ready=False Failed: provider '<ns>/<name>' is not ready → blocked by that Provider (a missing Provider is FD502)",
  ],
  explanation: 'Before Flux 2.1, Alerts and Providers (v1beta2) had a status: notification-controller validated them and marked them not ready when the Provider\'s Secret, address or proxy was unusable, and an Alert not ready when its Provider was. Until fixed, the Alert\'s events are not delivered. (From 2.1, v1beta3 Alerts and Providers have no status; their problems show as events instead.)',
  remediation: [
    { description: 'Show the status and events', command: 'kubectl --context {context} -n {namespace} describe {resource} {name}' },
    { description: 'Check the keys of the Provider\'s Secret (address, token, headers)', command: 'kubectl --context {context} -n {namespace} get secret {providerSecret} -o jsonpath=\'{.data}\' | jq \'keys\'' },
    { description: 'Fix the spec in Git, then re-apply it through its Kustomization', command: 'flux --context {context} get kustomizations -A --status-selector ready=false' },
  ],
  match(obj, { index }) {
    const ready = condition(obj, 'Ready');
    if (ready?.status !== 'False') return null;
    const message = ready.message ?? '';
    // A missing Provider is FD502's finding.
    if (obj.kind === 'Alert' && /failed to get provider '[^']*': .*not found/i.test(message)) return null;
    const vars: Record<string, string> = {};
    if (obj.spec?.secretRef?.name) vars.providerSecret = obj.spec.secretRef.name;
    const hit: RuleHit = { evidence: [conditionEvidence(ready)], since: ready.lastTransitionTime ?? null, vars };
    const notReady = message.match(/provider '([^/']+)\/([^']+)' is not ready|provider ([^/\s]+)\/(\S+) is not ready/);
    if (obj.kind === 'Alert' && notReady) {
      const ns = notReady[1] ?? notReady[3]!;
      const name = notReady[2] ?? notReady[4]!;
      const provider = index.get({ kind: 'Provider', namespace: ns, name });
      if (provider?.spec?.secretRef?.name) vars.providerSecret = provider.spec.secretRef.name;
      return { ...hit, blockedBy: [{ kind: 'Provider', namespace: ns, name }], title: `Alert waits on Provider ${ns}/${name}, which is not ready` };
    }
    return hit;
  },
});
