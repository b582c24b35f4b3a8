import { condition } from '../../flux/conditions';
import { conditionRule } from '../define';
import { conditionEvidence } from '../evidence';
import { helmLogsEvidence, helmVars, remediationNote, retryEvidence } from './release';
import { podProblems } from './workloads';

export default conditionRule({
  code: 'FD421',
  slug: 'helm-test-failed',
  category: 'helm-test-failed',
  severity: 'error',
  kinds: ['HelmRelease'],
  title: 'Helm tests failed',
  signals: [
    'TestSuccess=False TestFailed: Helm test failed for release <ns>/<name>.v<N> with chart <chart>@<version>: <err> (e.g. pod <name> failed, [1 error occurred: ]…, failed early due to stalled resources: [Pod/<ns>/<name> status: \'Failed\'])',
    'status.history[<i>].testHooks.<name>.phase: Failed names the test Pods, <i> being the tested revision (v<N> of the message; history[1] once a rollback added a newer revision)',
    'warning instead of error when spec.test.ignoreFailures is set (Ready is not affected)',
  ],
  explanation: 'spec.test.enable runs the chart\'s test hooks (Pods annotated helm.sh/hook: test) after each install or upgrade, and at least one of them failed. Unless spec.test.ignoreFailures is set this makes the HelmRelease not ready and, with remediation, rolls the release back; the test Pod\'s logs say what was checked and why it failed.',
  remediation: [
    { description: 'Read the logs of the failed test Pod', command: 'kubectl --context {context} logs pod/{testPod} -n {releaseNamespace}' },
    { description: 'List the test hooks and their last phase', command: 'kubectl --context {context} -n {namespace} get helmrelease {name} -o jsonpath=\'{.status.history[{testedIndex}].testHooks}\'' },
    { description: 'Re-run the tests by hand and print their logs', command: 'helm --kube-context {context} test {releaseName} -n {storageNamespace} --logs' },
    { description: 'Fix the application or the test in Git; set spec.test.ignoreFailures: true only if failed tests must not block the release' },
  ],
  when: { type: 'TestSuccess', status: 'False', reasons: ['TestFailed'] },
  refine(obj, { index }, { condition: test }) {
    const vars = helmVars(obj);
    const evidence = [conditionEvidence(test)];
    // A rollback remediation puts its own revision at history[0]: the tested one is the revision the message names.
    const history: any[] = Array.isArray(obj.status?.history) ? obj.status.history : [];
    const revision = Number((test.message ?? '').match(/\.v(\d+) with chart /)?.[1] ?? NaN);
    let tested = history.findIndex((h) => h?.version === revision);
    if (tested < 0) tested = history.findIndex((h) => h?.testHooks && Object.keys(h.testHooks).length > 0);
    if (tested >= 0) vars.testedIndex = String(tested);
    const hooks = history[tested]?.testHooks ?? {};
    const failed = Object.entries(hooks as Record<string, any>).filter(([, h]) => h?.phase === 'Failed').map(([n]) => n);
    const fromMessage = (test.message ?? '').match(/\bpod (\S+) failed\b/)?.[1] ?? (test.message ?? '').match(/Pod\/[^/\s]+\/([^\s]+) status: 'Failed'/)?.[1];
    const pod = fromMessage ?? failed[0];
    if (pod) vars.testPod = pod;
    if (failed.length > 0) evidence.push(`failed test hooks: ${failed.join(', ')}`);
    if (pod) {
      const p = index.resource({ kind: 'Pod', namespace: vars.releaseNamespace, name: pod });
      if (p) evidence.push(...podProblems(p));
    }
    const note = remediationNote(obj);
    if (note) evidence.push(note.evidence);
    const ready = condition(obj, 'Ready');
    const ignored = obj.spec?.test?.ignoreFailures === true || ready?.status === 'True';
    evidence.push(...retryEvidence(obj), ...helmLogsEvidence(index, obj, ['TestFailed']));
    return {
      vars,
      evidence,
      ...(pod ? { title: `Helm test ${pod} failed` } : {}),
      ...(ignored ? { severity: 'warning' as const } : {}),
      ...(note?.explanation ? { explanation: `spec.test.enable runs the chart's test hooks after each install or upgrade, and at least one of them failed. ${note.explanation}` } : {}),
    };
  },
});
