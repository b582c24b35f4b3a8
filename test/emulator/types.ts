// Public types of the Kubernetes API emulator. Kept in one place so tests, benchmarks and main.ts
// share one vocabulary without importing the server internals.
import type { KubeObject } from '../../src/snapshot/schema';

export interface ClusterSpec {
  name: string;
  /** Everything this cluster stores: Flux objects, Events, Deployments, Pods, Secrets, ConfigMaps, Jobs, Namespaces… */
  objects: KubeObject[];
  /** Bearer token the cluster accepts; random per cluster by default so a kubeconfig mix-up shows as a 401. */
  token?: string;
  /** Delay added before every answer, to model a distant API server. */
  latencyMs?: number;
  /** Pod logs: key `namespace/pod` or `namespace/pod/container` → log text. */
  logs?: Record<string, string>;
  /**
   * Flux kind → served versions. Kinds left out get the default: `versions[0]` of the descriptor plus every version
   * a loaded object uses. `[]` means the CRD is absent: the kind disappears from discovery and its paths 404.
   */
  served?: Record<string, string[]>;
  /** `gitVersion` of /version; default v1.32.4. */
  serverVersion?: string;
}

/** Which requests a fault applies to. Every given field must match; an empty match applies to every request. */
export interface FaultMatch {
  /** Resource plural, e.g. `helmreleases` or `events` (subresources such as `pods/log` match `pods`). */
  resource?: string;
  /** API group; `''` is the core group. */
  group?: string;
  namespace?: string;
  /** A string matches the exact URL path (no query); a RegExp is tested against the path. */
  path?: string | RegExp;
  method?: string;
}

export type Fault =
  | { kind: 'status'; status: 401 | 403 | 404 | 500; match: FaultMatch; times?: number }
  /** 429 with a Retry-After header, as API priority and fairness answers. */
  | { kind: 'throttle'; retryAfterSeconds: number; match: FaultMatch; times?: number }
  /** Headers and part of the body, then the connection (HTTP/1.1) or stream (HTTP/2) is cut. */
  | { kind: 'reset'; match: FaultMatch; times?: number }
  /** The request is accepted and never answered, until the client gives up or the emulator closes. */
  | { kind: 'hang'; match: FaultMatch; times?: number };

export interface RequestLogEntry {
  /** Epoch milliseconds when the request arrived. */
  time: number;
  method: string;
  /** URL path without the query. */
  path: string;
  query: Record<string, string>;
  /** HTTP status sent; 0 for a hung request (logged when it starts hanging). */
  status: number;
  durationMs: number;
  userAgent?: string;
  accept?: string;
  /** HTTP version the client used ('1.1' or '2.0'). */
  httpVersion: string;
  /** 'gzip' when the body was sent compressed (over 128 KiB, to a client accepting gzip). */
  contentEncoding?: string;
  /** The fault applied to this request, if any. */
  fault?: Fault['kind'];
}

export interface PatchRecord {
  path: string;
  /** The parsed JSON merge patch. */
  body: unknown;
  time: number;
}

export interface KubeconfigOptions {
  /** `token` (default) writes the bearer token; `exec` makes each user an exec credential plugin printing it. */
  auth?: 'token' | 'exec';
  /** More contexts, e.g. one pointing at a closed port to model an unreachable cluster. */
  extraContexts?: { name: string; server: string; token?: string }[];
  /** Context name for an emulated cluster; default: the cluster name. */
  contextName?: (clusterName: string) => string;
  /** Default: the first context. */
  currentContext?: string;
}
