import { conditionRule } from '../define';
import { COMMIT_TEMPLATE } from './messages';

const STALLED = ['InvalidSourceConfiguration', 'InvalidUpdateStrategy', 'InvalidPolicySelector', 'RemovedTemplateField'];

function templateTitle(message: string): string {
  // Before the RemovedTemplateField reason (Flux 2.7) a template using fields removed from the API failed to execute.
  if (/can't evaluate field (?:Updated|ImageResult)\b/.test(message)) return 'Commit message template uses a field removed from the API (.Updated, .Changed.ImageResult)';
  // The reverse: a v1beta2+ template (.Changed) run by image-automation-controller before v0.38 (Flux 2.3).
  if (/can't evaluate field Changed\b/.test(message)) return 'Commit message template uses .Changed, which this controller version does not provide';
  if (/unable to create commit message template/.test(message)) return 'Commit message template does not parse';
  return 'Commit message template fails to render';
}

export default conditionRule({
  code: 'FD540',
  slug: 'image-update-config-invalid',
  category: 'image-automation-failed',
  severity: 'error',
  kinds: ['ImageUpdateAutomation'],
  title: 'Image automation configuration invalid',
  signals: [
    'Stalled=True InvalidSourceConfiguration: source kind \'<Kind>\' not supported / necessitates field .spec.git / secretRef with github app data must be specified when provider is set to github …',
    'Stalled=True InvalidUpdateStrategy (no or unsupported spec.update.strategy), InvalidPolicySelector (spec.policySelector does not parse), RemovedTemplateField (a commit message template uses a field removed in v1)',
    'Flux 2.0–2.2 (v1beta1): Ready=False NoStrategy: no known update strategy is given for object',
    'Ready=False GitOperationFailed: failed to update source: unable to create commit message template from spec: template: commit message:… / failed to run template from spec: template: commit message:… (2.3+; ReconciliationFailed without the prefix before), including can\'t evaluate field Updated|ImageResult before the RemovedTemplateField reason',
  ],
  explanation: 'The ImageUpdateAutomation spec cannot work as written: an unsupported source kind or missing spec.git, an update strategy other than Setters, a policy selector that does not parse, or a commit message template (spec.git.commit.messageTemplate) that does not parse, fails to render, or still uses fields removed from the API (e.g. .Updated). Nothing is committed: Flux retries only to fail the same way (or is stalled) until the spec changes.',
  remediation: [
    { description: 'See the spec', command: 'kubectl --context {context} -n {namespace} get imageupdateautomation {name} -o yaml' },
    { description: 'Fix it in Git (commit message templates in v1 use .Changed: range over .Changed.Changes or .Changed.FileChanges instead of .Updated), then follow the new attempt', command: 'flux --context {context} events --for ImageUpdateAutomation/{name} -n {namespace}' },
  ],
  when: [
    { type: 'Stalled', status: 'True', reasons: STALLED },
    { type: 'Ready', status: 'False', reasons: [...STALLED, 'NoStrategy'] },
    { type: 'Ready', status: 'False', reasons: ['GitOperationFailed', 'ReconciliationFailed'], message: COMMIT_TEMPLATE },
  ],
  refine(_obj, _ctx, { condition }) {
    const message = condition.message ?? '';
    if (COMMIT_TEMPLATE.test(message)) return { title: templateTitle(message) };
    if (condition.reason === 'NoStrategy') return { title: 'Image automation has no update strategy (spec.update)' };
    return {};
  },
});
