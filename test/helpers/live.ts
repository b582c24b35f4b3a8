// Live test set-up: emulated clusters from fixture folders, a kubeconfig for them, and an isolated HOME so no
// real kubeconfig, config file or discovery cache leaks into a test.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { loadFixtureDir, startEmulator, type ClusterSpec, type Emulator, type KubeconfigOptions } from '../emulator';
import { ROOT } from './cli';

export interface LiveEnv {
  emulator: Emulator;
  kubeconfig: string;
  home: string;
  /** Environment for the CLI: isolated HOME, XDG dirs, no KUBECONFIG from the developer's shell. */
  env: Record<string, string>;
  /** Stops the emulator and removes the home folder (kubeconfigs, caches). */
  close(): Promise<void>;
}

export function fixtureCluster(name: string, dir: string, extra: Partial<ClusterSpec> = {}): ClusterSpec {
  const { objects, logs } = loadFixtureDir(join(ROOT, dir));
  return { name, objects, logs, ...extra };
}

/** A port nothing listens on: the address of an unreachable cluster. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function startLive(specs: ClusterSpec[], kubeconfigOptions: KubeconfigOptions = {}): Promise<LiveEnv> {
  const emulator = await startEmulator(specs);
  const home = mkdtempSync(join(tmpdir(), 'fluxdiag-home-'));
  const kubeconfig = join(home, 'kubeconfig');
  emulator.writeKubeconfig(kubeconfig, kubeconfigOptions);
  const env = { HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_CACHE_HOME: join(home, '.cache'), KUBECONFIG: kubeconfig };
  const close = async () => {
    await emulator.close();
    rmSync(home, { recursive: true, force: true });
  };
  return { emulator, kubeconfig, home, env, close };
}

/** A copy of the live kubeconfig whose clusters are reached through `proxyUrl` (the kubeconfig's proxy-url). */
export function kubeconfigWithProxy(live: LiveEnv, proxyUrl: string, name: string): string {
  const config = parse(readFileSync(live.kubeconfig, 'utf8'));
  for (const c of config.clusters) c.cluster['proxy-url'] = proxyUrl;
  const path = join(live.home, `${name}.kubeconfig`);
  writeFileSync(path, stringify(config), { mode: 0o600 });
  return path;
}
