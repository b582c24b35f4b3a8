// Label selectors (`--watch-label-selector`), as sharded Flux installations use them.

export interface Requirement { key: string; op: 'exists' | '!exists' | '=' | '!=' | 'in' | 'notin'; values: string[] }

export function parseSelector(text: string): Requirement[] | null {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  const out: Requirement[] = [];
  for (const raw of parts.map((p) => p.trim()).filter(Boolean)) {
    let m: RegExpMatchArray | null;
    if ((m = raw.match(/^!\s*([\w./-]+)$/))) out.push({ key: m[1]!, op: '!exists', values: [] });
    else if ((m = raw.match(/^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/))) out.push({ key: m[1]!, op: m[2] as 'in' | 'notin', values: m[3]!.split(',').map((v) => v.trim()) });
    else if ((m = raw.match(/^([\w./-]+)\s*(==|=|!=)\s*([\w./-]*)$/))) out.push({ key: m[1]!, op: m[2] === '!=' ? '!=' : '=', values: [m[3]!] });
    else if ((m = raw.match(/^([\w./-]+)$/))) out.push({ key: m[1]!, op: 'exists', values: [] });
    else return null;
  }
  return out;
}

export function selectorMatches(reqs: Requirement[], labels: Record<string, string>): boolean {
  return reqs.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    const value = labels[r.key];
    switch (r.op) {
      case 'exists': return has;
      case '!exists': return !has;
      case '=': return has && value === r.values[0];
      case '!=': return !has || value !== r.values[0];
      case 'in': return has && r.values.includes(value!);
      case 'notin': return !has || !r.values.includes(value!);
    }
  });
}
