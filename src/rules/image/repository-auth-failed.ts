import { conditionRule } from '../define';
import type { RuleHit } from '../types';
import { AUTH_NOT_IN_SECRET, imageVars } from './messages';
import { conditionEvidence } from '../evidence';
import { tlsSecretHint } from '../tls-secret';

/** The Secret exists but its auths map has no key equal to the registry host the controller looked up. */
function noAuthEntryHit(host: string, namespace: string, secret: string): Partial<RuleHit> {
  return {
    title: `Secret ${namespace}/${secret} has no credentials for registry ${host}: no auths key matches the image's registry host`,
    remediation: [
      { description: `List the registries the Secret holds credentials for (host names only)`, command: `kubectl --context {context} -n ${namespace} get secret ${secret} -o jsonpath='{.data.\\.dockerconfigjson}' | base64 -d | jq '.auths | keys'` },
      { description: `The auths key must be exactly ${host}, the host (and port) of spec.image, without https:// or a path (older image-reflector-controller compare it literally): recreate the Secret with that server, or upgrade Flux`, command: `kubectl --context {context} -n ${namespace} create secret docker-registry ${secret} --docker-server=${host} --docker-username=<user> --docker-password=<token> --dry-run=client -o yaml` },
    ],
  };
}

export default conditionRule({
  code: 'FD531',
  slug: 'image-repository-auth-failed',
  category: 'image-automation-failed',
  severity: 'error',
  kinds: ['ImageRepository'],
  title: 'Registry credentials for the image scan cannot be set up',
  signals: [
    'Flux 0.x (v1alpha/v1beta1): Ready=False ReconciliationFailed: secrets "<name>" not found',
    'any reason (ReconciliationFailed in Flux 0.x): auth for "<registry host>" not found in secret <ns>/<name> → the .dockerconfigjson of the Secret has no auths key for the image\'s registry host (often written with https:// or a path; image-reflector-controller#127)',
    'Ready=False AuthenticationFailed: failed to configure authentication options: <err> (the spec.secretRef / certSecretRef / proxySecretRef Secret missing or malformed, e.g. secrets "<name>" not found; a cloud provider (aws/azure/gcp) token exchange failed)',
    "… secret '<ns>/<name>' must contain either 'ca.crt' or both 'tls.crt' and 'tls.key' (Flux 2.7+: the certSecretRef Secret, an empty ca.crt included, which 2.6 ignored)",
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
    { type: 'Ready', status: 'False', message: AUTH_NOT_IN_SECRET },
  ],
  refine(obj, { index }, { condition }) {
    const vars = { ...imageVars(obj), fluxNamespace: index.cluster.fluxNamespace };
    const noEntry = (condition.message ?? '').match(AUTH_NOT_IN_SECRET);
    if (noEntry) return { vars, ...noAuthEntryHit(noEntry[1]!, noEntry[2]!, noEntry[3]!) };
    const tls = tlsSecretHint(condition.message ?? '', index, obj.metadata.namespace ?? '');
    if (tls) return { vars, evidence: [conditionEvidence(condition), ...tls.evidence], title: tls.title, remediation: tls.remediation };
    const missing = (condition.message ?? '').match(/secrets? "([^"]+)" not found/);
    return { vars, ...(missing ? { title: `Secret ${missing[1]} referenced by the ImageRepository does not exist` } : {}) };
  },
});
