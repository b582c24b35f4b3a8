// "Did you mean": the closest names by edit distance, for objects that do not exist.
import { compareText } from './compare';

function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

export function closest(wanted: string, candidates: string[], max = 5): string[] {
  const scored = [...new Set(candidates)]
    .map((c) => {
      const name = c.split('/').pop() ?? c;
      const d = distance(wanted.toLowerCase(), name.toLowerCase());
      const contains = name.includes(wanted) || wanted.includes(name);
      return { c, score: contains ? Math.min(d, 1) : d };
    })
    .filter((s) => s.score <= Math.max(3, Math.floor(wanted.length / 2)))
    .sort((a, b) => a.score - b.score || compareText(a.c, b.c));
  return scored.slice(0, max).map((s) => s.c);
}
