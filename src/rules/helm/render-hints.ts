// FD406 cases whose fix the error states. The rendered manifest is decoded into API types: a label or annotation value
// that YAML reads as a number or boolean (`version: 1.0`, `enabled: true`, unquoted in values and templated without
// `| quote`) cannot become the string Kubernetes requires. Wordings: sigs.k8s.io/json (Kubernetes 1.23+)
// `json: cannot unmarshal <number|bool> into Go struct field ObjectMeta.<path>.<labels|annotations> of type string`
// (the path is the full one, e.g. spec.template.metadata.labels, since Go 1.20), json-iterator before it
// `… v1.ObjectMeta.<Labels|Annotations>: ReadString: expects " or n, but found <c>`.
import type { RuleHit } from '../types';

const NON_STRING_METADATA = /cannot unmarshal (\w+) into Go struct field ObjectMeta\.((?:[\w.]+\.)?(labels|annotations)) of type string|ObjectMeta\.(Labels|Annotations): ReadString: expects " or n, but found (\S)/;

export function renderHint(tail: string): Partial<RuleHit> | null {
  const m = tail.match(NON_STRING_METADATA);
  if (!m) return null;
  const field = (m[3] ?? m[4]!).toLowerCase();
  const path = m[2] && m[2] !== field ? m[2] : `metadata.${field}`;
  const found = m[1] ?? (m[5] === 't' || m[5] === 'f' ? 'bool' : 'number');
  return {
    title: `Chart renders a ${found} as a ${path} value (must be a string)`,
    explanation: `The chart rendered an object whose ${path} holds a ${found} instead of a string, so Helm cannot even decode the manifest (nothing was sent to the API server). The value usually comes from spec.values / valuesFrom unquoted: YAML reads 1, 1.0, true or on as a number or boolean, and the template writes it without \`| quote\`. Quote it in the values ("1.0", "true"), or fix the template. It is a values/chart bug: retrying cannot help (after a failed upgrade the previous release keeps running).`,
    remediation: [
      { description: `Find the unquoted ${field} in the values (labels/annotations entries, podLabels, commonLabels…) and quote it in Git`, command: 'kubectl --context {context} -n {namespace} get helmrelease {name} -o jsonpath=\'{.spec.values}{"\\n"}{.spec.valuesFrom}\'' },
      { description: 'Check the rendered output locally: helm template {releaseName} <chart> --version <version> -f <values.yaml> | grep -n -E \'^\\s+[a-zA-Z0-9./-]+: (true|false|[0-9.]+)$\'' },
    ],
  };
}
