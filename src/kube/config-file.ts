// The optional fluxdiag config file: names for clusters and the contexts they map to
// (a team calls it "Ottawa", kubectl calls it "talos-ottawa"). Reports use the name, commands the context.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../util/errors';

export interface ClusterAlias {
  name: string;
  context: string;
}

export interface FluxdiagConfig {
  path: string | null;
  clusters: ClusterAlias[];
  fluxNamespace?: string;
}

export function defaultConfigPaths(cwd = process.cwd()): string[] {
  const xdg = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return [join(cwd, '.fluxdiag.yaml'), join(xdg, 'fluxdiag', 'config.yaml')];
}

export async function loadConfig(explicit?: string): Promise<FluxdiagConfig> {
  const path = explicit ?? defaultConfigPaths().find((p) => existsSync(p));
  if (!path) return { path: null, clusters: [] };
  let doc: any;
  try {
    // js-yaml, which the kubeconfig and manifest loaders use anyway: no second YAML library on every start.
    const { load, CORE_SCHEMA } = await import('js-yaml');
    doc = load(readFileSync(path, 'utf8'), { schema: CORE_SCHEMA, filename: path }) ?? {};
  } catch (error) {
    throw new InputError(`cannot read config file ${path}: ${(error as Error).message.split('\n')[0]}`);
  }
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new InputError(`config file ${path}: expected a mapping at the top level`);
  const clusters: ClusterAlias[] = [];
  const raw = doc.clusters ?? [];
  if (!Array.isArray(raw)) throw new InputError(`config file ${path}: "clusters" must be a list of {name, context}`);
  for (const [i, c] of raw.entries()) {
    if (typeof c?.name !== 'string' || typeof c?.context !== 'string') {
      throw new InputError(`config file ${path}: clusters[${i}] needs a "name" and a "context"`);
    }
    clusters.push({ name: c.name, context: c.context });
  }
  return { path, clusters, ...(typeof doc.fluxNamespace === 'string' ? { fluxNamespace: doc.fluxNamespace } : {}) };
}

export function nameForContext(config: FluxdiagConfig, context: string): string {
  return config.clusters.find((c) => c.context === context)?.name ?? context;
}

export function contextForName(config: FluxdiagConfig, name: string): string | undefined {
  return config.clusters.find((c) => c.name === name || c.name.toLowerCase() === name.toLowerCase())?.context;
}
