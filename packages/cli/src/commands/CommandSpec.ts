import type { Command } from 'commander';
import { Option } from 'commander';
import type { Either } from 'fp-ts/lib/Either.js';
import type { OutputFormat } from '@imgalias/project/internal';
import type { CliError } from '../CliError.js';
import type { ExitCode } from '../ExitCode.js';
import type { CommandContext, Invocation } from './Command.js';
import type { OptionSpec } from './options.js';
import { formatOptions, group } from './options.js';

/** A positional argument: `<name>`, `[name]` or `[name...]`, as commander reads it. */
export interface ArgumentSpec {
  readonly name: string;
  readonly description: string;
}

/**
 * One `imgalias` command as data: what --help says about it, which options it takes, what it can print, and
 * the function that runs it. `main.ts` lists them; `addCommand` turns one into a commander command.
 *
 * @example
 * import { right } from 'fp-ts/lib/Either.js';
 * const whichConfig: CommandSpec = {
 *   name: 'which-config',
 *   summary: 'say which config file the settings come from',
 *   options: [{ flags: '--config <file>', description: 'read settings from FILE' }],
 *   formats: ['text'],
 *   run: async (context, { flags }) => {
 *     const settings = await context.loadSettings(flags);
 *     if (settings._tag === 'Left') return settings;
 *     context.output(settings.right).print(settings.right.configFile ?? 'none');
 *     return right(ExitCode.ok);
 *   },
 * };
 */
export interface CommandSpec {
  readonly name: string;
  /** The one line `imgalias --help` and the command's own help show. */
  readonly summary: string;
  readonly arguments?: readonly ArgumentSpec[];
  /** The command's options in the order --help lists them, before `--format`/`--json` and the display options. */
  readonly options: readonly OptionSpec[];
  /** The formats it can print (`--format` offers these); absent: it has no `--format`. */
  readonly formats?: readonly OutputFormat[];
  /** `--quiet`, `--verbose` and `--no-color`; every command but `snapshot` has them. Default true. */
  readonly display?: boolean;
  /** The command's body: the exit code of a completed run, or the error that stopped it. */
  readonly run: (context: CommandContext, invocation: Invocation) => Promise<Either<CliError, ExitCode>>;
}

const collect = (value: string, previous: readonly string[] | undefined): readonly string[] => [...(previous ?? []), value];

const optionOf = (spec: OptionSpec): Option => {
  const made = new Option(spec.flags, spec.description);
  if (spec.choices !== undefined) made.choices([...spec.choices]);
  if (spec.repeatable === true) made.argParser(collect);
  return made;
};

/** Every option of a command, in --help order. */
export const optionsOf = (spec: CommandSpec): readonly OptionSpec[] => [
  ...spec.options,
  ...(spec.formats === undefined ? [] : formatOptions(spec.formats)),
  ...(spec.display === false ? [] : group.display),
];

/** Adds the command `spec` declares to `program`, its action run through `context` (errors printed, exit code kept). */
export function addCommand(program: Command, context: CommandContext, spec: CommandSpec): Command {
  const command = program.command(spec.name).description(spec.summary);
  for (const argument of spec.arguments ?? []) command.argument(argument.name, argument.description);
  for (const each of optionsOf(spec)) command.addOption(optionOf(each));
  return command.action(context.action((invocation) => spec.run(context, invocation)));
}
