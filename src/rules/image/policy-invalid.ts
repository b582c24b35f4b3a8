import { conditionRule } from '../define';

export default conditionRule({
  code: 'FD534',
  slug: 'image-policy-invalid',
  category: 'image-automation-failed',
  severity: 'error',
  kinds: ['ImagePolicy'],
  title: 'Invalid image policy',
  signals: [
    'Stalled=True (and Ready=False) InvalidPolicy: invalid policy: <err> (e.g. an invalid semver range, an unknown order) / failed to filter tags: invalid regular expression pattern \'<p>\': …',
    'Stalled=True IntervalNotConfigured (Flux 2.6+): spec.interval must be set when spec.digestReflectionPolicy is set to \'Always\' (clusters that do not enforce the CRD\'s validation rule)',
  ],
  explanation: 'The ImagePolicy\'s spec.policy (semver range, alphabetical or numerical order) or spec.filterTags (pattern and extract) cannot be used: a semver constraint that does not parse or a regular expression that does not compile; or spec.digestReflectionPolicy: Always without the spec.interval that tells how often to look the digest up again. The policy is stalled and Flux will not retry until the spec changes; automations relying on it keep the last image they wrote.',
  remediation: [
    { description: 'See the policy and the tag filter', command: 'kubectl --context {context} -n {namespace} get imagepolicy {name} -o jsonpath=\'{.spec.policy}{"\\n"}{.spec.filterTags}\'' },
    { description: 'Fix it in Git (semver ranges like ">=1.0.0 <2.0.0"; Go RE2 patterns with a named group for extract: ^main-(?P<ts>[0-9]+)$), then re-evaluate', command: 'flux --context {context} reconcile image policy {name} -n {namespace}' },
  ],
  when: [
    { type: 'Stalled', status: 'True', reasons: ['InvalidPolicy', 'IntervalNotConfigured'] },
    { type: 'Ready', status: 'False', reasons: ['InvalidPolicy', 'IntervalNotConfigured'] },
  ],
  refine(_obj, _ctx, { condition }) {
    if (condition.reason !== 'IntervalNotConfigured') return {};
    return {
      title: 'ImagePolicy needs spec.interval with digestReflectionPolicy: Always',
      remediation: [{ description: 'Set spec.interval (e.g. 10m) in Git, or use digestReflectionPolicy IfNotPresent; then re-evaluate', command: 'flux --context {context} reconcile image policy {name} -n {namespace}' }],
    };
  },
});
