import { describe, expect, it } from 'vitest';
import { ManifestError, parseManifests } from '../../src/collect/manifests';

describe('parseManifests', () => {
  it('reads multi-document YAML', () => {
    const objs = parseManifests('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n');
    expect(objs.map((o) => o.metadata.name)).toEqual(['a', 'b']);
  });
  it('flattens kind: List and typed lists (items without kind/apiVersion)', () => {
    const list = JSON.stringify({ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'KustomizationList', items: [{ metadata: { name: 'apps', namespace: 'flux-system' } }] });
    const [ks] = parseManifests(list);
    expect(ks).toMatchObject({ kind: 'Kustomization', apiVersion: 'kustomize.toolkit.fluxcd.io/v1' });
    const generic = parseManifests('apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: p}\n');
    expect(generic[0]!.kind).toBe('Pod');
  });
  it('rejects documents that are not Kubernetes objects, naming the file', () => {
    expect(() => parseManifests('foo: bar\n', 'x.yaml')).toThrow(ManifestError);
    expect(() => parseManifests('foo: bar\n', 'x.yaml')).toThrow(/x\.yaml/);
    expect(() => parseManifests('a: [\n', 'bad.yaml')).toThrow(/invalid YAML/);
  });
});

describe('YAML details', () => {
  it('keeps unquoted timestamps as strings, as the API returns them', () => {
    const [o] = parseManifests('apiVersion: v1\nkind: Event\nmetadata: {name: e}\nlastTimestamp: 2026-11-20T09:00:00Z\n');
    expect(o!.lastTimestamp).toBe('2026-11-20T09:00:00Z');
  });
});
