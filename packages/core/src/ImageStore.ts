import type { Either } from 'fp-ts/lib/Either.js';
import type { Plan, TagAction } from './Plan.js';
import type { Refusal } from './Refusal.js';
import type { Snapshot } from './Snapshot.js';

/** The container engines imgalias can drive. Each spells names in its own dialect. */
export type EngineKind = 'docker' | 'podman' | 'nerdctl';

/**
 * Everything that can go wrong talking to an image store, converted to data at the adapter edge.
 * `CommandFailed`: an engine program ran and failed (its exit status; null when it could not be started or was
 * killed by a signal). `RequestFailed`: an HTTP request to an API (Docker's Engine API, a registry) failed or was
 * answered with an error (`status`, when there was an answer); no program ran.
 */
export type StoreError =
  | { readonly _tag: 'EngineMissing'; readonly engine: EngineKind; readonly command: string; readonly message: string }
  | { readonly _tag: 'EngineUnreachable'; readonly engine: EngineKind; readonly message: string }
  | { readonly _tag: 'CommandFailed'; readonly engine: EngineKind; readonly args: readonly string[]; readonly exitCode: number | null; readonly message: string }
  | { readonly _tag: 'RequestFailed'; readonly engine: EngineKind; readonly args: readonly string[]; readonly status?: number; readonly message: string }
  | { readonly _tag: 'Timeout'; readonly engine: EngineKind; readonly args: readonly string[]; readonly timeoutMs: number }
  | { readonly _tag: 'UnexpectedOutput'; readonly engine: EngineKind; readonly message: string }
  /** The caller cancelled (SIGINT, SIGTERM) while the process ran; whether the engine finished the work is unknown. */
  | { readonly _tag: 'Cancelled'; readonly engine: EngineKind; readonly args: readonly string[] };

/**
 * How one planned action ended: `Applied`; `Failed` with the store's error (the engine or registry was asked and
 * said no); or `Refused` with the reason (see `Refusal`), when the store's checks before running found the action
 * must not run (an invalid name, a stale plan, a target the store may not write) and nothing was asked.
 * `ChangedUnderUs`: right before tagging, the target was read again and no longer matched the snapshot the plan
 * was made from (another process named it meanwhile), so it was left alone; `expected` is the image id the
 * snapshot had for it (undefined: absent), `found` the one it has now. `NotStarted`: the apply was interrupted
 * before this action began.
 */
export type ActionResult =
  | { readonly _tag: 'Applied'; readonly action: TagAction }
  | { readonly _tag: 'Failed'; readonly action: TagAction; readonly error: StoreError }
  | { readonly _tag: 'Refused'; readonly action: TagAction; readonly reason: Refusal }
  | { readonly _tag: 'ChangedUnderUs'; readonly action: TagAction; readonly expected?: string; readonly found?: string }
  | { readonly _tag: 'NotStarted'; readonly action: TagAction };

/** A planned name that, read back after applying, does not point at its planned image. */
export interface PlanMismatch {
  /** The target name, canonical. */
  readonly name: string;
  readonly planned: string;
  /** The image id it points at now; undefined when the name is absent. */
  readonly found?: string;
}

/**
 * Progress of an apply: `Done` as each action ends. The same shape as pull, push and untag progress
 * (`PullEvent`, `PushEvent`, `UntagEvent`), so one consumer can follow every store verb.
 */
export type ApplyEvent = { readonly _tag: 'Done'; readonly result: ActionResult };

/** How a store applies a plan: concurrency, progress, the snapshot the plan was made from, cancellation. */
export interface ApplyOptions {
  /** How many `tag` calls run at once. Default 4. */
  readonly concurrency?: number;
  /** Called after each action ends, for progress output. */
  readonly onProgress?: (event: ApplyEvent) => void;
  /**
   * The store as the caller read it just before (the snapshot the plan was made from, moments ago). The store
   * judges the plan against it instead of reading itself again; leave it out for a plan made earlier or
   * elsewhere, so a stale plan is judged against the store as it is now.
   */
  readonly current?: Snapshot;
  /**
   * Aborting it (SIGINT, SIGTERM) stops starting actions and cancels the engine processes in flight; the report
   * then marks the rest `NotStarted` and `interrupted`.
   */
  readonly signal?: AbortSignal;
}

/**
 * What applying did: one result per action, the store as read afterwards, and whether every planned name now
 * points at its planned image. Check `verified` (or `mismatches`), not just the results: another process may move
 * a name between tagging and reading back.
 */
export interface ApplyReport {
  readonly results: readonly ActionResult[];
  /** The store as it was read after applying. */
  readonly after: Snapshot;
  /** True when every action's target now points at its planned image. */
  readonly verified: boolean;
  /** How the store reached the engine (`docker CLI`, `Docker Engine API at unix:///run/docker.sock`), if it says. */
  readonly via?: string;
  /** Every planned name that does not point at its planned image after applying, by name (empty when verified). */
  readonly mismatches: readonly PlanMismatch[];
  /**
   * True when the apply was interrupted: then `after` was not read back (it is the snapshot with the applied
   * actions modelled), `verified` is false and `mismatches` is empty.
   */
  readonly interrupted: boolean;
}

/**
 * The port every image store implements: a real engine (adapter-docker) or an in-memory one (adapter-memory).
 * It speaks the domain (snapshots and plans), not the tool.
 */
export interface ImageStore {
  readonly engine: EngineKind;
  snapshot(): Promise<Either<StoreError, Snapshot>>;
  apply(plan: Plan, options?: ApplyOptions): Promise<Either<StoreError, ApplyReport>>;
}
