// URL paths → the apiserver's route shapes (discovery documents, resources, subresources).

export type Route =
  | { type: 'root' | 'version' | 'health' | 'api' | 'apis' | 'notFound' }
  | { type: 'group'; group: string }
  | { type: 'groupVersion'; group: string; version: string }
  | { type: 'resource'; group: string; version: string; plural: string; namespace?: string; name?: string; sub?: string };

/** Maps a URL path onto the apiserver's route shapes. */
export function parseRoute(path: string): Route {
  const segs = path.split('/').filter((s) => s.length > 0).map((s) => decodeURIComponent(s));
  const [head, a, b] = segs;
  if (segs.length === 0) return { type: 'root' };
  if (segs.length === 1 && head === 'version') return { type: 'version' };
  if (segs.length === 1 && (head === 'healthz' || head === 'livez' || head === 'readyz')) return { type: 'health' };
  let group: string;
  let version: string;
  let rest: string[];
  if (head === 'api') {
    if (segs.length === 1) return { type: 'api' };
    if (a !== 'v1') return { type: 'notFound' };
    if (segs.length === 2) return { type: 'groupVersion', group: '', version: 'v1' };
    [group, version, rest] = ['', 'v1', segs.slice(2)];
  } else if (head === 'apis') {
    if (segs.length === 1) return { type: 'apis' };
    if (segs.length === 2) return { type: 'group', group: a! };
    if (segs.length === 3) return { type: 'groupVersion', group: a!, version: b! };
    [group, version, rest] = [a!, b!, segs.slice(3)];
  } else {
    return { type: 'notFound' };
  }
  // `namespaces/NAME/status|finalize` are the Namespace's own subresources, not a resource inside it.
  if (rest[0] === 'namespaces' && rest.length >= 3 && !(rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize'))) {
    if (rest.length > 5) return { type: 'notFound' };
    return { type: 'resource', group, version, namespace: rest[1], plural: rest[2]!, name: rest[3], sub: rest[4] };
  }
  if (rest.length > 3) return { type: 'notFound' };
  return { type: 'resource', group, version, plural: rest[0]!, name: rest[1], sub: rest[2] };
}
