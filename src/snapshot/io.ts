// Reading and writing snapshot files (JSON or YAML, chosen by extension).
import { stringify, parse } from 'yaml';
import { InputError } from '../util/errors';
import { redactDeep } from '../util/redact';
import { Snapshot, SNAPSHOT_API_VERSION, type ClusterSnapshot } from './schema';

export function parseSnapshot(text: string, source: string): Snapshot {
  let doc: unknown;
  try {
    doc = text.trimStart().startsWith('{') ? JSON.parse(text) : parse(text);
  } catch (error) {
    throw new InputError(`${source}: not valid JSON or YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  return validateSnapshot(doc, source);
}

export function validateSnapshot(doc: unknown, source: string): Snapshot {
  const result = Snapshot.safeParse(doc);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new InputError(`${source}: not a valid fluxdiag snapshot: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return result.data as Snapshot;
}

export function makeSnapshot(clusters: ClusterSnapshot[], generatedAt = new Date().toISOString()): Snapshot {
  return { apiVersion: SNAPSHOT_API_VERSION, kind: 'Snapshot', generatedAt, clusters };
}

export function serializeSnapshot(snapshot: Snapshot, format: 'json' | 'yaml'): string {
  // Objects were sanitized on the way in; strings are redacted once more on the way out (URLs with tokens).
  const safe = redactDeep(snapshot);
  return format === 'json' ? `${JSON.stringify(safe, null, 2)}\n` : stringify(safe, { lineWidth: 0 });
}
