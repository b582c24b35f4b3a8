// Synthetic but realistic Flux clusters for benchmarks: a mix of kinds in the proportions of a real fleet,
// wired together (sources → Kustomizations → HelmReleases, dependsOn chains), a share of them failing or
// suspended with the controllers' real reasons and messages, plus events and the controllers' Pods.
import type { KubeObject } from '../src/snapshot/schema';

/** The default "now" of generated clusters, fixed so that saved snapshots are the same on every run. */
export const GENERATED_AT = '2026-11-20T09:00:00Z';
const MIN = 60_000;

/** Deterministic pseudo-random numbers so every run benchmarks the same data. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function hex(r: () => number, n: number): string {
  let out = '';
  while (out.length < n) out += Math.floor(r() * 16).toString(16);
  return out;
}


export interface GeneratedCluster {
  objects: KubeObject[];
  fluxObjects: number;
}

/** The share of each kind in `count` Flux objects. */
const MIX: [string, number][] = [
  ['GitRepository', 0.06], ['OCIRepository', 0.04], ['HelmRepository', 0.05], ['HelmChart', 0.2],
  ['Kustomization', 0.25], ['HelmRelease', 0.3], ['Alert', 0.03], ['Provider', 0.02], ['Receiver', 0.01],
  ['ImageRepository', 0.02], ['ImagePolicy', 0.02],
];

/**
 * `now`: the time the cluster is observed at (a live benchmark serves it at the current time, so its ages are
 * those a user would see).
 */
