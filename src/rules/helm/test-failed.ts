import { condition } from '../../flux/conditions';
import { conditionRule } from '../define';
import { conditionEvidence } from '../evidence';
import { helmLogsEvidence, helmVars, remediationNote, retryEvidence } from './release';
import { podProblems } from '../workloads';

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
    '… Hook test <template> failed: pods "<pod>" is forbidden: violates PodSecurity "<level>:<version>": … (the namespace\'s Pod Security level refused the test Pod: no logs; securityContext in values, disable tests, or relax the label)',
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
    // pod-security-admission refused to create the test Pod: `pods "<pod>" is forbidden: violates PodSecurity
    // "<level>:<version>": <checks>`. The Pod never ran, so it has no logs: the namespace's enforce level is the cause.
    const pss = (test.message ?? '').match(/pods "([^"]+)" is forbidden: violates PodSecurity "([^":]+)(?::([^"]+))?": ?([^\n]*)/);
    const pod = pss?.[1] ?? fromMessage ?? failed[0];
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
    if (pss) {
      const [, , level, version, checks] = pss;
      const ns = vars.releaseNamespace ?? obj.metadata.namespace ?? '';
      return {
        vars,
        evidence,
        title: `Helm test pod ${pss[1]} was rejected by Pod Security "${level}" in namespace ${ns}`,
        explanation: `The release itself ${/\.v1 with chart /.test(test.message ?? '') ? 'installed' : 'upgraded'} fine; its test hook could not even start: namespace ${ns} enforces the Pod Security Standard "${level}"${version ? ` (version ${version})` : ''} (label pod-security.kubernetes.io/enforce), and the chart's test Pod breaks it${checks ? ` (${checks.length > 300 ? `${checks.slice(0, 300)}…` : checks})` : ''}. The Pod was never created, so there are no logs to read. Give the test Pod a compliant securityContext through the chart's values (if the chart exposes one for its tests), disable the tests (spec.test.enable: false) or let them fail without blocking (spec.test.ignoreFailures: true), or, if the namespace may run such pods, relax its enforce label.`,
        remediation: [
          { description: `See the Pod Security labels of namespace ${ns}`, command: `kubectl --context {context} get namespace ${ns} --show-labels` },
          { description: 'In Git: set the chart\'s test securityContext in spec.values (allowPrivilegeEscalation: false, capabilities drop ALL, runAsNonRoot, seccompProfile RuntimeDefault for "restricted"), or set spec.test.enable: false / spec.test.ignoreFailures: true' },
          { description: `Or, if the namespace may run such pods, relax its enforce level (better in the manifest that manages the namespace)`, command: `kubectl --context {context} label namespace ${ns} pod-security.kubernetes.io/enforce=baseline --overwrite` },
        ],
        replaceRemediation: true,
        ...(ignored ? { severity: 'warning' as const } : {}),
      };
    }
    return {
      vars,
      evidence,
      ...(pod ? { title: `Helm test ${pod} failed` } : {}),
      ...(ignored ? { severity: 'warning' as const } : {}),
      ...(note?.explanation ? { explanation: `spec.test.enable runs the chart's test hooks after each install or upgrade, and at least one of them failed. ${note.explanation}` } : {}),
    };
  },
});
