// What a snapshot keeps of Secrets and ConfigMaps: key names, and which keys are empty (no value ever).
import { describe, expect, it } from 'vitest';
import { sanitize } from '../../src/snapshot/sanitize';
import type { KubeObject } from '../../src/snapshot/schema';

describe('sanitize', () => {
  it('keeps key names and empty keys of a Secret, never a value', () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'ca', namespace: 'apps' }, type: 'Opaque', data: { 'ca.crt': '', 'tls.crt': 'c2VjcmV0LXZhbHVl' }, stringData: { token: 'hunter2' } } as KubeObject;
    const clean = sanitize(secret);
    expect(clean.dataKeys).toEqual(['ca.crt', 'tls.crt', 'token']);
    expect(clean.emptyDataKeys).toEqual(['ca.crt']);
    expect(JSON.stringify(clean)).not.toMatch(/c2VjcmV0LXZhbHVl|hunter2/);
  });
  it('adds no emptyDataKeys when every key has a value', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'vars', namespace: 'apps' }, data: { A: '1' } } as KubeObject;
    expect(sanitize(cm)).not.toHaveProperty('emptyDataKeys');
  });
});
