import type { Command } from 'commander';
import type { Either } from 'fp-ts/lib/Either.js';
import { isLeft, left } from 'fp-ts/lib/Either.js';
import type { ImageLifecycle, ImageStore } from '@imgalias/core';
import { printable } from '@imgalias/core/internal';
import type { EngineStoreOptions } from '@imgalias/adapter-docker';
import { shouldUseColor } from '@imgalias/render';
import type { CliFlags, ModeResolution, Settings } from '@imgalias/project/internal';
import { describeConfigFile, engineStoreOptions } from '@imgalias/project/internal';
import type { CliError } from '../CliError.js';
import { CliError as E, describeCliError, exitCodeOf, fromProjectError } from '../CliError.js';
import { ExitCode } from '../ExitCode.js';
import type { Output, OutputStream } from '../Output.js';
import { createOutput } from '../Output.js';

/**
 * What the process gives the CLI. `bin.ts` passes the real process's; tests pass their own, so every command
 * runs in-process exactly as it does from a shell.
 */
export interface CliIO {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Used by `auto` mode probes; defaults to the global fetch. */
  readonly fetch?: typeof fetch;
  /**
   * SIGINT/SIGTERM as the process receives them; without it a command is never interrupted. The commands that
   * change something (apply, fix, prefetch, publish, clean --apply, sync) run under it.
   */
  readonly interrupt?: Interrupt;
  /**
   * What `apply --plan -` reads, opened only when read (touching the process's stdin costs every other command
   * start-up time); absent: standard input is empty.
   */
  readonly stdin?: () => AsyncIterable<string | Uint8Array>;
}

/**
 * How a command learns of SIGINT and SIGTERM. Outside `during` a signal ends the process at once, as it always
 * did; inside, it aborts `signal` (its reason is the signal's name) so the work can stop starting things, cancel
 * what runs and report what was done. A second signal ends the process at once.
 */
export interface Interrupt {
  readonly signal: AbortSignal;
  during<T>(work: () => Promise<T>): Promise<T>;
}

/**
 * Every option a command can be given, typed once: the settings flags (`CliFlags`, which `loadSettings`
 * validates, whatever level a value comes from) and the options only one command reads. Values are as commander
 * gives them: a boolean for a switch, the text typed for a value, a list for a repeatable option.
 */
export interface CommandFlags extends CliFlags {
  /** `apply`, `fix`, `prefetch`, `publish`, `clean`, `sync`: print the plan, change nothing. */
  readonly dryRun?: boolean;
  /** `plan --prefetch`: the pull plan instead. */
  readonly prefetch?: boolean;
  /** `check --registry`: check Harbor itself. */
  readonly registry?: boolean;
  /** `clean --apply`: untag for real. */
  readonly apply?: boolean;
  readonly includeHarbor?: boolean;
  readonly includeUnrecoverable?: boolean;
  /** `apply --plan FILE`: apply the plan saved in FILE (`-`: standard input) instead of planning. */
  readonly plan?: string;
  /** `prefetch --attempts N`, `--retry-delay MS`: whole numbers, checked by prefetch. */
  readonly attempts?: string;
  readonly retryDelay?: string;
  /** `prefetch --platform OS/ARCH|engine`; `check --registry`, `sync`: `--platform LIST`. */
  readonly platform?: string;
  readonly registryAuth?: string;
  readonly insecureRegistry?: readonly string[];
  readonly caFile?: string;
}

/** One parsed invocation of a command, as its action receives it. */
export interface Invocation {
  /** The positional arguments (`IMAGE...`, `PATH...`), exactly as typed. */
  readonly operands: readonly string[];
  /** The options the user gave (defaults left out, so lower settings levels can decide). */
  readonly flags: CommandFlags;
}

/**
 * A command's body: it returns the exit code of a completed run, or the error that stopped it. It never calls
 * `process.exit` and never prints an error itself; `CommandContext.action` does both.
 */
export type CommandAction = (invocation: Invocation) => Promise<Either<CliError, ExitCode>>;

