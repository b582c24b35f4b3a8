import type { ObjRef } from '../../flux/refs';
import { defineRule } from '../define';
import { controllerFlag } from './controller-health';
import { lookups, resolverFailed } from './dns';
import { failures, listRefs } from './failure-text';

type Transport = 'timeout' | 'refused' | 'no-such-host';

// kustomize-controller (fluxcd/pkg http/fetch: `failed to download archive: GET <url> giving up after N attempt(s): …`)
// and helm-controller (`Could not load chart: GET <url> giving up after …`) download artifacts over HTTP from
// source-controller's Service; the URL's host is what source-controller advertises (--storage-adv-addr).
const ARTIFACT_URL = /\b(?:GET|Get) "?http:\/\/(source-controller[^/\s"]*)\//;

function transportOf(message: string, host: string): Transport | null {
  const own = lookups(message).filter((l) => l.host === host);
  // A resolver that does not answer is the cluster DNS (FD020), not the artifact server.
  if (own.some(resolverFailed)) return null;
  if (own.some((l) => l.failure === 'no-such-host')) return 'no-such-host';
  if (/dial tcp [^\s:]+:\d+: (?:i\/o timeout|connect: (?:no route to host|network is unreachable))|Client\.Timeout exceeded while awaiting headers/.test(message)) return 'timeout';
  if (/dial tcp [^\s:]+:\d+: connect: connection refused/.test(message)) return 'refused';
  return null;
}

const TITLES: Record<Transport, (host: string) => string> = {
  timeout: (h) => `kustomize-controller and helm-controller cannot reach source-controller's artifact server ${h}: connections time out`,
  refused: (h) => `source-controller's artifact server ${h} refuses connections`,
  'no-such-host': (h) => `source-controller advertises its artifacts at ${h}, a name this cluster's DNS does not know`,
};

export default defineRule({
  code: 'FD021',
  slug: 'artifact-server-unreachable',
  category: 'source-unreachable',
  severity: 'error',
  kinds: ['Cluster'],
  title: 'source-controller\'s artifact server cannot be reached',
  signals: [
    'Kustomizations (`failed to download archive: GET http://source-controller.<ns>.svc.<domain>./… giving up after N attempt(s): …`) and HelmReleases (`Could not load chart: GET http://source-controller… giving up after …`) failing to download from the same source-controller host',
    'the transport error, read the same for all of them: `dial tcp <ip>:<port>: i/o timeout` (traffic dropped: NetworkPolicy, CNI), `connect: connection refused` (no ready endpoint on the port), `lookup <host> on …: no such host` (the advertised name does not exist: cluster domain mismatch, --storage-adv-addr)',
    'two or more objects with the same transport error, or one `no such host` on the advertised name; resolver timeouts are left to FD020 (cluster DNS)',
  ],
  explanation: 'source-controller fetches sources and serves them as tarballs over HTTP from its Service; kustomize-controller and helm-controller download every artifact from there, at the address source-controller advertises (--storage-adv-addr, `source-controller.<namespace>.svc.<cluster domain>.`). When that address cannot be reached, every Kustomization and HelmRelease fails to download while the sources themselves look Ready. Timeouts mean the traffic is dropped (a NetworkPolicy in the Flux namespace without Flux\'s allow rules, a CNI problem); refused means no ready source-controller pod behind the Service port; `no such host` means the advertised name uses a cluster domain other than this cluster\'s (installed with the default cluster.local on a cluster with another domain).',
  remediation: [
    { description: 'See source-controller\'s Service and its endpoints (a ready pod IP on the http port)', command: 'kubectl --context {context} -n {fluxNamespace} get svc,endpoints source-controller -o wide' },
    { description: 'Connections time out ({dropped}): list the NetworkPolicies of {fluxNamespace}; Flux\'s own allow-egress / allow-scraping / allow-webhooks let its controllers talk to each other, a stricter default-deny added later blocks them', command: 'kubectl --context {context} -n {fluxNamespace} get networkpolicy -o wide' },
    { description: 'Connections refused ({refused}): check the source-controller pods are Ready and listening (its readiness and recent restarts)', command: 'kubectl --context {context} -n {fluxNamespace} get pods -l app=source-controller -o wide' },
    { description: 'The advertised name {advertised} does not resolve ({domain}): read the cluster domain from a pod\'s DNS search list, then install Flux with it (flux bootstrap/install --cluster-domain=<domain>, or FluxInstance spec.cluster.domain), which sets --storage-adv-addr', command: 'kubectl --context {context} -n {fluxNamespace} run domain-check --rm -i --restart=Never --image=busybox:1.36 -- cat /etc/resolv.conf' },
    { description: 'Once fixed, download again', command: 'flux --context {context} reconcile kustomization flux-system -n {fluxNamespace}' },
  ],
  matchCluster({ index }) {
    const groups = new Map<string, { host: string; transport: Transport; refs: ObjRef[]; sample: string }>();
    for (const f of failures(index)) {
      if (f.ref.kind !== 'Kustomization' && f.ref.kind !== 'HelmRelease') continue;
      const host = f.message.match(ARTIFACT_URL)?.[1];
      if (!host) continue;
      const transport = transportOf(f.message, host);
      if (!transport) continue;
      const key = `${host}|${transport}`;
      const g = groups.get(key) ?? { host, transport, refs: [], sample: f.message.slice(f.message.lastIndexOf(': ', f.message.length - 2) + 2) };
      g.refs.push(f.ref);
      groups.set(key, g);
    }
    const ns = index.cluster.fluxNamespace;
    const hits = [];
    for (const g of groups.values()) {
      if (g.refs.length < 2 && g.transport !== 'no-such-host') continue;
      const advertised = controllerFlag(index, 'source-controller', '--storage-adv-addr');
      const tail = g.transport === 'no-such-host' ? `lookup ${g.host}: no such host` : g.transport === 'refused' ? 'connection refused' : 'i/o timeout';
      hits.push({
        object: { kind: 'Service', namespace: ns, name: 'source-controller' },
        title: TITLES[g.transport](g.host),
        evidence: [
          `${g.refs.length} object(s) cannot download from ${g.host} (${tail}): ${listRefs(g.refs)}`,
          ...(advertised ? [`source-controller runs with --storage-adv-addr=${advertised}`] : []),
        ],
        vars: {
          fluxNamespace: ns, advertised: g.host,
          ...(g.transport === 'timeout' ? { dropped: 'i/o timeout' } : {}),
          ...(g.transport === 'refused' ? { refused: 'connection refused' } : {}),
          ...(g.transport === 'no-such-host' ? { domain: 'cluster domain mismatch' } : {}),
        },
        explains: g.refs,
      });
    }
    return hits;
  },
});
