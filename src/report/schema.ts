// The JSON contract of `--json` / `-o json|yaml`. Fields are only ever added, never renamed.
// `fluxdiag schema` prints these schemas as JSON Schema.
import { z } from 'zod';
import { CollectionError, ErrorCode } from '../snapshot/schema';
import { CATEGORIES, REPORT_API_VERSION, SEVERITIES } from './constants';

export { CATEGORIES, REPORT_API_VERSION, SEVERITIES };

export const Category = z.enum(CATEGORIES);
export type Category = z.infer<typeof Category>;

export const Severity = z.enum(SEVERITIES);
export type Severity = z.infer<typeof Severity>;

export const ObjectRef = z.object({
  kind: z.string(),
  namespace: z.string().optional(),
  name: z.string(),
});

export const Remediation = z.object({
  description: z.string(),
  /** A complete command with the cluster's --context, namespace and name filled in. */
  command: z.string().optional(),
});
export type Remediation = z.infer<typeof Remediation>;

export const Finding = z.object({
  rule: z.string().describe('Stable rule code, e.g. FD120'),
  slug: z.string(),
  category: Category,
  severity: Severity,
  object: ObjectRef,
  title: z.string(),
  explanation: z.string(),
  /** Quotes from the cluster (condition messages, event messages), credentials redacted. */
  evidence: z.array(z.string()),
  /** When the problem started (the condition's lastTransitionTime), if known. */
  since: z.string().nullable(),
  /** The deepest failing or suspended object this finding's object is blocked by; null when it is a root. */
  rootCause: ObjectRef.nullable(),
  /** Objects downstream of this one (transitively) that cannot progress while it fails: its blast radius. */
  blocks: z.array(ObjectRef),
  remediation: z.array(Remediation),
});
export type Finding = z.infer<typeof Finding>;

export const ResourceStatus = z.object({
  kind: z.string(),
  namespace: z.string().optional(),
  name: z.string(),
  ready: z.string().describe('Ready condition status: True, False, Unknown, or - for kinds without status'),
  state: z.enum(['ready', 'failing', 'progressing', 'suspended', 'unknown', 'static']),
  suspended: z.boolean(),
  revision: z.string().nullable(),
  reason: z.string().nullable(),
  message: z.string().nullable(),
  since: z.string().nullable(),
});
export type ResourceStatus = z.infer<typeof ResourceStatus>;

export const ControllerStatus = z.object({
  name: z.string(),
  ready: z.boolean(),
  version: z.string().nullable(),
  replicas: z.number(),
  readyReplicas: z.number(),
  restarts: z.number(),
  reason: z.string().nullable(),
});

export const Counts = z.object({
  total: z.number(),
  ready: z.number(),
  failing: z.number(),
  suspended: z.number(),
  progressing: z.number(),
});
export type Counts = z.infer<typeof Counts>;

export const ClusterReport = z.object({
  name: z.string(),
  context: z.string().nullable(),
  server: z.string().nullable(),
  reachable: z.boolean(),
  error: z.object({ code: ErrorCode, message: z.string() }).nullable(),
  collectedAt: z.string(),
  flux: z.object({ version: z.string().nullable(), distribution: z.string().nullable(), controllers: z.array(ControllerStatus) }),
  summary: Counts,
  kinds: z.array(Counts.extend({ kind: z.string() })),
  resources: z.array(ResourceStatus),
  findings: z.array(Finding),
  collectionErrors: z.array(CollectionError),
});
export type ClusterReport = z.infer<typeof ClusterReport>;


export const Report = z.object({
  apiVersion: z.literal(REPORT_API_VERSION),
  kind: z.literal('Report'),
  generatedAt: z.string(),
  summary: z.object({
    clusters: z.number(),
    unreachable: z.number(),
    findings: z.object({ error: z.number(), warning: z.number(), info: z.number() }),
  }),
  clusters: z.array(ClusterReport),
});
export type Report = z.infer<typeof Report>;
