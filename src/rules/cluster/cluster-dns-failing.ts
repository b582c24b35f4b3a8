import type { ObjRef } from '../../flux/refs';
import { defineRule } from '../define';
import { inClusterName, lookups, resolverFailed } from './dns';
import { failures, listRefs, listSome } from './failure-text';

/** kube-dns is the Service name of the cluster DNS on kubeadm, EKS, GKE, AKS, k3s and OpenShift's compatibility alias alike. */
const CLUSTER_DNS: ObjRef = { kind: 'Service', namespace: 'kube-system', name: 'kube-dns' };

export default defineRule({
  code: 'FD020',
  slug: 'cluster-dns-failing',
  category: 'source-unreachable',
  severity: 'error',
  kinds: ['Cluster'],
  title: 'Cluster DNS does not answer the Flux controllers',
  signals: [
    'Go resolver errors in failing objects\' Ready/Stalled/FetchFailed messages: `lookup <name> on <server>:53: read udp …: i/o timeout`, `… server misbehaving`, `… connect: connection refused|network is unreachable`',
    'the same resolver failing for two or more Flux objects, or for an in-cluster name (`*.svc.<domain>.`, e.g. source-controller\'s artifact host), which only the cluster DNS answers',
    'the failing objects (sources, and Kustomizations/HelmReleases downloading artifacts) are linked to it as their root cause',
  ],
  explanation: 'The Flux controllers resolve every host through the cluster DNS (CoreDNS or kube-dns, the Service kube-system/kube-dns). When it does not answer, every fetch fails at once: Git clones, Helm index and OCI pulls, and even kustomize-controller and helm-controller downloading artifacts from source-controller by its Service name. The objects each report a DNS error of their own; the cause is one: the DNS pods are down, overloaded or not reachable (NetworkPolicy, CNI), or their upstream forwarders do not answer. Nothing needs to change in the Flux objects.',
  remediation: [
    { description: 'See the cluster DNS pods, Service and endpoints', command: 'kubectl --context {context} -n kube-system get pods,svc,endpoints -l k8s-app=kube-dns -o wide' },
    { description: 'Read the DNS pods\' logs (upstream timeouts, crash loops, loop detection)', command: 'kubectl --context {context} -n kube-system logs -l k8s-app=kube-dns --tail=50 --prefix' },
    { description: 'Resolve {host} from the Flux namespace the way the controllers do', command: 'kubectl --context {context} -n {fluxNamespace} run dns-check --rm -i --restart=Never --image=busybox:1.36 -- nslookup {host}' },
    { description: 'If only external names fail: check the upstream forwarders of CoreDNS (the forward plugin) and the nodes\' egress to them', command: 'kubectl --context {context} -n kube-system get configmap coredns -o yaml' },
    { description: 'If the DNS pods are healthy: look for a NetworkPolicy in {fluxNamespace} that blocks egress to port 53', command: 'kubectl --context {context} -n {fluxNamespace} get networkpolicy' },
    { description: 'Once DNS answers, the controllers recover on their own at their next retry; `flux reconcile` one of the objects to retry it now' },
  ],
  matchCluster({ index }) {
    // Per resolver: the objects whose lookups it failed, and the names.
    const byServer = new Map<string, { refs: ObjRef[]; hosts: Set<string>; inCluster: boolean; details: Set<string> }>();
    for (const f of failures(index)) {
      const failed = lookups(f.message).filter(resolverFailed);
      if (failed.length === 0) continue;
      const server = failed[0]!.server ?? 'the cluster resolver';
      const entry = byServer.get(server) ?? { refs: [], hosts: new Set<string>(), inCluster: false, details: new Set<string>() };
      entry.refs.push(f.ref);
      for (const l of failed) {
        entry.hosts.add(l.host);
        entry.details.add(l.detail.replace(/\d+\.\d+\.\d+\.\d+:\d+->/, '').replace(/^read udp /, ''));
        if (inClusterName(l.host)) entry.inCluster = true;
      }
      byServer.set(server, entry);
    }
    const hits = [];
    for (const [server, e] of byServer) {
      if (e.refs.length < 2 && !e.inCluster) continue;
      const hosts = [...e.hosts];
      const external = hosts.find((h) => !inClusterName(h));
      hits.push({
        object: CLUSTER_DNS,
        title: `Cluster DNS does not answer: lookups on ${server} fail for ${e.refs.length} Flux object(s) (${hosts.slice(0, 3).join(', ')}${hosts.length > 3 ? ', …' : ''})`,
        evidence: [
          `lookups on ${server} failed (${[...e.details].slice(0, 2).join('; ')}) for ${listRefs(e.refs)}`,
          `names not resolved: ${listSome(hosts, 6)}`,
          ...(e.inCluster ? ['in-cluster Service names fail too: the cluster DNS itself is not answering, not only its upstream'] : []),
        ],
        vars: { host: external ?? hosts[0]!, fluxNamespace: index.cluster.fluxNamespace },
        explains: e.refs,
      });
    }
    return hits;
  },
});
