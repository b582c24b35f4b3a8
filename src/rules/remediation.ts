// Fills remediation templates with the cluster's context and the object's namespace and name.
import { fluxKind } from '../flux/kinds';
import type { ObjRef } from '../flux/refs';
import type { Remediation } from '../report/schema';
import type { RemediationTemplate } from './types';

/** Variables every remediation can use, derived from the object and the cluster. */
export function baseVars(ref: ObjRef, context: string): Record<string, string> {
  const desc = fluxKind(ref.kind);
  const vars: Record<string, string> = { context, name: ref.name, kind: ref.kind, resource: desc ? desc.singular : ref.kind.toLowerCase() };
  if (ref.namespace) vars.namespace = ref.namespace;
  if (desc?.fluxNoun) vars.noun = desc.fluxNoun;
  return vars;
}

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9]*)\}/g;

// `\{` and `\}` stand for literal braces where a word in braces would read as a placeholder
// (jsonpath and go-templates in kubectl commands: `\{end\}`). Other braces are literal already.
const OPEN = '\u0000';
const CLOSE = '\u0001';
const escape = (t: string) => t.replaceAll('\\{', OPEN).replaceAll('\\}', CLOSE);
const unescape = (t: string) => t.replaceAll(OPEN, '{').replaceAll(CLOSE, '}');

export function fillTemplate(template: string, vars: Record<string, string>): string | null {
  let missing = false;
  const out = escape(template).replace(PLACEHOLDER, (_m, name: string) => {
    const value = vars[name];
    if (value === undefined) missing = true;
    return value ?? '';
  });
  return missing ? null : unescape(out);
}

export function renderRemediation(templates: RemediationTemplate[], kind: string, vars: Record<string, string>): Remediation[] {
  const out: Remediation[] = [];
  for (const t of templates) {
    if (t.kinds && !t.kinds.includes(kind)) continue;
    const description = fillTemplate(t.description, vars);
    if (description === null) continue;
    if (!t.command) {
      out.push({ description });
      continue;
    }
    const command = fillTemplate(t.command, vars);
    if (command !== null) out.push({ description, command });
  }
  return out;
}

/** Templates shown in docs and `fluxdiag rules`: placeholders as <name>. */
export function describeTemplate(template: string): string {
  return unescape(escape(template).replace(PLACEHOLDER, (_m, name: string) => `<${name}>`));
}
