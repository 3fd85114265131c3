import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import type { ImageReference, ManifestProbeError, PublishEntry, PushOptions, PushResult, StoreError } from '@imgalias/core';
import { parseReference } from '@imgalias/core';
import { isPublished, mapBounded, spellReference } from '@imgalias/core/internal';
import type { EngineRunner } from './EngineRunner.js';
import type { ManifestHead } from './registry.js';
import { headManifest } from './registry.js';

export interface PushImagesOptions extends PushOptions {
  readonly runner: EngineRunner;
  /** Entries of a publish plan whose Harbor names are in place (tags applied). */
  readonly entries: readonly PublishEntry[];
  /**
   * The `repository@digest` records the engine keeps per image id (the snapshot's `digests`, taken after
   * tagging). After a push, Docker records the pushed manifest's digest here, which is what lets a second run skip.
   */
  readonly localDigests: (imageId: string) => readonly string[];
  readonly insecureRegistries?: readonly string[];
  /** Default `headManifest`. */
  readonly probe?: (reference: ImageReference) => Promise<Either<ManifestProbeError, ManifestHead>>;
}

export const defaultPushConcurrency = 2;
export const defaultPushTimeoutMs = 10 * 60_000;

/**
 * Pushes each entry's Harbor name, unless the registry already holds exactly this image: the manifest `HEAD`
 * digest is one of the image's recorded digests (see `isPublished`). A registry that cannot be asked does not
 * stop the push; the push itself then says what is wrong. After a push, the manifest is asked once more so the
 * report carries the digest now in the registry.
 *
 * Resolves `Left` only when the engine cannot be used at all; every other failure is a `PushFailed` result.
 * Aborting `signal` cancels the pushes in flight (`PushFailed` with a `Cancelled` error) and marks the entries not
 * begun `NotStarted`.
 */
export const pushImages = async (options: PushImagesOptions): Promise<Either<StoreError, readonly PushResult[]>> => {
  const { runner, signal } = options;
  const probe =
    options.probe ??
    ((reference: ImageReference) =>
      headManifest({
        reference,
        ...(options.insecureRegistries === undefined ? {} : { insecureRegistries: options.insecureRegistries }),
        ...(signal === undefined ? {} : { signal }),
      }));
  const report = (result: PushResult): PushResult => {
    options.onProgress?.({ _tag: 'Done', result });
    return result;
  };
  let engineDown: StoreError | undefined;

  const pushEntry = async (entry: PublishEntry): Promise<PushResult> => {
    // A planned name always parses; a caller's hand-made entry may not, and neither registry nor engine is asked.
    const ref = parseReference(entry.target);
    if (ref._tag === 'Left') return report({ _tag: 'Refused', entry, reason: { _tag: 'InvalidName', name: entry.target, error: ref.left } });
    const before = await probe(ref.right);
    const remoteDigest = before._tag === 'Right' ? before.right.digest : undefined;
    if (remoteDigest !== undefined && isPublished({ remoteDigest, localDigests: options.localDigests(entry.imageId) })) {
      return report({ _tag: 'Skipped', entry, digest: remoteDigest });
    }
    const pushed = await runner.run(['push', spellReference(ref.right, runner.engine)], {
      timeoutMs: options.timeoutMs ?? defaultPushTimeoutMs,
      ...(signal === undefined ? {} : { signal }),
    });
    if (pushed._tag === 'Left') {
      if (pushed.left._tag === 'EngineMissing' || pushed.left._tag === 'EngineUnreachable') engineDown = pushed.left;
      return report({ _tag: 'PushFailed', entry, error: pushed.left });
    }
    const after = await probe(ref.right);
    const digest = after._tag === 'Right' ? after.right.digest : undefined;
    return report(digest === undefined ? { _tag: 'Pushed', entry } : { _tag: 'Pushed', entry, digest });
  };

  const results = await mapBounded(
    options.entries,
    { limit: options.concurrency ?? defaultPushConcurrency, stopped: () => engineDown !== undefined || signal?.aborted === true },
    pushEntry,
    (entry): PushResult => ({ _tag: 'NotStarted', entry }),
  );
  return engineDown === undefined ? right(results) : left(engineDown);
};
