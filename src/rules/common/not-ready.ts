import { condition, isStatic } from '../../flux/conditions';
import { defineRule } from '../define';
import { conditionEvidence } from '../evidence';
import { ageOf } from '../util';
import { retryEvidence } from './stale';
import { attemptTimeout } from '../timeouts';
import { OPERATOR_KINDS } from './steps';

export default defineRule({
  code: 'FD199',
  slug: 'not-ready',
  category: 'unknown',
  severity: 'error',
  kinds: ['*'],
  fallback: true,
  title: 'Not ready',
  signals: [
    'Ready=False with a reason no specific rule recognises (catch-all after every specific rule; Stalled=True is FD101); the raw message is the evidence',
    'Reconciling=True ProgressingWithRetry: noted as evidence (R3), and a failure younger than the object\'s timeout is only a warning',
    'not for Ready=False HealthCheckCanceled (transient, R44; FD318/FD568 describe it)',
  ],
  explanation: 'The controller reports this object as not ready for a reason fluxdiag has no specific rule for. The controller\'s own message is quoted as evidence; the events and the controller log usually hold the detail.',
  remediation: [
    { description: 'Show the status and conditions', command: 'kubectl --context {context} -n {namespace} describe {resource} {name}' },
    { description: 'Show the events of the object', command: 'flux --context {context} events --for {kind}/{name} -n {namespace}' },
    { description: 'Read the errors the controllers logged about it', command: 'flux --context {context} logs --kind={kind} --name={name} -n {namespace} --level=error' },
    { description: 'Retry now', command: 'flux --context {context} reconcile {noun} {name} -n {namespace}' },
    { description: 'Retry now', command: 'kubectl --context {context} -n {namespace} annotate {resource} {name} reconcile.fluxcd.io/requestedAt="$(date +%s)" --overwrite', kinds: OPERATOR_KINDS },
  ],
  match(obj, { now }) {
    if (isStatic(obj)) return null;
    const stalled = condition(obj, 'Stalled');
    const ready = condition(obj, 'Ready');
    const failing = stalled?.status === 'True' ? stalled : ready?.status === 'False' ? ready : null;
    if (!failing) return null;
    // Superseded health checks (R44) are transient and have their own informational rules (FD318, FD568).
    if (failing.reason === 'HealthCheckCanceled') return null;
    // Younger than its own timeout and still being worked on: in progress rather than broken.
    const age = ageOf(failing.lastTransitionTime, now);
    const retrying = condition(obj, 'Reconciling')?.status === 'True';
    const young = retrying && stalled?.status !== 'True' && age !== null && age < attemptTimeout(obj);
    const evidence = [conditionEvidence(failing), ...retryEvidence(obj)];
    return {
      evidence,
      since: failing.lastTransitionTime ?? null,
      ...(failing.reason ? { title: `Not ready: ${failing.reason}` } : {}),
      ...(young ? { severity: 'warning' as const } : {}),
    };
  },
});
