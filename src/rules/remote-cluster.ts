// A Kustomization or HelmRelease with spec.kubeConfig applies to another cluster: the objects it manages, their
// pods and Helm's release storage live there, not in the context fluxdiag read. Its findings say so and show how
// to reach that cluster, since their kubectl/helm commands about managed objects name the management context.
import type { Remediation } from '../report/schema';
import type { KubeObject } from '../snapshot/schema';

export interface RemoteCluster {
  evidence: string;
  step: Remediation;
}

export function remoteCluster(obj: KubeObject, context: string): RemoteCluster | null {
  if (obj.kind !== 'Kustomization' && obj.kind !== 'HelmRelease') return null;
  const kc = obj.spec?.kubeConfig;
  if (!kc || typeof kc !== 'object') return null;
  const ns = obj.metadata.namespace ?? 'default';
  const secret = typeof kc.secretRef?.name === 'string' ? kc.secretRef.name : null;
  if (!secret) {
    // configMapRef (Flux 2.7+): the controller reaches the cluster through workload identity; there is no file to reuse.
    const cm = typeof kc.configMapRef?.name === 'string' ? ` (ConfigMap ${ns}/${kc.configMapRef.name})` : '';
    return {
      evidence: `applies to a remote cluster through spec.kubeConfig${cm}: the objects it manages are there, not in context ${context}`,
      step: { description: 'Run the kubectl/helm commands about the objects it manages against the remote cluster (with your own credentials for it), not against the management context' },
    };
  }
  const key = typeof kc.secretRef?.key === 'string' && kc.secretRef.key ? kc.secretRef.key : 'value';
  const file = `${obj.metadata.name}-remote.kubeconfig`;
  return {
    evidence: `applies to a remote cluster through spec.kubeConfig (Secret ${ns}/${secret}, key ${key}): the objects it manages are there, not in context ${context}`,
    step: {
      description: `Commands about the objects it manages (helm, kubectl on its workloads) must target the remote cluster: save its kubeconfig, then pass --kubeconfig ${file} instead of --context/--kube-context ${context}`,
      command: `kubectl --context ${context} -n ${ns} get secret ${secret} -o jsonpath='{.data.${key.replace(/\./g, '\\.')}}' | base64 -d > ${file}`,
    },
  };
}
