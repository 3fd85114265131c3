import type { Either } from 'fp-ts/lib/Either.js';
import { right } from 'fp-ts/lib/Either.js';
import type { EngineKind, Snapshot, StoreError, UntagAction, UntagOptions, UntagResult } from '@imgalias/core';
import { preflightUntag, spellReference } from '@imgalias/core/internal';
import type { EngineRunner } from './EngineRunner.js';

/**
 * The engine verb that removes one name: `image rm NAME`, without `--force`, for every engine. When other
 * names remain, the engine only untags; when it is the last name, it deletes the image, and refuses (without
 * force) if a container still uses it. Podman's `untag` would leave a dangling image behind instead.
 */
export const untagArgs = (action: UntagAction, engine: EngineKind): readonly string[] => ['image', 'rm', spellReference(action.name, engine)];

export interface UntagImagesOptions extends Omit<UntagOptions, 'current'> {
  readonly runner: EngineRunner;
  readonly actions: readonly UntagAction[];
  /** The store as it is now (read just before): core's `preflightUntag` judges each action against it. */
  readonly current: Snapshot;
}

/**
 * Applies a clean plan's untag actions one at a time (a name's removal can delete an image the next action
 * would otherwise race with). A name that no longer names the image the plan saw is `Refused` without running
 * (`preflightUntag`). Aborting `signal` lets the removal in flight finish (it is one quick process) and marks the
 * rest `NotStarted`.
 *
 * Resolves `Left` only when the engine cannot be used at all.
 */
export const untagImages = async (options: UntagImagesOptions): Promise<Either<StoreError, readonly UntagResult[]>> => {
  const { runner, signal } = options;
  const results: UntagResult[] = [];
  for (const decision of preflightUntag({ actions: options.actions, snapshot: options.current })) {
    let result: UntagResult;
    if (signal?.aborted === true) {
      results.push({ _tag: 'NotStarted', action: decision._tag === 'Run' ? decision.action : decision.result.action });
      continue;
    }
    if (decision._tag === 'Done') {
      result = decision.result;
    } else {
      const ran = await runner.run(untagArgs(decision.action, runner.engine));
      if (ran._tag === 'Left' && (ran.left._tag === 'EngineMissing' || ran.left._tag === 'EngineUnreachable')) return ran;
      result = ran._tag === 'Right' ? { _tag: 'Untagged', action: decision.action } : { _tag: 'UntagFailed', action: decision.action, error: ran.left };
    }
    options.onProgress?.({ _tag: 'Done', result });
    results.push(result);
  }
  return right(results);
};
