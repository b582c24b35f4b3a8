// The Snapshot: everything fluxdiag knows about a set of clusters at one moment.
// Live collection and offline loading both produce it; the rules read nothing else.
// Kubernetes objects are kept whole (loose objects), so fields fluxdiag does not model survive a save/load.
import { z } from 'zod';
import type { HelmReleaseRecord } from './helm-storage';

export const ObjectMeta = z.looseObject({
  name: z.string(),
  namespace: z.string().optional(),
  uid: z.string().optional(),
  generation: z.number().optional(),
  creationTimestamp: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});

/** Any Kubernetes object, as the API server returns it. Unknown fields are preserved. */
export const KubeObject = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: ObjectMeta,
});
export type KubeObject = z.infer<typeof KubeObject> & { spec?: any; status?: any; [key: string]: any };

export const ControllerPod = z.object({
  name: z.string(),
  phase: z.string().nullable(),
  ready: z.boolean(),
  restarts: z.number(),
  /** Reason of a container that is waiting (CrashLoopBackOff, ImagePullBackOff, ...). */
  waitingReason: z.string().nullable(),
  /** Reason of the last termination (OOMKilled, Error, ..., or Evicted for the whole pod), with when it happened. */
  lastTermination: z.object({
    reason: z.string().nullable(), exitCode: z.number().nullable(), finishedAt: z.string().nullable(),
    /** The kubelet's message for an evicted pod (which resource ran out). */
    message: z.optional(z.string()),
  }).nullable(),
  startedAt: z.string().nullable(),
});
export type ControllerPod = z.infer<typeof ControllerPod>;

export const Controller = z.object({
  name: z.string(),
  namespace: z.string(),
  image: z.string().nullable(),
  version: z.string().nullable(),
  /** Desired replicas; 0 means scaled down. */
  replicas: z.number(),
  readyReplicas: z.number(),
  ready: z.boolean(),
  /** The Deployment is absent but its pods were seen (or the reverse). */
  deploymentFound: z.boolean(),
  pods: z.array(ControllerPod),
});
export type Controller = z.infer<typeof Controller>;

/** A Flux kind the cluster serves, and the version fluxdiag read it with. */
export const ServedKind = z.object({
  kind: z.string(),
  group: z.string(),
  plural: z.string(),
  version: z.string(),
  versions: z.array(z.string()),
});
export type ServedKind = z.infer<typeof ServedKind>;

export const ErrorCode = z.enum([
  'Unreachable', 'Timeout', 'Unauthorized', 'Forbidden', 'NotFound', 'TooManyRequests', 'ServerError',
  'ConnectionReset', 'TLSError', 'BadResponse', 'ConfigError',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** Something fluxdiag tried to read and could not. Each one becomes a finding: nothing unread is reported healthy. */
export const CollectionError = z.object({
  /** What could not be read: a Flux kind, `events`, `controllers`, `discovery`, or `cluster`. */
  target: z.string(),
  resource: z.string().nullable(),
  code: ErrorCode,
  status: z.number().nullable(),
  message: z.string(),
});
export type CollectionError = z.infer<typeof CollectionError>;

const clusterFields = {
  name: z.string(),
  context: z.string().nullable(),
  server: z.string().nullable(),
  collectedAt: z.string(),
  origin: z.enum(['live', 'snapshot', 'manifests']),
  reachable: z.boolean(),
  error: z.object({ code: ErrorCode, message: z.string() }).nullable(),
  fluxNamespace: z.string(),
  flux: z.object({ version: z.string().nullable(), distribution: z.string().nullable() }),
  /** Served Flux kinds from discovery; null when unknown (plain manifests carry no discovery). */
  served: z.array(ServedKind).nullable(),
  controllers: z.array(Controller),
  /** Flux objects of every kind. */
  objects: z.array(KubeObject),
  /** Events whose involvedObject is a Flux object (and, for explain, its workloads). */
  events: z.array(KubeObject),
  /** Other objects read: controller Deployments/Pods, and for explain the workloads, Jobs, ConfigMap/Secret metadata. */
  resources: z.array(KubeObject),
  errors: z.array(CollectionError),
  /** Extra material gathered for `explain`: controller log lines and Helm release metadata. */
  details: z.optional(z.looseObject({
    logs: z.optional(z.array(z.looseObject({ controller: z.string(), pod: z.string(), lines: z.array(z.string()) }))),
    helmReleases: z.optional(z.array(z.looseObject({ name: z.string(), namespace: z.string(), version: z.number() }))),
    checkedRefs: z.optional(z.array(z.string())),
    workloadsChecked: z.optional(z.boolean()),
  })),
};
/** Unknown fields (from newer fluxdiag versions) are kept on load. */
export const ClusterSnapshot = z.looseObject(clusterFields);
const ClusterSnapshotShape = z.object(clusterFields);
export type ClusterSnapshot = Omit<z.infer<typeof ClusterSnapshotShape>, 'objects' | 'events' | 'resources' | 'details'> & {
  objects: KubeObject[];
  events: KubeObject[];
  resources: KubeObject[];
  details?: {
    logs?: { controller: string; pod: string; lines: string[] }[];
    helmReleases?: HelmReleaseRecord[];
    /** References (`Kind/ns/name`) explain looked up; absent from resources means they do not exist. */
    checkedRefs?: string[];
    /** Whether the workloads of the explained object were read. */
    workloadsChecked?: boolean;
    [key: string]: unknown;
  };
};

export const SNAPSHOT_API_VERSION = 'fluxdiag/v1';

export const Snapshot = z.object({
  apiVersion: z.literal(SNAPSHOT_API_VERSION),
  kind: z.literal('Snapshot'),
  generatedAt: z.string(),
  clusters: z.array(ClusterSnapshot),
});
export type Snapshot = { apiVersion: typeof SNAPSHOT_API_VERSION; kind: 'Snapshot'; generatedAt: string; clusters: ClusterSnapshot[] };
