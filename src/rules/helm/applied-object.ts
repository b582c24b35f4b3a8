// The object a Helm v4 (Flux 2.8+) server-side apply error is about. helm/helm pkg/kube wraps the API error as
// `conflict occurred while applying object <ns>/<name> <group>/<version>, Kind=<Kind>: <err>` (409) or
// `server-side apply failed for object <ns>/<name> <group>/<version>, Kind=<Kind>: <err>`; the namespace is empty for
// cluster-scoped objects and the group for the core group (`/v1, Kind=ConfigMap`).

export interface AppliedObject {
  kind: string;
  name: string;
  namespace: string | null;
  apiVersion: string;
}

const APPLIED = /(?:conflict occurred while applying|server-side apply failed for) object ([^\s/]*)\/(\S+) (\S*), Kind=(\w+)/;

export function appliedObject(tail: string): AppliedObject | null {
  const m = tail.match(APPLIED);
  if (!m) return null;
  return { namespace: m[1] || null, name: m[2]!, apiVersion: m[3]!.replace(/^\//, ''), kind: m[4]! };
}

/** `Kind/ns/name` (or `Kind/name`). */
export function appliedRef(o: AppliedObject): string {
  return o.namespace ? `${o.kind}/${o.namespace}/${o.name}` : `${o.kind}/${o.name}`;
}