/** Everything a command needs besides its own logic. One context per `run()`. */
export interface CommandContext {
  readonly io: CliIO;
  /** Flags > environment > `.env` in cwd > config file > defaults. A bad file or value is a `Config` error (exit 2). */
  loadSettings(flags: CliFlags): Promise<Either<CliError, Settings>>;
  /** The output for these settings: `--quiet`, `--no-color`/`NO_COLOR` and the TTY decide. */
  output(settings: Settings): Output;
  /**
   * The image store the settings name: the saved snapshot when `--snapshot FILE` is given (an in-memory store,
   * no engine touched), the real engine otherwise. Creating the engine store runs nothing; the first
   * `snapshot()` does, and reports a missing or unreachable engine as a `StoreError` (exit 3).
   */
  openStore(settings: Settings): Promise<Either<CliError, ImageStore & ImageLifecycle>>;
  /**
   * How this run talks to the real engine (which CLI, its environment, concurrency): what `openStore` uses.
   */
  engineOptions(settings: Settings): EngineStoreOptions;
  /** The network mode, probing only when the settings say `auto`. */
  resolveMode(settings: Settings): Promise<ModeResolution>;
  /** Wraps a `CommandAction` for commander's `.action()`: prints a `CliError` and records the exit code. */
  action(run: CommandAction): (...args: unknown[]) => Promise<void>;
}

/** A context plus the exit code its last action recorded; `run()` reads the latter. */
export interface ContextHandle {
  readonly context: CommandContext;
  exitCode(): ExitCode;
}

/** `--verbose`'s line saying how the engine was reached. */
export const engineReachedNote = (settings: Settings, description: string): string =>
  `${settings.engine} engine reached through the ${description} (--transport ${settings.transport})`;

/** Commander's option values minus those it filled from defaults, so settings can fall through to lower levels. */
function flagsOf(command: Command): CommandFlags {
  const given: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(command.opts())) {
    if (command.getOptionValueSource(key) !== 'default') given[key] = value;
  }
  return given as CommandFlags;
}

export function createCommandContext(io: CliIO): ContextHandle {
  let recorded: ExitCode = ExitCode.ok;

  const engineOptions = (settings: Settings): EngineStoreOptions => engineStoreOptions(settings, io.env);

  const context: CommandContext = {
    io,
    engineOptions,
    // The settings loader (yaml, lilconfig, the config codecs), the stores and the mode probe are imported when
    // a command first needs them: `--help` and `--version` load none of them (see tsup.config.ts).
    loadSettings: async (flags) => {
      const { loadSettings } = await import('@imgalias/project/internal');
      const loaded = await loadSettings({ flags, env: io.env, cwd: io.cwd });
      if (isLeft(loaded)) return left(E.config(loaded.left));
      // What --mirrors-from could not express is said, never dropped silently.
      if (!loaded.right.quiet) for (const note of loaded.right.mirrorNotes) io.stderr.write(`imgalias: note: ${note}\n`);
      // `--verbose` says which config file decided, once per run.
      if (loaded.right.verbose) context.output(loaded.right).note(describeConfigFile(loaded.right));
      return loaded;
    },
    output: (settings) =>
      createOutput({
        stdout: io.stdout,
        stderr: io.stderr,
        quiet: settings.quiet,
        color: shouldUseColor({ isTTY: io.stdout.isTTY, env: io.env, flag: settings.color }),
      }),
    openStore: async (settings) => {
      const { openProjectStore } = await import('@imgalias/project/internal');
      const output = context.output(settings);
      // `--verbose` says how the engine was reached, once, and again if `auto` fell back to the CLI midway.
      const store = await openProjectStore({
        settings,
        env: io.env,
        ...(settings.verbose ? { onTransport: (description: string) => output.note(engineReachedNote(settings, description)) } : {}),
      });
      return isLeft(store) ? left(fromProjectError(store.left)) : store;
    },
    resolveMode: async (settings) => {
      const { resolveMode } = await import('@imgalias/project/internal');
      return resolveMode(settings, io.fetch === undefined ? {} : { fetch: io.fetch });
    },
    action: (run) => async (...args) => {
      const command = args[args.length - 1] as Command;
      const result = await run({ operands: [...command.args], flags: flagsOf(command) });
      if (isLeft(result)) {
        io.stderr.write(printable(`imgalias ${command.name()}: ${describeCliError(result.left)}\n`, { lines: true }));
        recorded = exitCodeOf(result.left);
      } else {
        recorded = result.right;
      }
    },
  };

  return { context, exitCode: () => recorded };
}