export function generateCluster(name: string, count: number, options: { eventsPerObject?: number; seed?: number; now?: number } = {}): GeneratedCluster {
  const r = rng(options.seed ?? name.split('').reduce((n, ch) => n * 31 + ch.charCodeAt(0), 7));
  const now = options.now ?? Date.parse(GENERATED_AT);
  const iso = (msAgo: number) => new Date(Math.floor((now - msAgo) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  const cond = (type: string, status: string, reason: string, message: string, ago: number, generation = 1) =>
    ({ type, status, reason, message, lastTransitionTime: iso(ago), observedGeneration: generation });
  const objects: KubeObject[] = [];
  const counts = MIX.map(([kind, share]) => [kind, Math.max(1, Math.round(count * share))] as const);
  const total = counts.reduce((n, [, c]) => n + c, 0);
  // Adjust the biggest kind so the total is exactly `count`.
  const adjusted = counts.map(([k, c]) => [k, k === 'HelmRelease' ? c + (count - total) : c] as const);
  const namespaces = Array.from({ length: Math.max(3, Math.round(count / 40)) }, (_, i) => `team-${i}`);
  const ns = (i: number) => (i % 4 === 0 ? 'flux-system' : namespaces[i % namespaces.length]!);
  const count$ = (kind: string) => adjusted.find(([k]) => k === kind)![1];
  // Sources first, so that consumers can apply the revision their source serves (or, when it fails, the last one
  // it fetched, which is what kustomize-controller keeps applying).
  const gits: { name: string; revision: string }[] = [];
  const helmRepos: string[] = [];
  const ociRepos: string[] = [];
  const kustomizations = count$('Kustomization');
  // helm-controller creates one HelmChart per HelmRelease that uses spec.chart; the others use spec.chartRef.
  const charted = count$('HelmChart');
  const events: KubeObject[] = [];
  const failing = () => r() < 0.08;
  const suspended = () => r() < 0.03;
  const helmNs = (i: number) => ns(i);

  const addEvents = (obj: KubeObject, controller: string, reason: string, message: string, type: string) => {
    const n = Math.round(options.eventsPerObject ?? 1);
    for (let i = 0; i < n; i++) {
      events.push({
        apiVersion: 'v1', kind: 'Event',
        metadata: { name: `${obj.metadata.name}.${hex(r, 16)}`, namespace: obj.metadata.namespace!, creationTimestamp: iso((i + 1) * 7 * MIN) },
        involvedObject: { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name, namespace: obj.metadata.namespace, uid: obj.metadata.uid },
        reason, message, type, count: 1 + Math.floor(r() * 20), firstTimestamp: iso((i + 2) * 60 * MIN), lastTimestamp: iso((i + 1) * 7 * MIN),
        source: { component: controller }, reportingComponent: controller,
      } as KubeObject);
    }
  };

  for (const [kind, n] of adjusted) {
    for (let i = 0; i < n; i++) {
      // Repositories, charts and notification objects live with Flux; apps and their releases in team namespaces.
      const namespace = kind === 'HelmChart' || kind === 'GitRepository' || kind === 'HelmRepository' || kind === 'OCIRepository' || ['Alert', 'Provider', 'Receiver'].includes(kind) ? 'flux-system' : ns(i);
      const metaName = kind === 'HelmChart' ? `${helmNs(i)}-helmrelease-${i}` : `${kind.toLowerCase()}-${i}`;
      const revision = `main@sha1:${hex(r, 40)}`;
      const fail = failing();
      const base = { metadata: { name: metaName, namespace, generation: 1, uid: `${hex(r, 8)}-${hex(r, 4)}-${hex(r, 4)}-${hex(r, 4)}-${hex(r, 12)}`, creationTimestamp: iso(40 * 24 * 60 * MIN) } };
      let obj: KubeObject;
      switch (kind) {
        case 'GitRepository': {
          gits.push({ name: metaName, revision });
          const url = `ssh://git@github.com/acme/${metaName}.git`;
          const ready = fail
            ? cond('Ready', 'False', 'GitOperationFailed', `failed to checkout and determine revision: unable to clone '${url}': ssh: handshake failed: ssh: unable to authenticate, attempted methods [none publickey], no supported methods remain`, 35 * MIN)
            : cond('Ready', 'True', 'Succeeded', `stored artifact for revision '${revision}'`, 2 * MIN);
          obj = { apiVersion: 'source.toolkit.fluxcd.io/v1', kind, ...base, spec: { interval: '1m0s', url, ref: { branch: 'main' }, secretRef: { name: 'flux-system' }, timeout: '60s', ...(suspended() ? { suspend: true } : {}) },
            status: { observedGeneration: 1, artifact: { revision, digest: `sha256:${hex(r, 64)}`, lastUpdateTime: iso(fail ? 6 * 60 * MIN : 2 * MIN), size: 40000, path: `gitrepository/${namespace}/${metaName}/${hex(r, 40)}.tar.gz`, url: 'http://source-controller.flux-system.svc.cluster.local./x.tar.gz' }, conditions: [ready] } } as KubeObject;
          addEvents(obj, 'source-controller', fail ? 'GitOperationFailed' : 'NewArtifact', ready.message, fail ? 'Warning' : 'Normal');
          break;
        }
        case 'HelmRepository': {
          helmRepos.push(metaName);
          const ready = fail
            ? cond('Ready', 'False', 'Failed', `failed to fetch Helm repository index: failed to fetch https://charts.example.com/${metaName}/index.yaml : 401 Unauthorized`, 20 * MIN)
            : cond('Ready', 'True', 'Succeeded', `stored artifact: revision 'sha256:${hex(r, 64)}'`, 5 * MIN);
          obj = { apiVersion: 'source.toolkit.fluxcd.io/v1', kind, ...base, spec: { interval: '10m0s', url: `https://charts.example.com/${metaName}` }, status: { observedGeneration: 1, conditions: [ready], artifact: { revision: `sha256:${hex(r, 64)}`, lastUpdateTime: iso(fail ? 6 * 60 * MIN : 5 * MIN) } } } as KubeObject;
          break;
        }
        case 'OCIRepository': {
          ociRepos.push(metaName);
          const digest = `1.16.0@sha256:${hex(r, 64)}`;
          obj = { apiVersion: 'source.toolkit.fluxcd.io/v1', kind, ...base, spec: { interval: '12h', url: `oci://ghcr.io/acme/charts/${metaName}`, ref: { tag: '1.16.0' }, layerSelector: { mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip', operation: 'copy' } },
            status: { observedGeneration: 1, artifact: { revision: digest, lastUpdateTime: iso(30 * MIN) }, conditions: [cond('Ready', 'True', 'Succeeded', `stored artifact for digest '${digest}'`, 30 * MIN)] } } as KubeObject;
          break;
        }
        case 'HelmChart':
          obj = { apiVersion: 'source.toolkit.fluxcd.io/v1', kind, ...base, spec: { chart: `chart-${i}`, version: '1.x', interval: '10m', reconcileStrategy: 'ChartVersion', sourceRef: { kind: 'HelmRepository', name: helmRepos[i % Math.max(1, helmRepos.length)] ?? 'helmrepository-0' } },
            status: { observedGeneration: 1, observedChartName: `chart-${i}`, artifact: { revision: '1.2.3', lastUpdateTime: iso(60 * MIN) }, conditions: [cond('Ready', 'True', 'ChartPullSucceeded', `pulled 'chart-${i}' chart with version '1.2.3'`, 60 * MIN)] } } as KubeObject;
          break;
        case 'Kustomization': {
          const dep = i > 0 && r() < 0.4 ? [{ name: `kustomization-${Math.floor(r() * i)}` }] : undefined;
          const source = gits[i % Math.max(1, gits.length)] ?? { name: 'gitrepository-0', revision };
          const previous = `main@sha1:${hex(r, 40)}`;
          const ready = fail
            ? cond('Ready', 'False', 'BuildFailed', `kustomize build failed: accumulating resources: accumulation err='accumulating resources from './apps/${metaName}': evalsymlink failure on '/tmp/kustomization-12345/apps/${metaName}' : lstat /tmp/kustomization-12345/apps/${metaName}: no such file or directory': must build at directory: not a valid directory`, 25 * MIN)
            : cond('Ready', 'True', 'ReconciliationSucceeded', `Applied revision: ${source.revision}`, 4 * MIN);
          obj = { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind, ...base, metadata: { ...base.metadata, namespace: 'flux-system' },
            spec: { interval: '10m0s', path: `./apps/${metaName}`, prune: true, sourceRef: { kind: 'GitRepository', name: source.name }, timeout: '5m0s', ...(dep ? { dependsOn: dep } : {}), ...(suspended() ? { suspend: true } : {}) },
            status: { observedGeneration: 1, lastAppliedRevision: fail ? previous : source.revision, lastAttemptedRevision: source.revision, conditions: [ready],
              inventory: { entries: [{ id: `${ns(i)}_${metaName}_apps_Deployment`, v: 'v1' }, { id: `${ns(i)}_${metaName}__Service`, v: 'v1' }, { id: `${ns(i)}_${metaName}__ConfigMap`, v: 'v1' }] } } } as KubeObject;
          addEvents(obj, 'kustomize-controller', ready.reason, ready.message, fail ? 'Warning' : 'Normal');
          break;
        }
        case 'HelmRelease': {
          const releaseNs = helmNs(i);
          const chartVersion = i < charted ? '1.2.3' : '1.16.0';
          const chartName = i < charted ? `chart-${i}` : `ocirepository-${i % Math.max(1, ociRepos.length)}`;
          const ready = fail
            ? cond('Ready', 'False', 'UpgradeFailed', `Helm upgrade failed for release ${releaseNs}/${metaName} with chart ${chartName}@${chartVersion}: context deadline exceeded`, 50 * MIN)
            : cond('Ready', 'True', 'UpgradeSucceeded', `Helm upgrade succeeded for release ${releaseNs}/${metaName}.v3 with chart ${chartName}@${chartVersion}`, 3 * 60 * MIN);
          const chart = i < charted
            ? { chart: { spec: { chart: chartName, version: '1.x', sourceRef: { kind: 'HelmRepository', name: helmRepos[i % Math.max(1, helmRepos.length)] ?? 'helmrepository-0', namespace: 'flux-system' } } } }
            : { chartRef: { kind: 'OCIRepository', name: ociRepos[i % Math.max(1, ociRepos.length)] ?? 'ocirepository-0', namespace: 'flux-system' } };
          obj = { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind, ...base,
            metadata: { ...base.metadata, labels: { 'kustomize.toolkit.fluxcd.io/name': `kustomization-${i % Math.max(1, kustomizations)}`, 'kustomize.toolkit.fluxcd.io/namespace': 'flux-system' } },
            spec: { interval: '30m', ...chart, ...(suspended() ? { suspend: true } : {}) },
            status: { observedGeneration: 1, lastAttemptedGeneration: 1, lastAttemptedRevision: chartVersion, ...(i < charted ? { helmChart: `flux-system/${releaseNs}-${metaName}` } : {}), storageNamespace: releaseNs,
              history: [{ name: metaName, namespace: releaseNs, version: 3, status: fail ? 'failed' : 'deployed', chartName, chartVersion, appVersion: chartVersion, digest: `sha256:${hex(r, 64)}`, configDigest: `sha256:${hex(r, 64)}`, firstDeployed: iso(30 * 24 * 60 * MIN), lastDeployed: iso(3 * 60 * MIN) }],
              conditions: [ready, cond('Released', ready.status, ready.reason, ready.message, 50 * MIN)], ...(fail ? { failures: 1, upgradeFailures: 1 } : {}) } } as KubeObject;
          addEvents(obj, 'helm-controller', ready.reason, ready.message, fail ? 'Warning' : 'Normal');
          break;
        }
        case 'Alert':
          obj = { apiVersion: 'notification.toolkit.fluxcd.io/v1beta3', kind, ...base, spec: { providerRef: { name: 'provider-0' }, eventSeverity: 'error', eventSources: [{ kind: 'Kustomization', name: '*' }] } } as KubeObject;
          break;
        case 'Provider':
          obj = { apiVersion: 'notification.toolkit.fluxcd.io/v1beta3', kind, ...base, spec: { type: 'slack', channel: 'flux', secretRef: { name: 'slack-url' } } } as KubeObject;
          break;
        case 'Receiver':
          obj = { apiVersion: 'notification.toolkit.fluxcd.io/v1', kind, ...base, spec: { type: 'github', events: ['push'], secretRef: { name: 'receiver-token' }, resources: [{ kind: 'GitRepository', name: 'gitrepository-0' }] },
            status: { observedGeneration: 1, webhookPath: `/hook/${hex(r, 64)}`, conditions: [cond('Ready', 'True', 'Succeeded', `Receiver initialized for path: /hook/${hex(r, 64)}`, 24 * 60 * MIN)] } } as KubeObject;
          break;
        case 'ImageRepository':
          obj = { apiVersion: 'image.toolkit.fluxcd.io/v1', kind, ...base, spec: { image: `ghcr.io/acme/${metaName}`, interval: '5m' },
            status: { observedGeneration: 1, canonicalImageName: `ghcr.io/acme/${metaName}`, lastScanResult: { tagCount: 42, scanTime: iso(3 * MIN) }, conditions: [cond('Ready', 'True', 'Succeeded', `successful scan: found 42 tags with checksum ${Math.floor(r() * 1e9)}`, 3 * MIN)] } } as KubeObject;
          break;
        default:
          obj = { apiVersion: 'image.toolkit.fluxcd.io/v1', kind, ...base, spec: { imageRepositoryRef: { name: `imagerepository-${i}` }, policy: { semver: { range: '>=1.0.0' } } },
            status: { observedGeneration: 1, latestRef: { name: `ghcr.io/acme/app-${i}`, tag: '1.4.2' }, conditions: [cond('Ready', 'True', 'Succeeded', `Latest image tag for ghcr.io/acme/app-${i} resolved to 1.4.2`, 3 * MIN)] } } as KubeObject;
      }
      objects.push(obj);
    }
  }
  const fluxObjects = objects.length;
  // Pad events to the requested ratio with routine success events.
  const wanted = Math.round(fluxObjects * (options.eventsPerObject ?? 1));
  for (let i = 0; events.length < wanted; i++) {
    const obj = objects[i % fluxObjects]!;
    events.push({ apiVersion: 'v1', kind: 'Event', metadata: { name: `${obj.metadata.name}.${hex(r, 16)}`, namespace: obj.metadata.namespace!, creationTimestamp: iso(i * MIN) },
      involvedObject: { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name, namespace: obj.metadata.namespace }, reason: 'ReconciliationSucceeded',
      message: `Reconciliation finished in 1.2s, next run in 10m0s`, type: 'Normal', count: 1, firstTimestamp: iso(i * MIN), lastTimestamp: iso(i * MIN), source: { component: 'kustomize-controller' } } as KubeObject);
  }
  events.length = Math.min(events.length, wanted);
  for (const controller of ['source-controller', 'kustomize-controller', 'helm-controller', 'notification-controller', 'image-reflector-controller']) {
    objects.push({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: controller, namespace: 'flux-system', labels: { 'app.kubernetes.io/part-of': 'flux', 'app.kubernetes.io/component': controller, 'app.kubernetes.io/version': 'v2.7.5' } },
      spec: { replicas: 1, selector: { matchLabels: { app: controller } }, template: { spec: { containers: [{ name: 'manager', image: `ghcr.io/fluxcd/${controller}:v1.7.0` }] } } },
      status: { replicas: 1, readyReplicas: 1, availableReplicas: 1 } } as KubeObject);
    const pod = `${controller}-${hex(r, 10)}-${hex(r, 5)}`;
    objects.push({ apiVersion: 'v1', kind: 'Pod', metadata: { name: pod, namespace: 'flux-system', labels: { app: controller }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${controller}-${hex(r, 10)}`, controller: true }] },
      spec: { containers: [{ name: 'manager', image: `ghcr.io/fluxcd/${controller}:v1.7.0` }] },
      status: { phase: 'Running', containerStatuses: [{ name: 'manager', ready: true, restartCount: 0, state: { running: { startedAt: iso(5 * 24 * 60 * MIN) } } }] } } as KubeObject);
  }
  return { objects: [...objects, ...events], fluxObjects };
}
