import { conditionRule } from '../define';
import { conditionEvidence } from '../evidence';
import { helmVars } from './release';
import { valuesContentHint } from './values-reference-hint';

// fluxcd/pkg chartutil ErrValuesReference (2.2+):
//   could not resolve [optional ]<Kind> chart values reference '<ns>/<name>'[ with key '<key>']: <reason>
// v2beta1 controller (2.1 and older), reason InitFailed:
//   could not find <Kind> '<ns>/<name>' | missing key '<key>' in <Kind> '<ns>/<name>' | unable to read values from key '<key>' in <Kind> '<ns>/<name>': …
const CURRENT = /could not resolve (?:optional )?(ConfigMap|Secret)? ?chart values reference '([^/']+)\/([^']+)'(?: with key '([^']+)')?: ([\s\S]*)$/;
const OLD = /(?:could not find|missing key '([^']+)' in|(?:unable to read|unable to merge) values? from key '([^']+)' in) (ConfigMap|Secret) '([^/']+)\/([^']+)'/;

export default conditionRule({
  code: 'FD405',
  slug: 'helm-values-reference-missing',
  category: 'helm-values-invalid',
  severity: 'error',
  kinds: ['HelmRelease'],
  title: 'valuesFrom reference cannot be resolved',
  signals: [
    "Ready=False ValuesError: could not resolve <ConfigMap|Secret> chart values reference '<ns>/<name>' with key '<key>': <secrets \"x\" not found | key not found | failed to read values data …>",
    "Ready=False InitFailed (v2beta1, Flux 2.1 and older): could not find <Kind> '<ns>/<name>' / missing key '<key>' in <Kind> '<ns>/<name>'",
    "the object and key exist but the content cannot be used (the steps then fix the content, not the reference): a tail other than `not found` with a targetPath (Helm strvals error: --set syntax in the content, literal: true from Flux 2.9), or without one (invalid YAML); v2beta1 `unable to merge value from key … into target path '<p>': <err>` (`assignment to entry in nil map`: helm-controller < v0.1.3) / `unable to read values from key …: <err>`",
  ],
  explanation: 'helm-controller composes the release values from spec.valuesFrom before any Helm action, and one referenced ConfigMap or Secret (or the key in it) does not exist or does not hold valid YAML. Nothing is installed or upgraded until it resolves; the running release keeps its old values. The object is often created by another Kustomization, an external secrets operator or SOPS decryption that has not run yet.',
  remediation: [
    { description: 'List the values references of the release', command: 'kubectl --context {context} -n {namespace} get helmrelease {name} -o jsonpath=\'{range .spec.valuesFrom[*]}{.kind}/{.name} key={.valuesKey} optional={.optional}{"\\n"}\\{end\\}\'' },
    { description: 'Check that {valuesKind} {valuesName} exists and which keys it has (names only)', command: 'kubectl --context {context} -n {valuesNamespace} get {valuesResource} {valuesName} -o jsonpath=\'{.data}\' | jq \'keys\'' },
    { description: 'Create it (with the key {valuesKey}, default values.yaml), fix the reference in Git, or mark the reference optional: true if the release can do without it' },
    { description: 'Retry once it exists', command: 'flux --context {context} reconcile helmrelease {name} -n {namespace}' },
  ],
  when: [
    { type: 'Ready', status: 'False', reasons: ['ValuesError'] },
    { type: 'Ready', status: 'False', reasons: ['InitFailed'], message: OLD },
  ],
  refine(obj, { index }, { condition }) {
    const message = condition.message ?? '';
    const vars = helmVars(obj);
    const evidence = [conditionEvidence(condition)];
    const m = message.match(CURRENT);
    const o = m ? null : message.match(OLD);
    const kind = m ? m[1] : o?.[3];
    const ns = m ? m[2] : o?.[4];
    const name = m ? m[3] : o?.[5];
    const key = m ? m[4] : o?.[1] ?? o?.[2];
    // The kind may be missing from the message: take it from spec.valuesFrom.
    const ref = (obj.spec?.valuesFrom ?? []).find((v: any) => v?.name === name);
    const valuesKind = kind ?? ref?.kind;
    if (name) vars.valuesName = name;
    if (ns) vars.valuesNamespace = ns;
    if (valuesKind) {
      vars.valuesKind = valuesKind;
      vars.valuesResource = valuesKind.toLowerCase();
    }
    vars.valuesKey = key ?? ref?.valuesKey ?? 'values.yaml';
    if (valuesKind && name && ns) {
      const found = index.resource({ kind: valuesKind, namespace: ns, name });
      const checked = index.cluster.details?.checkedRefs?.includes(`${valuesKind}/${ns}/${name}`);
      if (found) {
        const keys: string[] = Array.isArray(found.dataKeys) ? found.dataKeys : [];
        evidence.push(`${valuesKind}/${ns}/${name} exists with keys: ${keys.length > 0 ? keys.join(', ') : '(none)'}`);
      } else if (checked) {
        evidence.push(`${valuesKind}/${ns}/${name} does not exist`);
      }
    }
    const what = `${valuesKind ?? ''} ${ns}/${name}`.trim();
    const hint = name ? valuesContentHint(message, m ? m[5]! : null, typeof ref?.targetPath === 'string' ? ref.targetPath : null, what) : null;
    if (hint) return { vars, ...hint, evidence: [...evidence, ...(hint.evidence ?? [])] };
    return { vars, evidence, ...(name ? { title: `valuesFrom ${what} cannot be resolved` } : {}) };
  },
});
