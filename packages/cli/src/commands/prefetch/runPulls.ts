import type { PullEntry } from '@imgalias/core';
import type { EngineStore, PullEvent } from '@imgalias/adapter-docker';
import { pullImages } from '@imgalias/adapter-docker';
import type { PullSettings } from './PullSettings.js';

/** Pulls every `Pull` entry of the plan through the engine, candidates in order, with retries; events to `onEvent`. */
export const runPulls = (options: {
  readonly store: EngineStore;
  readonly entries: readonly Extract<PullEntry, { readonly _tag: 'Pull' }>[];
  readonly pull: PullSettings;
  readonly onEvent: (event: PullEvent) => void;
}) => {
  const { store, entries, pull, onEvent } = options;
  const givenPlatform = pull.platform?._tag === 'Given' ? pull.platform.platform : undefined;
  return pullImages({
    runner: store.runner,
    entries,
    attempts: pull.attempts,
    baseDelayMs: pull.baseDelayMs,
    concurrency: pull.concurrency,
    ...(givenPlatform === undefined ? {} : { platform: givenPlatform }),
    onProgress: onEvent,
  });
};
