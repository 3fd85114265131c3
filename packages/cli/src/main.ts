import { printable } from '@imgalias/core/internal';
import { Command, CommanderError } from 'commander';
import type { CliIO } from './commands/Command.js';
import { createCommandContext } from './commands/Command.js';
import type { CommandSpec } from './commands/CommandSpec.js';
import { addCommand } from './commands/CommandSpec.js';
import { applyCommand } from './commands/apply.js';
import { checkCommand } from './commands/check.js';
import { cleanCommand } from './commands/clean.js';
import { fixCommand } from './commands/fix.js';
import { modeCommand } from './commands/mode.js';
import { planCommand } from './commands/plan.js';
import { prefetchCommand } from './commands/prefetch.js';
import { publishCommand } from './commands/publish.js';
import { scanCommand } from './commands/scan.js';
import { snapshotCommand } from './commands/snapshot.js';
import { syncCommand } from './commands/sync.js';
import { ExitCode, exitCodeHelp } from './ExitCode.js';
import { version } from './version.js';

/** Every command of the `imgalias` program, in the order `--help` lists them. */
export const commands: readonly CommandSpec[] = [
  planCommand,
  applyCommand,
  checkCommand,
  fixCommand,
  prefetchCommand,
  publishCommand,
  cleanCommand,
  syncCommand,
  scanCommand,
  snapshotCommand,
  modeCommand,
];

// Help is wrapped at a fixed width so it reads the same in every terminal and docs/cli.md can embed it verbatim.
const helpWidth = 100;

/**
 * Builds the `imgalias` program for one run. Commander is told never to exit or print by itself: its output
 * goes to `io`, and its errors become exit code 2.
 */
export function createProgram(io: CliIO, specs: readonly CommandSpec[] = commands) {
  const handle = createCommandContext(io);
  const program = new Command('imgalias')
    .description('keep container image names consistent: origin, localhost/ twin and Harbor copy')
    .version(version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    .helpCommand('help [command]', 'show help for a command (same as COMMAND --help)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => void io.stdout.write(text),
      // commander's messages quote the arguments as typed: escape what they may hold.
      writeErr: (text) => void io.stderr.write(printable(text, { lines: true })),
      getOutHelpWidth: () => helpWidth,
      getErrHelpWidth: () => helpWidth,
      getOutHasColors: () => false,
      getErrHasColors: () => false,
    })
    .showHelpAfterError('(run with --help for usage)');
  for (const spec of specs) addCommand(program, handle.context, spec);
  for (const command of [program, ...program.commands]) {
    command.addHelpText('after', `\n${exitCodeHelp}`);
    // Commander's own errors (an unknown option, a bad choice) carry the same prefix as every other error.
    const name = command === program ? 'imgalias' : `imgalias ${command.name()}`;
    command.configureOutput({
      ...command.configureOutput(),
      outputError: (text, write) => write(`${name}: ${text.replace(/^error: /, '')}`),
    });
  }
  return { program, exitCode: handle.exitCode };
}

/**
 * Runs `imgalias` with `argv` (the arguments after the program name) and returns the exit code. It never calls
 * `process.exit`, so tests and library users can run it in-process.
 *
 * @example
 * const code = await run(['plan', '--snapshot', 'snapshot.json', 'redis:7-alpine'],
 *   { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });
 */
export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  // When the first argument names a command, the program is built with that command alone: commander parses,
  // helps and errs exactly as with all eleven (a command's help, options and errors never mention the others),
  // and a run does not build ten commands' options it will not use. Anything else (`--help`, `help check`, a
  // mistyped name commander suggests a fix for) gets every command.
  const named = commands.filter((spec) => spec.name === argv[0]);
  const { program, exitCode } = createProgram(io, named.length === 1 ? named : commands);
  if (argv.length === 0) {
    program.outputHelp({ error: true });
    return ExitCode.usage;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through exitOverride with code 0; every other commander error is a usage error.
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    throw error;
  }
  return exitCode();
}
