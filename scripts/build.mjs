// Bundles the CLI (and the emulator and benchmarks, which reuse product code) with esbuild.
// The CLI is split so that heavy modules (the Kubernetes client, zod) load only on the paths that need them.
// The output is swapped in atomically and old chunks are kept a while, so a CLI already running (a test, a
// watch loop) never finds its lazily-loaded chunk gone mid-run.
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const dist = join(root, 'dist');
const staging = join(root, `.tmp/build-${process.pid}`);
// Bundled CommonJS dependencies call require() for Node built-ins; ESM output needs a real require.
const banner = { js: "import { createRequire as __fluxdiagCreateRequire } from 'node:module'; const require = __fluxdiagCreateRequire(import.meta.url);" };
// @kubernetes/client-node's config module imports its generated API client only for what fluxdiag never
// uses; marking those modules side-effect free lets esbuild drop them (a smaller chunk compiles faster).
const clientNodeGenIsPure = {
  name: 'client-node-gen-is-pure',
  setup(b) {
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData?.pure || !args.importer.includes('@kubernetes/client-node')) return undefined;
      const r = await b.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, importer: args.importer, pluginData: { pure: true } });
      if (r.errors.length > 0 || !r.path.includes('@kubernetes/client-node/dist/gen/')) return undefined;
      return { path: r.path, sideEffects: false };
    });
  },
};
// Two of client-node's config.js imports serve what fluxdiag never or rarely uses: node-fetch (its fetch-based
// API) and socks-proxy-agent (only for a socks5:// proxy-url). With their dependencies they are 600 KB of the
// client chunk (tr46's tables alone 300 KB), which every live run would read, compile and evaluate. They stay
// out of the bundle: a stand-in whose exports are getters requires the installed package, resolved from
// client-node's own directory as its import would be, on first use.
const LAZY = { 'node-fetch': ['default', 'Headers'], 'socks-proxy-agent': ['SocksProxyAgent'] };
const clientNodeLazyDeps = {
  name: 'client-node-lazy-deps',
  setup(b) {
    const filter = new RegExp(`^(${Object.keys(LAZY).join('|')})$`);
    b.onResolve({ filter }, (args) => {
      if (args.namespace !== 'file' || !args.importer.includes('@kubernetes/client-node')) return undefined;
      return { path: args.path, namespace: 'lazy-dep' };
    });
    b.onLoad({ filter: /.*/, namespace: 'lazy-dep' }, (args) => ({
      loader: 'js',
      contents: [
        'let real;',
        `const load = () => real ??= require('node:module').createRequire(require.resolve('@kubernetes/client-node/package.json'))(${JSON.stringify(args.path)});`,
        `module.exports = { __esModule: true,${LAZY[args.path].map((name) => ` get ${name}() { return load().${name}; }`).join(',')} };`,
      ].join('\n'),
    }));
  },
};
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  banner,
  define: { __FLUXDIAG_VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
  legalComments: 'none',
  sourcemap: false,
  absWorkingDir: root,
  plugins: [clientNodeLazyDeps, clientNodeGenIsPure],
};

const tools = { emulator: 'test/emulator/main.ts', bench: 'bench/main.ts', 'transfer-floor': 'bench/transfer-floor.ts' };
rmSync(staging, { recursive: true, force: true });
await Promise.all([
  build({ ...common, entryPoints: { cli: 'src/cli.ts' }, outdir: staging, splitting: true, chunkNames: 'chunks/[name]-[hash]' }),
  ...Object.entries(tools)
    .filter(([, entry]) => existsSync(join(root, entry)))
    .map(([name, entry]) => build({ ...common, entryPoints: { [name]: entry }, outdir: staging })),
]);

mkdirSync(join(dist, 'chunks'), { recursive: true });
// Chunks are content-hashed: copying adds the new ones without touching those a running process may load.
cpSync(join(staging, 'chunks'), join(dist, 'chunks'), { recursive: true });
for (const file of readdirSync(staging)) {
  if (file.endsWith('.js')) renameSync(join(staging, file), join(dist, file));
}
rmSync(staging, { recursive: true, force: true });
const cutoff = Date.now() - 10 * 60_000;
const fresh = new Set(readdirSync(join(dist, 'chunks')).filter((f) => statSync(join(dist, 'chunks', f)).mtimeMs >= cutoff));
for (const f of readdirSync(join(dist, 'chunks'))) if (!fresh.has(f)) rmSync(join(dist, 'chunks', f), { force: true });
