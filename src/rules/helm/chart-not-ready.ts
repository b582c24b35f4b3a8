import { condition, readyState } from '../../flux/conditions';
import { chartOf, refKey, type ObjRef } from '../../flux/refs';
import { defineRule } from '../define';
import { conditionEvidence } from '../evidence';
import { ageOf } from '../util';
import { chartBlockers, helmVars, nounOf, objectLine } from './release';

// `HelmChart '<ns>/<name>' is not ready: <tail>` (SourceNotReady, 2.3+; HelmChartNotReady in 2.2; ArtifactFailed in
// the v2beta1 controller of 2.1 and older, without a tail). The kind may be missing when the API client left it empty.
const NOT_READY = /^(?:(HelmChart|OCIRepository|ExternalArtifact) )?'([^/']+)\/([^']+)' is not ready(?:: ([\s\S]*))?$/;

export default defineRule({
  code: 'FD400',
  slug: 'helm-chart-not-ready',
  category: 'chart-not-found',
  severity: 'error',
  kinds: ['HelmRelease'],
  title: 'Chart source not ready',
  signals: [
    "Ready=False SourceNotReady: (HelmChart|OCIRepository|ExternalArtifact) '<ns>/<name>' is not ready: <the chart's Ready or Stalled message | latest generation of object has not been reconciled | does not have an artifact>",
    "Ready=False HelmChartNotReady (Flux 2.2) / ArtifactFailed (v2beta1, Flux 2.1 and older): HelmChart '<ns>/<name>' is not ready[: …]",
    'blockedBy the HelmChart/OCIRepository (and the HelmChart\'s HelmRepository/GitRepository/Bucket when that one is failing), so the root cause is the repository',
  ],
  explanation: 'helm-controller does not start a Helm action until the chart artifact is ready: the HelmChart it generates for spec.chart (or the OCIRepository/HelmChart/ExternalArtifact in spec.chartRef) has failed to fetch or build the chart, or has not produced an artifact for its current generation yet. The tail of the message is the chart\'s own status; the cause is usually upstream (chart version not found, repository unreachable or unauthorised). The release already installed keeps running unchanged.',
  remediation: [
    { description: 'See the chart source and why it is not ready', command: 'flux --context {context} get {sourceNoun} {sourceName} -n {sourceNamespace}' },
    { description: 'Describe it (conditions and events)', command: 'kubectl --context {context} -n {sourceNamespace} describe {sourceResource} {sourceName}' },
    { description: 'See the repository the chart comes from', command: 'flux --context {context} get {repoNoun} {repoName} -n {repoNamespace}' },
    { description: 'Check the requested chart and version (spec.chart.spec.version: {chartVersionSpec}) exist in the repository, then fetch again with the source', command: 'flux --context {context} reconcile helmrelease {name} -n {namespace} --with-source' },
  ],
  match(obj, { index, now }) {
    const ready = condition(obj, 'Ready');
    if (ready?.status !== 'False') return null;
    const message = ready.message ?? '';
    const m = message.match(NOT_READY);
    const reasonOk = ready.reason === 'SourceNotReady' || ready.reason === 'HelmChartNotReady' || (ready.reason === 'ArtifactFailed' && m !== null);
    if (!reasonOk) return null;
    const fallback = chartOf(obj);
    const named: ObjRef | null = m ? { kind: m[1] ?? fallback?.kind ?? 'HelmChart', namespace: m[2]!, name: m[3]! } : fallback;
    const blockedBy = chartBlockers(index, obj, named);
    const vars = helmVars(obj);
    const evidence = [conditionEvidence(ready)];
    if (named) {
      vars.sourceKind = named.kind;
      vars.sourceName = named.name;
      vars.sourceNamespace = named.namespace ?? obj.metadata.namespace ?? '';
      vars.sourceNoun = nounOf(named.kind);
      vars.sourceResource = named.kind.toLowerCase();
      evidence.push(objectLine(index, named));
    }
    const chartObj = named ? index.get(named) : undefined;
    const src = chartObj?.kind === 'HelmChart' ? chartObj.spec?.sourceRef : obj.spec?.chart?.spec?.sourceRef;
    if (src?.kind && src?.name) {
      const repo: ObjRef = { kind: src.kind, namespace: src.namespace ?? chartObj?.metadata.namespace ?? obj.metadata.namespace, name: src.name };
      vars.repoName = repo.name;
      vars.repoNamespace = repo.namespace ?? '';
      vars.repoNoun = nounOf(repo.kind);
      if (blockedBy.some((b) => refKey(b) === refKey(repo))) evidence.push(objectLine(index, repo));
    }
    // The chart is merely being reconciled (new generation, no artifact yet): transient unless it lasts.
    const chartState = chartObj ? readyState(chartObj) : null;
    const age = ageOf(ready.lastTransitionTime, now);
    const transient = (chartState === 'progressing' || chartState === 'ready') && age !== null && age < 10 * 60_000;
    return {
      evidence,
      vars,
      blockedBy,
      since: ready.lastTransitionTime ?? null,
      ...(named ? { title: `Chart source ${refKey(named)} not ready` } : {}),
      ...(transient ? { severity: 'warning' as const } : {}),
    };
  },
});
