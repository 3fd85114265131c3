import type { ImageLifecycle, PullEvent, PullRequest } from '@imgalias/core';
import type { PullSettings } from './PullSettings.js';

/** Pulls every `Pull` entry of the plan through the store, candidates in order, with retries; events to `onEvent`. */
export const runPulls = (options: {
  readonly store: ImageLifecycle;
  readonly entries: readonly PullRequest[];
  readonly pull: PullSettings;
  readonly onEvent: (event: PullEvent) => void;
  /** Aborting it stops starting pulls and cancels those in flight. */
  readonly signal?: AbortSignal;
}) => {
  const { store, entries, pull, onEvent, signal } = options;
  const givenPlatform = pull.platform?._tag === 'Given' ? pull.platform.platform : undefined;
  return store.pull(entries, {
    attempts: pull.attempts,
    baseDelayMs: pull.baseDelayMs,
    concurrency: pull.concurrency,
    ...(givenPlatform === undefined ? {} : { platform: givenPlatform }),
    ...(signal === undefined ? {} : { signal }),
    onProgress: onEvent,
  });
};
