import { condition, isStatic } from '../../flux/conditions';
import { defineRule } from '../define';
import { conditionEvidence } from '../evidence';
import { OPERATOR_KINDS } from './steps';
import { retryEvidence } from './stale';

export default defineRule({
  code: 'FD101',
  slug: 'stalled',
  category: 'unknown',
  severity: 'error',
  kinds: ['*'],
  fallback: true,
  title: 'Stalled: Flux will not retry until the spec changes',
  signals: [
    'Stalled=True with any reason, when no specific rule explains the object (catch-all, before FD199)',
    'the Stalled and Ready messages are quoted; reason FeatureGateDisabled names the gate to enable',
  ],
  explanation: 'The controller hit an error it considers terminal: a configuration the object can never reconcile with (invalid URL, invalid expression, unsupported setting, a feature gate that is off). kstatus reports the object as Failed and the controller does not retry on its interval: only a change of the spec (a new generation) or of the controller\'s flags starts a new attempt. Read the message, fix the spec in Git, and let Flux apply it.',
  remediation: [
    { description: 'Show the status, conditions and events', command: 'kubectl --context {context} -n {namespace} describe {resource} {name}' },
    { description: 'Enable the {featureGate} feature gate on {controller} (through the Flux installation: FluxInstance or the flux-system kustomization patches), or stop using the feature', command: 'kubectl --context {context} -n {fluxNamespace} get deploy {controller} -o jsonpath=\'{.spec.template.spec.containers[0].args}\'' },
    { description: 'Fix the spec in Git; once the new generation is applied, follow the new attempt', command: 'flux --context {context} events --for {kind}/{name} -n {namespace}' },
    { description: 'For a release stalled by exhausted retries, reset the failure counters once the cause is fixed', command: 'flux --context {context} reconcile helmrelease {name} -n {namespace} --reset', kinds: ['HelmRelease'] },
    { description: 'After changing the controller flags, retry', command: 'flux --context {context} reconcile {noun} {name} -n {namespace}' },
    { description: 'After changing the operator or its inputs, retry', command: 'kubectl --context {context} -n {namespace} annotate {resource} {name} reconcile.fluxcd.io/requestedAt="$(date +%s)" --overwrite', kinds: OPERATOR_KINDS },
  ],
  match(obj, { index }) {
    if (isStatic(obj)) return null;
    const stalled = condition(obj, 'Stalled');
    if (stalled?.status !== 'True') return null;
    const ready = condition(obj, 'Ready');
    const evidence = [conditionEvidence(stalled)];
    if (ready && ready.message !== stalled.message) evidence.push(conditionEvidence(ready));
    evidence.push(...retryEvidence(obj));
    const vars: Record<string, string> = { fluxNamespace: index.cluster.fluxNamespace };
    const gate = `${stalled.message ?? ''} ${ready?.message ?? ''}`.match(/enable the (\w+) feature gate|(\w+) feature gate is disabled/);
    const controller = index.controllerFor(obj.kind)?.name;
    if (stalled.reason === 'FeatureGateDisabled' || gate) {
      vars.featureGate = gate?.[1] ?? gate?.[2] ?? 'required';
      if (controller) vars.controller = controller;
    }
    return {
      evidence,
      since: stalled.lastTransitionTime ?? null,
      vars,
      ...(stalled.reason ? { title: `Stalled (${stalled.reason}): Flux will not retry until the spec changes` } : {}),
    };
  },
});
