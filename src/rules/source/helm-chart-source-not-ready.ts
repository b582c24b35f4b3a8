import { readyState } from '../../flux/conditions';
import { refKey, type ObjRef } from '../../flux/refs';
import { chartSource, isYoung, nounOf, stateLine } from './classify';
import { chartContext, sourceRule } from './rule';

export default sourceRule({
  code: 'FD218',
  slug: 'helm-chart-source-not-ready',
  category: 'chart-not-found',
  severity: 'error',
  kinds: ['HelmChart'],
  title: 'Chart waits on its source',
  signals: [
    'Ready=False NoSourceArtifact (FetchFailed=True): no artifact available for HelmRepository|GitRepository|Bucket source \'<name>\'',
    'Ready=False SourceUnavailable: failed to get source: <Kind>.source.toolkit.fluxcd.io "<name>" not found; Stalled UnsupportedSourceKind: failed to get source: unsupported source kind \'<Kind>\' …',
    'blocked by the source (a failing, suspended or never-reconciled HelmRepository/GitRepository/Bucket is the root cause); the source still fetching for less than 10 minutes → warning',
  ],
  explanation: 'The HelmChart cannot be built because its source (spec.sourceRef: the HelmRepository, GitRepository or Bucket named in the HelmRelease\'s chart.spec.sourceRef) has no artifact yet or does not exist. The problem is on the source: its first fetch is failing (unreachable, unauthorised, wrong URL), it is suspended, or the sourceRef names the wrong object or namespace. Once the source has an artifact, the chart is built on its own and the HelmRelease proceeds.',
  remediation: [
    { description: 'See the source the chart waits on', command: 'flux --context {context} get {repoNoun} {repoName} -n {repoNamespace}' },
    { description: 'Read the source\'s events for the fetch error', command: 'flux --context {context} events --for {repoKind}/{repoName} -n {repoNamespace}' },
    { description: 'Create {missingSource}, or fix chart.spec.sourceRef (kind, name, namespace) in the HelmRelease', command: 'flux --context {context} get sources all -n {repoNamespace}' },
    { description: 'Once the source is fixed, reconcile the release with its sources', command: 'flux --context {context} reconcile helmrelease {helmRelease} -n {helmReleaseNamespace} --with-source' },
  ],
  classes: ['chart-source'],
  refine(obj, { index, now }, found, base) {
    const chart = chartContext(obj, index);
    const src = chartSource(obj);
    const vars = { ...chart.vars };
    const evidence = [...base.evidence];
    const blockedBy: ObjRef[] = [];
    let title: string | undefined;
    let severity: 'warning' | undefined;
    if (src) {
      const srcObj = index.get(src);
      evidence.push(stateLine(index, src));
      if (!srcObj && found.detail !== 'NoSourceArtifact') {
        vars.missingSource = `the missing source ${refKey(src)}`;
        title = `Chart source ${refKey(src)} does not exist`;
      } else if (srcObj) {
        blockedBy.push(src);
        const state = readyState(srcObj);
        title = state === 'suspended' ? `Chart source ${refKey(src)} is suspended` : `Waiting on ${refKey(src)}, which has no artifact`;
        // The source is still working on its first fetch (or just got it): a short wait, not a failure.
        if ((state === 'progressing' || state === 'ready') && isYoung(found.condition, now, 10 * 60_000)) severity = 'warning';
      }
      if (!vars.repoNoun) vars.repoNoun = nounOf(src.kind) ?? 'source helm';
    }
    return { vars, evidence, ...(blockedBy.length > 0 ? { blockedBy } : {}), ...(title ? { title } : {}), ...(severity ? { severity } : {}) };
  },
});
