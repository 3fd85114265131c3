import type { Either } from 'fp-ts/lib/Either.js';
import type { ContainerUse, UntagAction } from './lifecycle/CleanPlan.js';
import type { StoreError } from './ImageStore.js';
import type { PullCandidate, PullEntry } from './lifecycle/PullPlan.js';
import type { PublishEntry } from './lifecycle/PublishPlan.js';
import type { Refusal } from './Refusal.js';
import type { Snapshot } from './Snapshot.js';

/**
 * What a registry said when asked about one manifest after a failed pull (`HEAD` on it), as data.
 * `ManifestUnknown` and `Unauthorized` are permanent: asking again cannot change the answer, so a pull that
 * failed with one of them is not retried. The others are transient (the registry or the network may come back).
 */
export type ManifestProbeError =
  | { readonly _tag: 'ManifestUnknown'; readonly reference: string; readonly status: number }
  | { readonly _tag: 'Unauthorized'; readonly reference: string; readonly status: number }
  | { readonly _tag: 'RegistryUnreachable'; readonly reference: string; readonly url: string; readonly message: string }
  | { readonly _tag: 'RegistryFailed'; readonly reference: string; readonly url: string; readonly status: number };

/**
 * Why one pull attempt failed: the engine's own error, or (when the registry answered the question asked
 * afterwards) the registry's answer with the engine's error beside it, or `Refused` without asking the engine
 * (a candidate that is not an image reference: `InvalidName`). A refusal is permanent.
 */
export type PullError =
  | { readonly _tag: 'Engine'; readonly error: StoreError }
  | { readonly _tag: 'Registry'; readonly error: ManifestProbeError; readonly engine: StoreError }
  | { readonly _tag: 'Refused'; readonly reason: Refusal };

/** One candidate given up on: after how many attempts, with the last error. */
export interface CandidateFailure {
  readonly candidate: PullCandidate;
  readonly attempts: number;
  readonly error: PullError;
  /** true when the error was permanent and the candidate was not retried */
  readonly permanent: boolean;
}

/** The `Pull` entries of a pull plan: what `pull` is given (`pullsOf(planPrefetch(...))`). */
export type PullRequest = Extract<PullEntry, { readonly _tag: 'Pull' }>;

/**
 * How one family's pull ended. `NotStarted`: the pull was cancelled (`signal`) before this family began.
 */
export type PullResult =
  | {
      readonly _tag: 'Pulled';
      readonly family: string;
      readonly candidate: PullCandidate;
      /** attempts on the candidate that worked */
      readonly attempts: number;
      /** candidates given up on before it */
      readonly tried: readonly CandidateFailure[];
    }
  | { readonly _tag: 'PullFailed'; readonly family: string; readonly tried: readonly CandidateFailure[] }
  | { readonly _tag: 'NotStarted'; readonly family: string };

/** Progress of a pull, as it happens; a terminal display or a log consumes it. `Done` ends each family. */
export type PullEvent =
  | { readonly _tag: 'Attempt'; readonly family: string; readonly candidate: PullCandidate; readonly attempt: number }
  | {
      readonly _tag: 'Retry';
      readonly family: string;
      readonly candidate: PullCandidate;
      readonly attempt: number;
      readonly delayMs: number;
      readonly error: PullError;
    }
  | { readonly _tag: 'GiveUp'; readonly family: string; readonly failure: CandidateFailure }
  | { readonly _tag: 'Done'; readonly result: PullResult };

