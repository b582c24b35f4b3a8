import { condition, isStatic } from '../../flux/conditions';
import { refKey, type ObjRef } from '../../flux/refs';
import { defineRule } from '../define';
import { conditionEvidence } from '../evidence';
import { ageOf, formatDuration, parseDuration } from '../util';
import { classify, failureStart } from './classify';

/** The last artifact must be older than this many intervals… */
export const STALE_INTERVALS = 3;
/** …and never younger than this, whatever the interval (seed runbooks: a fetch older than 10 minutes is stale). */
export const STALE_MIN_MS = 10 * 60_000;
/** When spec.interval is absent (v1 HelmRepository defaults it; OCI HelmRepositories have none). */
const DEFAULT_INTERVAL_MS = 10 * 60_000;

export default defineRule({
  code: 'FD222',
  consequence: true,
  slug: 'source-stale',
  category: 'source-stale',
  severity: 'warning',
  kinds: ['GitRepository', 'OCIRepository', 'HelmRepository', 'Bucket'],
  title: 'Source stale: still serving an old artifact while fetches fail',
  signals: [
    `Ready=False (or Stalled=True) while status.artifact.lastUpdateTime is older than max(${STALE_INTERVALS} × spec.interval, ${STALE_MIN_MS / 60_000}m): the artifact has not changed for far longer than the interval`,
    'the failure duration is reported, not required: estimated from the oldest failing condition and the Warning events of the same reason (a condition\'s lastTransitionTime moves whenever its message changes)',
    'downstream Kustomizations, HelmCharts and HelmReleases keep applying that revision; they are named in the evidence',
    'complementary to the specific failure rule (FD201–FD226), which says why: then a warning that names the age; when no specific rule recognises the failure, this is the error for the object (instead of FD199)',
    'not: Ready=True with observedGeneration < generation (FD111), a suspended source (FD100), a failing source without any artifact (nothing is stale; its consumers wait, FD302/FD218)',
  ],
  explanation: 'The source has not been able to refresh for several of its intervals, but still holds the artifact of its last successful fetch, so everything built from it keeps reconciling that old revision and reports Ready: new commits, tags or chart versions silently do not reach the cluster. The age says how far behind the cluster may be. The cause is the fetch failure itself (see the other finding on this source, or its events); once it is fixed, the next fetch brings the newest revision and the consumers follow.',
  remediation: [
    { description: 'See the source, its last fetched revision and the error', command: 'flux --context {context} get {noun} {name} -n {namespace}' },
    { description: 'Read the source\'s events', command: 'flux --context {context} events --for {kind}/{name} -n {namespace}' },
    { description: 'Check source-controller\'s recent log lines', command: 'kubectl --context {context} -n {fluxNamespace} logs deploy/source-controller --tail=30' },
    { description: 'Force a fetch once the cause is fixed', command: 'flux --context {context} reconcile {noun} {name} -n {namespace}' },
    { description: 'Then bring {consumer} up to date with the new revision', command: 'flux --context {context} reconcile kustomization {consumerName} -n {consumerNamespace} --with-source' },
  ],
  match(obj, { index, now }) {
    if (isStatic(obj)) return null;
    const ready = condition(obj, 'Ready');
    const stalled = condition(obj, 'Stalled');
    if (ready?.status !== 'False' && stalled?.status !== 'True') return null;
    const artifact = obj.status?.artifact;
    if (!artifact?.revision) return null;
    const artifactAge = ageOf(artifact.lastUpdateTime, now);
    if (artifactAge === null) return null;
    const interval = parseDuration(obj.spec?.interval) ?? DEFAULT_INTERVAL_MS;
    if (artifactAge < Math.max(STALE_INTERVALS * interval, STALE_MIN_MS)) return null;

    const failing = stalled?.status === 'True' && ready?.status !== 'False' ? stalled! : ready!;
    const since = failureStart(obj, index);
    const failingFor = ageOf(since, now);
    const evidence = [
      conditionEvidence(failing),
      `last artifact ${artifact.revision}, stored ${formatDuration(artifactAge)} ago (status.artifact.lastUpdateTime ${artifact.lastUpdateTime}), spec.interval ${obj.spec?.interval ?? `unset (${formatDuration(interval)} assumed)`}`,
    ];
    if (failingFor !== null) {
      const missed = Math.floor(failingFor / interval);
      evidence.push(`failing for at least ${formatDuration(failingFor)} (since ${since})${missed > 1 ? `: ${missed} refreshes missed` : ''}`);
    }
    // Who keeps using the old artifact: the objects that read this source.
    const self: ObjRef = { kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name };
    const consumers = index.downstream(self).filter((e) => e.relation === 'source' || e.relation === 'chart-source').map((e) => e.ref);
    const vars: Record<string, string> = { fluxNamespace: index.cluster.fluxNamespace, revision: artifact.revision };
    if (consumers.length > 0) {
      evidence.push(`still built from this artifact: ${consumers.slice(0, 5).map(refKey).join(', ')}${consumers.length > 5 ? ` and ${consumers.length - 5} more` : ''}`);
      const ks = consumers.find((c) => c.kind === 'Kustomization');
      if (ks) {
        vars.consumer = refKey(ks);
        vars.consumerName = ks.name;
        vars.consumerNamespace = ks.namespace ?? obj.metadata.namespace ?? '';
      }
    }
    // A specific rule of this family says why it fails: this finding only adds the staleness. Otherwise it is the finding.
    const explained = classify(obj, index) !== null;
    return {
      evidence,
      vars,
      since: since ?? failing.lastTransitionTime ?? null,
      title: explained
        ? `Source stale: ${failingFor !== null && failingFor >= 60_000 ? `fetch failing for ${formatDuration(failingFor)}, ` : 'fetches failing, '}still serving ${artifact.revision} (stored ${formatDuration(artifactAge)} ago)`
        // Alone, it must not read as a diagnosis: it says the cause was not recognised and points at the controller's message.
        : `Fetch failing${failingFor !== null && failingFor >= 60_000 ? ` for ${formatDuration(failingFor)}` : ''}, cause not recognised (${failing.reason ?? 'no reason'}: see the message); still serving ${artifact.revision} (stored ${formatDuration(artifactAge)} ago)`,
      ...(explained ? {} : { severity: 'error' as const }),
    };
  },
});
