import { isSuspended } from '../../flux/conditions';
import { refOf, type ObjRef } from '../../flux/refs';
import { defineRule } from '../define';
import { classify } from '../source/classify';
import { networkProblem } from '../source/vocabulary';
import { failures, listRefs } from './failure-text';
import { sourceHost } from './source-host';
import { interception } from './tls-intercepted';
import { clockSkew } from './clock-skew';

type HostFailure = 'host-key' | 'server' | 'unreachable' | 'tls';

// Failures of the server itself or of the path to it; credentials (FD022) and DNS (FD020) have their own shared-cause rules.
const TITLES: Record<HostFailure, (host: string, n: number) => string> = {
  'host-key': (h, n) => `${h}'s SSH host key no longer matches the known_hosts of ${n} sources`,
  server: (h, n) => `${h} answers ${n} sources with server errors or rate limits`,
  unreachable: (h, n) => `${n} sources cannot reach ${h}`,
  tls: (h, n) => `${h} presents a certificate ${n} sources do not accept`,
};

const KINDS = ['GitRepository', 'OCIRepository', 'HelmRepository', 'HelmChart', 'Bucket', 'ImageRepository'];

function failureOf(cls: string | undefined, detail: string | undefined): HostFailure | null {
  if (cls === 'git-host-key') return 'host-key';
  if (cls !== 'unreachable') return null;
  if (detail === 'server') return 'server';
  if (detail === 'tls') return 'tls';
  if (detail === 'timeout' || detail === 'refused' || detail === 'stream' || detail === 'proxy') return 'unreachable';
  return null;
}

export default defineRule({
  code: 'FD023',
  slug: 'shared-host-failing',
  category: 'source-unreachable',
  severity: 'error',
  kinds: ['Cluster'],
  title: 'One server behind several sources\' failures',
  signals: [
    'two or more sources (GitRepository, OCIRepository, HelmRepository, HelmChart through its repository, Bucket, ImageRepository) with the same host in spec.url / spec.endpoint / spec.image failing the same way: SSH host key mismatch (FD202), server errors and rate limits (5xx, 429 / TOOMANYREQUESTS), timeouts, refused or reset connections, proxy errors, or the same TLS failure (FD206)',
    'the finding is on the pseudo-object Host/<host> (not a Kubernetes object); the sources are linked to it, so one outage, rate limit or key rotation is reported once',
    'not for credentials (FD022) or the cluster DNS (FD020)',
  ],
  explanation: 'Several sources that fetch from the same server fail the same way at the same time: the server or the way to it is the cause, not each repository. An outage or a rate limit of the Git host or registry (Docker Hub limits anonymous pulls; short intervals on many sources use the quota up), a changed SSH host key (after a legitimate rotation every known_hosts entry must be updated), a certificate change, or a firewall or proxy between the cluster and that host. Fix it once; the sources recover at their next interval, and keep serving their last artifact meanwhile.',
  remediation: [
    { description: 'Host key changed ({hostKey}): compare it with the fingerprints the host publishes, then update known_hosts in the sources\' Secrets ({secrets}) with the new key', command: 'ssh-keyscan {host} 2>/dev/null' },
    { description: 'Server errors or rate limits ({server}): check the host\'s status page; for 429, authenticate the sources (spec.secretRef) or use a mirror, and lengthen their spec.interval' },
    { description: 'Cannot reach it ({unreachable}): test the path from the Flux namespace (egress firewall, proxy, NetworkPolicy)', command: 'kubectl --context {context} -n {fluxNamespace} run egress-check --rm -i --restart=Never --image=busybox:1.36 -- wget -q -T 10 -O /dev/null https://{host}/' },
    { description: 'Certificate not accepted ({tls}): see what {host} presents from inside the cluster (issuer, dates, names)', command: 'kubectl --context {context} -n {fluxNamespace} run tls-check --rm -i --restart=Never --image=alpine/openssl:3.3.2 -- s_client -connect {host}:443 -servername {host} -brief' },
  ],
  matchCluster({ index }) {
    const groups = new Map<string, { host: string; failure: HostFailure; refs: ObjRef[]; secrets: Set<string> }>();
    // Unknown authorities on several hosts are one interception (FD024), a far-off clock one skew (FD027): not one problem per host.
    const intercepted = interception(index).hosts.size >= 2 || clockSkew(index) !== null;
    const messageOf = new Map(failures(index).map((f) => [`${f.ref.kind}/${f.ref.namespace}/${f.ref.name}`, f.message]));
    for (const kind of KINDS) {
      for (const obj of index.objects(kind)) {
        if (isSuspended(obj)) continue;
        let failure: HostFailure | null;
        if (kind === 'ImageRepository') {
          const message = messageOf.get(`${kind}/${obj.metadata.namespace}/${obj.metadata.name}`);
          const net = message ? networkProblem(message) : null;
          failure = failureOf(net ? 'unreachable' : undefined, net ?? undefined);
        } else {
          const c = classify(obj, index);
          failure = failureOf(c?.cls, c?.detail);
        }
        const host = failure ? sourceHost(obj, index) : null;
        if (!failure || !host || (failure === 'tls' && intercepted)) continue;
        const key = `${host}|${failure}`;
        const g = groups.get(key) ?? { host, failure, refs: [], secrets: new Set<string>() };
        g.refs.push(refOf(obj));
        if (obj.spec?.secretRef?.name) g.secrets.add(`${obj.metadata.namespace}/${obj.spec.secretRef.name}`);
        groups.set(key, g);
      }
    }
    return [...groups.values()].filter((g) => g.refs.length >= 2).map((g) => ({
      object: { kind: 'Host', name: g.host },
      title: TITLES[g.failure](g.host, g.refs.length),
      evidence: [`${g.refs.length} sources fetching from ${g.host} fail the same way: ${listRefs(g.refs, 4)}`],
      vars: {
        host: g.host, fluxNamespace: index.cluster.fluxNamespace,
        [g.failure === 'host-key' ? 'hostKey' : g.failure]: g.failure === 'host-key' ? 'knownhosts mismatch' : g.failure === 'server' ? '5xx / 429' : g.failure === 'tls' ? 'TLS' : 'timeouts or refused connections',
        ...(g.secrets.size > 0 ? { secrets: [...g.secrets].join(', ') } : { secrets: 'none referenced' }),
      },
      explains: g.refs,
    }));
  },
});
