import { conditionRule } from '../define';
import { LIBGIT2_NO_CREDENTIALS, noCredentialsHit } from './git-no-credentials';
import type { RuleHit } from '../types';
import { COMMIT_TEMPLATE, GITHUB_WORKFLOW_PUSH, LEGACY_PUSH, gitSourceOf, pushProblem } from './messages';

/** GitHub refused the push because it touches a workflow file the credentials may not write: a missing scope, not write access. */
function workflowHit(m: RegExpMatchArray): Partial<RuleHit> {
  const [, who, file, right, kind] = m;
  const grant = who === 'GitHub App'
    ? 'give the GitHub App the Workflows permission (read and write) and accept it on the installation'
    : who === 'Personal Access Token'
      ? 'add the workflow scope to a classic token, or the Workflows: read and write permission to a fine-grained one, then update the token in the Secret of the GitRepository'
      : `grant the ${right} ${kind} to the token, then update it in the Secret of the GitRepository`;
  return {
    title: `GitHub refused the push: it changes workflow ${file} and the ${who} lacks the \`${right}\` ${kind}`,
    remediation: [
      { description: `The push touches ${file}: GitHub only lets credentials with the ${right} ${kind} create or change workflows, whatever their write access. ${grant[0]!.toUpperCase()}${grant.slice(1)}`, command: 'kubectl --context {context} -n {gitNamespace} get gitrepository {gitRepository} -o jsonpath=\'{.spec.secretRef.name}{"\\n"}\'' },
      { description: 'Or keep workflow files out of the push: the file is changed either by a setter marker under spec.update.path (narrow the path), or by commits of the checkout branch that the push to another branch carries along', command: 'kubectl --context {context} -n {namespace} get imageupdateautomation {name} -o jsonpath=\'{.spec.update.path}{" "}{.spec.git.push}{"\\n"}\'' },
      { description: 'Retry the automation', command: 'flux --context {context} reconcile image update {name} -n {namespace}' },
    ],
    replaceRemediation: true,
  };
}

