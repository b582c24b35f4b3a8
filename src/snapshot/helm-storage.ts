// Helm release Secrets (`sh.helm.release.v1.<release>.v<N>`): data.release is base64 (the API's encoding of
// Secret data) of base64 (Helm's) of gzip of JSON. Only metadata is kept: never values, never the manifest.
import { gunzipSync } from 'node:zlib';
import type { KubeObject } from './schema';

export interface HelmReleaseRecord {
  name: string;
  /** The release's namespace (where its objects go). */
  namespace: string;
  /** Where the record is stored: the Secret's namespace (spec.storageNamespace, else the HelmRelease's). */
  storageNamespace: string;
  version: number;
  status: string | null;
  chart: string | null;
  chartVersion: string | null;
  appVersion: string | null;
  firstDeployed: string | null;
  lastDeployed: string | null;
  description: string | null;
  /** The Secret this came from. */
  secret: string;
  hooks: { name: string; kind: string; events: string[]; phase: string | null; startedAt: string | null; completedAt: string | null }[];
}

export function isHelmReleaseSecret(obj: KubeObject): boolean {
  return obj.kind === 'Secret' && (obj.type === 'helm.sh/release.v1' || obj.metadata.name.startsWith('sh.helm.release.v1.'));
}

const GZIP_MAGIC = [0x1f, 0x8b, 0x08];

function decodeRelease(encoded: string): any {
  let bytes = Buffer.from(encoded, 'base64');
  // One layer of base64 is the API's; the second is Helm's. Older releases may be plain JSON inside.
  const inner = bytes.toString('latin1');
  if (/^[A-Za-z0-9+/=\r\n]+$/.test(inner)) bytes = Buffer.from(inner, 'base64');
  if (GZIP_MAGIC.every((b, i) => bytes[i] === b)) bytes = gunzipSync(bytes);
  return JSON.parse(bytes.toString('utf8'));
}

export function decodeHelmReleaseSecret(obj: KubeObject): HelmReleaseRecord | null {
  const data = obj.data?.release;
  const labels = obj.metadata.labels ?? {};
  let release: any = {};
  if (typeof data === 'string') {
    try {
      release = decodeRelease(data);
    } catch {
      release = {};
    }
  }
  const info = release.info ?? {};
  const meta = release.chart?.metadata ?? {};
  const version = Number(release.version ?? labels.version);
  const name = release.name ?? labels.name;
  if (!name || !Number.isFinite(version)) return null;
  return {
    name,
    namespace: release.namespace ?? obj.metadata.namespace ?? '',
    storageNamespace: obj.metadata.namespace ?? '',
    version,
    status: info.status ?? labels.status ?? null,
    chart: meta.name ?? null,
    chartVersion: meta.version ?? null,
    appVersion: meta.appVersion ?? null,
    firstDeployed: info.first_deployed ?? null,
    lastDeployed: info.last_deployed ?? null,
    description: info.description ?? null,
    secret: obj.metadata.name,
    hooks: (Array.isArray(release.hooks) ? release.hooks : []).map((h: any) => ({
      name: String(h?.name ?? ''),
      kind: String(h?.kind ?? ''),
      events: Array.isArray(h?.events) ? h.events.map(String) : [],
      phase: h?.last_run?.phase || null,
      startedAt: h?.last_run?.started_at || null,
      completedAt: h?.last_run?.completed_at || null,
    })),
  };
}
