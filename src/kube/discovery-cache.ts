// Served Flux kinds per API server, cached on disk for a few minutes as kubectl caches discovery
// (~/.kube/cache/discovery): repeated runs during an incident skip one round trip per cluster.
// A list that 404s means the cache is stale; collection then rediscovers (see collect/live.ts).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ServedKind } from '../snapshot/schema';

export const DISCOVERY_TTL_MS = 5 * 60_000;

function dir(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'fluxdiag', 'discovery');
}

function file(server: string): string {
  return join(dir(), `${createHash('sha256').update(server).digest('hex').slice(0, 32)}.json`);
}

export function readDiscovery(server: string, now = Date.now()): ServedKind[] | null {
  try {
    const entry = JSON.parse(readFileSync(file(server), 'utf8'));
    if (entry?.server !== server || typeof entry.at !== 'number' || now - entry.at > DISCOVERY_TTL_MS || !Array.isArray(entry.served)) return null;
    return entry.served as ServedKind[];
  } catch {
    return null;
  }
}

export function writeDiscovery(server: string, served: ServedKind[]): void {
  try {
    mkdirSync(dir(), { recursive: true });
    const target = file(server);
    const temp = `${target}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify({ server, at: Date.now(), served }));
    renameSync(temp, target);
  } catch {
    // A read-only home is not an error: the next run discovers again.
  }
}

export function forgetDiscovery(server: string): void {
  rmSync(file(server), { force: true });
}
