import { conditionRule } from '../define';

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
  ],
  explanation: 'The ImageUpdateAutomation spec cannot work as written: an unsupported source kind or missing spec.git, an update strategy other than Setters, a policy selector that does not parse, or a commit message template that still uses fields removed from the v1 API (e.g. .Updated). It is stalled and Flux will not retry until the spec changes.',
  remediation: [
    { description: 'See the spec', command: 'kubectl --context {context} -n {namespace} get imageupdateautomation {name} -o yaml' },
    { description: 'Fix it in Git (commit message templates in v1 use .Changed: range over .Changed.Changes or .Changed.FileChanges instead of .Updated), then follow the new attempt', command: 'flux --context {context} events --for ImageUpdateAutomation/{name} -n {namespace}' },
  ],
  when: [
    { type: 'Stalled', status: 'True', reasons: ['InvalidSourceConfiguration', 'InvalidUpdateStrategy', 'InvalidPolicySelector', 'RemovedTemplateField'] },
    { type: 'Ready', status: 'False', reasons: ['InvalidSourceConfiguration', 'InvalidUpdateStrategy', 'InvalidPolicySelector', 'RemovedTemplateField'] },
  ],
});
