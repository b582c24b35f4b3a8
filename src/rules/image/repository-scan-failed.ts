import { conditionRule } from '../define';
import { AUTH_NOT_IN_SECRET, REGISTRY_TITLES, SCAN_NOT_REGISTRY, TOKEN_SCOPE_REJECTED, imageVars, registryProblem } from './messages';
import { registryHost, transportHit } from './registry-transport';
import { parseDuration } from '../util';

/** Below this, a scan interval keeps the registry busy with this one image: timeouts and rate limits follow. */
const SHORT_INTERVAL_MS = 60_000;

export default conditionRule({
  code: 'FD530',
  slug: 'image-repository-scan-failed',
  category: 'image-automation-failed',
  severity: 'error',
  kinds: ['ImageRepository'],
  title: 'Image repository scan failed',
  signals: [
    'Ready=False ReadOperationFailed: scan failed: <registry error> (go-containerregistry: GET https://<registry>/v2/<repo>/tags/list?n=1000: UNAUTHORIZED | DENIED | NAME_UNKNOWN | TOOMANYREQUESTS …; dial tcp …: no such host / i/o timeout; x509: …)',
    'the registry error classified: credentials, cloud IAM permission (ecr:ListImages …), repository not found, network, TLS, rate limit, page size (Quay TOO_MANY_TAGS_REQUESTED)',
    'plain-HTTP registry: Get "https://<host>/v2/": http: server gave HTTP response to HTTPS client → spec.insecure: true; TLS (x509: …) → spec.certSecretRef; both with their own titles',
    'v1alpha/v1beta1 (Flux 0.x): Ready=False ReconciliationFailed with the raw registry error (no `scan failed: ` prefix), when it is one of the registry answers above',
    'a timeout or rate limit with spec.interval under 1m (e.g. 10ms: the registry is listed continuously) names the interval as the likely cause',
    'not: a Secret without an auths entry for the registry (FD531), a token endpoint answering 400 to the image path (FD532), an invalid spec.exclusionList pattern (FD542) or the controller failing to store the tags (FD543)',
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
  when: [
    { type: 'Ready', status: 'False', reasons: ['ReadOperationFailed'], message: /scan failed/ },
    // v1alpha/v1beta1 (Flux 0.x): the raw registry error under ReconciliationFailed, without `scan failed: `.
    { type: 'Ready', status: 'False', reasons: ['ReconciliationFailed'] },
  ],
  refine(obj, _ctx, { condition }) {
    const message = condition.message ?? '';
    if (SCAN_NOT_REGISTRY.test(message)) return null;
    // The Secret lacks the registry's entry (FD531) or the token endpoint refused the image path (FD532).
    if (AUTH_NOT_IN_SECRET.test(message) || TOKEN_SCOPE_REJECTED.test(message)) return null;
    const problem = registryProblem(message);
    // Under the old catch-all reason only a registry answer says the scan is what failed.
    if (condition.reason === 'ReconciliationFailed' && !problem) return null;
    const vars = imageVars(obj);
    const host = registryHost(obj, message);
    if (problem === 'insecure' || problem === 'tls') return transportHit(problem, vars, host);
    const title = problem ? { title: `Image repository scan failed: ${REGISTRY_TITLES[problem].toLowerCase()}` } : {};
    // Credentials are not the problem here: leave out the steps about the Secrets.
    if (problem === 'iam' || problem === 'page-size') {
      delete vars.secretName;
      delete vars.certSecretName;
    }
    if (problem === 'iam') {
      return { vars, ...title, remediation: [{ description: 'The identity the registry named authenticated but lacks the permission in the message: grant it to the cloud role of image-reflector-controller (or of spec.serviceAccountName), e.g. ecr:ListImages and ecr:DescribeImages on this repository' }] };
    }
    if (problem === 'page-size') {
      return {
        vars, ...title,
        explanation: 'The registry refused the number of tags per page image-reflector-controller asks for (tags/list?n=1000; quay.io briefly capped it at 100 in June 2024). No credentials or spec field change this: the page size is fixed in the controller. The tag database keeps the last successful scan, so the ImagePolicies built on it stop seeing new tags.',
        remediation: [{ description: 'Check whether the registry still enforces the limit (see fluxcd/image-reflector-controller#585); until it is lifted, mirror the image to a registry without it and scan the mirror' }],
      };
    }
    const interval = parseDuration(obj.spec?.interval);
    const overloaded = problem === 'rate-limit' || (problem === 'network' && /deadline exceeded|i\/o timeout|Client\.Timeout|TLS handshake timeout/.test(message));
    if (overloaded && interval !== null && interval < SHORT_INTERVAL_MS) {
      return {
        vars,
        title: `Image repository scan failed (${REGISTRY_TITLES[problem].toLowerCase()}) with spec.interval ${obj.spec.interval}: the registry is listed almost continuously`,
        remediation: [
          { description: `spec.interval is ${obj.spec.interval}: image-reflector-controller lists every tag of ${vars.image ?? 'the image'} again each time, so the registry throttles or times out. Set it to minutes (e.g. interval: 5m) in Git; a receiver or flux reconcile gives faster updates when needed` },
          { description: 'Scan again', command: 'flux --context {context} reconcile image repository {name} -n {namespace}' },
        ],
        replaceRemediation: true,
      };
    }
    return { vars, ...title };
  },
});
