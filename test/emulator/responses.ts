// The bodies an apiserver answers with besides objects: metav1.Status failures with the reasons and messages
// clients (client-go, kubectl, fluxdiag's classifier) key on.
import type { Resource } from './discovery';
import type { Route } from './routes';

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const JSON_TYPE = { 'content-type': 'application/json' };

/** A JSON reply; `value` may be pre-serialised text (memoised discovery documents). */
export function json(status: number, value: unknown, headers: Record<string, string> = JSON_TYPE): Reply {
  return { status, headers, body: typeof value === 'string' ? value : JSON.stringify(value) };
}

/** A metav1.Status failure, the body every apiserver error carries (clients read `message` and `reason`). */
export function statusReply(code: number, reason: string, message: string, details?: Record<string, unknown>, headers?: Record<string, string>): Reply {
  return json(code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code }, { ...JSON_TYPE, ...headers });
}

export const NOT_FOUND = () => statusReply(404, 'NotFound', 'the server could not find the requested resource', {});
export const UNAUTHORIZED = () => statusReply(401, 'Unauthorized', 'Unauthorized');
export const METHOD_NOT_ALLOWED = () => statusReply(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
export const BAD_REQUEST = (message: string) => statusReply(400, 'BadRequest', message, {});

/** `kustomizations.kustomize.toolkit.fluxcd.io "x" not found` (`pods "x" not found` in the core group). */
export function notFoundObject(r: Resource, name: string): Reply {
  const resource = r.group ? `${r.plural}.${r.group}` : r.plural;
  return statusReply(404, 'NotFound', `${resource} "${name}" not found`, { name, ...(r.group ? { group: r.group } : {}), kind: r.plural });
}

/** The Status a real apiserver sends for each injected status code, with its usual message. */
export function faultStatus(code: 401 | 403 | 404 | 500, route: Route, method: string, path: string): Reply {
  switch (code) {
    case 401:
      return UNAUTHORIZED();
    case 404:
      return NOT_FOUND();
    case 500:
      return statusReply(500, 'InternalError', 'Internal error occurred: injected fault (fluxdiag API emulator)', {});
    case 403: {
      const user = 'system:serviceaccount:default:fluxdiag';
      if (route.type !== 'resource') return statusReply(403, 'Forbidden', `forbidden: User "${user}" cannot get path "${path}"`, {});
      const verb = method === 'PATCH' ? 'patch' : route.name === undefined ? 'list' : 'get';
      const resource = route.sub ? `${route.plural}/${route.sub}` : route.plural;
      const qualified = route.group ? `${route.plural}.${route.group}` : route.plural;
      const scope = route.namespace !== undefined ? `in the namespace "${route.namespace}"` : 'at the cluster scope';
      const subject = route.name !== undefined ? `${qualified} "${route.name}"` : qualified;
      return statusReply(403, 'Forbidden', `${subject} is forbidden: User "${user}" cannot ${verb} resource "${resource}" in API group "${route.group}" ${scope}`,
        { ...(route.name !== undefined ? { name: route.name } : {}), group: route.group, kind: route.plural });
    }
  }
}
