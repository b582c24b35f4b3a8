import { conditionRule } from '../define';
import { conditionEvidence } from '../evidence';
import { refText } from '../source/classify';
import type { RuleHit } from '../types';
import { COMMIT_TEMPLATE, PUSH_BRANCH_UNINFERABLE, gitSourceOf } from './messages';

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
    'no branch to push to: Ready=False SourceManagerFailed failed configuring source manager: push spec not provided, and cannot be inferred from .spec.git.checkout.ref or GitRepository .spec.ref (2.3+); ReconciliationFailed Push spec not provided, … (v0.36–v0.37) / Push branch not given explicitly, … (before): the GitRepository tracks a tag, semver or commit and spec.git.push.branch is unset',
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
    { type: 'Ready', status: 'False', reasons: ['SourceManagerFailed', 'ReconciliationFailed'], message: PUSH_BRANCH_UNINFERABLE },
  ],
  refine(obj, { index }, { condition }): Partial<RuleHit> {
    const message = condition.message ?? '';
    if (PUSH_BRANCH_UNINFERABLE.test(message)) {
      const git = gitSourceOf(obj);
      const gitObj = git ? index.get(git) : undefined;
      const checkout = obj.spec?.git?.checkout?.ref ? refText({ ...obj, spec: { ref: obj.spec.git.checkout.ref } }) : null;
      const gitRef = gitObj ? refText(gitObj) : null;
      const tracks = checkout ? `spec.git.checkout.ref asks for ${checkout}` : git ? `GitRepository ${git.name} tracks ${gitRef ?? 'no ref (the default branch is not inferred)'}` : 'the checkout ref is not a branch';
      return {
        title: `No branch to push to: spec.git.push.branch is not set and ${tracks}`,
        evidence: [conditionEvidence(condition), `spec.git.push is not set; ${tracks}: only a branch can be pushed back to`],
        vars: { gitRepository: git?.name ?? '<gitrepository>', gitNamespace: git?.namespace ?? obj.metadata.namespace ?? '' },
        remediation: [
          { description: 'Set spec.git.push.branch on the ImageUpdateAutomation in Git (and spec.git.checkout.ref.branch to the branch to start from), or point GitRepository {gitRepository} at a branch (spec.ref.branch) instead of a tag, semver range or commit', command: 'kubectl --context {context} -n {namespace} get imageupdateautomation {name} -o jsonpath=\'{.spec.git}{"\\n"}\'' },
          { description: 'See what GitRepository {gitRepository} checks out', command: 'kubectl --context {context} -n {gitNamespace} get gitrepository {gitRepository} -o jsonpath=\'{.spec.ref}{"\\n"}\'' },
          { description: 'Retry the automation once the spec names a branch', command: 'flux --context {context} reconcile image update {name} -n {namespace}' },
        ],
        replaceRemediation: true,
      };
    }
    if (COMMIT_TEMPLATE.test(message)) return { title: templateTitle(message) };
    if (condition.reason === 'NoStrategy') return { title: 'Image automation has no update strategy (spec.update)' };
    return {};
  },
});
