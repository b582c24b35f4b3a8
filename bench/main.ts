// `npm run bench`: start-up, fleet wall time against the sequential kubectl loop, API requests, and scale.
// Prints a table and writes bench/results.json. Goals come from the benchmarks issue; a missed goal is shown,
// never hidden.
import { spawnSync } from 'node:child_process';
import { cpus, totalmem, tmpdir } from 'node:os';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../test/emulator';
import { FLUX_KINDS } from '../src/flux/kinds';
import { buildCluster } from '../src/snapshot/build';
import { makeSnapshot } from '../src/snapshot/io';
import { GENERATED_AT, generateCluster } from './generate';
import { repeat, round, runOnce, type Summary } from './measure';

const ROOT = new URL('..', import.meta.url).pathname.replace(/\/dist\/?$/, '/').replace(/\/$/, '');
const BIN = join(ROOT, 'bin', 'fluxdiag');
const FLOOR = join(ROOT, 'dist', 'transfer-floor.js');
const quick = process.argv.includes('--quick');
/** `--only startup,scale` reruns some parts and keeps the others' figures from the last results.json. */
const only = (() => {
  const i = process.argv.indexOf('--only');
  return i > 0 ? new Set((process.argv[i + 1] ?? '').split(',')) : null;
})();
const run = (part: string) => !only || only.has(part);
const RUNS = quick ? 3 : 7;
const LATENCY_MS = 50;
const OBJECTS_PER_CLUSTER = 500;
const work = mkdtempSync(join(tmpdir(), 'fluxdiag-bench-'));
const results: Record<string, unknown> = {};
const lines: string[] = [];

function log(line: string): void {
  lines.push(line);
  process.stdout.write(`${line}\n`);
}

function kubectlAvailable(): boolean {
  return spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
}

function machine() {
  const cpu = cpus();
  return { cpus: cpu.length, cpuModel: cpu[0]?.model ?? 'unknown', memoryGiB: round(totalmem() / 2 ** 30), node: process.version, platform: `${process.platform}-${process.arch}` };
}

// 1. Start-up ------------------------------------------------------------------------------------------------
async function startup() {
  const node = await repeat(RUNS * 2, () => runOnce(process.execPath, ['-e', '0']));
  const version = await repeat(RUNS * 2, () => runOnce(BIN, ['--version']));
  const status = await repeat(RUNS, () => runOnce(BIN, ['status', '--all-clusters', '--from', join(ROOT, 'fixtures', 'demo'), '--now', '2026-11-20T09:00:00Z']));
  const ratio = round(version.medianMs / node.medianMs);
  results.startup = { node, version, statusFromDemo: status, versionOverNode: ratio, goal: 'fluxdiag --version within 2x of bare node', met: ratio <= 2 };
  log(`start-up    node -e 0 ${node.medianMs} ms ±${node.spreadPct}% · fluxdiag --version ${version.medianMs} ms (${ratio}x node; goal ≤2x ${ratio <= 2 ? 'met' : 'MISSED'}) · status --from fixtures/demo ${status.medianMs} ms`);
  return version.medianMs;
}

