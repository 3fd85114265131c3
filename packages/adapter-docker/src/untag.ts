import type { Either } from 'fp-ts/lib/Either.js';
import { right } from 'fp-ts/lib/Either.js';
import type { StoreError, UntagAction } from '@imgalias/core';
import { canonicalTagName, indexSnapshot, spellReference } from '@imgalias/core';
import type { EngineStore } from './EngineStore.js';
import { normaliseImageId } from '@imgalias/core';

export type UntagResult =
  | { readonly _tag: 'Untagged'; readonly action: UntagAction }
  | { readonly _tag: 'UntagFailed'; readonly action: UntagAction; readonly error: StoreError };

/**
 * The engine verb that removes one name: `image rm NAME`, without `--force`, for every engine. When other
 * names remain, the engine only untags; when it is the last name, it deletes the image, and refuses (without
 * force) if a container still uses it. Podman's `untag` would leave a dangling image behind instead.
 */
export const untagArgs = (action: UntagAction, engine: EngineStore['engine']): readonly string[] => [
  'image',
  'rm',
  spellReference(action.name, engine),
];

/**
 * Applies a clean plan's untag actions one at a time (a name's removal can delete an image the next action
 * would otherwise race with). Reads the store first and skips, as a failure, any name that no longer points at
 * the image the plan saw: a stale plan must not remove a name that has since been moved to another image.
 *
 * Resolves `Left` only when the engine cannot be used at all.
 */
export const untagImages = async (options: {
  readonly store: EngineStore;
  readonly actions: readonly UntagAction[];
  readonly onResult?: (result: UntagResult) => void;
}): Promise<Either<StoreError, readonly UntagResult[]>> => {
  const { store, actions } = options;
  if (actions.length === 0) return right([]);
  const before = await store.snapshot();
  if (before._tag === 'Left') return before;
  const { imageIdByName } = indexSnapshot(before.right);
  const results: UntagResult[] = [];
  for (const action of actions) {
    const key = canonicalTagName(action.name);
    const now = key._tag === 'Right' && key.right !== undefined ? imageIdByName.get(key.right) : undefined;
    let result: UntagResult;
    if (now !== normaliseImageId(action.imageId)) {
      const where = now === undefined ? 'is no longer in the store' : `now names ${now}, not the planned ${action.imageId}`;
      result = {
        _tag: 'UntagFailed',
        action,
        error: { _tag: 'CommandFailed', engine: store.engine, args: untagArgs(action, store.engine), exitCode: null, message: `${action.name} ${where}; plan again` },
      };
    } else {
      const ran = await store.runner.run(untagArgs(action, store.engine));
      if (ran._tag === 'Left' && (ran.left._tag === 'EngineMissing' || ran.left._tag === 'EngineUnreachable')) return ran;
      result = ran._tag === 'Right' ? { _tag: 'Untagged', action } : { _tag: 'UntagFailed', action, error: ran.left };
    }
    options.onResult?.(result);
    results.push(result);
  }
  return right(results);
};
