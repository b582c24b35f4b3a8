// `fluxdiag schema [report|snapshot]`: the JSON contract as JSON Schema, generated from the zod schemas.
import { z } from 'zod';
import { Report } from '../report/schema';
import { Snapshot } from '../snapshot/schema';
import { Explanation } from '../explain/schema';
import { UsageError } from '../util/errors';
import type { CommandResult } from './status';

const SCHEMAS: Record<string, z.ZodType> = { report: Report, explain: Explanation, snapshot: Snapshot };

export function schema(name: string | undefined): CommandResult {
  const key = (name ?? 'report').toLowerCase();
  const chosen = SCHEMAS[key];
  if (!chosen) throw new UsageError(`no schema "${name}"; choose one of: ${Object.keys(SCHEMAS).join(', ')}`);
  const json = z.toJSONSchema(chosen, { io: 'output', unrepresentable: 'any' });
  return { stdout: `${JSON.stringify({ $id: `https://fluxdiag.dev/schema/${key}.json`, ...json }, null, 2)}\n`, exitCode: 0 };
}
