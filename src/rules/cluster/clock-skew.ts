import { conditions } from '../../flux/conditions';
import { refOf, type ObjRef } from '../../flux/refs';
import type { ClusterIndex } from '../../snapshot/indexes';
import { defineRule } from '../define';
import { controllerRef } from '../shared';
import { formatDuration } from '../util';
import { CERT_VALIDITY } from '../source/vocabulary';
import { failures, listRefs } from './failure-text';

// Go's x509 error for an expired or not-yet-valid certificate prints the verifier's clock (CERT_VALIDITY's first
// group): that clock is source-controller's node's.
const SOURCE_KINDS = new Set(['GitRepository', 'OCIRepository', 'HelmRepository', 'HelmChart', 'Bucket']);
const SKEW_MS = 3_600_000;

/** The newest condition time kustomize-controller and helm-controller wrote: their clock, for comparison. */
function othersClock(index: ClusterIndex): number | null {
  let newest = -Infinity;
  for (const kind of ['Kustomization', 'HelmRelease']) {
    for (const obj of index.objects(kind)) for (const c of conditions(obj)) newest = Math.max(newest, Date.parse(c.lastTransitionTime ?? ''));
  }
  return Number.isFinite(newest) ? newest : null;
}

/** Sources whose certificate checks ran on a clock far behind the other controllers', and by how much. */
interface Skew { members: ObjRef[]; skewMs: number; seen: string }

const SKEW = new WeakMap<ClusterIndex, Skew | null>();

export function clockSkew(index: ClusterIndex): Skew | null {
  if (SKEW.has(index)) return SKEW.get(index)!;
  const result = computeSkew(index);
  SKEW.set(index, result);
  return result;
}

function computeSkew(index: ClusterIndex): Skew | null {
  const reference = othersClock(index);
  if (reference === null) return null;
  const members: ObjRef[] = [];
  let skewMs = 0;
  let seen = '';
  for (const f of failures(index)) {
    if (!SOURCE_KINDS.has(f.ref.kind)) continue;
    const t = f.message.match(CERT_VALIDITY)?.[1];
    const at = t ? Date.parse(t) : NaN;
    if (Number.isNaN(at) || Math.abs(reference - at) < SKEW_MS) continue;
    const obj = index.get(f.ref);
    if (obj) members.push(refOf(obj));
    if (Math.abs(reference - at) > Math.abs(skewMs)) {
      skewMs = reference - at;
      seen = t!;
    }
  }
  return members.length >= 2 ? { members, skewMs, seen } : null;
}

export default defineRule({
  code: 'FD027',
  slug: 'controller-clock-skew',
  category: 'source-unreachable',
  severity: 'error',
  kinds: ['Cluster'],
  title: 'source-controller\'s clock is far off: certificates look expired or not yet valid',
  signals: [
    'two or more sources failing with `x509: certificate has expired or is not yet valid: current time <T> is before|after <U>`, where <T> (source-controller\'s clock, as Go prints it) is more than an hour away from the newest condition kustomize-controller and helm-controller wrote',
    'the finding is on source-controller\'s Deployment; the sources are linked to it (the per-host TLS grouping steps aside)',
  ],
  explanation: 'Go checks certificate validity against the local clock and prints it. Several unrelated hosts\' certificates all look not yet valid (or all expired) at a time far from what the other Flux controllers write: the node source-controller runs on has a wrong clock (NTP/chrony stopped, a VM resumed from a snapshot, a bad RTC). Its own condition times are off by the same amount, so ages computed from them mislead. Fix the node\'s time sync, or move the pod to a healthy node.',
  remediation: [
    { description: 'See which node source-controller runs on', command: 'kubectl --context {context} -n {namespace} get pods -l app=source-controller -o wide' },
    { description: 'Read that node\'s clock (replace <node>) and compare it with yours; then fix its time sync (chronyd / systemd-timesyncd)', command: 'kubectl --context {context} debug node/<node> -it --image=busybox:1.36 -- date -u' },
    { description: 'Meanwhile move source-controller off that node: cordon it, then delete the pod so it is rescheduled', command: 'kubectl --context {context} -n {namespace} delete pod -l app=source-controller' },
  ],
  matchCluster({ index }) {
    const skew = clockSkew(index);
    if (!skew) return [];
    const direction = skew.skewMs > 0 ? 'behind' : 'ahead of';
    return [{
      object: controllerRef(index, 'source-controller'),
      title: `source-controller's clock is ${formatDuration(Math.abs(skew.skewMs))} ${direction} the other controllers': ${skew.members.length} sources reject valid certificates`,
      evidence: [
        `x509 checks ran at ${skew.seen} (source-controller's clock) while kustomize-controller and helm-controller write times ${formatDuration(Math.abs(skew.skewMs))} ${skew.skewMs > 0 ? 'later' : 'earlier'}`,
        `failing: ${listRefs(skew.members, 4)}`,
      ],
      explains: skew.members,
    }];
  },
});
