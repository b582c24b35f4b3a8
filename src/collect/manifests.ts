// Parsing of Kubernetes manifests as `kubectl get -o yaml|json` prints them:
// multi-document YAML, JSON, and `kind: List` / `*List` wrappers, flattened into objects.
// js-yaml rather than `yaml` here: a `kubectl get -A -o yaml` dump can be tens of megabytes, and js-yaml parses
// it about ten times faster (the `yaml` library builds a full document model first).
import { CORE_SCHEMA, loadAll, YAMLException } from 'js-yaml';
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
  try {
    // The core schema keeps timestamps as strings, as the API server returns them.
    return loadAll(text, undefined, { json: true, schema: CORE_SCHEMA });
  } catch (error) {
    if (error instanceof YAMLException) throw new ManifestError(`${source}: invalid YAML: ${error.reason} (line ${(error.mark?.line ?? 0) + 1})`);
    throw error;
  }
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
