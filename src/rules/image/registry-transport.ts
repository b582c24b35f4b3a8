// The two registry failures that are about how image-reflector-controller talks to the registry, not about what it
// may read: a plain-HTTP registry (spec.insecure) and a certificate it does not trust (spec.certSecretRef).
import type { KubeObject } from '../../snapshot/schema';
import type { RuleHit } from '../types';

/** The registry host: from the URL in the message (`Get "https://<host>/v2/"`), else the first part of spec.image. */
export function registryHost(obj: KubeObject, message: string): string | null {
  const url = message.match(/(?:Get|GET|Head|HEAD) "?https?:\/\/([^/"\s]+)/);
  if (url) return url[1]!;
  const image = typeof obj.spec?.image === 'string' ? obj.spec.image : '';
  const first = image.split('/')[0] ?? '';
  return image.includes('/') && /[.:]|^localhost$/.test(first) ? first : null;
}

export function transportHit(problem: 'insecure' | 'tls', vars: Record<string, string>, host: string | null): Partial<RuleHit> {
  const where = host ?? 'the registry';
  if (problem === 'insecure') {
    return {
      vars: { ...vars, registryHost: where },
      title: `Registry ${where} serves plain HTTP: the ImageRepository needs spec.insecure: true`,
      remediation: [{ description: 'Image scans use HTTPS unless spec.insecure is true: set spec.insecure: true on the ImageRepository in Git (or serve {registryHost} over HTTPS), then scan again', command: 'flux --context {context} reconcile image repository {name} -n {namespace}' }],
    };
  }
  return {
    vars: { ...vars, registryHost: where },
    title: `Registry ${where} presents a certificate image-reflector-controller does not trust`,
    remediation: [{ description: 'Put the CA of {registryHost} in a Secret (key ca.crt) and reference it in spec.certSecretRef of the ImageRepository in Git; behind a TLS-intercepting proxy that is the proxy\'s CA', command: 'kubectl --context {context} -n {namespace} create secret generic {name}-ca --from-file=ca.crt=<path/to/ca.crt>' }],
  };
}
