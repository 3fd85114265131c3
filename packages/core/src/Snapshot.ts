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
