// Turns raw objects (from the API or from files) into a ClusterSnapshot. Live collection and offline
// loading share this, so a saved dump and a live read of the same cluster give the same report.
import { fluxKind, isFluxApiVersion } from '../flux/kinds';
import { deriveControllers } from './controllers';
import { decodeHelmReleaseSecret, isHelmReleaseSecret } from './helm-storage';
import { sanitize } from './sanitize';
import { compareText } from '../util/compare';
import type { ClusterSnapshot, CollectionError, ErrorCode, KubeObject, ServedKind } from './schema';

export interface BuildInput {
  name: string;
  context: string | null;
  server: string | null;
  collectedAt: string;
  origin: ClusterSnapshot['origin'];
  fluxNamespace: string;
  objects: KubeObject[];
  served: ServedKind[] | null;
  errors: CollectionError[];
  error?: { code: ErrorCode; message: string } | null;
  logs?: { controller: string; pod: string; lines: string[] }[];
}

export function isFluxObject(obj: KubeObject): boolean {
  return isFluxApiVersion(obj.apiVersion) && fluxKind(obj.kind) !== undefined;
}

function byIdentity(a: KubeObject, b: KubeObject): number {
  return compareText(a.kind, b.kind) || compareText(a.metadata.namespace ?? '', b.metadata.namespace ?? '') || compareText(a.metadata.name, b.metadata.name)
    || compareText(a.apiVersion, b.apiVersion);
}

export function buildCluster(input: BuildInput): ClusterSnapshot {
  const objects: KubeObject[] = [];
  const events: KubeObject[] = [];
  const resources: KubeObject[] = [];
  const helmReleases = [];
  const seen = new Set<string>();
  for (const raw of input.objects) {
    const slash = raw.apiVersion.indexOf('/');
    const key = `${slash < 0 ? raw.apiVersion : raw.apiVersion.slice(0, slash)}|${raw.kind}|${raw.metadata.namespace ?? ''}|${raw.metadata.name}`;
    if (seen.has(key)) continue; // the same object listed twice (several files, several pages)
    seen.add(key);
    if (isHelmReleaseSecret(raw)) {
      const record = decodeHelmReleaseSecret(raw);
      if (record) helmReleases.push(record);
    }
    const obj = sanitize(raw);
    if (obj.kind === 'Event') events.push(obj);
    else if (isFluxObject(obj)) objects.push(obj);
    else resources.push(obj);
  }
  // One canonical order, whatever order the input came in (files, pages, API servers' own sorting): the report's
  // order (blast radii, ties) then depends only on what is in the cluster.
  objects.sort(byIdentity);
  resources.sort(byIdentity);
  const { controllers, fluxVersion } = deriveControllers(resources, input.fluxNamespace);
  const details: NonNullable<ClusterSnapshot['details']> = {};
  if (input.logs && input.logs.length > 0) details.logs = input.logs;
  if (helmReleases.length > 0) details.helmReleases = helmReleases;
  return {
    name: input.name,
    context: input.context,
    server: input.server,
    collectedAt: input.collectedAt,
    origin: input.origin,
    reachable: !input.error,
    error: input.error ?? null,
    fluxNamespace: input.fluxNamespace,
    flux: { version: fluxVersion ?? operatorFluxVersion(objects), distribution: null },
    served: input.served,
    controllers,
    objects,
    events,
    resources,
    errors: input.errors,
    ...(Object.keys(details).length > 0 ? { details } : {}),
  };
}

/** A cluster that could not be read at all: reported, never silently healthy. */
export function unreachableCluster(input: Omit<BuildInput, 'objects' | 'served' | 'errors'> & { error: { code: ErrorCode; message: string } }): ClusterSnapshot {
  return buildCluster({ ...input, objects: [], served: null, errors: [] });
}

/** The Flux release a FluxInstance last applied (`v2.8.8@sha256:…`), when no controller Deployment says. */
function operatorFluxVersion(objects: KubeObject[]): string | null {
  for (const obj of objects) {
    if (obj.kind !== 'FluxInstance') continue;
    const m = /^(v\d+\.\d+\.\d+)@/.exec(String(obj.status?.lastAppliedRevision ?? ''));
    if (m) return m[1]!;
  }
  return null;
}
