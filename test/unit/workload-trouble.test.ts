// Why a workload never became ready, from its events: each event class the controllers, the scheduler and the kubelet
// write, which events belong to which workload, and which cause wins when there are several.
import { describe, expect, it } from 'vitest';
import { isWorkloadTroubleEvent } from '../../src/kube/workload-events';
import { releaseEvents, troubleOf, workloadEvents } from '../../src/rules/workload-trouble';
import { buildCluster } from '../../src/snapshot/build';
import { ClusterIndex } from '../../src/snapshot/indexes';
import type { KubeObject } from '../../src/snapshot/schema';

const NOW = Date.parse('2026-11-20T09:00:00Z');
let n = 0;

function event(kind: string, ns: string, name: string, reason: string, message: string, opts: { type?: string; at?: string } = {}): KubeObject {
  n++;
  const at = opts.at ?? '2026-11-20T08:58:00Z';
  return {
    apiVersion: 'v1', kind: 'Event',
    metadata: { name: `${name}.${n.toString(16).padStart(16, '0')}`, namespace: ns, creationTimestamp: at },
    involvedObject: { apiVersion: kind === 'Pod' || kind === 'PersistentVolumeClaim' ? 'v1' : 'apps/v1', kind, name, namespace: ns },
    reason, message, type: opts.type ?? 'Warning', count: 3, firstTimestamp: at, lastTimestamp: at,
  } as KubeObject;
}

function indexOf(events: KubeObject[]): ClusterIndex {
  return new ClusterIndex(buildCluster({ name: 't', context: 't', server: null, collectedAt: new Date(NOW).toISOString(), origin: 'live', fluxNamespace: 'flux-system', objects: events, served: null, errors: [] }));
}

const deploy = { kind: 'Deployment', namespace: 'apps', name: 'podinfo' };

