// Loading a fixture folder (one cluster): every *.yaml|*.yml|*.json below it, parsed as `kubectl get -o yaml`
// output, plus pod logs from `logs/<namespace>/<pod>.log` or `logs/<namespace>/<pod>.<container>.log`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { parseManifests } from '../../src/collect/manifests';
import type { KubeObject } from '../../src/snapshot/schema';

const MANIFEST = /\.(ya?ml|json)$/i;

/** Files below `dir` (sorted, so load order, and thus duplicates' winner, is deterministic). */
function walk(dir: string, skip?: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (path === skip) continue;
    if (entry.isDirectory()) out.push(...walk(path, skip));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/** True when `dir` holds manifests directly, i.e. is one cluster rather than a folder of cluster folders. */
export function isClusterDir(dir: string): boolean {
  return readdirSync(dir, { withFileTypes: true }).some((e) => e.isFile() && MANIFEST.test(e.name));
}

export function loadFixtureDir(dir: string): { objects: KubeObject[]; logs: Record<string, string> } {
  const logsDir = join(dir, 'logs');
  const objects: KubeObject[] = [];
  for (const file of walk(dir, logsDir)) {
    if (MANIFEST.test(file)) objects.push(...parseManifests(readFileSync(file, 'utf8'), relative(process.cwd(), file)));
  }
  const logs: Record<string, string> = {};
  let hasLogs = false;
  try {
    hasLogs = statSync(logsDir).isDirectory();
  } catch {
    // no logs for this cluster
  }
  if (hasLogs) {
    const pods = new Set(objects.filter((o) => o.kind === 'Pod' && o.apiVersion === 'v1').map((o) => `${o.metadata.namespace}/${o.metadata.name}`));
    for (const ns of readdirSync(logsDir, { withFileTypes: true }).filter((e) => e.isDirectory())) {
      for (const file of walk(join(logsDir, ns.name)).filter((f) => f.endsWith('.log'))) {
        const stem = basename(file, '.log');
        // Pod names may hold dots: the whole stem is the pod when such a Pod exists, else `<pod>.<container>`.
        const dot = stem.lastIndexOf('.');
        const key = pods.has(`${ns.name}/${stem}`) || dot < 0
          ? `${ns.name}/${stem}`
          : `${ns.name}/${stem.slice(0, dot)}/${stem.slice(dot + 1)}`;
        logs[key] = readFileSync(file, 'utf8');
      }
    }
  }
  return { objects, logs };
}
