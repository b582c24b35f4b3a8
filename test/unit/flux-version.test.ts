// The Flux release in a report's header: from the toolkit controllers' version label, never the Flux Operator's own
// release number, and from a FluxInstance's last applied revision when no toolkit Deployment was read.
import { describe, expect, it } from 'vitest';
import { buildCluster } from '../../src/snapshot/build';
import type { KubeObject } from '../../src/snapshot/schema';

const deployment = (name: string, version: string): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: { name, namespace: 'flux-system', labels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/version': version } },
  spec: { replicas: 1, template: { spec: { containers: [{ name: 'manager', image: `ghcr.io/controlplaneio-fluxcd/${name}:${version}` }] } } },
  status: { readyReplicas: 1 },
} as KubeObject);

const instance: KubeObject = {
  apiVersion: 'fluxcd.controlplane.io/v1', kind: 'FluxInstance', metadata: { name: 'flux', namespace: 'flux-system' },
  spec: { distribution: { version: '2.x', registry: 'ghcr.io/fluxcd' } },
  status: { lastAppliedRevision: 'v2.8.8@sha256:3f1c0f5b1c9e2a7d4b8e6f0a2c4d6e8f0a1b3c5d7e9f1a3b5c7d9e1f3a5b7c9d' },
} as KubeObject;

const versionOf = (objects: KubeObject[]) => buildCluster({ name: 'c', context: 'c', server: null, collectedAt: '2026-11-23T12:00:00Z', origin: 'manifests', fluxNamespace: 'flux-system', objects, served: null, errors: [] }).flux.version;

describe('Flux version', () => {
  it('is not the Flux Operator\'s release', () => {
    expect(versionOf([deployment('flux-operator', 'v0.52.0')])).toBeNull();
    expect(versionOf([deployment('flux-operator', 'v0.52.0'), instance])).toBe('v2.8.8');
  });
  it('comes from the toolkit controllers first', () => {
    expect(versionOf([deployment('flux-operator', 'v0.52.0'), deployment('source-controller', 'v2.7.0'), instance])).toBe('v2.7.0');
  });
});
