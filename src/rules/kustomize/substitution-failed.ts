import { conditionRule } from '../define';
import type { RemediationTemplate } from '../types';
import { APPLY_REASONS, baseEvidence, classifyApply, classifyBuild, ksVars, unsubstitutedVar } from './messages';
import { substitutionHint } from './substitution-hints';
import { unsubstitutedHit } from './unsubstituted';

const BROKEN_YAML = /YAMLToJSON|UnmarshalJSON|yaml: line \d+|error converting YAML to JSON|yaml: (?:did not find|mapping values|found character|could not find|unmarshal errors)/i;

/** `Kind/name` from `… failed for '<name>'` or `… failed for '<Kind.version.group>/<name>'` (kc v1.8+). */
function substitutedObject(message: string): string | null {
  const m = message.match(/(?:var substitution|post build) failed for '([^']+)'/);
  if (!m) return null;
  const slash = m[1]!.lastIndexOf('/');
  if (slash < 0) return m[1]!;
  return `${m[1]!.slice(0, slash).split('.')[0]}/${m[1]!.slice(slash + 1)}`;
}

export default conditionRule({
  code: 'FD308',
  slug: 'substitution-failed',
  category: 'substitution-failed',
  severity: 'error',
  kinds: ['Kustomization'],
  title: 'Post-build variable substitution failed',
  signals: [
    "Ready=False BuildFailed: post build failed for '<object>': substitute from 'ConfigMap|Secret/<name>' error: configmaps|secrets \"<name>\" not found",
    "… variable substitution failed: variable not set (strict mode): \"<VAR>\"; on a Flux CRD (*.toolkit.fluxcd.io, *.fluxcd.controlplane.io): the ${var…} examples in its descriptions under the strict default of kustomize-controller v1.9.0–v1.9.1 (Flux 2.9.0)",
    "… variable substitution failed: missing closing brace / bad substitution / unable to parse variable name|substitution within function|default function (envsubst cannot parse a ${…}: a name with - or ., an unclosed ${)",
    "… '<VAR>' var name is invalid, must match '<regex>' (a key of postBuild.substitute or of a substituteFrom object)",
    'Ready=False ReconciliationFailed: <Kind>/<ns>/<name> dry-run failed …, where the object\'s name or namespace, a rejected value (Invalid value: "…${VAR}…"), a name client-go refuses (invalid resource name "…${VAR/x/y}…": [may not contain \'/\']) or a missing namespace holds a literal ${VAR} in any envsubst form (${VAR:-d}, ${VAR/x/y}, ${VAR#p}, …): substitution never ran on the object (no spec.postBuild, substitute: disabled, escaped $${…})',
    "… var substitution failed for '<name>' (Flux 2.0–2.2) / post build failed for '<name>' (2.3–2.7) / '<Kind.version.group>/<name>' (2.8+): envsubst error: YAMLToJSON: yaml: line <n>: … (before mid-2024: YAMLToJSON: YAMLToJSON: …): the substituted object is no longer valid YAML",
  ],
  explanation: 'After kustomize build, kustomize-controller replaces ${VAR} references with the values of spec.postBuild.substitute and the ConfigMaps/Secrets of spec.postBuild.substituteFrom. Here a substituteFrom object does not exist (and is not marked optional), a variable is used without a value while the controller runs with strict substitution, a ${…} expression is malformed, or a variable name is invalid. Nothing is applied.',
  remediation: [
    { description: 'See the substitution sources this Kustomization reads', command: 'kubectl --context {context} -n {namespace} get kustomization {name} -o jsonpath=\'{.spec.postBuild}\'' },
    { description: 'Check that the ConfigMap {configMapName} exists in {namespace} and list its variable names', command: 'kubectl --context {context} -n {namespace} get configmap {configMapName} -o jsonpath=\'{.data}\' | jq -r \'keys[]\'' },
    { description: 'Check that the Secret {secretName} exists in {namespace} and list its variable names only', command: 'kubectl --context {context} -n {namespace} get secret {secretName} -o jsonpath=\'{.data}\' | jq -r \'keys[]\'' },
    { description: 'Define {variable} in postBuild.substitute or in one of the substituteFrom objects, or give it a default in the manifest: ${{variable}:=default}' },
    { description: 'If the object may legitimately be absent, mark the substituteFrom entry optional: true; to keep a literal ${…} in a manifest, escape it as $${…} or annotate the object kustomize.toolkit.fluxcd.io/substitute: disabled' },
    { description: 'Apply again once fixed', command: 'flux --context {context} reconcile kustomization {name} -n {namespace} --with-source' },
  ],
  when: { type: 'Ready', status: 'False', reasons: ['BuildFailed', ...APPLY_REASONS] },
  refine(obj, { index }, { condition }) {
    const message = condition.message ?? '';
    if (condition.reason !== 'BuildFailed') {
      const variable = classifyApply(message) === 'unsubstituted' ? unsubstitutedVar(message) : null;
      if (!variable) return null;
      const hit = unsubstitutedHit(obj, message, variable);
      return { ...hit, vars: { ...ksVars(obj, index), ...hit.vars }, evidence: [...baseEvidence(obj, condition), ...(hit.evidence ?? [])] };
    }
    if (classifyBuild(message, obj) !== 'substitution') return null;
    const vars = ksVars(obj, index);
    const evidence = baseEvidence(obj, condition);
    const ns = obj.metadata.namespace ?? '';
    let title: string | undefined;
    const from = message.match(/substitute from '(ConfigMap|Secret)\/([^']+)' error/);
    if (from) {
      const [, kind, name] = from;
      if (kind === 'ConfigMap') vars.configMapName = name!;
      else vars.secretName = name!;
      title = /not found/.test(message) ? `${kind} ${ns}/${name} used for substitution does not exist` : `Cannot read ${kind} ${ns}/${name} for substitution`;
      if (index.lookup({ kind: kind!, namespace: ns, name: name! }) === 'absent') evidence.push(`${kind} ${ns}/${name} does not exist`);
    }
    const unset = message.match(/variable not set \(strict mode\):? "?([A-Za-z_][A-Za-z0-9_]*)"?/);
    if (unset) {
      vars.variable = unset[1]!;
      title = `Variable ${unset[1]} has no value (strict substitution)`;
    }
    const invalid = /var name is invalid/.test(message);
    const hint = substitutionHint(message, obj, substitutedObject(message));
    if (hint) {
      const { evidence: more, ...rest } = hint;
      return { vars, evidence: [...evidence, ...(more ?? [])], ...rest };
    }
    // The prefix says substitution; a YAML error after it means the substituted text broke the object's YAML
    // (a value with `:`/newlines/quotes, or a `$` in a block string read as a variable), not that Git has bad YAML.
    let remediation: RemediationTemplate[] | undefined;
    if (!from && !unset && !invalid && BROKEN_YAML.test(message)) {
      const object = substitutedObject(message);
      vars.substitutedObject = object ?? 'the object named in the message';
      const line = message.match(/yaml: line (\d+)/)?.[1];
      title = `Substitution made ${object ?? 'an object'} invalid YAML${line ? ` (line ${line} after substitution)` : ''}`;
      remediation = [
        { description: 'Render the manifests with the cluster\'s substitutions to see the broken {substitutedObject} (run at the repository root)', command: 'flux --context {context} build kustomization {name} -n {namespace} --path {path}' },
        { description: 'Quote the $\\{VAR\\} reference in the manifest when the value may contain ":", "#", quotes or newlines; escape a literal ${…} or $ that must stay as is as $${…}, or annotate {substitutedObject} with kustomize.toolkit.fluxcd.io/substitute: disabled' },
      ];
    }
    return { vars, evidence, ...(title ? { title } : {}), ...(remediation ? { remediation } : {}) };
  },
});
