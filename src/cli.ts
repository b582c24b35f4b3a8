// Commander wiring: the only module that touches process (argv, stdout/stderr, exit code).
// Commands are imported on demand so that `--version` and `--help` load almost nothing.
import { Command, Option } from 'commander';

declare const __FLUXDIAG_VERSION__: string;

interface Result {
  stdout: string;
  exitCode: number;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

// `fluxdiag … | head` closes the pipe early; that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

function inputOptions(cmd: Command): Command {
  return cmd
    .option('--kubeconfig <path>', 'kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'kube context or configured cluster name (repeatable)', collect)
    .option('--all-clusters', 'every context in the kubeconfig')
    .option('--from <path>', 'read a snapshot file or kubectl -o yaml|json dumps instead of live clusters (repeatable)', collect)
    .option('--config <path>', 'fluxdiag config file (default: ./.fluxdiag.yaml, then ~/.config/fluxdiag/config.yaml)')
    .option('--now <time>', 'RFC3339 time to measure ages against (default: collection time)')
    .option('--timeout <duration>', 'deadline per cluster for live collection', '20s')
    .option('--flux-namespace <ns>', 'namespace of the Flux controllers', undefined)
    .option('--no-cache', 'rediscover served API versions instead of reusing the last 5 minutes\' discovery')
    .addOption(new Option('--page-size <n>', 'items per list request').default('500').hideHelp());
}

async function run(action: () => Promise<Result>): Promise<void> {
  try {
    const result = await action();
    if (result.stdout) process.stdout.write(result.stdout);
    process.exitCode = result.exitCode;
  } catch (error) {
    const exit = (error as { exitCode?: number }).exitCode;
    if (exit === 2) {
      process.stderr.write(`fluxdiag: ${(error as Error).message}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`fluxdiag: internal error: ${(error as Error).stack ?? error}\n`);
    process.exitCode = 4;
  }
}

async function useColor(flag: boolean | undefined): Promise<boolean> {
  const { colorEnabled } = await import('./render/color');
  return colorEnabled(flag, process.stdout.isTTY);
}

const progress = (line: string) => {
  if (process.stderr.isTTY) process.stderr.write(`${line}\n`);
};

const program = new Command('fluxdiag')
  .description('Diagnose Flux CD across many Kubernetes clusters: what is wrong, why, what it blocks, and the commands that fix it.')
  .version(__FLUXDIAG_VERSION__, '-v, --version')
  .showHelpAfterError('(run with --help for usage)')
  .configureOutput({ outputError: (text, write) => write(text) })
  .exitOverride((err) => {
    // Commander's own usage errors (unknown option, missing argument) are exit 2, like any bad invocation.
    process.exit(err.exitCode === 0 ? 0 : 2);
  });

inputOptions(program.command('status'))
  .description('every Flux object on every selected cluster, the controllers, and the findings (root causes first)')
  .option('-n, --namespace <ns>', 'only objects in this namespace (and the roots that block them)')
  .option('-A, --all-namespaces', 'all namespaces (the default)')
  .option('-o, --output <format>', 'table, json or yaml', 'table')
  .option('--json', 'same as -o json')
  .option('--fail-on <severity>', 'exit 1 when a finding is at or above: error, warning, info, none', 'error')
  .option('--no-color', 'never colour the output')
  .action(async (opts) => run(async () => {
    const { status } = await import('./commands/status');
    return status(opts, { color: await useColor(opts.color), progress });
  }));

inputOptions(program.command('snapshot'))
  .description('save what fluxdiag reads (live or --from) to a file that can be diagnosed anywhere with --from')
  .option('-o, --output <file>', 'file to write: .json, .yaml or .yml (- for JSON on stdout)')
  .option('--for <kind/name>', 'also record what explain needs for this object (events, controller log tail, Helm release metadata)')
  .option('-n, --namespace <ns>', 'namespace of the --for object', 'flux-system')
  .option('--no-logs', 'with --for: do not record controller logs')
  .action(async (opts) => run(async () => {
    const { snapshot } = await import('./commands/snapshot');
    return snapshot(opts, { progress, stderr: (line) => process.stderr.write(`${line}\n`) });
  }));

inputOptions(program.command('explain'))
  .argument('<kind/name>', 'the object: KIND/NAME or KIND NAME (ks/apps, hr/podinfo, gitrepo/flux-system, deployment/web, …)')
  .argument('[name]')
  .description('the diagnostic chain for one object: source → dependencies → object → what it manages → Helm history → events → controller logs → diagnosis')
  .option('-n, --namespace <ns>', 'namespace of the object', 'flux-system')
  .option('-o, --output <format>', 'table, json or yaml', 'table')
  .option('--json', 'same as -o json')
  .option('--log-lines <n>', 'controller log lines to show', '20')
  .option('--no-logs', 'do not read controller logs')
  .option('--fail-on <severity>', 'exit 1 when a finding is at or above: error, warning, info, none', 'error')
  .option('--no-color', 'never colour the output')
  .action(async (first, second, opts) => run(async () => {
    const { explain } = await import('./commands/explain');
    return explain(first, second, opts, { color: await useColor(opts.color), progress });
  }));

program.command('rules')
  .argument('[code]', 'a rule code (FD201) or slug to show in full')
  .description('list every diagnosis rule, or show one with its signals and remediation')
  .option('-o, --output <format>', 'table, json or yaml', 'table')
  .option('--json', 'same as -o json')
  .option('--markdown', 'the catalog as Markdown (docs/rules.md)')
  .option('--no-color', 'never colour the output')
  .action(async (code, opts) => run(async () => {
    const { rules } = await import('./commands/rules');
    return rules(code, opts, { color: await useColor(opts.color) });
  }));

program.command('schema')
  .argument('[name]', 'report (status --json, the default), explain (explain --json) or snapshot (snapshot files)')
  .description('print the JSON Schema of the --json output or of snapshot files')
  .action(async (name) => run(async () => {
    const { schema } = await import('./commands/schema');
    return schema(name);
  }));

program.parseAsync(process.argv).catch((error) => {
  process.stderr.write(`fluxdiag: ${(error as Error).message}\n`);
  process.exitCode = 2;
});
