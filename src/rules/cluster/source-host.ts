// The server a source fetches from: the host of spec.url (or a Bucket's spec.endpoint, an ImageRepository's registry).
import type { ClusterIndex } from '../../snapshot/indexes';
import type { KubeObject } from '../../snapshot/schema';
import { chartSource } from '../source/classify';
import { hostOf } from '../source/rule';

/** Docker Hub answers under several names; its rate limit is one. */
function canonical(host: string): string {
  const h = host.toLowerCase();
  return h === 'index.docker.io' || h === 'registry-1.docker.io' ? 'docker.io' : h;
}

/** Docker Hub's short names (`nginx`, `library/nginx`, `docker.io/x`) all pull from one registry. */
export function registryOf(image: unknown): string | null {
  if (typeof image !== 'string' || !image) return null;
  const first = image.split('/')[0]!;
  return image.includes('/') && /[.:]|^localhost$/.test(first) ? canonical(first) : 'docker.io';
}

export function sourceHost(obj: KubeObject, index: ClusterIndex): string | null {
  if (obj.kind === 'ImageRepository') return registryOf(obj.spec?.image);
  const from = obj.kind === 'HelmChart' ? (chartSource(obj) ? index.get(chartSource(obj)!) : undefined) : obj;
  const host = from ? hostOf(from) : null;
  return host ? canonical(host) : null;
}
