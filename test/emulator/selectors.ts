// Label and field selectors with the apiserver's grammar and semantics, so the CLI's (and kubectl's)
// server-side filtering is exercised for real instead of being assumed.
//
// Labels: `k=v`, `k==v`, `k!=v` (also true when k is absent), `k in (a,b)`, `k notin (a,b)`, `k`, `!k`,
// `k>n`/`k<n`; commas AND the requirements. Fields: `path=v`, `path==v`, `path!=v`, commas AND them, values escaped
// with backslashes; only the fields the real apiserver supports for the resource are accepted (others → 400).

export class SelectorError extends Error {}

export type Labels = Record<string, string> | undefined;
type LabelTest = (labels: Record<string, string>) => boolean;

type Token = { t: 'word'; v: string } | { t: 'op'; v: '=' | '==' | '!=' | '!' | '(' | ')' | ',' | '>' | '<' };

function lex(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t') {
      i++;
    } else if (c === '=' && text[i + 1] === '=') {
      out.push({ t: 'op', v: '==' });
      i += 2;
    } else if (c === '!' && text[i + 1] === '=') {
      out.push({ t: 'op', v: '!=' });
      i += 2;
    } else if ('=!(),<>'.includes(c)) {
      out.push({ t: 'op', v: c as '=' });
      i++;
    } else {
      let j = i;
      while (j < text.length && !' \t=!(),<>'.includes(text[j]!)) j++;
      out.push({ t: 'word', v: text.slice(i, j) });
      i = j;
    }
  }
  return out;
}

/** Parses a label selector into a predicate; an empty selector matches everything. */
export function parseLabelSelector(selector: string): (labels: Labels) => boolean {
  const tokens = lex(selector);
  const tests: LabelTest[] = [];
  let i = 0;
  const peek = () => tokens[i];
  const fail = (why: string): never => {
    throw new SelectorError(`unable to parse requirement: ${why} in label selector "${selector}"`);
  };
  const word = (what: string): string => {
    const tok = tokens[i++];
    if (!tok || tok.t !== 'word') fail(`expected ${what}`);
    return (tok as { v: string }).v;
  };
  const isOp = (tok: Token | undefined, v: string) => tok?.t === 'op' && tok.v === v;

  while (i < tokens.length) {
    if (isOp(peek(), '!')) {
      i++;
      const key = word('a key after "!"');
      tests.push((l) => !(key in l));
    } else {
      const key = word('a key');
      const next = peek();
      if (next === undefined || isOp(next, ',')) {
        tests.push((l) => key in l);
      } else if (isOp(next, '=') || isOp(next, '==') || isOp(next, '!=')) {
        i++;
        // An empty value is legal (`tier=`) and matches an empty label value.
        const value = peek()?.t === 'word' ? word('a value') : '';
        tests.push(next.v === '!=' ? (l) => l[key] !== value : (l) => l[key] === value);
      } else if (next.t === 'word' && (next.v === 'in' || next.v === 'notin')) {
        i++;
        if (!isOp(tokens[i++], '(')) fail(`expected "(" after ${next.v}`);
        const values = new Set<string>();
        while (!isOp(peek(), ')')) {
          if (peek() === undefined) fail('missing ")"');
          if (isOp(peek(), ',')) {
            i++;
            continue;
          }
          values.add(word('a value'));
        }
        i++; // ')'
        tests.push(next.v === 'in' ? (l) => key in l && values.has(l[key]!) : (l) => !(key in l) || !values.has(l[key]!));
      } else if (isOp(next, '>') || isOp(next, '<')) {
        i++;
        const bound = Number(word('an integer'));
        if (!Number.isInteger(bound)) fail('expected an integer');
        const gt = next.v === '>';
        tests.push((l) => key in l && Number.isInteger(Number(l[key])) && (gt ? Number(l[key]) > bound : Number(l[key]) < bound));
      } else {
        fail(`unexpected "${next.v}"`);
      }
    }
    if (i < tokens.length && !isOp(tokens[i++], ',')) fail('expected ","');
  }
  return (labels) => {
    const l = labels ?? {};
    for (const t of tests) if (!t(l)) return false;
    return true;
  };
}

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

/** Splits on commas not escaped with a backslash, then unescapes values, as fields.ParseSelector does. */
export function parseFieldSelector(selector: string): FieldRequirement[] {
  const terms: string[] = [];
  let current = '';
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i]!;
    if (c === '\\' && i + 1 < selector.length) {
      current += c + selector[++i];
    } else if (c === ',') {
      terms.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  terms.push(current);
  const out: FieldRequirement[] = [];
  for (const term of terms) {
    if (term.trim() === '') continue;
    const m = /^([^=!]+?)\s*(!=|==|=)\s*(.*)$/.exec(term);
    if (!m) throw new SelectorError(`invalid selector: '${selector}'; can't understand '${term}'`);
    const value = m[3]!.replace(/\\(.)/g, '$1');
    out.push({ field: m[1]!.trim(), op: m[2] === '!=' ? '!=' : '=', value });
  }
  return out;
}

/** Reads a dotted field path; missing fields read as '' (an unset involvedObject.fieldPath matches `=`). */
export function fieldValue(obj: Record<string, any>, path: string): string {
  let cur: any = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return '';
    cur = cur[part];
  }
  return cur === undefined || cur === null ? '' : String(cur);
}

/** Aliases the apiserver maps to other paths (Event `source` is `source.component`). */
const FIELD_PATHS: Record<string, string> = { source: 'source.component' };

export function fieldMatcher(reqs: FieldRequirement[]): (obj: Record<string, any>) => boolean {
  const resolved = reqs.map((r) => ({ ...r, path: FIELD_PATHS[r.field] ?? r.field }));
  return (obj) => {
    for (const r of resolved) {
      const equal = fieldValue(obj, r.path) === r.value;
      if (equal !== (r.op === '=')) return false;
    }
    return true;
  };
}
