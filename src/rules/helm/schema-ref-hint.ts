// `values don't meet the specifications of the schema(s) in the following chart(s):\n<chart>:\n<err>` (Helm pkg/chartutil,
// pkg/chart/common/util in v4) also carries the errors of loading the schema itself: a values.schema.json whose $ref
// points at an http(s) URL makes Helm download it while validating. Helm 3.19+/v4 (santhosh-tekuri/jsonschema v6):
// `failing loading "<url>": HTTP request failed for <url>: <Go error>` / `… HTTP request to <url> returned status <n>
// (<text>)`; Helm ≤3.18 (xeipuuv/gojsonschema): the Go error `Get "<url>": <err>` or `Could not read schema from HTTP,
// response status is <status>`. Helm joins the charts' errors without a separator, so causes are cut at known Go wordings.
import type { RuleHit } from '../types';

const SCHEMA = /values don't meet the specifications of the schema\(s\)([\s\S]*)$/;
const URL = /failing loading "(https?:\/\/[^"]+)"|HTTP request (?:failed for|to) (https?:\/\/\S+?):? |Get "(https?:\/\/[^"]+)": |Could not read schema from HTTP/;
const CAUSE = /dial tcp[^:]*: lookup \S+?(?: on \S+)?: (?:server misbehaving|no such host|i\/o timeout|Temporary failure in name resolution)|dial tcp \S+: (?:connect: )?(?:connection refused|i\/o timeout|network is unreachable|no route to host)|x509: [^"\n]{0,80}?(?=$|\n|\w+: failing loading)|returned status \d+ \([^)]*\)|response status is \d+(?: [A-Z][\w ]*[a-z])?|proxyconnect tcp: [^\n]{0,60}|Client\.Timeout exceeded while awaiting headers|context deadline exceeded/;

export function schemaRefHint(tail: string): Partial<RuleHit> | null {
  const schema = tail.match(SCHEMA)?.[1];
  const url = schema?.match(URL);
  if (!schema || !url) return null;
  const where = url[1] ?? url[2] ?? url[3];
  const cause = schema.match(CAUSE)?.[0];
  const host = where?.match(/^https?:\/\/([^/:]+)/)?.[1];
  const gone = /status (?:is )?\d/.test(cause ?? '');
  return {
    title: `The chart's values schema refers to ${where ?? 'a remote schema'}, which helm-controller cannot fetch${cause ? ` (${cause})` : ''}`,
    explanation: `The chart's values.schema.json (or a subchart's) has a $ref to a remote schema, which Helm downloads while validating the values, and helm-controller could not fetch it${cause ? `: ${cause}` : ''}. This is not a problem with the values: ${gone ? 'the server answered, but the schema is not there any more (a chart bug to report upstream)' : `the helm-controller pod has no DNS resolution or egress to ${host ?? 'that host'} (a NetworkPolicy, a firewall, a proxy helm-controller is not configured for), or the URL is gone`}. ${gone ? 'Skip' : 'Give helm-controller that egress (or HTTPS_PROXY), or skip'} the schema validation of this release with spec.install.disableSchemaValidation / spec.upgrade.disableSchemaValidation: true${gone ? ', or use a chart version that does not refer to it' : ''}.`,
    remediation: [
      ...(host && !gone ? [{ description: `Check DNS from a pod in the Flux namespace (the helm-controller image has no shell): ${host}`, command: `kubectl --context {context} -n {fluxNamespace} run schema-dns-check --rm -it --restart=Never --image=busybox:1.36 -- nslookup ${host}` }] : []),
      { description: 'Or skip the schema validation in Git: spec.upgrade.disableSchemaValidation: true (spec.install.disableSchemaValidation: true for installs)' },
      { description: 'Run the release again once helm-controller can fetch the schema (or validation is off)', command: 'flux --context {context} reconcile helmrelease {name} -n {namespace}' },
    ],
    replaceRemediation: true,
  };
}
