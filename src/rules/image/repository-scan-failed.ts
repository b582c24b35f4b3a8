import { conditionRule } from '../define';
import { REGISTRY_TITLES, imageVars, registryProblem } from './messages';

export default conditionRule({
  code: 'FD530',
  slug: 'image-repository-scan-failed',
  category: 'image-automation-failed',
  severity: 'error',
  kinds: ['ImageRepository'],
  title: 'Image repository scan failed',
  signals: [
    'Ready=False ReadOperationFailed: scan failed: <registry error> (go-containerregistry: GET https://<registry>/v2/<repo>/tags/list?n=1000: UNAUTHORIZED | DENIED | NAME_UNKNOWN | TOOMANYREQUESTS …; dial tcp …: no such host / i/o timeout; x509: …)',
    'the registry error classified: credentials, repository not found, network, TLS, rate limit',
  ],
  explanation: 'image-reflector-controller could not list the tags of the image: the registry refused the credentials (spec.secretRef or the cloud provider identity), the repository does not exist (Docker Hub answers UNAUTHORIZED for unknown repositories too), the registry is unreachable or its certificate is not trusted, or a rate limit was hit. The tag database keeps the last successful scan; the ImagePolicies built on it stop seeing new tags, so image automation stops proposing updates.',
  remediation: [
    { description: 'Check the image name and the last successful scan', command: 'kubectl --context {context} -n {namespace} get imagerepository {name} -o jsonpath=\'{.spec.image}{"\\n"}{.status.lastScanResult}\'' },
    { description: 'Check the registry credentials Secret (type kubernetes.io/dockerconfigjson; list keys only)', command: 'kubectl --context {context} -n {namespace} get secret {secretName} -o json | jq \'{type: .type, keys: (.data | keys)}\'' },
    { description: 'Recreate the credentials for the registry of {image}', command: 'kubectl --context {context} -n {namespace} create secret generic {secretName} --type=kubernetes.io/dockerconfigjson --from-file=.dockerconfigjson=<path/to/docker/config.json>' },
    { description: 'The registry login comes from the {provider} workload identity: check the controller\'s (or {serviceAccount}\'s) cloud role can list tags' },
    { description: 'Check the certificate Secret {certSecretName} holds the registry\'s CA (ca.crt)', command: 'kubectl --context {context} -n {namespace} get secret {certSecretName} -o jsonpath=\'{.data}\' | jq \'keys\'' },
    { description: 'Scan again', command: 'flux --context {context} reconcile image repository {name} -n {namespace}' },
  ],
  when: { type: 'Ready', status: 'False', reasons: ['ReadOperationFailed'], message: /scan failed/ },
  refine(obj, _ctx, { condition }) {
    const problem = registryProblem(condition.message ?? '');
    return { vars: imageVars(obj), ...(problem ? { title: `Image repository scan failed: ${REGISTRY_TITLES[problem]!.toLowerCase()}` } : {}) };
  },
});
