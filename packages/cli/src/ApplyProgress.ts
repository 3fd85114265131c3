import type { ActionResult, ApplyReport, ImageStore, Plan, Snapshot, StoreError } from '@imgalias/core';
import { renderResultLine } from '@imgalias/render';
import type { Either } from 'fp-ts/lib/Either.js';
import type { Output, OutputStream } from './Output.js';

/** Up to this many steps, a progress display would flash by; the report that follows says it all. */
export const progressThreshold = 5;

/** What a long-running step tells the display: a new title (counts) and the latest line. */
export interface ProgressUpdate {
  readonly title: string;
  readonly line: string;
}

/**
 * Runs `work` under a listr2 display drawn on `terminal`: one task whose title and last line `work` updates.
 * The caller decides whether a display is wanted (a terminal, not `--quiet`, enough steps); the report printed
 * afterwards lists every step, so the display is cleared when done.
 */
export async function withProgressDisplay<T>(options: {
  readonly terminal: OutputStream;
  readonly title: string;
  readonly work: (update: (progress: ProgressUpdate) => void) => Promise<T>;
  /** The task's title once `work` is done, from its result. */
  readonly doneTitle: (result: T) => string;
}): Promise<T> {
  // listr2 and its terminal helpers load only when a display is drawn: most runs (pipes, CI, `--quiet`) never do.
  const { Listr, ListrLogger, ProcessOutput } = await import('listr2');
  let result: { readonly value: T } | undefined;
  // Only reached when `terminal` is a TTY, which in a real process is a tty.WriteStream.
  const stream = options.terminal as unknown as NodeJS.WriteStream;
  const logger = new ListrLogger({ useIcons: true, processOutput: new ProcessOutput(stream, stream) });
  const tasks = new Listr(
    [
      {
        title: options.title,
        task: async (_context, task) => {
          const value = await options.work((progress) => {
            task.title = progress.title;
            task.output = progress.line;
          });
          result = { value };
          task.title = options.doneTitle(value);
        },
      },
    ],
    {
      renderer: 'default',
      rendererOptions: { clearOutput: true, logger },
      // listr2 falls back to line-by-line output when process.stdout is not a terminal; keep it on `terminal` too.
      fallbackRendererOptions: { logger },
      registerSignalListeners: false,
    },
  );
  await tasks.run();
  // Store errors are values; anything `work` throws is a bug and `run` rejects with it.
  if (result === undefined) throw new Error('the task ended without a result');
  return result.value;
}

/** Whether a display is worth drawing for `steps` steps (quick steps need more than `threshold` of them). */
export const wantsProgressDisplay = (output: Output, steps: number, threshold = progressThreshold): boolean =>
  output.interactive && !output.quiet && steps > threshold;

/**
 * Applies a plan, showing a progress display on a terminal when there are more than a handful of actions.
 * Without a terminal (CI logs, pipes) each result of a real engine is written to stderr as it completes
 * (`--quiet` leaves them out), so a run that is killed, or whose engine dies, still leaves a true record of what
 * it tagged; the report printed afterwards lists every action again, in plan order.
 */
export async function applyWithProgress(options: {
  readonly store: ImageStore;
  readonly plan: Plan;
  /** The snapshot the plan was just made from; the store judges the plan against it without reading again. */
  readonly current: Snapshot;
  readonly concurrency: number;
  readonly output: Output;
  /** Where the display is drawn; only used when it is a terminal. */
  readonly terminal: OutputStream;
  /** Aborted on SIGINT/SIGTERM: no new action starts and running engine processes are cancelled. */
  readonly signal?: AbortSignal;
  /** Write each result as it completes when off a terminal: true for a real engine, not for a saved snapshot. */
  readonly recordProgress: boolean;
}): Promise<Either<StoreError, ApplyReport>> {
  const { store, plan, current, concurrency, output, terminal, signal } = options;
  const total = plan.actions.length;
  const base = { concurrency, current, ...(signal === undefined ? {} : { signal }) };
  if (!wantsProgressDisplay(output, total)) {
    const record = options.recordProgress && !output.interactive;
    return store.apply(plan, record ? { ...base, onProgress: (event) => output.note(renderResultLine(event.result)) } : base);
  }

  let done = 0;
  let failed = 0;
  return withProgressDisplay({
    terminal,
    title: `Tagging ${total} names`,
    work: (update) =>
      store.apply(plan, {
        ...base,
        onProgress: ({ result: actionResult }) => {
          done += 1;
          if (actionResult._tag !== 'Applied') failed += 1;
          update({
            title: `Tagging names: ${done}/${total}${failed === 0 ? '' : `, ${failed} not tagged`}`,
            line: renderResultLine(actionResult),
          });
        },
      }),
    doneTitle: (report) =>
      report._tag === 'Right' && report.right.interrupted ? `Interrupted after ${done} of ${total} names` : `Tagged ${done - failed} of ${total} names`,
  });
}

/**
 * Follows an apply that something else runs (a project job telling its progress): the same display as
 * `applyWithProgress` on a terminal for more than a handful of actions, else each result on stderr as it
 * completes when `recordProgress` (a real engine) and off a terminal. `finish` clears the display.
 */
export function followApply(options: {
  readonly output: Output;
  readonly terminal: OutputStream;
  readonly recordProgress: boolean;
}): {
  readonly start: (total: number) => void;
  readonly result: (result: ActionResult) => void;
  readonly finish: (interrupted: boolean) => Promise<void>;
} {
  const { output } = options;
  let total = 0;
  let done = 0;
  let failed = 0;
  let latest: ProgressUpdate | undefined;
  let update: ((progress: ProgressUpdate) => void) | undefined;
  let end: ((interrupted: boolean) => void) | undefined;
  let display: Promise<boolean> | undefined;
  let markRunning: () => void = () => undefined;
  const running = new Promise<void>((resolve) => (markRunning = resolve));
  return {
    start: (steps) => {
      total = steps;
      if (!wantsProgressDisplay(output, total)) return;
      display = withProgressDisplay({
        terminal: options.terminal,
        title: `Tagging ${total} names`,
        work: (set) =>
          new Promise<boolean>((resolve) => {
            update = set;
            // Results that came while the display loaded: show the latest at once.
            if (latest !== undefined) set(latest);
            end = resolve;
            markRunning();
          }),
        doneTitle: (interrupted) => (interrupted ? `Interrupted after ${done} of ${total} names` : `Tagged ${done - failed} of ${total} names`),
      });
    },
    result: (actionResult) => {
      if (display === undefined) {
        if (options.recordProgress && !output.interactive) output.note(renderResultLine(actionResult));
        return;
      }
      done += 1;
      if (actionResult._tag !== 'Applied') failed += 1;
      latest = { title: `Tagging names: ${done}/${total}${failed === 0 ? '' : `, ${failed} not tagged`}`, line: renderResultLine(actionResult) };
      update?.(latest);
    },
    finish: async (interrupted) => {
      if (display === undefined) return;
      // The display may still be loading: wait until its task runs (or the display failed), then end it.
      await Promise.race([running, display]);
      end?.(interrupted);
      await display;
    },
  };
}
