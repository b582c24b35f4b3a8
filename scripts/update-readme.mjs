// Keeps README.md true: copies the golden demo outputs and the benchmark table (bench/results.json) into the
// marked blocks. Run after `UPDATE_GOLDEN=1 npx vitest run test/golden.test.ts` or `npm run bench`.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const readme = join(root, 'README.md');
let text = readFileSync(readme, 'utf8');

function block(name, body) {
  const re = new RegExp(`(<!-- BEGIN ${name}[^>]*-->\\n)[\\s\\S]*?(\\n<!-- END ${name} -->)`);
  if (!re.test(text)) throw new Error(`README has no ${name} block`);
  text = text.replace(re, (_m, open, close) => `${open}${body}${close}`);
}

const golden = (f) => readFileSync(join(root, 'test', 'golden', f), 'utf8').trimEnd();
block('demo-status', '```text\n' + golden('demo-status.txt') + '\n```');
block('demo-explain', '```text\n' + golden('demo-explain-orders-api.txt') + '\n```');
block('workloads-status', '```text\n' + golden('workloads-status.txt') + '\n```');

const resultsFile = join(root, 'bench', 'results.json');
if (existsSync(resultsFile)) {
  const r = JSON.parse(readFileSync(resultsFile, 'utf8'));
  const ms = (x) => (x === undefined || x === null ? '–' : `${Math.round(x)} ms`);
  const rows = [
    `Measured ${r.date.slice(0, 10)} on ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memoryGiB} GiB, Node ${r.machine.node} (${r.machine.platform}); the emulator runs on the same machine. Medians of repeated runs (± half the min–max range).`,
    '',
    '| measure | result | goal |',
    '| --- | --- | --- |',
    `| start-up: \`node -e 0\` | ${ms(r.startup.node.medianMs)} ±${r.startup.node.spreadPct}% | |`,
    `| start-up: \`fluxdiag --version\` | ${ms(r.startup.version.medianMs)} ±${r.startup.version.spreadPct}% (${r.startup.versionOverNode}× node) | ≤ 2× node: ${r.startup.met ? 'met' : '**missed**'} |`,
    `| \`fluxdiag status --all-clusters --from fixtures/demo\` | ${ms(r.startup.statusFromDemo.medianMs)} ±${r.startup.statusFromDemo.spreadPct}% | |`,
  ];
  for (const f of r.fleet) {
    const kubectl = f.kubectlLoop ? `${ms(f.kubectlLoop.medianMs)} (ratio ${Number(f.ratio).toFixed(3)}×)` : 'not run';
    const network = f.offline ? `; the same data from a snapshot file ${ms(f.offline.medianMs)}, so the network adds ${ms(f.networkMs)} = ${f.networkRoundTrips} × latency` : '';
    const floor = f.transferFloor ? `; a bare HTTP/2 client receiving the same bytes ${ms(f.transferFloor.medianMs)}` : '';
    rows.push(`| fleet: ${f.clusters} cluster${f.clusters === 1 ? '' : 's'} × ${f.objectsPerCluster} objects, ${f.latencyMs} ms latency: \`status --all-clusters --json\` | ${ms(f.fluxdiag.medianMs)} ±${f.fluxdiag.spreadPct}% (cold discovery ${ms(f.fluxdiagNoCache.medianMs)}${network}${floor}); kubectl loop ${kubectl} | ≤ 0.10× loop: ${f.ratio === undefined ? '–' : f.ratio <= 0.1 ? 'met' : '**missed**'}; ≤ start-up + 4 × latency = ${ms(f.budgetMs)}: ${f.withinBudget ? 'met' : '**missed**'} |`);
  }
  const q = r.requests;
  rows.push(`| API requests per cluster, \`status\` | ${q.status.requests} (${q.status.repeated} repeated); ${q.statusNoDiscoveryCache.requests} with a cold discovery cache | ≤ served kinds + 3 = ${q.servedFluxKinds + 3}: ${q.status.met ? 'met' : '**missed**'} |`);
  rows.push(`| API requests, \`explain ks/…\` | ${q.explain.requests} (${q.explain.repeated} repeated) | |`);
  for (const s of r.scale.runs) rows.push(`| scale: \`status --from\` ${s.fluxObjects.toLocaleString('en')} objects + ${s.events.toLocaleString('en')} events | ${ms(s.medianMs)}, peak RSS ${Math.round(s.maxRssMb)} MB | |`);
  rows.push(`| scale: doubling the input costs | ${r.scale.doublingCost.map((x) => `${x}×`).join(', ')} | ≤ 2.2×, and 20,000 objects ≤ 2 s and ≤ 500 MB: ${r.scale.met ? 'met' : '**missed**'} |`);
  block('bench', rows.join('\n'));
}
writeFileSync(readme, text);
