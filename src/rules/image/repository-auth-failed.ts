import { conditionRule } from '../define';
import { imageVars } from './messages';

export default conditionRule({
  code: 'FD531',
  slug: 'image-repository-auth-failed',
  category: 'image-automation-failed',
  severity: 'error',
  kinds: ['ImageRepository'],
  title: 'Registry credentials for the image scan cannot be set up',
  signals: [
    'Flux 0.x (v1alpha/v1beta1): Ready=False ReconciliationFailed: secrets "<name>" not found',
    'Ready=False AuthenticationFailed: failed to configure authentication options: <err> (the spec.secretRef / certSecretRef / proxySecretRef Secret missing or malformed, e.g. secrets "<name>" not found; a cloud provider (aws/azure/gcp) token exchange failed)',
  ],
  explanation: 'Before scanning, image-reflector-controller builds the registry login from spec.secretRef (a docker-registry Secret), spec.serviceAccountName (its image pull secrets) or spec.provider (cloud workload identity), plus the TLS and proxy Secrets. That step failed: a referenced Secret is missing or has the wrong type or keys, or the cloud provider refused to issue a token. No scan happens until it is fixed.',
  remediation: [
    { description: 'Check the Secrets the ImageRepository references exist', command: 'kubectl --context {context} -n {namespace} get imagerepository {name} -o jsonpath=\'{.spec.secretRef}{" "}{.spec.certSecretRef}{" "}{.spec.proxySecretRef}{" "}{.spec.serviceAccountName}{" "}{.spec.provider}\'' },
    { description: 'Check the type and keys of the credentials Secret (kubernetes.io/dockerconfigjson with .dockerconfigjson)', command: 'kubectl --context {context} -n {namespace} get secret {secretName} -o json | jq \'{type: .type, keys: (.data | keys)}\'' },
    { description: 'Create the credentials Secret', command: 'kubectl --context {context} -n {namespace} create secret generic {secretName} --type=kubernetes.io/dockerconfigjson --from-file=.dockerconfigjson=<path/to/docker/config.json>' },
    { description: 'For {provider} workload identity, check the controller\'s service account annotations and the cloud role binding', command: 'kubectl --context {context} -n {fluxNamespace} get serviceaccount image-reflector-controller -o jsonpath=\'{.metadata.annotations}\'' },
    { description: 'Scan again', command: 'flux --context {context} reconcile image repository {name} -n {namespace}' },
  ],
  when: [
    { type: 'Ready', status: 'False', reasons: ['AuthenticationFailed'] },
    // v1alpha/v1beta1 (Flux 0.x): a missing spec.secretRef Secret under the catch-all ReconciliationFailed.
    { type: 'Ready', status: 'False', reasons: ['ReconciliationFailed'], message: /secrets? "[^"]+" not found/ },
  ],
  refine(obj, { index }, { condition }) {
    const vars = { ...imageVars(obj), fluxNamespace: index.cluster.fluxNamespace };
    const missing = (condition.message ?? '').match(/secrets? "([^"]+)" not found/);
    return { vars, ...(missing ? { title: `Secret ${missing[1]} referenced by the ImageRepository does not exist` } : {}) };
  },
});
