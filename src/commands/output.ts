// Output format selection shared by commands: table (default), json, yaml.
import { UsageError } from '../util/errors';

export type Format = 'table' | 'json' | 'yaml';

export function parseFormat(output: string | undefined, json: boolean | undefined, allowed: Format[] = ['table', 'json', 'yaml']): Format {
  const value = json ? 'json' : (output ?? 'table');
  if (!(allowed as string[]).includes(value)) throw new UsageError(`-o/--output must be one of ${allowed.join(', ')}; got "${value}"`);
  return value as Format;
}

export async function serialize(value: unknown, format: 'json' | 'yaml'): Promise<string> {
  if (format === 'json') return `${JSON.stringify(value, null, 2)}\n`;
  const { stringify } = await import('../util/yaml');
  return stringify(value, { lineWidth: 0 });
}
