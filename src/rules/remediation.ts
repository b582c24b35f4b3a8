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

const PLACEHOLDER = /\\[{}]|\{([A-Za-z][A-Za-z0-9]*)\}/g;

/** A template split once into literal text (even indexes) and placeholder names (odd indexes). */
type Compiled = string[];

// `\{` and `\}` stand for literal braces where a word in braces would read as a placeholder
// (jsonpath and go-templates in kubectl commands: `\{end\}`). Other braces are literal already.
// Templates are few and filled for every finding, so each is parsed once.
const COMPILED = new Map<string, Compiled>();

function compile(template: string): Compiled {
  const cached = COMPILED.get(template);
  if (cached) return cached;
  const out: string[] = [];
  let text = '';
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    text += template.slice(last, m.index);
    if (m[1] === undefined) text += m[0].slice(1);
    else {
      out.push(text, m[1]);
      text = '';
    }
    last = m.index + m[0].length;
  }
  out.push(text + template.slice(last));
  COMPILED.set(template, out);
  return out;
}

function fill(template: string, value: (name: string) => string | undefined): string | null {
  const parts = compile(template);
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) {
    const v = value(parts[i]!);
    if (v === undefined) return null;
    out += v + parts[i + 1]!;
  }
  return out;
}

export function fillTemplate(template: string, vars: Record<string, string>): string | null {
  return fill(template, (name) => vars[name]);
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

/** Vars that hold a fixed flag on current controllers (and drop the step on older ones): the catalog shows the flag. */
const FLAG_VARS: Record<string, string> = { forceFlag: '--force', resetFlag: '--reset' };

/** Templates shown in docs and `fluxdiag rules`: placeholders as <name>. */
export function describeTemplate(template: string): string {
  return fill(template, (name) => FLAG_VARS[name] ?? `<${name}>`)!;
}
