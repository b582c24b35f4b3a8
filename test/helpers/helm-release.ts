// Helm release storage Secrets as Helm writes them (`sh.helm.release.v1.<name>.v<N>`): the release JSON,
// gzipped, base64-encoded by Helm, then base64-encoded again as Secret data by the API.
import { gzipSync } from 'node:zlib';
import type { KubeObject } from '../../src/snapshot/schema';

export interface ReleaseSpec {
  name: string;
  namespace: string;
  version: number;
  status: 'deployed' | 'superseded' | 'failed' | 'pending-upgrade' | 'uninstalled';
  chart: string;
  chartVersion: string;
  appVersion: string;
  firstDeployed: string;
  lastDeployed: string;
  description: string;
  /** User-supplied values: fluxdiag must never print them. */
  config: Record<string, unknown>;
  manifest: string;
  hooks?: { name: string; kind: string; events: string[]; phase: string; startedAt: string; completedAt: string }[];
}

export function helmReleaseSecret(r: ReleaseSpec): KubeObject {
  const release = {
    name: r.name,
    namespace: r.namespace,
    version: r.version,
    info: { first_deployed: r.firstDeployed, last_deployed: r.lastDeployed, deleted: '', description: r.description, status: r.status },
    chart: { metadata: { name: r.chart, version: r.chartVersion, appVersion: r.appVersion, apiVersion: 'v2' }, values: {} },
    config: r.config,
    manifest: r.manifest,
    hooks: (r.hooks ?? []).map((h) => ({ name: h.name, kind: h.kind, path: `${r.chart}/templates/${h.name}.yaml`, events: h.events, last_run: { started_at: h.startedAt, completed_at: h.completedAt, phase: h.phase } })),
  };
  const helmEncoded = gzipSync(Buffer.from(JSON.stringify(release))).toString('base64');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'helm.sh/release.v1',
    metadata: {
      name: `sh.helm.release.v1.${r.name}.v${r.version}`,
      namespace: r.namespace,
      creationTimestamp: r.lastDeployed,
      labels: { owner: 'helm', name: r.name, status: r.status, version: String(r.version), modifiedAt: String(Math.floor(Date.parse(r.lastDeployed) / 1000)) },
    },
    data: { release: Buffer.from(helmEncoded).toString('base64') },
  } as KubeObject;
}
