import { formatDuration } from '../rules/util';

/** "3h12m" since `time`, or "-" when unknown. */
export function age(time: string | null | undefined, now: number): string {
  if (!time) return '-';
  const t = Date.parse(time);
  return Number.isNaN(t) ? '-' : formatDuration(Math.max(0, now - t));
}
