// The timeouts the controllers apply when a spec does not set one: the rules that compare an attempt's age with its
// timeout, and the steps that say "raise spec.timeout (now …)", all read them from src/rules/timeouts.ts.
import { describe, expect, it } from 'vitest';
import { attemptTimeout, helmTimeout, kustomizationTimeout } from '../../src/rules/timeouts';
import type { KubeObject } from '../../src/snapshot/schema';

const obj = (apiVersion: string, kind: string, spec: Record<string, unknown>): KubeObject =>
  ({ apiVersion, kind, metadata: { name: 'x', namespace: 'flux-system' }, spec }) as KubeObject;

describe('kustomize-controller timeout', () => {
  it('is spec.timeout when set', () => {
    expect(kustomizationTimeout(obj('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', { interval: '10m', timeout: '3m' }))).toEqual({ ms: 180_000, text: '3m' });
  });
  it('defaults to spec.interval − 30s, at least 30s (v1beta2, v1)', () => {
    expect(kustomizationTimeout(obj('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', { interval: '10m' }))?.ms).toBe(570_000);
    expect(kustomizationTimeout(obj('kustomize.toolkit.fluxcd.io/v1beta2', 'Kustomization', { interval: '45s' }))?.ms).toBe(30_000);
    expect(kustomizationTimeout(obj('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', { interval: '10m' }))?.text).toBe('9m30s: spec.interval − 30s, the default');
  });
  it('was spec.interval, at least 1m, on v1beta1 controllers (spec.timeout included)', () => {
    expect(kustomizationTimeout(obj('kustomize.toolkit.fluxcd.io/v1beta1', 'Kustomization', { interval: '10m' }))?.ms).toBe(600_000);
    expect(kustomizationTimeout(obj('kustomize.toolkit.fluxcd.io/v1beta1', 'Kustomization', { interval: '5m', timeout: '20s' }))?.ms).toBe(60_000);
  });
  it('is unknown without interval or timeout', () => {
    expect(kustomizationTimeout(obj('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', {}))).toBeNull();
  });
});

describe('helm-controller timeout', () => {
  const hr = obj('helm.toolkit.fluxcd.io/v2', 'HelmRelease', { interval: '1h', timeout: '10m', upgrade: { timeout: '20m' } });
  it('prefers the action\'s own timeout', () => {
    expect(helmTimeout(hr, 'upgrade')).toEqual({ ms: 1_200_000, text: '20m, from spec.upgrade.timeout' });
    expect(helmTimeout(hr, 'install').ms).toBe(600_000);
  });
  it('defaults to 5m, whatever the interval', () => {
    expect(helmTimeout(obj('helm.toolkit.fluxcd.io/v2', 'HelmRelease', { interval: '1h' }))).toEqual({ ms: 300_000, text: '5m0s (default)' });
  });
});

describe('attemptTimeout', () => {
  it('follows each controller', () => {
    expect(attemptTimeout(obj('source.toolkit.fluxcd.io/v1', 'GitRepository', { interval: '1h' }))).toBe(60_000);
    expect(attemptTimeout(obj('helm.toolkit.fluxcd.io/v2', 'HelmRelease', { interval: '1h' }))).toBe(300_000);
    expect(attemptTimeout(obj('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', { interval: '1h' }))).toBe(3_570_000);
  });
});
