import { defineRule } from '../define';

export default defineRule({
  code: 'FD001',
  slug: 'cluster-unreachable',
  category: 'cluster-unreachable',
  severity: 'error',
  kinds: ['Cluster'],
  title: 'Cluster could not be read',
  signals: ['the snapshot marks the cluster unreachable: connection refused, DNS, TLS or authentication failure, an unusable kubeconfig entry, or the --timeout deadline passed before discovery answered (error code and message quoted)'],
  explanation: 'fluxdiag could not read this cluster at all, so nothing about its Flux objects is known. This is not a Flux failure: it is the path from here to the API server (network, VPN, credentials, certificate) or an overloaded API server.',
  remediation: [
    { description: 'Check that the API server answers with these credentials', command: 'kubectl --context {context} get --raw /version' },
    { description: 'Check which server and user the context uses', command: 'kubectl config view --minify --context {context}' },
    { description: 'The credentials were rejected ({authFailed}): refresh them (cloud CLI login, a new token or client certificate), then check who the API server thinks you are', command: 'kubectl --context {context} auth whoami' },
    { description: 'TLS failed ({tlsFailed}): the server certificate does not match the certificate-authority-data of the context, or the server name is not in the certificate' },
    { description: 'No answer in time ({noAnswer}): check the network path (VPN, bastion, firewall, proxy) and the API server load; give slow clusters more time', command: 'fluxdiag status --context {context} --timeout 60s' },
    { description: 'The kubeconfig entry is unusable ({configError}): fix the cluster, user or exec plugin of the context (names only shown)', command: 'kubectl config view --minify --context {context} -o jsonpath=\'{.contexts[0].context}\'' },
  ],
  matchCluster({ index }) {
    const c = index.cluster;
    if (c.reachable || !c.error) return [];
    const vars: Record<string, string> = { code: c.error.code };
    const code = c.error.code;
    if (code === 'Unauthorized' || code === 'Forbidden') vars.authFailed = code;
    else if (code === 'TLSError') vars.tlsFailed = code;
    else if (code === 'ConfigError') vars.configError = code;
    else vars.noAnswer = code;
    return [{ evidence: [`${code}: ${c.error.message}`], vars, title: `Cluster could not be read: ${code}` }];
  },
});
