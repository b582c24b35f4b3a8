import { describe, expect, it } from 'vitest';
import { chartOf, parseInventoryId, parseStatusItems } from '../../src/flux/refs';

describe('inventory ids', () => {
  it('parses namespaced, cluster-scoped and core entries', () => {
    expect(parseInventoryId('apps_podinfo_apps_Deployment', 'v1')).toEqual({ namespace: 'apps', name: 'podinfo', group: 'apps', kind: 'Deployment', version: 'v1' });
    expect(parseInventoryId('_cert-manager__Namespace')).toEqual({ namespace: '', name: 'cert-manager', group: '', kind: 'Namespace', version: '' });
    expect(parseInventoryId('flux-system_flux-system_source.toolkit.fluxcd.io_GitRepository')?.group).toBe('source.toolkit.fluxcd.io');
  });
  it('decodes __ in names back to colons (RBAC names)', () => {
    expect(parseInventoryId('_system__controller__foo_rbac.authorization.k8s.io_ClusterRole')?.name).toBe('system:controller:foo');
  });
});

describe('kstatus items in Flux messages', () => {
  it('extracts every item of a health check timeout', () => {
    const items = parseStatusItems("timeout waiting for: [HelmRelease/monitoring/kube-prometheus-stack status: 'InProgress', Deployment/apps/web status: 'Failed': Progress deadline exceeded]");
    expect(items.map((i) => i.ref)).toEqual([
      { kind: 'HelmRelease', namespace: 'monitoring', name: 'kube-prometheus-stack' },
      { kind: 'Deployment', namespace: 'apps', name: 'web' },
    ]);
    expect(items[0]!.status).toBe('InProgress');
  });
});

describe('chart of a HelmRelease', () => {
  const hr = (spec: any, status: any = {}) => ({ apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'web', namespace: 'apps' }, spec, status });
  it('uses chartRef when set', () => {
    expect(chartOf(hr({ chartRef: { kind: 'OCIRepository', name: 'web' } }))).toEqual({ kind: 'OCIRepository', namespace: 'apps', name: 'web' });
  });
  it('names the generated HelmChart <ns>-<name> in the source namespace', () => {
    expect(chartOf(hr({ chart: { spec: { chart: 'web', sourceRef: { kind: 'HelmRepository', name: 'r', namespace: 'flux-system' } } } }))).toEqual({ kind: 'HelmChart', namespace: 'flux-system', name: 'apps-web' });
  });
  it('prefers status.helmChart', () => {
    expect(chartOf(hr({ chart: { spec: { chart: 'web', sourceRef: { kind: 'HelmRepository', name: 'r' } } } }, { helmChart: 'flux-system/apps-web' }))).toEqual({ kind: 'HelmChart', namespace: 'flux-system', name: 'apps-web' });
  });
});

describe('remediation templates', async () => {
  const { fillTemplate, describeTemplate } = await import('../../src/rules/remediation');
  it('fills known placeholders and keeps other braces', () => {
    expect(fillTemplate('dependsOn: [{name: {dep}}] ${{v}:=default} {provider: sops}', { dep: 'infra', v: 'CLUSTER' })).toBe('dependsOn: [{name: infra}] ${CLUSTER:=default} {provider: sops}');
  });
  it('drops a step whose placeholder has no value, and escapes literal words in braces', () => {
    expect(fillTemplate('kubectl get {missing}', {})).toBeNull();
    expect(fillTemplate("jsonpath='{range .items[*]}{.x}\\{end\\}'", {})).toBe("jsonpath='{range .items[*]}{.x}{end}'");
    expect(describeTemplate('flux --context {context} get \\{end\\}')).toBe('flux --context <context> get {end}');
  });
});
