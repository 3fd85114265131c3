import { familiarName } from '@imgalias/core';
import type { PullEvent } from '@imgalias/core';
import { describePullError } from '@imgalias/adapter-docker';
import { wantsProgressDisplay, withProgressDisplay } from '../../ApplyProgress.js';
import type { Output, OutputStream } from '../../Output.js';
import { plural } from '../../Wording.js';

/** What a person sees of one pull event, if anything: a retry and a give-up always, a first attempt and a success. */
export const progressLine = (event: PullEvent, attempts: number): string | undefined => {
  switch (event._tag) {
    case 'Attempt':
      return event.attempt === 1 ? `pulling ${familiarName(event.candidate.reference)} for ${familiarName(event.family)}` : undefined;
    case 'Retry':
      return `attempt ${event.attempt}/${attempts} of ${familiarName(event.candidate.reference)} failed; retrying in ${(event.delayMs / 1000).toFixed(1)} s: ${describePullError(event.error)}`;
    case 'GiveUp':
      return `gave up on ${familiarName(event.failure.candidate.reference)} after ${plural(event.failure.attempts, 'attempt')}${event.failure.permanent ? ' (permanent error, not retried)' : ''}: ${describePullError(event.failure.error)}`;
    case 'Done':
      return event.result._tag === 'Pulled' ? `pulled ${familiarName(event.result.candidate.reference)}` : undefined;
  }
};

const images = (count: number): string => (count === 1 ? 'image' : 'images');

/**
 * Runs `work` (the pulls) with progress shown: on a terminal a display with a count and the latest line, since a
 * pull takes seconds and even one is worth it; elsewhere every line that says something, as a note on stderr.
 */
export const withPullProgress = <T>(options: {
  readonly output: Output;
  readonly terminal: OutputStream;
  readonly total: number;
  readonly attempts: number;
  readonly work: (onEvent: (event: PullEvent) => void) => Promise<T>;
}): Promise<T> => {
  const { output, terminal, total, attempts, work } = options;
  if (!wantsProgressDisplay(output, total, 0)) {
    return work((event) => {
      const line = progressLine(event, attempts);
      if (line !== undefined) output.note(line);
    });
  }
  let finished = 0;
  let lastLine = '';
  return withProgressDisplay({
    terminal,
    title: `Pulling ${total} ${images(total)}`,
    work: (update) =>
      work((event) => {
        if (event._tag === 'Done') finished += 1;
        lastLine = progressLine(event, attempts) ?? lastLine;
        update({ title: `Pulling images: ${finished}/${total}`, line: lastLine });
      }),
    doneTitle: () => `Pulled ${total} ${images(total)} (see the report)`,
  });
};
