// Borderless, kubectl-like columns (cli-table3 measures widths ignoring ANSI colour codes).
import Table from 'cli-table3';

const NO_BORDERS = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
  left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ',
};

export function columns(head: string[], rows: string[][], indent = ''): string {
  const table = new Table({ head, chars: NO_BORDERS, style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 } });
  table.push(...rows);
  return table
    .toString()
    .split('\n')
    .map((line) => indent + line.trimEnd())
    .join('\n');
}

/**
 * Shortens from the middle: Go errors wrap outside-in, so the head says what was being done and the tail says why
 * (`… dial tcp 10.0.0.1:80: i/o timeout`); both survive.
 */
export function truncateMiddle(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (line.length <= max) return line;
  const tailLen = Math.floor((max - 3) * 0.45);
  let head = line.slice(0, max - 3 - tailLen);
  let tail = line.slice(line.length - tailLen);
  // At a word boundary when one is near, so neither side ends mid-word.
  const cut = head.lastIndexOf(' ');
  if (cut > head.length - 15) head = head.slice(0, cut);
  const start = tail.indexOf(' ');
  if (start >= 0 && start < 15) tail = tail.slice(start + 1);
  return `${head} … ${tail}`;
}

export function truncate(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
