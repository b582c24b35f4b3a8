// Colour is decided once (flag, NO_COLOR, FORCE_COLOR, TTY) and passed to renderers as a palette.
import { Chalk, type ChalkInstance } from 'chalk';

export function colorEnabled(flag: boolean | undefined, isTTY: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  if (flag === false) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return Boolean(isTTY);
}

export type Palette = ChalkInstance;

export function palette(enabled: boolean): Palette {
  return new Chalk({ level: enabled ? 1 : 0 });
}
