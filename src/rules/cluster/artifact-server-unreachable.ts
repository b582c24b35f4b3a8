import type { ObjRef } from '../../flux/refs';
import { defineRule } from '../define';
import { controllerFlag } from './controller-health';
import { artifactDownloads, type Transport } from './artifact-downloads';
import { controllerProblems } from './controller-health';
import { listRefs } from './failure-text';

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
  matchCluster({ index, now }) {
    // source-controller not running explains refused downloads by itself (FD010 links them).
    if (controllerProblems(index, now).get('source-controller')?.running === false) return [];
    const groups = new Map<string, { host: string; transport: Transport; refs: ObjRef[] }>();
    for (const d of artifactDownloads(index)) {
      const key = `${d.host}|${d.transport}`;
      const g = groups.get(key) ?? { host: d.host, transport: d.transport, refs: [] };
      g.refs.push(d.ref);
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
