// Paginated LIST (limit/continue), as kubectl does in chunks, so huge kinds never arrive in one response.
import type { KubeObject } from '../snapshot/schema';
import type { KubeClient } from './client';

export interface ListOptions {
  pageSize: number;
  labelSelector?: string;
  fieldSelector?: string;
}

export async function listAll(client: KubeClient, path: string, options: ListOptions): Promise<KubeObject[]> {
  const items: KubeObject[] = [];
  let token: string | undefined;
  do {
    const query = new URLSearchParams({ limit: String(options.pageSize) });
    if (token) query.set('continue', token);
    if (options.labelSelector) query.set('labelSelector', options.labelSelector);
    if (options.fieldSelector) query.set('fieldSelector', options.fieldSelector);
    const page = await client.getJSON(`${path}?${query}`);
    // Items of a typed list omit apiVersion/kind; restore them from the list.
    const kind = typeof page?.kind === 'string' && page.kind.endsWith('List') ? page.kind.slice(0, -4) : undefined;
    for (const item of page?.items ?? []) {
      if (kind && !item.kind) item.kind = kind;
      if (!item.apiVersion && page.apiVersion) item.apiVersion = page.apiVersion;
      items.push(item);
    }
    token = page?.metadata?.continue || undefined;
  } while (token);
  return items;
}

export function resourcePath(group: string, version: string, plural: string, namespace?: string): string {
  const root = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
  return namespace ? `${root}/namespaces/${encodeURIComponent(namespace)}/${plural}` : `${root}/${plural}`;
}
