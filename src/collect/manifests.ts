// Parsing of Kubernetes manifests as `kubectl get -o yaml|json` prints them:
// multi-document YAML, JSON, and `kind: List` / `*List` wrappers, flattened into objects.
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../snapshot/schema';

export class ManifestError extends Error {}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function flatten(doc: unknown, source: string, out: KubeObject[]): void {
  if (doc === null || doc === undefined) return;
  if (Array.isArray(doc)) {
    for (const item of doc) flatten(item, source, out);
    return;
  }
  if (!isObject(doc)) throw new ManifestError(`${source}: expected a Kubernetes object, found ${typeof doc}`);
  if (Array.isArray(doc.items) && (doc.kind === 'List' || String(doc.kind ?? '').endsWith('List'))) {
    // A typed list (GitRepositoryList) omits apiVersion/kind on items; restore them from the list.
    const itemKind = doc.kind === 'List' ? undefined : String(doc.kind).slice(0, -'List'.length);
    for (const item of doc.items) {
      if (isObject(item) && itemKind && !item.kind) item.kind = itemKind;
      if (isObject(item) && !item.apiVersion && doc.apiVersion) item.apiVersion = doc.apiVersion;
      flatten(item, source, out);
    }
    return;
  }
  if (typeof doc.kind !== 'string' || typeof doc.apiVersion !== 'string' || !isObject(doc.metadata) || typeof doc.metadata.name !== 'string') {
    throw new ManifestError(`${source}: an object lacks apiVersion, kind or metadata.name`);
  }
  out.push(doc as KubeObject);
}

/** Parses YAML (one or many documents) or JSON text into plain values, one per document. */
export function parseDocuments(text: string, source = '<input>'): unknown[] {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return [JSON.parse(text)];
    } catch {
      // Not JSON after all: YAML flow syntax can also start with { or [.
    }
  }
  const docs: unknown[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) {
      const first = doc.errors[0]!;
      throw new ManifestError(`${source}: invalid YAML: ${first.message.split('\n')[0]}`);
    }
    docs.push(doc.toJS({ maxAliasCount: 1000 }));
  }
  return docs;
}

/** Flattens parsed documents (objects, Lists) into Kubernetes objects. */
export function toObjects(docs: unknown[], source = '<input>'): KubeObject[] {
  const out: KubeObject[] = [];
  for (const doc of docs) flatten(doc, source, out);
  return out;
}

/** Parses YAML (one or many documents) or JSON text into Kubernetes objects. */
export function parseManifests(text: string, source = '<input>'): KubeObject[] {
  return toObjects(parseDocuments(text, source), source);
}
