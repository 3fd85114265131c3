import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import type { ImageReference, PublishEntry, StoreError } from '@imgalias/core';
import { isPublished, parseReference, spellReference } from '@imgalias/core';
import type { EngineRunner } from './EngineRunner.js';
import type { ManifestHead, RegistryError } from './registry.js';
import { headManifest } from './registry.js';

export type PushResult =
  | { readonly _tag: 'Pushed'; readonly entry: PublishEntry; readonly digest?: string }
  /** The registry's manifest digest for the Harbor name is one the engine recorded for this image. */
  | { readonly _tag: 'Skipped'; readonly entry: PublishEntry; readonly digest: string }
  | { readonly _tag: 'PushFailed'; readonly entry: PublishEntry; readonly error: StoreError };

export interface PushImagesOptions {
  readonly runner: EngineRunner;
  /** Entries of a publish plan whose Harbor names are in place (tags applied). */
  readonly entries: readonly PublishEntry[];
  /**
   * The `repository@digest` records the engine keeps per image id (the snapshot's `digests`, taken after
   * tagging). After a push, Docker records the pushed manifest's digest here, which is what lets a second run skip.
   */
  readonly localDigests: (imageId: string) => readonly string[];
  /** Pushes in flight at once. Default 2: pushes share one uplink. */
  readonly concurrency?: number;
  /** Per push process. Default 10 minutes. */
  readonly timeoutMs?: number;
  readonly insecureRegistries?: readonly string[];
  /** Default `headManifest`. */
  readonly probe?: (reference: ImageReference) => Promise<Either<RegistryError, ManifestHead>>;
  readonly onResult?: (result: PushResult) => void;
}

/**
 * Pushes each entry's Harbor name, unless the registry already holds exactly this image: the manifest `HEAD`
 * digest is one of the image's recorded digests (see `isPublished`). A registry that cannot be asked does not
 * stop the push; the push itself then says what is wrong. After a push, the manifest is asked once more so the
 * report carries the digest now in the registry.
 *
 * Resolves `Left` only when the engine cannot be used at all; every other failure is a `PushFailed` result.
 */
export const pushImages = async (options: PushImagesOptions): Promise<Either<StoreError, readonly PushResult[]>> => {
  const { runner } = options;
  const probe =
    options.probe ??
    ((reference: ImageReference) =>
      headManifest({ reference, ...(options.insecureRegistries === undefined ? {} : { insecureRegistries: options.insecureRegistries }) }));
  const report = (result: PushResult): PushResult => {
    options.onResult?.(result);
    return result;
  };
  let engineDown: StoreError | undefined;

  const pushEntry = async (entry: PublishEntry): Promise<PushResult> => {
    const ref = parseReference(entry.target);
    /* istanbul ignore next -- plan names are canonical and always parse */
    if (ref._tag === 'Left') {
      return report({ _tag: 'PushFailed', entry, error: { _tag: 'CommandFailed', engine: runner.engine, args: ['push', entry.target], exitCode: null, message: 'not an image reference' } });
    }
    const before = await probe(ref.right);
    const remoteDigest = before._tag === 'Right' ? before.right.digest : undefined;
    if (remoteDigest !== undefined && isPublished({ remoteDigest, localDigests: options.localDigests(entry.imageId) })) {
      return report({ _tag: 'Skipped', entry, digest: remoteDigest });
    }
    const pushed = await runner.run(['push', spellReference(ref.right, runner.engine)], { timeoutMs: options.timeoutMs ?? 10 * 60_000 });
    if (pushed._tag === 'Left') {
      if (pushed.left._tag === 'EngineMissing' || pushed.left._tag === 'EngineUnreachable') engineDown = pushed.left;
      return report({ _tag: 'PushFailed', entry, error: pushed.left });
    }
    const after = await probe(ref.right);
    const digest = after._tag === 'Right' ? after.right.digest : undefined;
    return report(digest === undefined ? { _tag: 'Pushed', entry } : { _tag: 'Pushed', entry, digest });
  };

  const limit = Math.max(1, Math.floor(options.concurrency ?? 2));
  const results: PushResult[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < options.entries.length && engineDown === undefined) {
      const index = next;
      next += 1;
      results[index] = await pushEntry(options.entries[index] as PublishEntry);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, options.entries.length)) }, worker));
  return engineDown === undefined ? right(results) : left(engineDown);
};
