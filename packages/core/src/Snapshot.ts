import type { Either } from 'fp-ts/lib/Either.js';
import { right } from 'fp-ts/lib/Either.js';
import type { ReferenceError } from './ImageReference.js';
import { canonicalTagKey, parseReference } from './ImageReference.js';
import type { InvalidSnapshotNameFinding } from './Finding.js';

/** One image in the store: its id and every name that points at it, in any spelling. */
export interface SnapshotImage {
  readonly id: string;
  readonly names: readonly string[];
  readonly digests?: readonly string[];
}

/**
 * What an image store holds at one moment. Produced by an adapter (`docker image ls`), by
 * `imgalias snapshot`, or by hand for tests and reviews.
 */
export interface Snapshot {
  readonly version: 1;
  readonly images: readonly SnapshotImage[];
}

/** What the planner reads from a snapshot: one lookup per canonical tag name, built in one pass. */
export interface SnapshotIndex {
  /** canonical, tagged name (`docker.io/library/redis:latest`) -> id of the image it points at */
  readonly imageIdByName: ReadonlyMap<string, string>;
  /** names that do not parse, as `InvalidSnapshotName` findings, in snapshot order */
  readonly findings: readonly InvalidSnapshotNameFinding[];
}

/** Docker's placeholders for an image without a repository or tag; they are not names. */
export const isPlaceholderName = (name: string): boolean => name === '<none>:<none>' || name === '<none>@<none>';

/**
 * The canonical tag name a snapshot name stands for, or why it has none: names may be familiar
 * (`redis:7`), canonical or `localhost/...`; an untagged name means `:latest`. Digest-only names
 * (`redis@sha256:...`) name content, not a tag, and give `undefined`.
 */
export const canonicalTagName = (name: string): Either<ReferenceError, string | undefined> => {
  const fast = canonicalTagKey(name);
  if (fast !== undefined) return right(fast);
  const parsed = parseReference(name);
  if (parsed._tag === 'Left') return parsed;
  const ref = parsed.right;
  if (ref.tag === undefined && ref.digest !== undefined) return right(undefined);
  return right(`${ref.domain}/${ref.path}:${ref.tag ?? 'latest'}`);
};

/**
 * Indexes a snapshot by canonical name. Linear in the number of names. A name that does not parse becomes an
 * `InvalidSnapshotName` finding rather than disappearing.
 *
 * A real store never gives one name to two images; a hand-written snapshot might. Then the image with the
 * smallest id keeps the name, so the index does not depend on the order images are listed in.
 */
export const indexSnapshot = (snapshot: Snapshot): SnapshotIndex => {
  const imageIdByName = new Map<string, string>();
  const findings: InvalidSnapshotNameFinding[] = [];
  for (const image of snapshot.images) {
    for (const name of image.names) {
      if (isPlaceholderName(name)) continue;
      let key = canonicalTagKey(name);
      if (key === undefined) {
        const canonical = canonicalTagName(name);
        if (canonical._tag === 'Left') {
          findings.push({ _tag: 'InvalidSnapshotName', name, imageId: image.id, error: canonical.left });
          continue;
        }
        if (canonical.right === undefined) continue;
        key = canonical.right;
      }
      const holder = imageIdByName.get(key);
      if (holder === undefined || image.id < holder) imageIdByName.set(key, image.id);
    }
  }
  return { imageIdByName, findings };
};
