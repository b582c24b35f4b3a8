import { chartOf, chartSourceOf, refKey, type ObjRef } from '../../flux/refs';
import { conditionRule } from '../define';
import { conditionEvidence } from '../evidence';
import { helmVars, nounOf, objectLine } from './release';

export default conditionRule({
  code: 'FD401',
  slug: 'helm-chart-unavailable',
  category: 'chart-not-found',
  severity: 'error',
  kinds: ['HelmRelease'],
  title: 'Chart artifact unavailable',
  signals: [
    'Ready=False ArtifactFailed: could not get Source object: <API error> (2.3+; `could not get HelmChart object:` in 2.2, `chart reconciliation failed:` in 2.1 and older)',
    'Ready=False ArtifactFailed: Source not ready: artifact not found. Retrying in <d>',
    'Ready=False ArtifactFailed: Could not load chart: <download or chart loading error>',
    '(ArtifactFailed `<Kind> \'<ns>/<name>\' is not ready` is FD400)',
  ],
  explanation: 'helm-controller could not get the chart it installs from: the HelmChart/OCIRepository object does not exist (wrong spec.chartRef, or the generated HelmChart was deleted or could not be created), its artifact is gone from source-controller\'s storage, or the download from source-controller failed. No Helm action runs until the chart can be loaded; the release already installed keeps running unchanged.',
  remediation: [
    { description: 'See the chart sources in the namespace', command: 'flux --context {context} get sources all -n {sourceNamespace}' },
    { description: 'See the chart source this release uses', command: 'flux --context {context} get {sourceNoun} {sourceName} -n {sourceNamespace}' },
    { description: 'Check source-controller is running and serving artifacts', command: 'kubectl --context {context} -n {fluxNamespace} logs deploy/source-controller --tail=30' },
    { description: 'Fetch the chart again with its source', command: 'flux --context {context} reconcile helmrelease {name} -n {namespace} --with-source' },
  ],
  when: [
    { type: 'Ready', status: 'False', reasons: ['ArtifactFailed'], message: /^(?!(?:(?:HelmChart|OCIRepository|ExternalArtifact) )?'[^/']+\/[^']+' is not ready)/ },
  ],
  refine(obj, { index }, { condition }) {
    const vars: Record<string, string> = { ...helmVars(obj), fluxNamespace: index.cluster.fluxNamespace };
    const evidence = [conditionEvidence(condition)];
    const chart: ObjRef | null = chartOf(obj);
    const blockedBy: ObjRef[] = [];
    if (chart) {
      vars.sourceName = chart.name;
      vars.sourceNamespace = chart.namespace ?? obj.metadata.namespace ?? '';
      vars.sourceNoun = nounOf(chart.kind);
      if (index.get(chart)) {
        evidence.push(objectLine(index, chart));
        blockedBy.push(chart);
      } else {
        evidence.push(`${refKey(chart)}: not found in the snapshot`);
        // The generated HelmChart is missing: its repository may be why (its own finding, if it has one).
        const repo = chartSourceOf(obj);
        if (repo && index.get(repo)) {
          evidence.push(objectLine(index, repo));
          blockedBy.push(repo);
        }
      }
    }
    // `Could not load chart: failed to download … connection refused`: source-controller is not serving.
    const controller = index.controller('source-controller');
    if (/Could not load chart|artifact not found/i.test(condition.message ?? '') && controller && !controller.ready) {
      blockedBy.push({ kind: 'Deployment', namespace: controller.namespace, name: controller.name });
      evidence.push(`source-controller: ${controller.readyReplicas}/${controller.replicas} ready`);
    }
    return { vars, evidence, ...(blockedBy.length > 0 ? { blockedBy } : {}) };
  },
});