export default conditionRule({
  code: 'FD536',
  slug: 'image-update-push-failed',
  category: 'image-automation-failed',
  severity: 'error',
  kinds: ['ImageUpdateAutomation'],
  title: 'Image update commit could not be pushed',
  signals: [
    'Ready=False GitOperationFailed: failed to update source: <err> (Flux 2.3+), e.g. failed to push to remote: <go-git error> (authentication required, command error on refs/heads/<b>: protected branch hook declined, non-fast-forward update)',
    'Flux 2.0–2.2: Ready=False ReconciliationFailed with go-git\'s bare error (the `failed to push to remote: ` prefix came with Flux 2.2): authorization failed / authentication required / push rejected; check git secret has write access / unknown error: ERROR: … / command error on refs/heads/<b>: … / non-fast-forward update: <ref>',
    'Ready=False GitOperationFailed: failed to push to remote: <err> without the wrapper, too; object not found on push → the push branch diverged from the checkout, or a go-git bug (upgrade)',
    'Flux 0.x with libgit2: Ready=False ReconciliationFailed: remote authentication required but no callback set (bare: a clone error would start unable to clone) → no credentials configured: the GitRepository has no spec.secretRef, or its Secret has no username/password (HTTPS) or identity (SSH)',
    'not: commit message template errors (FD540)',
    'push error classified: branch protection, read-only credentials, rejected credentials, non-fast-forward, network',
    'GitHub: … command error on refs/heads/<b>: refusing to allow a Personal Access Token|a GitHub App|an OAuth App to create or update workflow `<path>` without `workflow` scope|`workflows` permission → the token needs that scope or permission (not generic write access)',
  ],
  explanation: 'image-automation-controller updated the manifests and committed, but could not push the commit: the credentials of the GitRepository can read but not write (a read-only deploy key, a token without write scope), the branch is protected against direct pushes, or the branch moved meanwhile. The new image tags never reach Git, so nothing is deployed. This differs from a failure to read the repository: fetching works.',
  remediation: [
    { description: 'See the push branch and the GitRepository used for the push', command: 'kubectl --context {context} -n {namespace} get imageupdateautomation {name} -o jsonpath=\'{.spec.git.push}{"\\n"}{.spec.sourceRef}\'' },
    { description: 'Give the credentials of {gitRepository} write access (a deploy key with write access, or a token with contents:write), or push to an unprotected branch (spec.git.push.branch) and merge through a pull request', command: 'kubectl --context {context} -n {gitNamespace} get gitrepository {gitRepository} -o jsonpath=\'{.spec.secretRef.name}\'' },
    { description: 'Retry the automation', command: 'flux --context {context} reconcile image update {name} -n {namespace}' },
  ],
  when: [
    { type: 'Ready', status: 'False', reasons: ['GitOperationFailed'], message: /^failed to update source: / },
    // Some releases report the push error without the `failed to update source: ` wrapper.
    { type: 'Ready', status: 'False', reasons: ['GitOperationFailed'], message: /failed to push to remote: / },
    { type: 'Ready', status: 'False', reasons: ['ReconciliationFailed'], message: LEGACY_PUSH },
  ],
  refine(obj, { index }, { condition }) {
    // `failed to update source: ` also wraps the commit message template: a spec error (FD540).
    if (COMMIT_TEMPLATE.test(condition.message ?? '')) return null;
    const git = gitSourceOf(obj);
    const vars: Record<string, string> = {};
    if (git) {
      vars.gitRepository = git.name;
      vars.gitNamespace = git.namespace ?? obj.metadata.namespace ?? '';
    }
    if (LIBGIT2_NO_CREDENTIALS.test(condition.message ?? '')) return { vars, ...noCredentialsHit('push', git, index) };
    const workflow = (condition.message ?? '').match(GITHUB_WORKFLOW_PUSH);
    if (workflow) return { vars, ...workflowHit(workflow) };
    const problem = pushProblem(condition.message ?? '');
    // go-git computes the push from the shallow checkout: a push branch that diverged from it lacks objects.
    if (/object not found/.test(condition.message ?? '')) {
      const push = obj.spec?.git?.push?.branch;
      const checkout = obj.spec?.git?.checkout?.ref?.branch;
      if (typeof push === 'string' && push !== checkout) vars.pushBranch = push;
      return {
        vars,
        title: 'Push failed with object not found: the push branch diverged from the checkout, or a go-git bug',
        remediation: [
          { description: 'Push branch {pushBranch} differs from the checkout branch and has commits the shallow checkout lacks: merge or delete {pushBranch} so it starts again from the checkout branch (or push with spec.git.push.refspec)' },
          { description: 'go-git, the controller\'s Git client, has had bugs that end pushes with object not found: check the running versions and upgrade image-automation-controller when it is old', command: 'flux --context {context} check' },
        ],
      };
    }
    // The branch moved between the checkout and the push: a race with other writers, not a permission problem.
    if (problem?.startsWith('Push rejected: the branch moved')) {
      return {
        vars,
        title: problem,
        explanation: 'image-automation-controller committed on top of the revision it checked out, but the remote branch received other commits before the push (another ImageUpdateAutomation, another cluster running the same automation, a person or a CI job pushing to that branch), so the push was refused as non-fast-forward. It is not a permission problem: the next run checks out the new head and usually succeeds. When it keeps failing, several automations are racing on one branch: give each its own spec.git.push.branch (or one automation per repository and branch).',
        remediation: [
          { description: 'See the push branch and the GitRepository used for the push', command: 'kubectl --context {context} -n {namespace} get imageupdateautomation {name} -o jsonpath=\'{.spec.git.push}{"\\n"}{.spec.sourceRef}\'' },
          { description: 'Find the other automations that push to the same repository and branch (here and on other clusters)', command: 'kubectl --context {context} get imageupdateautomations -A -o custom-columns=NAMESPACE:.metadata.namespace,NAME:.metadata.name,SOURCE:.spec.sourceRef.name,PUSH:.spec.git.push.branch' },
          { description: 'Retry the automation (it checks out the new head)', command: 'flux --context {context} reconcile image update {name} -n {namespace}' },
        ],
        replaceRemediation: true,
      };
    }
    return { vars, ...(problem ? { title: problem } : {}) };
  },
});
