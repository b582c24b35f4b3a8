// Runs the API emulator by hand:
//   node dist/emulator.js --fixtures DIR [--kubeconfig OUT] [--latency MS] [--exec-auth]
// DIR is one cluster (manifests directly inside) or a folder of cluster folders (one cluster per subfolder,
// named after it). Writes a kubeconfig for all of them and serves until SIGINT/SIGTERM.
import { readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isClusterDir, loadFixtureDir, startEmulator, type ClusterSpec } from './index';

const USAGE = 'usage: node dist/emulator.js --fixtures DIR [--kubeconfig OUT] [--latency MS] [--exec-auth]';

function fail(message: string): never {
  process.stderr.write(`emulator: ${message}\n${USAGE}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        fixtures: { type: 'string' },
        kubeconfig: { type: 'string', default: './emulator.kubeconfig' },
        latency: { type: 'string', default: '0' },
        'exec-auth': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!values.fixtures) fail('--fixtures is required');
  const latencyMs = Number(values.latency);
  if (!Number.isFinite(latencyMs) || latencyMs < 0) fail(`--latency must be a number of milliseconds, got ${values.latency}`);

  const root = resolve(values.fixtures);
  let dirs: { name: string; dir: string }[];
  try {
    dirs = isClusterDir(root)
      ? [{ name: basename(root), dir: root }]
      : readdirSync(root, { withFileTypes: true })
        .filter((e) => e.isDirectory() && e.name !== 'logs')
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((e) => ({ name: e.name, dir: join(root, e.name) }));
  } catch (error) {
    fail(`cannot read ${root}: ${(error as Error).message}`);
  }
  if (dirs.length === 0) fail(`${root} holds no manifests and no cluster folders`);
  const specs: ClusterSpec[] = dirs.map(({ name, dir }) => ({ name, latencyMs, ...loadFixtureDir(dir) }));

  const emulator = await startEmulator(specs);
  const kubeconfig = resolve(values.kubeconfig);
  emulator.writeKubeconfig(kubeconfig, { auth: values['exec-auth'] ? 'exec' : 'token' });
  for (const c of emulator.clusters) process.stdout.write(`${c.name}\t${c.url}\t(${c.store.all().length} objects)\n`);
  process.stdout.write(`export KUBECONFIG=${kubeconfig}\n`);

  const stop = () => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`emulator: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
