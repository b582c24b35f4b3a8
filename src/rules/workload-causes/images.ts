// The kubelet's image events: pull failures (the registry's or runtime's answer says which case), invalid references.
import { registryOf } from '../cluster/source-host';
import type { RemediationTemplate } from '../types';
import type { EventFacts, WorkloadTrouble } from './cause';

export const PULL = /Failed to pull image "([^"]+)": ([^\n]*)/;

/** kubelet `Failed to pull image "<ref>": <runtime error>`: the registry's answer says which case. */
export function pullFailed(f: EventFacts, image: string, detail: string): WorkloadTrouble {
  const { name: pod, k, of } = f;
  const registry = registryOf(image) ?? image;
  const steps: RemediationTemplate[] = [{ description: 'See the pull errors of the pod', command: `${k} describe pod ${pod}` }];
  if (/\bnot found\b|manifest unknown|NotFound/i.test(detail)) {
    return of(4, `image-missing:${image}`, `image ${image} does not exist in the registry`,
      `The kubelet cannot pull ${image}: the registry says the tag or digest does not exist (a tag not pushed yet, a typo, an image deleted). Fix the image reference in the manifest or chart values, or push the image.`, steps);
  }
  if (/unauthorized|\b401\b|\b403\b|forbidden|denied|no basic auth credentials|authorization failed|authentication required/i.test(detail)) {
    return of(4, `image-auth:${registry}`, `pulling image ${image} is denied by ${registry}`,
      `The registry ${registry} refuses to let the node pull ${image}: the pod has no or wrong imagePullSecrets for a private image, the pull secret's credentials expired, or (on some registries) the image does not exist. Fix the pull secret (and the ServiceAccount that references it) or the image reference.`,
      [...steps, { description: 'See the pull secrets of the pods\' ServiceAccount', command: `${k} get serviceaccounts -o yaml` }], { root: { kind: 'Host', name: registry }, title: `${registry} denies image pulls` });
  }
  if (/toomanyrequests|\b429\b|rate limit/i.test(detail)) {
    return of(4, `image-ratelimit:${registry}`, `${registry} rate-limits pulls of ${image}`,
      `The registry ${registry} refuses more pulls for now (rate limit; Docker Hub limits anonymous pulls per IP). Use authenticated pulls, a mirror or a pull-through cache.`, steps, { root: { kind: 'Host', name: registry }, title: `${registry} rate-limits image pulls` });
  }
  if (/x509: |tls: failed to verify certificate/i.test(detail)) {
    return of(4, `image-tls:${registry}`, `the nodes do not trust the certificate of registry ${registry}`,
      `The node's container runtime refuses the TLS certificate of ${registry} (signed by a private CA the node does not trust, expired, or for another name), so ${image} cannot be pulled. Add the CA to the nodes' runtime configuration (containerd certs.d) or fix the registry's certificate; it concerns every image from that registry.`, steps,
      { root: { kind: 'Host', name: registry }, title: `the nodes do not trust the certificate of registry ${registry}` });
  }
  if (/dial tcp|i\/o timeout|no such host|connection refused|TLS handshake timeout|context deadline exceeded/i.test(detail)) {
    return of(4, `image-unreachable:${registry}`, `the nodes cannot reach registry ${registry} to pull ${image}`,
      `The node cannot reach ${registry} (DNS, egress firewall, proxy, or the registry's certificate), so ${image} cannot be pulled. It concerns every image from that registry, not only this workload.`, steps, { root: { kind: 'Host', name: registry }, title: `the nodes cannot reach registry ${registry}` });
  }
  return genericPull(f, image);
}

export function genericPull(f: EventFacts, image: string | null): WorkloadTrouble {
  const { ns, name: pod, of } = f;
  return of(5, `image:${image ?? `${ns}/${pod}`}`, `pod ${ns}/${pod} cannot pull ${image ? `image ${image}` : 'its image'} (ImagePullBackOff)`,
    `The kubelet cannot pull ${image ?? 'an image'} for pod ${ns}/${pod}: the image or tag does not exist, the registry needs credentials the pod lacks, or the node cannot reach the registry. The pod's events say which.`,
    [{ description: 'See the pull errors of the pod', command: `kubectl --context {context} -n ${ns} describe pod ${pod}` }]);
}

/** InspectFailed (an invalid image reference) and ErrImageNeverPull (imagePullPolicy: Never, image not on the node). */
export function badImage(f: EventFacts): WorkloadTrouble {
  const { e, ns, name, message, k, of } = f;
    return of(4, `image:${ns}/${name}`, `pod ${ns}/${name} cannot use its image: ${message.split('\n')[0]}`,
      e.reason === 'InspectFailed'
        ? `The kubelet cannot use the image reference of a container in pod ${ns}/${name} (an invalid reference: a typo, an empty tag, an unsubstituted variable). Fix the image in the manifest or chart values.`
        : `A container of pod ${ns}/${name} has imagePullPolicy: Never and its image is not on the node. Set the policy to IfNotPresent or pre-load the image.`,
      [{ description: 'See the image references of the pod', command: `${k} describe pod ${name}` }]);
}

/** The image of an `image does not exist` trouble (pullFailed's key), or null for any other cause. */
export function missingImage(trouble: Pick<WorkloadTrouble, 'key'>): string | null {
  return trouble.key.startsWith('image-missing:') ? trouble.key.slice('image-missing:'.length) : null;
}

/**
 * The repository path an image sits under, registry included, without tag or digest: `bitnami/redis:7.2` →
 * `docker.io/bitnami`, `ghcr.io/acme/team/api@sha256:…` → `ghcr.io/acme/team`; null for an image at the registry's
 * top level of a registry other than Docker Hub (`redis` is `docker.io/library/redis`, Docker Hub's official images).
 */
export function repositoryPath(image: string): string | null {
  const registry = registryOf(image);
  if (!registry) return null;
  const name = image.replace(/@sha256:[0-9a-f]+$/i, '').replace(/:[^/:]+$/, '');
  const parts = name.split('/');
  if (parts.length > 1 && /[.:]|^localhost$/.test(parts[0]!)) parts.shift();
  if (parts.length === 1 && registry === 'docker.io') parts.unshift('library');
  return parts.length >= 2 ? `${registry}/${parts.slice(0, -1).join('/')}` : null;
}
