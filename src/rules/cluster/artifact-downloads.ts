// Kustomizations and HelmReleases failing to download their artifact from source-controller over the network.
import type { ObjRef } from '../../flux/refs';
import type { ClusterIndex } from '../../snapshot/indexes';
import { lookups, resolverFailed } from './dns';
import { failures } from './failure-text';

export type Transport = 'timeout' | 'refused' | 'no-such-host';

// kustomize-controller (fluxcd/pkg http/fetch: `failed to download archive: GET <url> giving up after N attempt(s): …`)
// and helm-controller (`Could not load chart: GET <url> giving up after …`) download artifacts over HTTP from
// source-controller's Service; the URL's host is what source-controller advertises (--storage-adv-addr).
const ARTIFACT_URL = /\b(?:GET|Get) "?http:\/\/(source-controller[^/\s"]*)\//;

function transportOf(message: string, host: string): Transport | null {
  const own = lookups(message).filter((l) => l.host === host);
  // A resolver that does not answer is the cluster DNS (FD020), not the artifact server.
  if (own.some(resolverFailed)) return null;
  if (own.some((l) => l.failure === 'no-such-host')) return 'no-such-host';
  if (/dial tcp [^\s:]+:\d+: (?:i\/o timeout|connect: (?:no route to host|network is unreachable))|Client\.Timeout exceeded while awaiting headers/.test(message)) return 'timeout';
  if (/dial tcp [^\s:]+:\d+: connect: connection refused/.test(message)) return 'refused';
  return null;
}

export interface ArtifactDownload {
  ref: ObjRef;
  host: string;
  transport: Transport;
}

/** The failing downloads whose error is the network path to source-controller (not a 404, not a bad tarball). */
export function artifactDownloads(index: ClusterIndex): ArtifactDownload[] {
  const out: ArtifactDownload[] = [];
  for (const f of failures(index)) {
    if (f.ref.kind !== 'Kustomization' && f.ref.kind !== 'HelmRelease') continue;
    const host = f.message.match(ARTIFACT_URL)?.[1];
    const transport = host ? transportOf(f.message, host) : null;
    if (host && transport) out.push({ ref: f.ref, host, transport });
  }
  return out;
}
