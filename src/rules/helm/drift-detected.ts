import { condition } from '../../flux/conditions';
import { defineRule } from '../define';
import { conditionEvidence, eventEvidence } from '../evidence';
import { eventTime, helmVars, newestEvent } from './release';

export default defineRule({
  code: 'FD422',
  slug: 'helm-drift-detected',
  category: 'apply-conflict',
  severity: 'warning',
  kinds: ['HelmRelease'],
  title: 'Cluster state drifted from the Helm release',
  signals: [
    'Drifted=True DriftDetected (2.9+): Cluster state of release <ns>/<name>.v<N> has drifted from the desired state:\\n<Kind>/<ns>/<name> changed (…)|removed',
    'Warning event DriftDetected with the same message (2.4+; the only signal before 2.9), newer than the latest release and not followed by a DriftCorrected event',
    'Warning event DriftCorrectionFailed: Failed to [partially ]correct cluster state of release … (error)',
  ],
  explanation: 'helm-controller compared the objects of the release with the cluster and found some changed or deleted by something else: kubectl edits, another controller (an HPA scaling replicas, a mutating webhook, an operator), or another Flux object applying the same object. With spec.driftDetection.mode: warn it only reports this; with enabled it corrects the drift on every reconciliation, which fights the other writer. The category is apply-conflict because another manager writes the same fields.',
  remediation: [
    { description: 'Read the drift events: which objects changed or were removed', command: 'flux --context {context} events --for HelmRelease/{name} -n {namespace}' },
    { description: 'See who else manages the drifted object ({driftRef}): the managers in managedFields', command: 'kubectl --context {context} -n {driftNamespace} get {driftResource} {driftName} --show-managed-fields -o jsonpath=\'{range .metadata.managedFields[*]}{.manager}{" "}{.operation}{" "}{.time}{"\\n"}\\{end\\}\'' },
    { description: 'Either let helm-controller correct drift (spec.driftDetection.mode: enabled) or ignore fields another controller owns (spec.driftDetection.ignore, e.g. /spec/replicas for an HPA) in Git' },
    { description: 'Re-apply the release now to restore the desired state', command: 'flux --context {context} reconcile helmrelease {name} -n {namespace} {forceFlag}' },
  ],
  match(obj, { index }) {
    const drifted = condition(obj, 'Drifted');
    const detected = newestEvent(index, obj, ['DriftDetected'], 'Warning');
    const corrected = newestEvent(index, obj, ['DriftCorrected']);
    const correctionFailed = newestEvent(index, obj, ['DriftCorrectionFailed'], 'Warning');
    const latest = obj.status?.history?.[0];
    const deployedAt = Date.parse(latest?.lastDeployed ?? '') || 0;
    const evidence: string[] = [];
    let message = '';
    let since: string | null = null;
    let severity: 'warning' | 'error' = 'warning';
    if (correctionFailed && eventTime(correctionFailed) > deployedAt && (!corrected || eventTime(corrected) < eventTime(correctionFailed))) {
      evidence.push(eventEvidence(correctionFailed));
      message = correctionFailed.message ?? '';
      since = correctionFailed.lastTimestamp ?? correctionFailed.eventTime ?? null;
      severity = 'error';
    } else if (drifted?.status === 'True' && drifted.reason === 'DriftDetected') {
      const driftAt = Date.parse(drifted.lastTransitionTime ?? '') || 0;
      if (corrected && eventTime(corrected) >= driftAt) return null;
      evidence.push(conditionEvidence(drifted));
      message = drifted.message ?? '';
      since = drifted.lastTransitionTime ?? null;
    } else if (drifted?.status === 'False') {
      return null; // 2.9+: the condition is authoritative.
    } else if (detected && eventTime(detected) > deployedAt && (!corrected || eventTime(corrected) < eventTime(detected))) {
      evidence.push(eventEvidence(detected));
      message = detected.message ?? '';
      since = detected.lastTimestamp ?? detected.eventTime ?? null;
    } else {
      return null;
    }
    const vars = helmVars(obj);
    const mode = obj.spec?.driftDetection?.mode ?? 'disabled';
    evidence.push(`spec.driftDetection.mode: ${mode}`);
    const first = message.match(/^(\w+)\/(?:([^/\s]+)\/)?(\S+) (changed|removed|excluded)/m);
    if (first) {
      vars.driftRef = first[2] ? `${first[1]}/${first[2]}/${first[3]}` : `${first[1]}/${first[3]}`;
      vars.driftResource = first[1]!.toLowerCase();
      vars.driftNamespace = first[2] ?? vars.releaseNamespace ?? '';
      vars.driftName = first[3]!;
    }
    const count = (message.match(/^\w+\/\S+ (?:changed|removed)/gm) ?? []).length;
    const title = severity === 'error' ? 'Correcting the drift of the Helm release failed'
      : first ? `Cluster state drifted from the Helm release: ${vars.driftRef} ${first[4]}${count > 1 ? ` and ${count - 1} more` : ''}` : undefined;
    return { evidence, vars, since, severity, ...(title ? { title } : {}) };
  },
});
