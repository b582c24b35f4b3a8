import { condition, readyState } from '../../flux/conditions';
import { chartOf, refKey } from '../../flux/refs';
import { defineRule } from '../define';
import { conditionEvidence } from '../evidence';
import { chartBlockers, helmVars, nounOf, objectLine } from './release';

/** A plain version (not a range): `1.2.3`, `v1.2.3`, `1.2.3-rc.1`. */
const EXACT = /^v?\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/;

export default defineRule({
  code: 'FD423',
  slug: 'helm-chart-stale',
  category: 'source-stale',
  severity: 'warning',
  kinds: ['HelmRelease'],
  title: 'HelmRelease ready on an old chart while its chart source fails',
  signals: [
    'HelmRelease Ready=True while its HelmChart/OCIRepository (spec.chart or spec.chartRef) is Ready=False but still has an artifact (not stalled, generation observed)',
    'spec.chart.spec.version (exact) differs from status.history[0].chartVersion: the requested version is not the running one',
    'blockedBy the chart source (and its repository when failing)',
  ],
  explanation: 'helm-controller only checks that the chart source has an artifact for its current generation and is not stalled. When the HelmChart (or OCIRepository) fails to fetch a newer chart but keeps the previous artifact, the HelmRelease keeps reconciling the old chart and reports Ready=True: `flux get hr` shows it healthy while new chart versions are not being picked up. Fix the chart source; the release then upgrades on its own.',
  remediation: [
    { description: 'See the failing chart source', command: 'flux --context {context} get {sourceNoun} {sourceName} -n {sourceNamespace}' },
    { description: 'Compare the requested chart version ({chartVersionSpec}) with the running one ({deployedVersion})', command: 'kubectl --context {context} -n {namespace} get helmrelease {name} -o jsonpath=\'{.spec.chart.spec.version}{" -> "}{.status.history[0].chartVersion}{"\\n"}\'' },
    { description: 'Fetch the chart again with its source once the source is fixed', command: 'flux --context {context} reconcile helmrelease {name} -n {namespace} --with-source' },
  ],
  match(obj, { index }) {
    if (condition(obj, 'Ready')?.status !== 'True') return null;
    const chart = chartOf(obj);
    const chartObj = chart ? index.get(chart) : undefined;
    if (!chart || !chartObj || readyState(chartObj) !== 'failing') return null;
    if (condition(chartObj, 'Stalled')?.status === 'True' || !chartObj.status?.artifact) return null;
    const chartReady = condition(chartObj, 'Ready');
    const vars = helmVars(obj);
    vars.sourceName = chart.name;
    vars.sourceNamespace = chart.namespace ?? obj.metadata.namespace ?? '';
    vars.sourceNoun = nounOf(chart.kind);
    const evidence = [`${refKey(chart)}: ${chartReady ? conditionEvidence(chartReady) : 'not ready'}`];
    const blockedBy = chartBlockers(index, obj, chart);
    for (const b of blockedBy) if (refKey(b) !== refKey(chart)) evidence.push(objectLine(index, b));
    const wanted = obj.spec?.chart?.spec?.version;
    const running = obj.status?.history?.[0]?.chartVersion;
    const artifactRev = chartObj.status?.artifact?.revision;
    if (running) evidence.push(`running chart version ${running}${artifactRev ? ` (chart artifact ${artifactRev})` : ''}${typeof wanted === 'string' ? `, spec.chart.spec.version: ${wanted}` : ''}`);
    const behind = typeof wanted === 'string' && EXACT.test(wanted) && typeof running === 'string' && wanted.replace(/^v/, '') !== running.replace(/^v/, '').replace(/\+.*$/, '');
    return {
      evidence,
      vars,
      blockedBy,
      since: chartReady?.lastTransitionTime ?? null,
      title: behind ? `HelmRelease runs chart ${running}, not the requested ${wanted}: its chart source fails` : `HelmRelease ready on the last good chart while ${refKey(chart)} fails`,
    };
  },
});