// 2. Fleet -----------------------------------------------------------------------------------------------------
async function fleet(clusters: number, withKubectl: boolean, startupMs: number) {
  const specs = Array.from({ length: clusters }, (_, i) => {
    const name = `cluster-${String(i + 1).padStart(2, '0')}`;
    return { name, objects: generateCluster(name, OBJECTS_PER_CLUSTER, { eventsPerObject: 1, now: Date.now() }).objects, latencyMs: LATENCY_MS };
  });
  const emulator: Emulator = await startEmulator(specs);
  try {
    const home = mkdtempSync(join(work, 'home-'));
    const kubeconfig = join(home, 'kubeconfig');
    emulator.writeKubeconfig(kubeconfig);
    const env = { ...process.env, HOME: home, XDG_CACHE_HOME: join(home, '.cache'), XDG_CONFIG_HOME: join(home, '.config'), KUBECONFIG: kubeconfig, NO_COLOR: '1' };
    // Warm once (discovery cache, page cache), as an on-call engineer's second run would be.
    await runOnce(BIN, ['status', '--all-clusters', '--json'], env);
    for (const c of emulator.clusters) c.requestLog.length = 0;
    const fluxdiag = await repeat(RUNS, () => runOnce(BIN, ['status', '--all-clusters', '--json'], env));
    // The same requests from a bare HTTP/2 client that parses nothing: the least this machine allows.
    const plan = join(home, 'floor-plan.json');
    writeFileSync(plan, JSON.stringify({
      ca: emulator.caPem,
      clusters: emulator.clusters.map((c) => ({ url: c.url, token: c.token, paths: [...new Set(c.requestLog.map((e) => `${e.path}?${new URLSearchParams(e.query)}`))] })),
    }));
    const floor = await repeat(RUNS, () => runOnce(process.execPath, [FLOOR, plan], env));
    const cold = await repeat(Math.max(3, Math.floor(RUNS / 2)), () => runOnce(BIN, ['status', '--all-clusters', '--json', '--no-cache'], env));
    // The same clusters from a snapshot file: fluxdiag's own work without the network. The difference to the live
    // run is what the network costs, in round trips of the injected latency.
    const snapshotFile = join(home, 'fleet.json');
    await runOnce(BIN, ['snapshot', '--all-clusters', '-o', snapshotFile], env);
    const offline = await repeat(RUNS, () => runOnce(BIN, ['status', '--from', snapshotFile, '--json'], env));
    const networkMs = round(fluxdiag.medianMs - offline.medianMs);
    const entry: Record<string, unknown> = { clusters, objectsPerCluster: OBJECTS_PER_CLUSTER, latencyMs: LATENCY_MS, fluxdiag, fluxdiagNoCache: cold, offline, networkMs, networkRoundTrips: round(networkMs / LATENCY_MS), transferFloor: floor };
    let text = `fleet ${String(clusters).padStart(2)}   fluxdiag ${fluxdiag.medianMs} ms ±${fluxdiag.spreadPct}% (no discovery cache ${cold.medianMs} ms; same data from a snapshot file ${offline.medianMs} ms, so the network costs ${networkMs} ms = ${round(networkMs / LATENCY_MS)} × latency; a bare client receiving the same bytes ${floor.medianMs} ms)`;
    const budget = startupMs + 4 * LATENCY_MS;
    entry.budgetMs = budget;
    entry.withinBudget = fluxdiag.medianMs <= budget;
    if (withKubectl) {
      const kinds = FLUX_KINDS.map((k) => `${k.plural}.${k.group}`);
      const cacheDir = join(home, 'kubectl-cache');
      // The runbook of seed 001, one context after the other: every Flux kind, then the flux-system events.
      const loop = async () => {
        const started = process.hrtime.bigint();
        let exitCode = 0;
        for (const s of specs) {
          for (const args of [...kinds.map((kind) => ['get', kind, '-A', '-o', 'json']), ['get', 'events', '-n', 'flux-system', '-o', 'json']]) {
            const r = await runOnce('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, '--context', s.name, ...args], env);
            exitCode ||= r.exitCode;
          }
        }
        return { ms: Number(process.hrtime.bigint() - started) / 1e6, maxRssMb: null, exitCode };
      };
      await loop(); // warm kubectl's discovery cache too
      const kubectl = await repeat(clusters >= 10 ? Math.max(2, Math.floor(RUNS / 3)) : 3, loop);
      const ratio = Number((fluxdiag.medianMs / kubectl.medianMs).toFixed(3));
      entry.kubectlLoop = kubectl;
      entry.ratio = ratio;
      text += ` · kubectl loop ${kubectl.medianMs} ms (${kubectl.runs} runs) · ratio ${ratio}x (goal ≤0.10x ${ratio <= 0.1 ? 'met' : 'MISSED'})`;
    }
    text += ` · budget start-up+4×latency ${round(budget)} ms ${fluxdiag.medianMs <= budget ? 'met' : 'MISSED'}`;
    log(text);

    // 3. Requests per cluster, from the emulator's request log.
    if (clusters === 10) {
      const first = emulator.clusters[0]!;
      first.requestLog.length = 0;
      await runOnce(BIN, ['status', '--context', first.name, '--json'], env);
      const warm = first.requestLog.map((e) => `${e.method} ${e.path}?${new URLSearchParams(e.query)}`);
      first.requestLog.length = 0;
      await runOnce(BIN, ['status', '--context', first.name, '--json', '--no-cache'], env);
      const coldLog = first.requestLog.map((e) => `${e.method} ${e.path}?${new URLSearchParams(e.query)}`);
      first.requestLog.length = 0;
      await runOnce(BIN, ['explain', 'ks/kustomization-1', '--context', first.name, '--json'], env);
      const explainLog = first.requestLog.map((e) => `${e.method} ${e.path}?${new URLSearchParams(e.query)}`);
      const served = FLUX_KINDS.length;
      const repeated = (l: string[]) => l.length - new Set(l).size;
      results.requests = {
        servedFluxKinds: served, goal: `status ≤ served kinds + 3 = ${served + 3}, none repeated`,
        status: { requests: warm.length, repeated: repeated(warm), met: warm.length <= served + 3 && repeated(warm) === 0, log: warm },
        statusNoDiscoveryCache: { requests: coldLog.length, repeated: repeated(coldLog) },
        explain: { requests: explainLog.length, repeated: repeated(explainLog), log: explainLog },
      };
      log(`requests    status ${warm.length} per cluster (served Flux kinds ${served}; goal ≤${served + 3} ${warm.length <= served + 3 && repeated(warm) === 0 ? 'met' : 'MISSED'}; ${repeated(warm)} repeated) · without discovery cache ${coldLog.length} · explain ${explainLog.length}`);
    }
    return entry;
  } finally {
    await emulator.close();
  }
}

// 4. Scale -------------------------------------------------------------------------------------------------------
async function scale() {
  const out: Record<string, unknown>[] = [];
  for (const count of [5_000, 10_000, 20_000]) {
    const { objects } = generateCluster(`scale-${count}`, count, { eventsPerObject: 2.5 });
    const cluster = buildCluster({ name: `scale-${count}`, context: 'scale', server: null, collectedAt: GENERATED_AT, origin: 'live', fluxNamespace: 'flux-system', objects, served: null, errors: [] });
    const file = join(work, `scale-${count}.json`);
    writeFileSync(file, JSON.stringify(makeSnapshot([cluster], GENERATED_AT)));
    const summary: Summary = await repeat(quick ? 2 : 3, () => runOnce(BIN, ['status', '--from', file, '--json']));
    out.push({ fluxObjects: cluster.objects.length, events: cluster.events.length, ...summary });
  }
  const [a, b, c] = out as { medianMs: number; maxRssMb: number | null; fluxObjects: number }[];
  const growth = [Number((b!.medianMs / a!.medianMs).toFixed(2)), Number((c!.medianMs / b!.medianMs).toFixed(2))];
  const met = c!.medianMs <= 2000 && (c!.maxRssMb ?? 0) <= 500 && growth.every((g) => g <= 2.2);
  results.scale = { runs: out, doublingCost: growth, goal: '20,000 objects: ≤2 s, ≤500 MB; doubling ≤2.2x time', met };
  for (const r of out as any[]) log(`scale       ${String(r.fluxObjects).padStart(6)} objects + ${r.events} events: ${r.medianMs} ms, peak RSS ${r.maxRssMb ?? '?'} MB`);
  log(`scale       doubling cost ${growth.join('x, ')}x (goal ≤2.2x) · 20k goal ${met ? 'met' : 'MISSED'}`);
}

async function main() {
  const out = join(ROOT, 'bench', 'results.json');
  if (only && existsSync(out)) Object.assign(results, JSON.parse(readFileSync(out, 'utf8')));
  results.machine = machine();
  results.date = new Date().toISOString();
  log(`machine     ${JSON.stringify(results.machine)}`);
  const startupMs = run('startup') ? await startup() : (results.startup as { version: { medianMs: number } }).version.medianMs;
  if (run('fleet')) {
    const withKubectl = kubectlAvailable();
    if (!withKubectl) log('fleet       kubectl not found: the kubectl loop comparison is skipped');
    const fleetResults = [];
    for (const n of [1, 3, 10, 30]) fleetResults.push(await fleet(n, withKubectl && (n <= 10 || !quick), startupMs));
    results.fleet = fleetResults;
  }
  if (run('scale')) await scale();
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  log(`wrote ${out}`);
}

main()
  .catch((error) => {
    process.stderr.write(`${error.stack ?? error}\n`);
    process.exitCode = 1;
  })
  // The generated snapshots and kubeconfigs are tens of megabytes: never left behind in the temp folder.
  .finally(() => {
    rmSync(work, { recursive: true, force: true });
    // After a failure an emulator may still hold the event loop open.
    if (process.exitCode) process.exit();
  });
