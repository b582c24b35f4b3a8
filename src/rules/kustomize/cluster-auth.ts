// FD314's case of an API server that rejects kustomize-controller's credentials or whose certificate it cannot
// verify. With spec.kubeConfig that is the remote cluster and the Secret's token, client certificate or CA; without
// it, the controller's own ServiceAccount token or the cluster CA (rare: token or CA rotation, a broken controller).
import type { RemediationTemplate } from '../types';

export interface ClusterAuth {
  title: string;
  secret: string | null;
  remediation: RemediationTemplate[];
}

export function clusterAuth(message: string, kubeConfigSecret: string | null): ClusterAuth {
  const x509 = message.match(/x509: ([^\n]*?)(?::\s*current time|$|\n)/m)?.[1]?.trim();
  const tls = x509 ?? message.match(/remote error: tls: ([^\n]+)/)?.[1]?.trim();
  const problem = x509 ? `x509: ${x509}` : tls ? `tls: ${tls}` : 'Unauthorized';
  if (kubeConfigSecret) {
    return {
      title: x509 ? `Cannot verify the target cluster's certificate (spec.kubeConfig): ${problem}`
        : `The target cluster rejected the credentials of spec.kubeConfig (${problem})`,
      secret: kubeConfigSecret,
      remediation: [
        x509
          ? { description: 'The kubeconfig in Secret {kubeConfigSecret} does not trust the target API server\'s certificate: update its certificate-authority-data (CA rotated, or the server certificate expired and must be renewed on that cluster)' }
          : { description: 'The token or client certificate in the kubeconfig Secret {kubeConfigSecret} is expired, revoked or for another cluster: write a fresh kubeconfig into the Secret (check it first with kubectl --kubeconfig <file> auth whoami)' },
        { description: 'See when the kubeconfig Secret {kubeConfigSecret} was last written (a token or certificate older than its lifetime has expired)', command: 'kubectl --context {context} -n {namespace} get secret {kubeConfigSecret} -o jsonpath=\'{.metadata.managedFields[*].time}\'' },
      ],
    };
  }
  return {
    title: x509 ? `kustomize-controller cannot verify its API server's certificate (${problem})`
      : `The API server rejected kustomize-controller's own credentials (${problem})`,
    secret: null,
    remediation: [
      { description: 'No spec.kubeConfig: these are kustomize-controller\'s own credentials to its API server (rare; after a service account token or cluster CA rotation). Read its log, then restart it to load fresh ones', command: 'kubectl --context {context} -n {fluxNamespace} logs deploy/kustomize-controller --tail=50' },
      { description: 'Restart kustomize-controller', command: 'kubectl --context {context} -n {fluxNamespace} rollout restart deployment kustomize-controller' },
    ],
  };
}
