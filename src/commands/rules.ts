// `fluxdiag rules [CODE]`: the rule catalog, as a table, JSON, or Markdown (docs/rules.md).
import { palette } from '../render/color';
import { ruleDetail, ruleList, rulesMarkdown } from '../render/rules-text';
import { findRule, RULES } from '../rules/registry';
import { describeTemplate } from '../rules/remediation';
import type { Rule } from '../rules/types';
import { UsageError } from '../util/errors';
import { parseFormat, serialize } from './output';
import type { CommandResult } from './status';

function ruleJson(r: Rule) {
  return {
    code: r.code, slug: r.slug, category: r.category, severity: r.severity, kinds: r.kinds, title: r.title,
    fallback: Boolean(r.fallback), signals: r.signals, explanation: r.explanation,
    remediation: r.remediation.map((x) => ({ description: describeTemplate(x.description), ...(x.command ? { command: describeTemplate(x.command) } : {}), ...(x.kinds ? { kinds: x.kinds } : {}) })),
  };
}

export async function rules(code: string | undefined, options: { output?: string; json?: boolean; markdown?: boolean }, io: { color: boolean }): Promise<CommandResult> {
  if (options.markdown) return { stdout: `${rulesMarkdown(RULES)}`, exitCode: 0 };
  const format = parseFormat(options.output, options.json);
  if (code) {
    const rule = findRule(code);
    if (!rule) throw new UsageError(`no rule "${code}"; run "fluxdiag rules" for the list`);
    return { stdout: format === 'table' ? ruleDetail(rule, palette(io.color)) : await serialize(ruleJson(rule), format), exitCode: 0 };
  }
  return { stdout: format === 'table' ? ruleList(RULES, palette(io.color)) : await serialize(RULES.map(ruleJson), format), exitCode: 0 };
}
