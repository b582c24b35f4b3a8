import { parseStatusItems } from '../../flux/refs';
import type { ClusterIndex } from '../../snapshot/indexes';
import type { KubeObject } from '../../snapshot/schema';
import { releaseNames } from './release';
import { releaseFailureRule } from './failure';
import { POD_SECURITY, podSecurityHint } from './pod-security-hint';
import { jobEvidence, podProblems } from '../workloads';
import { releaseEvents, restatesFailure, troubleOf, workloadEvents } from '../workload-trouble';

interface Hook { kind: 'job' | 'pod'; name: string; why?: string }

/** The hook the Helm error names: Helm ≥3.13 `job <name> failed: <reason>`, kstatus lists (2.8+), Helm v4 waiter lines. */
function hookFromMessage(tail: string): Hook | null {
  const job = tail.match(/\bjob (\S+) failed: (\w+)/);
  if (job) return { kind: 'job', name: job[1]!, why: job[2]! };
  const pod = tail.match(/\bpod (\S+) failed\b/);
  if (pod) return { kind: 'pod', name: pod[1]! };
  const item = parseStatusItems(tail).find((i) => i.ref.kind === 'Job' || i.ref.kind === 'Pod');
  if (item) return { kind: item.ref.kind === 'Job' ? 'job' : 'pod', name: item.ref.name, why: item.status };
  const unknown = tail.match(/can't determine status for (Job|Pod)\/[^/\s]+\/([^\s,\]]+)/);
  if (unknown) return { kind: unknown[1] === 'Job' ? 'job' : 'pod', name: unknown[2]!, why: 'status unknown' };
  const v4 = tail.match(/resource not ready, name: ([^,\s]+), kind: (Job|Pod), status: (\w+)/) ?? tail.match(/resource (Job|Pod)\/[^/\s]+\/(\S+) not ready\. status: (\w+)/);
  if (v4) return v4[0].startsWith('resource not ready') ? { kind: v4[2] === 'Job' ? 'job' : 'pod', name: v4[1]!, why: v4[3]! } : { kind: v4[1] === 'Job' ? 'job' : 'pod', name: v4[2]!, why: v4[3]! };
  return null;
}

/** Otherwise: the failed hook of the latest Helm release record, or a failed hook Job of this phase in the release namespace. */
function hookFromCluster(index: ClusterIndex, hr: KubeObject, phase: string | null, releaseName: string, releaseNamespace: string, storageNamespace: string): Hook | null {
  const records = (index.cluster.details?.helmReleases ?? []).filter((r) => r.name === releaseName && [releaseNamespace, storageNamespace].includes(r.namespace));
  const latest = records.sort((a, b) => b.version - a.version)[0];
  const failed = latest?.hooks.find((h) => h.phase === 'Failed' && ['Job', 'Pod'].includes(h.kind) && (!phase || h.events.includes(phase)));
  if (failed) return { kind: failed.kind === 'Job' ? 'job' : 'pod', name: failed.name };
  const jobs = index.cluster.resources.filter((r) => r.kind === 'Job' && r.metadata.namespace === releaseNamespace
    && (!phase || (r.metadata.annotations?.['helm.sh/hook'] ?? '').split(',').map((s: string) => s.trim()).includes(phase))
    && (r.metadata.annotations?.['helm.sh/hook'] !== undefined)
    && !(r.status?.conditions ?? []).some((c: any) => c.type === 'Complete' && c.status === 'True')
    && ((r.status?.conditions ?? []).some((c: any) => c.type === 'Failed' && c.status === 'True') || (r.status?.failed ?? 0) > 0 || (r.status?.active ?? 0) > 0));
  const mine = jobs.find((j) => j.metadata.labels?.['helm.toolkit.fluxcd.io/name'] === hr.metadata.name) ?? jobs.find((j) => j.metadata.name.startsWith(releaseName)) ?? (jobs.length === 1 ? jobs[0] : undefined);
  return mine ? { kind: 'job', name: mine.metadata.name } : null;
}

export default releaseFailureRule({
  code: 'FD415',
  slug: 'helm-hook-failed',
  category: 'helm-hook-failed',
  severity: 'error',
  kinds: ['HelmRelease'],
  title: 'Helm hook failed',
  signals: [
    'Released=False InstallFailed/UpgradeFailed: … <err>, where <err> is (helm/helm pkg/action install.go, upgrade.go, hooks.go)',
    '… pre-upgrade hooks failed: … / post-upgrade hooks failed: … / failed pre-install: … / failed post-install: … / warning: Hook <phase> <template> failed: …',
    '… with the hook error: [1 error occurred: * ]job <name> failed: BackoffLimitExceeded|DeadlineExceeded (Helm ≥3.13; `job failed:` before), timed out waiting for the condition (Helm v3), failed early due to stalled resources: [Job/<ns>/<name> status: \'Failed\'] / timeout waiting for: […] (kstatus, Flux 2.8+)',
    '… warning: Hook <phase> <template> failed: pods "<pod>" is forbidden: violates PodSecurity "<level>:<version>": … (the namespace\'s Pod Security level refused the hook Pod: no logs)',
    'hook Job name from the message, else from the Helm release record or a failed Job with a helm.sh/hook annotation of that phase in the snapshot; its Failed condition and pod exit codes as evidence',
    'why its pods failed, from the Warning events of the Job and its pods (image pull, missing Secret/ConfigMap, refused pods, crash loop): named in the title, its steps first',
  ],
  explanation: 'A Helm hook of the chart (typically a database migration Job run before an upgrade, or a setup Job after an install) failed or did not finish within the timeout, so Helm aborted the action and marked the release failed. The real error is in the hook\'s own logs, not in Flux: fix what the hook needs (the migration, the database, its Secret or image), then run the release again. With no retries left the HelmRelease also stalls (see the retries finding).',
  remediation: [
    { description: 'Read the logs of the failed hook', command: 'kubectl --context {context} logs {hookResource}/{hookName} -n {releaseNamespace}' },
    { description: 'Describe the hook (Failed reason, pod events)', command: 'kubectl --context {context} -n {releaseNamespace} describe {hookResource} {hookName}' },
    { description: 'List the Jobs and Pods of the release namespace (a hook-delete-policy may have removed the hook already; its pods may remain)', command: 'kubectl --context {context} -n {releaseNamespace} get jobs,pods --sort-by=.metadata.creationTimestamp' },
    { description: 'See the Helm release history (the failed revision and its description)', command: 'helm --kube-context {context} history {releaseName} -n {storageNamespace}' },
    { description: 'Read the failure events with the "Last Helm logs"', command: 'flux --context {context} events --for HelmRelease/{name} -n {namespace}' },
    { description: 'Once the hook can succeed, run the release again', command: 'flux --context {context} reconcile helmrelease {name} -n {namespace} {forceFlag}' },
    { description: 'List every HelmRelease that is not ready (a Kustomization that applies a HelmRelease stays Ready when the release fails)', command: 'flux --context {context} get helmreleases -A --status-selector ready=false' },
  ],
  classes: ['hook'],
  enrich(obj, { index, now }, failure, vars) {
    const names = releaseNames(obj);
    const releaseName = vars.releaseName ?? names.releaseName;
    const releaseNamespace = vars.releaseNamespace ?? names.releaseNamespace;
    const phaseMatch = failure.tail.match(/\b((?:pre|post)-(?:install|upgrade|rollback|delete))\b/);
    const phase = phaseMatch ? phaseMatch[1]! : null;
    const hook = hookFromMessage(failure.tail) ?? hookFromCluster(index, obj, phase, releaseName, releaseNamespace, names.storageNamespace);
    const extra: Record<string, string> = {};
    const evidence: string[] = [];
    if (phase) extra.hookPhase = phase;
    if (hook) {
      extra.hookName = hook.name;
      extra.hookResource = hook.kind;
      const resource = index.resource({ kind: hook.kind === 'job' ? 'Job' : 'Pod', namespace: releaseNamespace, name: hook.name });
      if (resource) evidence.push(...(hook.kind === 'job' ? jobEvidence(index, resource) : podProblems(resource)));
    }
    const pss = failure.tail.match(POD_SECURITY);
    if (pss) return { vars: extra, evidence, ...podSecurityHint(pss, releaseNamespace, `Helm ${phase ?? failure.action} hook pod`) };
    const why = hook?.why ?? failure.tail.match(/\bjob failed: (\w+)/)?.[1];
    const what = hook ? `${hook.kind} ${hook.name}${why ? ` (${why})` : ''}` : why ?? (/timed out|timeout|deadline/i.test(failure.tail) ? 'timed out' : '');
    const title = `Helm ${phase ?? failure.action} hook failed${what ? `: ${what}` : ''}`;
    // Why the hook's pods failed, from their events (an image that cannot be pulled, a missing Secret, refused pods);
    // the Job's own BackoffLimitExceeded only restates the failure.
    // A hook named nowhere (Helm v3's `timed out waiting for the condition`): objects named after the release.
    const trouble = troubleOf(hook
      ? workloadEvents(index, { kind: hook.kind === 'job' ? 'Job' : 'Pod', namespace: releaseNamespace, name: hook.name }, now)
      : releaseEvents(index, obj, releaseNamespace, releaseName, now));
    if (trouble && !restatesFailure(trouble)) {
      return { vars: extra, evidence: [...evidence, trouble.evidence], title: `${title}: ${trouble.title}`, explanation: `The Helm ${phase ?? failure.action} hook${hook ? ` ${hook.kind} ${hook.name}` : ''} failed, so Helm aborted the action. ${trouble.explanation}`, remediation: trouble.remediation };
    }
    return { vars: extra, evidence, title };
  },
});
