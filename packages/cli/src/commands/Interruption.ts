import type { Either } from 'fp-ts/lib/Either.js';
import { isLeft, left, right } from 'fp-ts/lib/Either.js';
import type { ApplyReport } from '@imgalias/core';
import type { LockHolder } from '@imgalias/adapter-docker';
import { acquireApplyLock } from '@imgalias/adapter-docker';
import type { Settings } from '@imgalias/project/internal';
import type { CliError } from '../CliError.js';
import { CliError as E } from '../CliError.js';
import { ExitCode } from '../ExitCode.js';
import type { Output } from '../Output.js';
import type { CommandContext } from './Command.js';

// The commands that change something (apply, fix, prefetch, publish, clean --apply, sync) share two things: the
// interrupt (SIGINT/SIGTERM stop starting work, cancel what runs, and the command reports what was done), and,
// for those that write to an engine, its advisory apply lock.

/** A command's view of SIGINT/SIGTERM while it does work it can report on. */
export interface Interruption {
  /** Aborted by the signal (its reason is the signal's name); absent when nothing can interrupt this run. */
  readonly signal?: AbortSignal;
  /** True once a signal arrived. */
  interrupted(): boolean;
  /** 130 for SIGINT, 143 for SIGTERM. */
  exitCode(): ExitCode;
  /** `SIGINT` or `SIGTERM`, for the closing line. */
  name(): string;
}

const seconds = (ms: number): string => `${Math.round(ms / 100) / 10} s`;

/** The note while another process holds the engine's apply lock. */
export const lockWaitNote = (holder: LockHolder | undefined, file: string, timeoutMs: number): string =>
  `waiting for ${holder === undefined ? 'another imgalias process' : `imgalias process ${holder.pid}`} to finish applying to this engine (lock ${file}; at most ${seconds(timeoutMs)}, --lock-timeout)`;

/** The note when a lock left by a process that is gone was taken over. */
export const lockTakenOverNote = (holder: LockHolder, file: string): string =>
  `took over the apply lock ${file}: process ${holder.pid}, which held it, is gone`;

/** The closing line of an apply the interrupt stopped (engine or registry): what was tagged and what did not start. */
export const interruptedApplyMessage = (interruption: Pick<Interruption, 'name'>, report: ApplyReport, planned: number): string => {
  const tagged = report.results.filter((r) => r._tag === 'Applied').length;
  const notStarted = report.results.filter((r) => r._tag === 'NotStarted').length;
  return `imgalias: interrupted by ${interruption.name()}: ${tagged} of ${planned} tagged, ${notStarted} not started. Run the same command again to finish.`;
};

/** The line of an apply the interrupt stopped while it was still reading the store or waiting for the lock. */
export const interruptedBeforeApplyMessage = (interruption: Pick<Interruption, 'name'>): string =>
  `imgalias: interrupted by ${interruption.name()} before anything was tagged; nothing was changed.`;

const interruptionOf = (signal: AbortSignal | undefined): Interruption => ({
  ...(signal === undefined ? {} : { signal }),
  interrupted: () => signal?.aborted === true,
  exitCode: () => (signal?.reason === 'SIGTERM' ? ExitCode.sigterm : ExitCode.sigint),
  name: () => String(signal?.reason ?? 'a signal'),
});

/**
 * Runs a command's changing part so that a signal interrupts it instead of ending the process: `work` gets the
 * interruption, stops starting things once it fires, and reports what it did. With `lock`, the engine's apply
 * lock is held around `work` (waiting at most `--lock-timeout` for another imgalias process, as `apply` does);
 * a saved snapshot (`--snapshot`) is no engine and takes none. A signal while waiting for the lock ends the
 * command with nothing changed.
 */
export async function interruptible(options: {
  readonly context: CommandContext;
  readonly settings: Settings;
  readonly output: Output;
  /** Take the engine's apply lock around `work`. */
  readonly lock: boolean;
  readonly work: (interruption: Interruption) => Promise<Either<CliError, ExitCode>>;
}): Promise<Either<CliError, ExitCode>> {
  const { context, settings, output } = options;
  const interrupt = context.io.interrupt;
  const interruption = interruptionOf(interrupt?.signal);
  const locked = async (): Promise<Either<CliError, ExitCode>> => {
    if (!options.lock || settings.snapshotFile !== undefined) return options.work(interruption);
    const lock = await acquireApplyLock({
      engine: context.engineOptions(settings),
      timeoutMs: settings.lockTimeoutMs,
      ...(interruption.signal === undefined ? {} : { signal: interruption.signal }),
      onWait: (holder, file) => output.note(lockWaitNote(holder, file, settings.lockTimeoutMs)),
      onStale: (holder, file) => output.note(lockTakenOverNote(holder, file)),
    });
    if (isLeft(lock)) {
      if (lock.left._tag !== 'LockInterrupted') return left(E.lock(lock.left));
      output.error(`imgalias: interrupted by ${interruption.name()} while waiting for the apply lock; nothing was changed.`);
      return right(interruption.exitCode());
    }
    try {
      return await options.work(interruption);
    } finally {
      await lock.right.release();
    }
  };
  return interrupt === undefined ? locked() : interrupt.during(locked);
}