describe('workload trouble from events', () => {
  it.each([
    ['ReplicaSet', 'podinfo-6f8b9c7d4', 'FailedCreate', 'Error creating: pods "podinfo-6f8b9c7d4-7xk2p" is forbidden: exceeded quota: compute, requested: limits.memory=2Gi, used: limits.memory=7Gi, limited: limits.memory=8Gi', /ResourceQuota apps\/compute exceeded \(limited: limits\.memory=8Gi\)/, 'ResourceQuota/apps/compute'],
    ['ReplicaSet', 'podinfo-6f8b9c7d4', 'FailedCreate', 'Error creating: pods "podinfo-6f8b9c7d4-7xk2p" is forbidden: failed quota: compute: must specify limits.cpu for: podinfod; limits.memory for: podinfod', /ResourceQuota apps\/compute requires limits\.cpu,limits\.memory$/, 'ResourceQuota/apps/compute'],
    ['ReplicaSet', 'podinfo-6f8b9c7d4', 'FailedCreate', 'Error creating: pods "podinfo-6f8b9c7d4-7xk2p" is forbidden: violates PodSecurity "baseline:latest": host namespaces (hostNetwork=true)', /violate PodSecurity "baseline:latest"/, 'cluster'],
    ['ReplicaSet', 'podinfo-6f8b9c7d4', 'FailedCreate', 'Error creating: admission webhook "validate.kyverno.svc-fail" denied the request: resource Pod/apps/podinfo was blocked', /admission webhook validate\.kyverno\.svc-fail/, 'cluster'],
    ['ReplicaSet', 'podinfo-6f8b9c7d4', 'FailedCreate', 'Error creating: pods "podinfo-6f8b9c7d4-" is forbidden: error looking up service account apps/podinfo: serviceaccount "podinfo" not found', /ServiceAccount apps\/podinfo does not exist/, 'ServiceAccount/apps/podinfo'],
    ['ReplicaSet', 'podinfo-6f8b9c7d4', 'FailedCreate', 'Error creating: pods "podinfo-6f8b9c7d4-x" is forbidden: maximum cpu usage per Container is 1, but limit is 2', /LimitRange in apps/, 'Namespace/apps'],
    ['ReplicaSet', 'podinfo-6f8b9c7d4', 'FailedCreate', 'Error creating: pods "podinfo-6f8b9c7d4-" is forbidden: unable to validate against any security context constraint: [provider "anyuid": Forbidden: not usable by user or serviceaccount, provider restricted-v2: .spec.securityContext.fsGroup: Invalid value: []int64{65532}: 65532 is not an allowed group]', /no SecurityContextConstraints admits them/, 'cluster'],
    ['ReplicaSet', 'podinfo-6f8b9c7d4', 'FailedCreate', 'Error creating: pods "podinfo-6f8b9c7d4-" is forbidden: unable to validate against any pod security policy: []', /no PodSecurityPolicy admits them/, 'cluster'],
    ['Pod', 'podinfo-6f8b9c7d4-7xk2p', 'FailedScheduling', '0/5 nodes are available: 2 Insufficient cpu, 3 Insufficient memory. preemption: 0/5 nodes are available: 5 No preemption victims found for incoming pod.', /not enough cpu, memory on any node/, 'cluster'],
    ['Pod', 'podinfo-6f8b9c7d4-7xk2p', 'FailedScheduling', '0/3 nodes are available: 3 node(s) didn\'t match Pod\'s node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.', /cannot be scheduled: 3 node\(s\) didn't match Pod's node affinity\/selector/, 'cluster'],
    ['Pod', 'podinfo-6f8b9c7d4-7xk2p', 'Failed', 'Failed to pull image "ghcr.io/acme/podinfo:9.9.9": rpc error: code = NotFound desc = failed to pull and unpack image "ghcr.io/acme/podinfo:9.9.9": failed to resolve reference "ghcr.io/acme/podinfo:9.9.9": ghcr.io/acme/podinfo:9.9.9: not found', /image ghcr\.io\/acme\/podinfo:9\.9\.9 does not exist/, null],
    ['Pod', 'podinfo-6f8b9c7d4-7xk2p', 'Failed', 'Failed to pull image "registry.acme.io/team/podinfo:1.0": failed to pull and unpack image "registry.acme.io/team/podinfo:1.0": failed to resolve reference "registry.acme.io/team/podinfo:1.0": pulling from host registry.acme.io failed with status code [manifests 1.0]: 401 Unauthorized', /denied by registry\.acme\.io/, 'Host/registry.acme.io'],
    ['Pod', 'podinfo-6f8b9c7d4-7xk2p', 'Failed', 'Failed to pull image "nginx:1.27": failed to pull and unpack image "docker.io/library/nginx:1.27": failed to copy: httpReadSeeker: failed open: unexpected status code https://registry-1.docker.io/v2/library/nginx/manifests/sha256:abc: 429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit.', /docker\.io rate-limits pulls/, 'Host/docker.io'],
    ['Pod', 'podinfo-6f8b9c7d4-7xk2p', 'Failed', 'Failed to pull image "harbor.corp.example/apps/podinfo:1.0": rpc error: code = Unknown desc = failed to pull and unpack image "harbor.corp.example/apps/podinfo:1.0": failed to resolve reference "harbor.corp.example/apps/podinfo:1.0": failed to do request: Head "https://harbor.corp.example/v2/apps/podinfo/manifests/1.0": tls: failed to verify certificate: x509: certificate signed by unknown authority', /do not trust the certificate of registry harbor\.corp\.example/, 'Host/harbor.corp.example'],
    ['Pod', 'podinfo-6f8b9c7d4-7xk2p', 'Failed', 'Error: failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "/app/server": stat /app/server: no such file or directory: unknown', /a container of pod apps\/podinfo-6f8b9c7d4-7xk2p cannot start: failed to create containerd task/, null],
    ['Pod', 'podinfo-6f8b9c7d4-7xk2p', 'Failed', 'Error: secret "podinfo-db" not found', /Secret apps\/podinfo-db, which does not exist/, 'Secret/apps/podinfo-db'],
    ['Pod', 'podinfo-6f8b9c7d4-7xk2p', 'Failed', 'Error: couldn\'t find key password in Secret apps/podinfo-db', /key password of Secret apps\/podinfo-db/, 'Secret/apps/podinfo-db'],
    ['Pod', 'podinfo-6f8b9c7d4-7xk2p', 'FailedMount', 'MountVolume.SetUp failed for volume "config" : configmap "podinfo-config" not found', /ConfigMap apps\/podinfo-config, which does not exist/, 'ConfigMap/apps/podinfo-config'],
    ['Pod', 'podinfo-6f8b9c7d4-7xk2p', 'BackOff', 'Back-off restarting failed container podinfod in pod podinfo-6f8b9c7d4-7xk2p_apps(0e2c4a6b-8d0f-4e2c-a6b8-d0f2e4c6a8b0)', /container podinfod of pod apps\/podinfo-6f8b9c7d4-7xk2p keeps crashing/, null],
    ['Pod', 'podinfo-6f8b9c7d4-7xk2p', 'Unhealthy', 'Readiness probe failed: Get "http://10.244.1.7:9898/readyz": dial tcp 10.244.1.7:9898: connect: connection refused', /readiness probe of pod apps\/podinfo-6f8b9c7d4-7xk2p fails/, null],
    ['Pod', 'podinfo-6f8b9c7d4-7xk2p', 'FailedCreatePodSandBox', 'Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "3f1a": plugin type="calico" failed (add): error getting ClusterInformation: connection is unauthorized: Unauthorized', /no sandbox/, 'cluster'],
  ])('%s %s %s', (kind, name, reason, message, title, shared) => {
    const e = event(kind, 'apps', name, reason, message);
    expect(isWorkloadTroubleEvent(e)).toBe(true);
    const t = troubleOf(workloadEvents(indexOf([e]), deploy, NOW));
    expect(t?.title).toMatch(title);
    expect(t?.evidence).toContain(`${kind} apps/${name}: event Warning ${reason}`);
    const root = t?.shared?.root;
    expect(root === undefined ? null : root === 'cluster' ? 'cluster' : [root.kind, root.namespace, root.name].filter(Boolean).join('/')).toBe(shared);
    for (const step of t!.remediation) if (step.command?.startsWith('kubectl')) expect(step.command).toContain('--context {context}');
  });

  it('reads a StatefulSet\'s claims and the missing StorageClass they name', () => {
    const idx = indexOf([
      event('PersistentVolumeClaim', 'data', 'data-postgres-0', 'ProvisioningFailed', 'storageclass.storage.k8s.io "fast-ssd" not found'),
      event('Pod', 'data', 'postgres-0', 'FailedScheduling', '0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.'),
    ]);
    const t = troubleOf(workloadEvents(idx, { kind: 'StatefulSet', namespace: 'data', name: 'postgres' }, NOW));
    expect(t?.key).toBe('storageclass:fast-ssd');
    expect(t?.shared?.root).toEqual({ kind: 'StorageClass', name: 'fast-ssd' });
  });

  it('names a provisioner the cloud refuses, over the pod that cannot be scheduled for want of its volume', () => {
    const idx = indexOf([
      event('Pod', 'data', 'postgres-0', 'FailedScheduling', '0/3 nodes are available: 3 pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.', { at: '2026-11-20T08:59:00Z' }),
      event('PersistentVolumeClaim', 'data', 'data-postgres-0', 'ProvisioningFailed', 'failed to provision volume with StorageClass "gp2": rpc error: code = Internal desc = Could not create volume "pvc-83a8900d-2393-4861-b0c6-5cdcf6cf84fa": could not create volume in EC2: UnauthorizedOperation: You are not authorized to perform this operation.', { at: '2026-11-20T08:55:00Z' }),
    ]);
    const t = troubleOf(workloadEvents(idx, { kind: 'StatefulSet', namespace: 'data', name: 'postgres' }, NOW));
    expect(t?.title).toBe('the provisioner of StorageClass gp2 may not create the volume for claim data/data-postgres-0');
    expect(t?.shared?.root).toEqual({ kind: 'StorageClass', name: 'gp2' });
  });

  it('prefers the cause over its consequences: a refused pod over a crash loop of an older one', () => {
    const idx = indexOf([
      event('Pod', 'apps', 'podinfo-5b7c9d8e6-abcde', 'BackOff', 'Back-off restarting failed container podinfod in pod podinfo-5b7c9d8e6-abcde_apps(1)', { at: '2026-11-20T08:59:00Z' }),
      event('ReplicaSet', 'apps', 'podinfo-6f8b9c7d4', 'FailedCreate', 'Error creating: pods "podinfo-6f8b9c7d4-x" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=10, limited: pods=10', { at: '2026-11-20T08:50:00Z' }),
    ]);
    expect(troubleOf(workloadEvents(idx, deploy, NOW))?.key).toBe('quota-exceeded:compute');
  });

  it('keeps to the workload\'s own children, recent events and telling reasons', () => {
    const idx = indexOf([
      // Another Deployment whose name starts like this one's: its pods are `podinfo-canary-<hash>-<5>`.
      event('Pod', 'apps', 'podinfo-canary-6f8b9c7d4-7xk2p', 'BackOff', 'Back-off restarting failed container app in pod podinfo-canary-6f8b9c7d4-7xk2p_apps(1)'),
      // The same name in another namespace.
      event('ReplicaSet', 'other', 'podinfo-6f8b9c7d4', 'FailedCreate', 'Error creating: pods "x" is forbidden: exceeded quota: q, requested: pods=1, used: pods=1, limited: pods=1'),
      // Hours old: an earlier rollout.
      event('ReplicaSet', 'apps', 'podinfo-6f8b9c7d4', 'FailedCreate', 'Error creating: pods "x" is forbidden: exceeded quota: q, requested: pods=1, used: pods=1, limited: pods=1', { at: '2026-11-20T04:00:00Z' }),
      // Normal events say nothing is wrong.
      event('Pod', 'apps', 'podinfo-6f8b9c7d4-7xk2p', 'Pulled', 'Successfully pulled image "ghcr.io/acme/podinfo:1.0"', { type: 'Normal' }),
    ]);
    expect(workloadEvents(idx, deploy, NOW)).toEqual([]);
    const canary = { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'podinfo-canary', namespace: 'apps' } } as KubeObject;
    expect(troubleOf(releaseEvents(idx, canary, 'apps', 'podinfo-canary', NOW))?.key).toBe('crashloop:apps/podinfo-canary-6f8b9c7d4-7xk2p');
  });

  it('finds a release\'s workloads by its inventory when the chart does not name them after the release', () => {
    const idx = indexOf([event('ReplicaSet', 'shop', 'storefront-5c9d8b7f6', 'FailedCreate', 'Error creating: pods "storefront-5c9d8b7f6-x" is forbidden: exceeded quota: shop-quota, requested: pods=1, used: pods=20, limited: pods=20')]);
    const hr = {
      apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'shop', namespace: 'shop' },
      status: { inventory: { entries: [{ id: 'shop_storefront_apps_Deployment', v: 'v1' }, { id: 'shop_storefront__Service', v: 'v1' }] } },
    } as KubeObject;
    expect(troubleOf(releaseEvents(idx, hr, 'shop', 'shop', NOW))?.key).toBe('quota-exceeded:shop-quota');
    expect(releaseEvents(idx, { ...hr, status: {} } as KubeObject, 'shop', 'shop', NOW)).toEqual([]);
  });

  it('keeps what status collects to the telling reasons of workload objects', () => {
    expect(isWorkloadTroubleEvent(event('Pod', 'apps', 'p', 'Pulled', 'Successfully pulled', { type: 'Normal' }))).toBe(false);
    expect(isWorkloadTroubleEvent(event('Node', '', 'n1', 'FailedCreate', 'x'))).toBe(false);
    expect(isWorkloadTroubleEvent(event('PersistentVolumeClaim', 'data', 'c', 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set', { type: 'Normal' }))).toBe(true);
    expect(isWorkloadTroubleEvent(event('Pod', 'apps', 'p', 'Failed', 'Error: ImagePullBackOff'))).toBe(true);
  });
});

describe('findings that name the workloads\' cause', () => {
  it('puts the cause in the title and its steps first, without raising the timeout', async () => {
    const { loadOffline } = await import('../../src/collect/offline');
    const { analyzeCluster } = await import('../../src/analyze/report');
    const { RULES } = await import('../../src/rules/registry');
    const [cluster] = await loadOffline([`${import.meta.dirname}/../../fixtures/scenarios/workloads-not-ready`], { fluxNamespace: 'flux-system', now: '2026-11-20T09:00:00Z', contextFor: () => 'ctx' });
    const findings = analyzeCluster(cluster!, RULES, { now: NOW }).findings;
    const on = (rule: string, name: string) => findings.find((f) => f.rule === rule && f.object.name === name)!;
    expect(on('FD317', 'apps').title).toMatch(/^Health check timed out waiting for Deployment\/apps\/podinfo \(InProgress\): pods refused: ResourceQuota apps\/compute-resources exceeded/);
    expect(on('FD317', 'apps').remediation[0]!.command).toBe('kubectl --context ctx -n apps describe resourcequota compute-resources');
    expect(on('FD409', 'frontend').title).toBe('Helm upgrade timed out: pods refused: they violate PodSecurity "restricted:latest"');
    expect(on('FD409', 'api').title).toBe('Helm upgrade timed out: image ghcr.io/example-org/api:4.1.0 does not exist in the registry');
    // The crash loop of `frontendx` in the same namespace is another app's.
    expect(on('FD409', 'frontend').evidence.join('\n')).not.toContain('frontendx');
    for (const f of findings.filter((x) => x.rule === 'FD317' || x.rule === 'FD409')) {
      expect(f.remediation.map((r) => r.description).join('\n')).not.toMatch(/raise spec\.timeout/);
    }
    const root = on('FD028', 'fast-ssd');
    expect(root.object).toEqual({ kind: 'StorageClass', name: 'fast-ssd' });
    expect(root.title).toBe('The workloads of 1 Kustomization and 1 Helm release cannot become ready: StorageClass fast-ssd does not exist');
  });
});

describe('credentials in event messages', () => {
  it('never reach the title or explanation built from them', () => {
    const e = event('ReplicaSet', 'apps', 'podinfo-6f8b9c7d4', 'FailedCreate', 'Error creating: Internal error occurred: failed calling webhook "inject.acme.io": failed to call webhook: Post "https://admin:s3cr3tPassw0rd@inject.acme.svc:443/mutate?timeout=10s": dial tcp 10.0.0.9:443: connect: connection refused');
    const t = troubleOf(workloadEvents(indexOf([e]), deploy, NOW))!;
    expect(t.title).toMatch(/admission webhook inject\.acme\.io does not answer/);
    for (const text of [t.title, t.explanation, t.evidence]) expect(text).not.toContain('s3cr3tPassw0rd');
    const generic = troubleOf(workloadEvents(indexOf([event('ReplicaSet', 'apps', 'podinfo-6f8b9c7d4', 'FailedCreate', 'Error creating: token ghp_abcdefghijklmnopqrstuvwxyz0123456789 refused by https://u:p4ssw0rd@policy.acme.io')]), deploy, NOW))!;
    for (const text of [generic.title, generic.explanation, generic.evidence]) {
      expect(text).not.toContain('ghp_abcdefghijklmnopqrstuvwxyz0123456789');
      expect(text).not.toContain('p4ssw0rd');
    }
  });
});
