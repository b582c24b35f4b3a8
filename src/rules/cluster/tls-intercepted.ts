import { isSuspended } from '../../flux/conditions';
import { refOf, type ObjRef } from '../../flux/refs';
import type { ClusterIndex } from '../../snapshot/indexes';
import { defineRule } from '../define';
import { controllerRef } from '../shared';
import { failures, listRefs, listSome } from './failure-text';
import { sourceHost } from './source-host';

// Go's crypto/x509 UnknownAuthorityError: the chain ends at a CA the controller's trust store does not hold.
const UNKNOWN_AUTHORITY = /x509: certificate signed by unknown authority/;
const KINDS = new Set(['GitRepository', 'OCIRepository', 'HelmRepository', 'HelmChart', 'Bucket', 'ImageRepository']);

/** Sources failing on an unknown authority, and their hosts: two or more hosts means interception. */
const INTERCEPTION = new WeakMap<ClusterIndex, { members: ObjRef[]; hosts: Set<string> }>();

export function interception(index: ClusterIndex): { members: ObjRef[]; hosts: Set<string> } {
  const memo = INTERCEPTION.get(index);
  if (memo) return memo;
  const members: ObjRef[] = [];
  const hosts = new Set<string>();
  for (const f of failures(index)) {
    if (!KINDS.has(f.ref.kind) || !UNKNOWN_AUTHORITY.test(f.message)) continue;
    const obj = index.get(f.ref);
    const host = obj && !isSuspended(obj) ? sourceHost(obj, index) : null;
    if (!host) continue;
    members.push(refOf(obj!));
    hosts.add(host);
  }
  const result = { members, hosts };
  INTERCEPTION.set(index, result);
  return result;
}

export default defineRule({
  code: 'FD024',
  slug: 'tls-intercepted',
  category: 'source-unreachable',
  severity: 'error',
  kinds: ['Cluster'],
  title: 'Unrelated hosts all present certificates from an unknown authority',
  signals: [
    'sources (and ImageRepositories) on two or more different hosts failing with `x509: certificate signed by unknown authority` at once: public hosts do not all change CA together, something on the way re-signs TLS (a proxy or firewall doing TLS inspection, or a changed inspection CA)',
    'the finding is on source-controller\'s Deployment (image-reflector-controller\'s when only ImageRepositories fail) and names whether HTTPS_PROXY/HTTP_PROXY is set on it (names only, never values); the sources are linked to it',
  ],
  explanation: 'Several sources on unrelated hosts (github.com, ghcr.io, a Helm repository) fail TLS verification the same way at the same time. Those hosts did not all switch to an unknown CA: the connection is intercepted on the way out, by a corporate proxy or firewall that inspects TLS and re-signs with its own CA, and the controllers do not trust that CA (it is new, or was never given to them). Give the controllers the inspection CA (the Flux installation can mount a CA bundle and point SSL_CERT_FILE/SSL_CERT_DIR at it, or each source can carry it in spec.certSecretRef), or exempt these hosts from inspection. Adding each host\'s public CA does not help.',
  remediation: [
    { description: 'See which proxy settings {name} runs with (variable names only)', command: 'kubectl --context {context} -n {namespace} get deploy {name} -o jsonpath=\'{range .spec.template.spec.containers[0].env[*]}{.name}{"\\n"}{end}\'' },
    { description: 'See which CA actually signs what the controller receives, from inside the cluster', command: 'kubectl --context {context} -n {namespace} run tls-check --rm -i --restart=Never --image=alpine/openssl:3.3.2 -- s_client -connect {host}:443 -servername {host} -showcerts' },
    { description: 'Give the controllers the inspection CA through the Flux installation (a CA bundle mounted into the controllers with SSL_CERT_FILE/SSL_CERT_DIR, via FluxInstance spec.kustomize.patches or flux-system/kustomization.yaml patches), or exclude these hosts from TLS inspection / add them to NO_PROXY' },
  ],
  matchCluster({ index }) {
    const { members, hosts } = interception(index);
    if (hosts.size < 2) return [];
    const name = members.some((r) => r.kind !== 'ImageRepository') ? 'source-controller' : 'image-reflector-controller';
    const env: any[] = index.resource(controllerRef(index, name))?.spec?.template?.spec?.containers?.[0]?.env ?? [];
    const proxies = env.map((e) => String(e?.name ?? '')).filter((n) => /^(HTTPS?|ALL|NO)_PROXY$/i.test(n));
    const list = [...hosts];
    return [{
      object: controllerRef(index, name),
      title: `${list.length} unrelated hosts present certificates from an authority ${name} does not trust: TLS is intercepted on the way out`,
      evidence: [
        `x509: certificate signed by unknown authority from ${listSome(list, 5)}, for ${listRefs(members, 4)}`,
        proxies.length > 0 ? `${name} runs with ${proxies.join(', ')} set: its traffic goes through a proxy` : `${name} has no proxy variables: interception happens in the network (a transparent proxy or firewall)`,
      ],
      vars: { host: list[0]! },
      explains: members,
    }];
  },
});
