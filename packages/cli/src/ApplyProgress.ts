import { Listr, ListrLogger, ProcessOutput } from 'listr2';
import type { ApplyReport, ImageStore, Plan, StoreError } from '@imgalias/core';
import { formatReference, parseReference } from '@imgalias/core';
import type { Either } from 'fp-ts/lib/Either.js';
import type { Output, OutputStream } from './Output.js';

/** Up to this many actions, a progress display would flash by; the report that follows says it all. */
export const progressThreshold = 5;

const familiar = (name: string): string => {
  const parsed = parseReference(name);
  return parsed._tag === 'Right' ? formatReference(parsed.right, 'familiar') : name;
};

/**
 * Applies a plan, showing a progress line on a terminal when there are more than a handful of actions.
 * Without a terminal (CI logs, pipes) nothing is drawn: the report printed afterwards lists every action.
 */
export async function applyWithProgress(options: {
  readonly store: ImageStore;
  readonly plan: Plan;
  readonly concurrency: number;
  readonly output: Output;
  /** Where the display is drawn; only used when it is a terminal. */
  readonly terminal: OutputStream;
}): Promise<Either<StoreError, ApplyReport>> {
  const { store, plan, concurrency, output, terminal } = options;
  const total = plan.actions.length;
  if (!output.interactive || output.quiet || total <= progressThreshold) {
    return store.apply(plan, { concurrency });
  }

  let result: Either<StoreError, ApplyReport> | undefined;
  // Only reached when `terminal` is a TTY, which in a real process is a tty.WriteStream.
  const stream = terminal as unknown as NodeJS.WriteStream;
  const logger = new ListrLogger({ useIcons: true, processOutput: new ProcessOutput(stream, stream) });
  const tasks = new Listr(
    [
      {
        title: `Tagging ${total} names`,
        task: async (_context, task) => {
          let done = 0;
          let failed = 0;
          result = await store.apply(plan, {
            concurrency,
            onResult: (actionResult) => {
              done += 1;
              if (actionResult._tag === 'Failed') failed += 1;
              task.title = `Tagging names: ${done}/${total}${failed === 0 ? '' : `, ${failed} failed`}`;
              task.output = `${actionResult._tag === 'Applied' ? 'tagged' : 'failed'} ${familiar(actionResult.action.target)}`;
            },
          });
          task.title = `Tagged ${done - failed} of ${total} names`;
        },
      },
    ],
    {
      renderer: 'default',
      // The report printed next lists every action; the display is only there while waiting.
      rendererOptions: { clearOutput: true, logger },
      // listr2 falls back to line-by-line output when process.stdout is not a terminal; keep it on `terminal` too.
      fallbackRendererOptions: { logger },
      registerSignalListeners: false,
    },
  );
  await tasks.run();
  // Store errors are values; anything the task throws is a bug and `run` rejects with it.
  if (result === undefined) throw new Error('applying the plan ended without a result');
  return result;
}