/** How a store pulls: retries and their delays, concurrency, time limits, progress, cancellation. */
export interface PullOptions {
  /** Attempts per candidate, at least 1. Default 3. */
  readonly attempts?: number;
  /** Delay before the second attempt; doubled before each further one, with jitter. Default 1000 ms. */
  readonly baseDelayMs?: number;
  /** Cap for one delay. Default 30 s. */
  readonly maxDelayMs?: number;
  /** Pulls in flight at once. Default 3. */
  readonly concurrency?: number;
  /** Per pull, as the store runs it. Default 10 minutes: a pull of a large image on a slow link is not hung. */
  readonly timeoutMs?: number;
  /** `os/arch[/variant]` to pull (`--platform`); default: the engine's own. */
  readonly platform?: string;
  /** Aborting it stops starting pulls and cancels those in flight; families never begun end `NotStarted`. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: PullEvent) => void;
}

/**
 * How one publish entry ended. `Skipped`: the registry's manifest digest for the Harbor name is one the store
 * recorded for this image. `Refused`: not pushed and nothing asked, for the reason given (a target that is not an
 * image reference: `InvalidName`). `NotStarted`: the push was cancelled before this entry began.
 */
export type PushResult =
  | { readonly _tag: 'Pushed'; readonly entry: PublishEntry; readonly digest?: string }
  | { readonly _tag: 'Skipped'; readonly entry: PublishEntry; readonly digest: string }
  | { readonly _tag: 'PushFailed'; readonly entry: PublishEntry; readonly error: StoreError }
  | { readonly _tag: 'Refused'; readonly entry: PublishEntry; readonly reason: Refusal }
  | { readonly _tag: 'NotStarted'; readonly entry: PublishEntry };

/** Progress of a push: `Done` as each entry ends. */
export type PushEvent = { readonly _tag: 'Done'; readonly result: PushResult };

/** How a store pushes: the digests it already recorded, concurrency, time limits, progress, cancellation. */
export interface PushOptions {
  /**
   * The `repository@digest` records the store keeps per image id (the snapshot's `digests`, taken after
   * tagging). Default: read from a fresh snapshot.
   */
  readonly localDigests?: (imageId: string) => readonly string[];
  /** Pushes in flight at once. Default 2: pushes share one uplink. */
  readonly concurrency?: number;
  /** Per push, as the store runs it. Default 10 minutes. */
  readonly timeoutMs?: number;
  /** Aborting it stops starting pushes and cancels those in flight; entries never begun end `NotStarted`. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: PushEvent) => void;
}

/**
 * How one untag action ended. `Refused`: the name no longer names the planned image (a stale plan), so it was
 * left alone without running anything (see `preflightUntag`). `NotStarted`: the run was cancelled before this
 * action began.
 */
export type UntagResult =
  | { readonly _tag: 'Untagged'; readonly action: UntagAction }
  | { readonly _tag: 'UntagFailed'; readonly action: UntagAction; readonly error: StoreError }
  | { readonly _tag: 'Refused'; readonly action: UntagAction; readonly reason: Refusal }
  | { readonly _tag: 'NotStarted'; readonly action: UntagAction };

/** Progress of an untag run: `Done` as each action ends. */
export type UntagEvent = { readonly _tag: 'Done'; readonly result: UntagResult };

/** How a store untags: the snapshot the clean plan was made from, progress, cancellation. */
export interface UntagOptions {
  /** The store as the caller read it just before; leave it out and the store reads itself first. */
  readonly current?: Snapshot;
  /** Aborting it stops starting actions; those never begun end `NotStarted`. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: UntagEvent) => void;
}

/** The platform an image was built for. */
export interface ImagePlatform {
  readonly imageId: string;
  /** `os/arch[/variant]`, e.g. `linux/arm64/v8` */
  readonly platform: string;
}

/**
 * The second port, beside `ImageStore`: the image lifecycle verbs (prefetch, publish, clean). Both stores
 * implement it: a real engine (adapter-docker: `createEngineStore`) and the in-memory store (adapter-memory:
 * pulls from a registry given as data, records pushes), so the lifecycle commands run the same code on either.
 *
 * Each verb resolves `Left` only when the store cannot be used at all (engine missing, unreachable); every other
 * failure is a result, and the other items go on.
 *
 * @example
 * const pulled = await store.pull(pullsOf(planPrefetch({ snapshot, images, policy, mirrors: [] })), { attempts: 3 });
 */
export interface ImageLifecycle {
  /** Pulls each family from its candidates in order, each up to `attempts` times; a mirror's pull is tagged `tagAs`. */
  pull(requests: readonly PullRequest[], options?: PullOptions): Promise<Either<StoreError, readonly PullResult[]>>;
  /** Pushes each entry's Harbor name, unless the registry already holds exactly this image. */
  push(entries: readonly PublishEntry[], options?: PushOptions): Promise<Either<StoreError, readonly PushResult[]>>;
  /** Removes each name (never by id, never forced), one at a time, after checking it still names the planned image. */
  untag(actions: readonly UntagAction[], options?: UntagOptions): Promise<Either<StoreError, readonly UntagResult[]>>;
  /**
   * Every container (running or stopped) with the image it was created from; `undefined` when the store cannot
   * tell (a saved snapshot without a container list), so a caller never mistakes "unknown" for "none".
   */
  containers(): Promise<Either<StoreError, readonly ContainerUse[] | undefined>>;
  /** The platform the store pulls when none is asked for (`linux/amd64`). */
  platform(): Promise<Either<StoreError, string>>;
  /** The platforms of the given images; an image whose platform the store does not know is left out. */
  imagePlatforms(imageIds: readonly string[]): Promise<Either<StoreError, readonly ImagePlatform[]>>;
}
