// Offline input (--from): fluxdiag snapshot files, or plain `kubectl get -o yaml|json` dumps.
// A file of manifests is one cluster named after the file; a folder of files is one cluster named after
// the folder; a folder of folders is one cluster per subfolder. `logs/<namespace>/<pod>.log` files next to
// the manifests are read as controller logs.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { buildCluster } from '../snapshot/build';
import type { ClusterSnapshot, KubeObject } from '../snapshot/schema';
import { InputError } from '../util/errors';
import { ManifestError, parseDocuments, toObjects } from './manifests';

const MANIFEST_EXT = new Set(['.yaml', '.yml', '.json']);

export interface OfflineOptions {
  fluxNamespace: string;
  /** --now: also the collection time of plain manifests (which carry none). */
  now?: string;
  /** cluster name -> context, from the config file. */
  contextFor?: (name: string) => string | undefined;
}

interface Loaded {
  objects: KubeObject[];
  /** Snapshot documents, validated once all files are read (the schema library loads only if there are any). */
  snapshots: { doc: unknown; path: string }[];
  logs: { controller: string; pod: string; lines: string[] }[];
}

function readFile(path: string, into: Loaded): void {
  try {
    const docs = parseDocuments(readFileSync(path, 'utf8'), path);
    const first = docs[0] as any;
    if (docs.length === 1 && first?.kind === 'Snapshot' && String(first?.apiVersion).startsWith('fluxdiag/')) {
      into.snapshots.push({ doc: first, path });
      return;
    }
    into.objects.push(...toObjects(docs, path));
  } catch (error) {
    if (error instanceof ManifestError) throw new InputError(error.message);
    throw error;
  }
}

function readLogs(dir: string, into: Loaded): void {
  for (const ns of readdirSync(dir)) {
    const nsDir = join(dir, ns);
    if (!statSync(nsDir).isDirectory()) continue;
    for (const file of readdirSync(nsDir).filter((f) => f.endsWith('.log')).sort()) {
      const pod = file.slice(0, -'.log'.length).split('.')[0]!;
      const controller = pod.replace(/-[a-z0-9]{8,10}-[a-z0-9]{5}$/, '');
      const lines = readFileSync(join(nsDir, file), 'utf8').split('\n').filter((l) => l.trim().length > 0);
      into.logs.push({ controller, pod, lines });
    }
  }
}

function readDir(dir: string, into: Loaded): void {
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    const stat = statSync(path);
    if (stat.isDirectory()) {
      if (entry === 'logs') readLogs(path, into);
      else if (!entry.startsWith('.')) readDir(path, into);
    } else if (MANIFEST_EXT.has(extname(entry)) && !entry.startsWith('.')) {
      readFile(path, into);
    }
  }
}

function hasManifests(dir: string): boolean {
  return readdirSync(dir).some((e) => MANIFEST_EXT.has(extname(e)) && !e.startsWith('.') && statSync(join(dir, e)).isFile());
}

async function clusterFrom(name: string, loaded: Loaded, options: OfflineOptions): Promise<ClusterSnapshot[]> {
  const out: ClusterSnapshot[] = [];
  if (loaded.snapshots.length > 0) {
    const { validateSnapshot } = await import('../snapshot/io');
    for (const s of loaded.snapshots) out.push(...validateSnapshot(s.doc, s.path).clusters);
  }
  if (loaded.objects.length > 0 || loaded.logs.length > 0 || loaded.snapshots.length === 0) {
    out.push(buildCluster({
      name,
      context: options.contextFor?.(name) ?? null,
      server: null,
      collectedAt: options.now ?? new Date().toISOString(),
      origin: 'manifests',
      fluxNamespace: options.fluxNamespace,
      objects: loaded.objects,
      served: null,
      errors: [],
      logs: loaded.logs,
    }));
  }
  return out;
}

function stem(path: string): string {
  return basename(path, extname(path));
}

export async function loadOffline(paths: string[], options: OfflineOptions): Promise<ClusterSnapshot[]> {
  const clusters: ClusterSnapshot[] = [];
  for (const path of paths) {
    if (!existsSync(path)) throw new InputError(`--from ${path}: no such file or folder`);
    const empty = (): Loaded => ({ objects: [], snapshots: [], logs: [] });
    if (statSync(path).isFile()) {
      const loaded = empty();
      readFile(path, loaded);
      clusters.push(...await clusterFrom(stem(path), loaded, options));
      continue;
    }
    const trimmed = path.replace(/\/+$/, '') || path;
    if (hasManifests(trimmed)) {
      const loaded = empty();
      readDir(trimmed, loaded);
      clusters.push(...await clusterFrom(basename(trimmed), loaded, options));
      continue;
    }
    const subdirs = readdirSync(trimmed).filter((e) => !e.startsWith('.') && e !== 'logs' && statSync(join(trimmed, e)).isDirectory()).sort();
    if (subdirs.length === 0) throw new InputError(`--from ${path}: no manifests (*.yaml, *.yml, *.json) found`);
    for (const sub of subdirs) {
      const loaded = empty();
      readDir(join(trimmed, sub), loaded);
      if (loaded.objects.length === 0 && loaded.snapshots.length === 0) continue;
      clusters.push(...await clusterFrom(sub, loaded, options));
    }
  }
  if (clusters.length === 0) throw new InputError(`--from ${paths.join(', ')}: no clusters found`);
  const names = new Set<string>();
  for (const c of clusters) {
    if (names.has(c.name)) throw new InputError(`--from: two inputs are both named cluster "${c.name}"; rename one file or folder`);
    names.add(c.name);
  }
  return clusters;
}
