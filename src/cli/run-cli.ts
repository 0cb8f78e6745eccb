import { Command, CommanderError, Option } from 'commander';
import { ConfigError } from '../errors';
import { CliContext, type CliContextOptions } from './cli-context';
import { CliError, EXIT, processIo } from './cli-io';
import { destroyCommand } from './commands/destroy';
import { extendCommand } from './commands/extend';
import { historyExportCommand } from './commands/history-export';
import { listCommand } from './commands/list';
import { replayCommand } from './commands/replay';
import { liveReplayCommand } from './commands/replay-live';
import { simulateCommand } from './commands/simulate';
import { statusCommand } from './commands/status';
import { verifyCommand } from './commands/verify';

// previewctl: every command is a small function over a CliContext; this file only wires them
// to commander. `runCli` returns the exit code instead of exiting, so tests run it in-process.

function buildProgram(ctx: CliContext): Command {
  const program = new Command('previewctl')
    .description('Inspect and control previewd preview environments (one Temporal workflow per pull request).')
    .option('-c, --config <file>', 'previewd config file (default: $PREVIEWD_CONFIG)')
    .option('--address <host:port>', 'Temporal frontend (default: temporal.address)')
    .option('--namespace <name>', 'Temporal namespace (default: temporal.namespace)')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => ctx.io.out(s), writeErr: (s) => ctx.io.err(s) });
  program.hook('preAction', (cmd) => ctx.setGlobals(cmd.optsWithGlobals()));

  program
    .command('list')
    .description('previews by repository and phase (a visibility query, like the Temporal UI filter)')
    .option('--repo <owner/repo>', 'only this repository')
    .option('--phase <phase>', 'only this phase (Pending, Provisioning, Deploying, Ready, Degraded, Blocked, Failed, TearingDown, Destroyed)')
    .option('--all', 'include closed runs')
    .addOption(new Option('--limit <n>', 'at most this many').default(100).argParser((v) => Number.parseInt(v, 10)))
    .option('--json', 'print JSON')
    .action(async (opts: { repo?: string; phase?: string; all?: boolean; limit: number; json?: boolean }) => {
      await listCommand(ctx, opts);
    });

  program
    .command('status <repository> <pr>')
    .description("a preview's status: phase, heads, URLs, expiry, cost, last error, recent events")
    .option('--json', 'print the status query result as JSON')
    .action(async (repository: string, pr: string, opts: { json?: boolean }) => {
      await statusCommand(ctx, repository, pr, opts);
    });

  program
    .command('verify <repository> <pr>')
    .description("seed 000's verification plan against the live cluster: one row per check with pass/fail and the reason; exit 1 on any failure")
    .option('--json', 'print the checks as JSON')
    .action(async (repository: string, pr: string, opts: { json?: boolean }) => {
      await verifyCommand(ctx, repository, pr, opts);
    });

  program
    .command('extend <repository> <pr> <duration>')
    .description('push the expiry out by a duration (e.g. 4h); prints the new expiry or why it was refused')
    .action(async (repository: string, pr: string, duration: string) => {
      await extendCommand(ctx, repository, pr, duration);
    });

  program
    .command('destroy <repository> <pr>')
    .description('tear a preview down now')
    .option('--reason <text>', 'recorded in the history and the PR comment')
    .option('--wait', 'wait until the namespace is gone')
    .action(async (repository: string, pr: string, opts: { reason?: string; wait?: boolean }) => {
      await destroyCommand(ctx, repository, pr, opts);
    });

  program
    .command('history')
    .description('workflow histories')
    .command('export <repository> <pr>')
    .description("write a preview run's event history as JSON (input for `previewctl replay`)")
    .option('--run-id <id>', 'a specific run (default: the latest)')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action(async (repository: string, pr: string, opts: { runId?: string; output?: string }) => {
      await historyExportCommand(ctx, repository, pr, opts);
    });

  program
    .command('replay [files...]')
    .description(
      'replay histories against the current workflow code: recorded files, or live runs with --query; exit 1 on nondeterminism (for CI and before an upgrade)',
    )
    .option('--query <visibility query>', "replay the live runs this visibility query matches (previewLifecycle runs unless it names a WorkflowType; '' for all of them)")
    .addOption(new Option('--limit <n>', 'with --query: replay at most this many runs').default(100).argParser((v) => Number(v)))
    .option('--bundle <file>', 'a prebuilt workflow bundle to replay against (scripts/bundle-workflows.mjs; the image ships dist/workflow-bundle.js)')
    .option('--workflows <path>', 'workflow module to replay against (default: previewd’s workflows, bundled now)')
    .action(async (files: string[], opts: { query?: string; limit: number; bundle?: string; workflows?: string }) => {
      if (opts.query === undefined) await replayCommand(ctx, files, opts);
      else if (files.length > 0) throw new CliError('give history files or --query, not both', EXIT.usage);
      else await liveReplayCommand(ctx, { ...opts, query: opts.query });
    });

  program
    .command('simulate')
    .description('send a signed GitHub example delivery to an ingress (default: the local dev mode)')
    .requiredOption('--repo <owner/repo>', 'repository (configured in the allowlist)')
    .requiredOption('--pr <number>', 'pull request number')
    .addOption(new Option('--event <event>', 'what to send').choices(['pull_request', 'comment', 'ping']).default('pull_request'))
    .option('--action <action>', 'pull_request action', 'opened')
    .option('--label <name...>', "the PR's labels after the event (labeled/unlabeled: the first is the label in question)")
    .option('--sha <sha>', 'head SHA (default: random)')
    .option('--draft', 'the PR is a draft')
    .option('--body <text>', 'comment body, e.g. "/preview extend 4h"')
    .option('--association <association>', 'comment author association (default OWNER)')
    .option('--url <url>', 'webhook URL (default: http://127.0.0.1:<ingress.port>/webhooks/github)')
    .action(async (opts: Parameters<typeof simulateCommand>[1]) => {
      await simulateCommand(ctx, opts);
    });

  return program;
}

/** Runs previewctl with `argv` (without node and script); resolves to the exit code. */
export async function runCli(argv: readonly string[], options: Partial<CliContextOptions> = {}): Promise<number> {
  const ctx = new CliContext({ io: options.io ?? processIo, env: options.env });
  try {
    await buildProgram(ctx).parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (err instanceof CliError) {
      ctx.io.err(`previewctl: ${err.message}`);
      return err.exitCode;
    }
    if (err instanceof ConfigError) {
      ctx.io.err(`previewctl: ${err.message}`);
      return EXIT.usage;
    }
    ctx.io.err(`previewctl: ${err instanceof Error ? err.message : String(err)}`);
    return EXIT.failed;
  } finally {
    await ctx.close();
  }
}
