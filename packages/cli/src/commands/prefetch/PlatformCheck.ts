import type { Either } from 'fp-ts/lib/Either.js';
import { isLeft, left, right } from 'fp-ts/lib/Either.js';
import type { AliasPolicy, ImageLifecycle, Snapshot } from '@imgalias/core';
import { familiarName, planPrefetch } from '@imgalias/core';
import { platformMatches } from '@imgalias/adapter-docker';
import { shortImageId } from '@imgalias/render';
import type { CliError } from '../../CliError.js';
import { CliError as E } from '../../CliError.js';
import type { PlatformChoice } from './PullSettings.js';

export interface PlatformMismatch {
  readonly family: string;
  readonly imageId: string;
  readonly platform: string;
  readonly wanted: string;
}

/** What the architecture guard found: the platform wanted, and each present image built for another. */
export interface PlatformCheck {
  readonly wanted: string;
  readonly mismatches: readonly PlatformMismatch[];
}

/** The architecture guard: every requested family's image must be built for `wanted` (or the engine's platform). */
export const checkPlatforms = async (
  store: ImageLifecycle,
  snapshot: Snapshot,
  images: readonly string[],
  policy: AliasPolicy,
  platform: PlatformChoice,
): Promise<Either<CliError, PlatformCheck>> => {
  const wanted = platform._tag === 'Given' ? right(platform.platform) : await store.platform();
  if (isLeft(wanted)) return left(E.store(wanted.left));
  const present = planPrefetch({ snapshot, images, policy, mirrors: [] }).entries.flatMap((e) => (e._tag === 'Present' ? [e] : []));
  const inspected = await store.imagePlatforms([...new Set(present.map((e) => e.imageId))]);
  if (isLeft(inspected)) return left(E.store(inspected.left));
  const byId = new Map(inspected.right.map((p) => [p.imageId, p.platform]));
  const mismatches = present.flatMap((e) => {
    const actual = byId.get(e.imageId);
    return actual === undefined || platformMatches(wanted.right, actual) ? [] : [{ family: e.family, imageId: e.imageId, platform: actual, wanted: wanted.right }];
  });
  return right({ wanted: wanted.right, mismatches });
};

/** One wrong-platform image, what prefetch will not do about it, and what to run instead. */
export const describePlatformMismatch = (m: PlatformMismatch): string =>
  `${familiarName(m.family)} is built for ${m.platform}, not ${m.wanted} (image ${shortImageId(m.imageId)}); prefetch does not replace an image that is present: remove its names (imgalias clean ${familiarName(m.family)} --apply), then run imgalias prefetch --platform ${m.wanted} ${familiarName(m.family)}.`;
