// Ordering of names, codes and timestamps in output. Code-point order rather than localeCompare: the same
// on every machine whatever its locale (reports are diffed in CI), and it needs no ICU collator, whose
// set-up alone costs milliseconds of every run.

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
