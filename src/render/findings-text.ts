// Findings as text: root causes first, each with its blast radius and fix, the findings it blocks folded under it.
import { refKey } from '../flux/refs';
import type { Finding } from '../report/schema';
import type { Palette } from './color';
import { age } from './time';
import { fluxKind } from '../flux/kinds';
import { truncateMiddle } from './table';

const ICON = { error: '✗', warning: '!', info: 'i' } as const;

function refText(r: { kind: string; namespace?: string; name: string }): string {
  return refKey(r);
}

function colourFor(c: Palette, severity: Finding['severity']): (s: string) => string {
  return severity === 'error' ? c.red : severity === 'warning' ? c.yellow : c.cyan;
}

/** Where the steps not shown in the one-line form are: explain for a Flux object, the JSON report otherwise. */
function moreHint(o: Finding['object']): string {
  const kind = fluxKind(o.kind);
  return kind ? `fluxdiag explain ${kind.singular}/${o.name}${o.namespace ? ` -n ${o.namespace}` : ''}` : 'fluxdiag status --json';
}

export interface FindingsTextOptions {
  now: number;
  indent?: string;
  /** Show explanation paragraphs (explain) instead of the one-line form (status). */
  verbose?: boolean;
  maxBlocks?: number;
  /** Fold blocked findings under their root as one line (status); explain shows each in full. */
  fold?: boolean;
}

export function renderFindings(findings: Finding[], c: Palette, options: FindingsTextOptions): string[] {
  const indent = options.indent ?? '  ';
  const lines: string[] = [];
  const byRoot = new Map<string, Finding[]>();
  for (const f of findings) {
    if (!f.rootCause) continue;
    const key = refKey(f.rootCause);
    byRoot.set(key, [...(byRoot.get(key) ?? []), f]);
  }
  const fold = options.fold ?? true;
  const rootKeys = fold ? new Set(findings.filter((f) => !f.rootCause).map((f) => refKey(f.object))) : new Set<string>();
  const printed = new Set<Finding>();
  const maxBlocks = options.maxBlocks ?? 6;

  const header = (f: Finding, pad: string) => {
    const colour = colourFor(c, f.severity);
    const since = f.since ? c.dim(` (${age(f.since, options.now)})`) : '';
    lines.push(`${pad}${colour(`${ICON[f.severity]} ${f.rule}`)} ${c.bold(refText(f.object))}: ${f.title}${since}`);
  };

  for (const f of findings) {
    if (f.rootCause && rootKeys.has(refKey(f.rootCause))) continue;
    if (printed.has(f)) continue;
    printed.add(f);
    header(f, indent);
    const pad = `${indent}    `;
    if (options.verbose) lines.push(`${pad}${f.explanation}`);
    for (const e of f.evidence.slice(0, 3)) lines.push(`${pad}${c.dim(truncateMiddle(e, 160))}`);
    if (f.rootCause) lines.push(`${pad}root cause: ${c.bold(refText(f.rootCause))}`);
    if (f.blocks.length > 0) {
      const shown = f.blocks.slice(0, maxBlocks).map(refText).join(', ');
      const more = f.blocks.length > maxBlocks ? ` and ${f.blocks.length - maxBlocks} more` : '';
      lines.push(`${pad}blocks ${f.blocks.length}: ${shown}${more}`);
    }
    const fixes = options.verbose ? f.remediation : f.remediation.slice(0, 2);
    for (const r of fixes) lines.push(r.command ? `${pad}${c.green('$')} ${r.command}  ${c.dim(`# ${r.description}`)}` : `${pad}${c.dim(`- ${r.description}`)}`);
    const hidden = f.remediation.length - fixes.length;
    if (hidden > 0) lines.push(`${pad}${c.dim(`… ${hidden} more step${hidden === 1 ? '' : 's'}: ${moreHint(f.object)}`)}`);
    // Other findings about the same object share its blast radius and folded list: one line each, not a second root.
    const siblings = fold && !f.rootCause ? findings.filter((o) => o !== f && !o.rootCause && !printed.has(o) && refKey(o.object) === refKey(f.object)) : [];
    for (const o of siblings) {
      printed.add(o);
      lines.push(`${pad}${c.dim('+')} ${colourFor(c, o.severity)(o.rule)} ${o.title}${o.since ? c.dim(` (${age(o.since, options.now)})`) : ''}`);
    }
    const folded = fold ? (byRoot.get(refKey(f.object)) ?? []).filter((b) => !printed.has(b)) : [];
    for (const b of folded) {
      printed.add(b);
      const colour = colourFor(c, b.severity);
      lines.push(`${pad}${c.dim('↳')} ${colour(b.rule)} ${refText(b.object)}: ${b.title}${b.since ? c.dim(` (${age(b.since, options.now)})`) : ''}`);
    }
  }
  return lines;
}
