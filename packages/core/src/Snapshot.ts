import type { Either } from 'fp-ts/lib/Either.js';
import { right } from 'fp-ts/lib/Either.js';
import type { ReferenceError } from './ImageReference.js';
import { canonicalTagKey, canonicalTagParts, parseReference } from './ImageReference.js';
import type { InvalidSnapshotNameFinding } from './Finding.js';
import type { NameSlots } from './NameSlots.js';

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
 * Calls `visit` with the canonical tag name (as `prefix + rest`, see `canonicalTagParts`) and image id of every
 * name in the snapshot, in snapshot order, and records a name that does not parse as an `InvalidSnapshotName`
 * finding. Placeholders and digest-only names are skipped.
 */
const visitSnapshotNames = (
  snapshot: Snapshot,
  findings: InvalidSnapshotNameFinding[],
  visit: (prefix: string, rest: string, imageId: string) => void,
): void => {
  for (const image of snapshot.images) {
    for (const name of image.names) {
      if (isPlaceholderName(name)) continue;
      const parts = canonicalTagParts(name);
      if (parts !== undefined) {
        visit(parts.prefix, parts.rest, image.id);
        continue;
      }
      const canonical = canonicalTagName(name);
      if (canonical._tag === 'Left') {
        findings.push({ _tag: 'InvalidSnapshotName', name, imageId: image.id, error: canonical.left });
        continue;
      }
      if (canonical.right !== undefined) visit('', canonical.right, image.id);
    }
  }
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
  visitSnapshotNames(snapshot, findings, (prefix, rest, imageId) => {
    const key = prefix === '' ? rest : prefix + rest;
    const holder = imageIdByName.get(key);
    if (holder === undefined || imageId < holder) imageIdByName.set(key, imageId);
  });
  return { imageIdByName, findings };
};

/** Names `locateNames` looks up at once: enough for many cache misses in flight, few enough to stay in the cache. */
const LOOKUP_BATCH = 64;

/** What `locateNames` found: per slot, the id of the image holding that name, and the snapshot's findings. */
export interface LocatedNames {
  /** slot -> id of the image the name points at; `undefined` when the store does not have the name */
  readonly imageIds: ReadonlyArray<string | undefined>;
  /** names that do not parse, as `InvalidSnapshotName` findings, in snapshot order (as `indexSnapshot` gives) */
  readonly findings: readonly InvalidSnapshotNameFinding[];
}

/**
 * Where a known set of canonical names points, as `indexSnapshot` would answer for them (the smallest id keeps a
 * name two images list), without indexing every name of the snapshot: the planner only ever asks about its
 * families' names, and on a million-name store an index of every name is most of a plan's memory. Every
 * snapshot name is still read once, so names that do not parse are still findings. `slots` holds the wanted
 * canonical names; a snapshot name is looked up there without building its canonical form (see `NameSlots`).
 */
export const locateNames = (snapshot: Snapshot, slots: NameSlots): LocatedNames => {
  const imageIds = new Array<string | undefined>(slots.size()).fill(undefined);
  const findings: InvalidSnapshotNameFinding[] = [];
  // Names are looked up in batches (`NameSlots.findMany`): on a 1M-name plan the table's cache misses fell from
  // about 240 ms to about 110 ms in CPU profiles, and the plan took 0.85x the CPU time in paired runs.
  const prefixes = new Array<string>(LOOKUP_BATCH);
  const rests = new Array<string>(LOOKUP_BATCH);
  const ids = new Array<string>(LOOKUP_BATCH);
  const found = new Int32Array(LOOKUP_BATCH);
  let count = 0;
  const flush = (): void => {
    slots.findMany(prefixes, rests, count, found);
    for (let i = 0; i < count; i++) {
      const slot = found[i] as number;
      if (slot < 0) continue;
      const imageId = ids[i] as string;
      const holder = imageIds[slot];
      if (holder === undefined || imageId < holder) imageIds[slot] = imageId;
    }
    count = 0;
  };
  visitSnapshotNames(snapshot, findings, (prefix, rest, imageId) => {
    prefixes[count] = prefix;
    rests[count] = rest;
    ids[count] = imageId;
    if (++count === LOOKUP_BATCH) flush();
  });
  flush();
  return { imageIds, findings };
};
