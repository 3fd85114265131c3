import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import type { ActionResult, ApplyOptions, ApplyReport, ImageStore, Plan, Refusal, Snapshot, SnapshotImage, StoreError, TagAction } from '@imgalias/core';
import { applyToSnapshot } from '@imgalias/core';
import { canonicalTagName, mapBounded, planMismatches, preflightPlan, recheckTarget } from '@imgalias/core/internal';
import type { RegistryError } from './RegistryError.js';
import { describeRegistryError } from './RegistryError.js';
import type { CopyReport, RegistryImages } from './RegistryImages.js';

/** One name a registry store holds: as the planner spells it, and where it lives in a registry. */
export interface RegistryStoreName {
  /** The name in the planner's vocabulary (a family member, canonical), e.g. `docker.io/library/redis:7`. */
  readonly name: string;
  /**
   * Where the name is read (and written) in a registry: the name itself for a Harbor name; for a family's origin
   * name, its name in the staging registry its mirror rule names (`harbor.corp.local/proj/library/redis:7`).
   */
  readonly at: string;
  /** Whether a plan may tag this name. Only Harbor names are written; an origin or staging name is read only. */
  readonly writable: boolean;
}

export interface RegistryStoreOptions {
  readonly images: RegistryImages;
  /** The names the store holds; the snapshot reads each (one `HEAD`), the plan may tag the writable ones. */
  readonly names: readonly RegistryStoreName[];
  /** Names read at once by `snapshot`. Default 8. */
  readonly concurrency?: number;
  /** Told about each copy a tag made (what moved), e.g. for a report. */
  readonly onCopy?: (action: TagAction, report: CopyReport) => void;
}

// The port speaks of engines; a registry store spells names as docker does (canonical registry names). A copy the
// registry failed is the `RequestFailed` of that copy with the registry's own message (no program ran); a tag the
// store will not make is `Refused` with the reason, and nothing is asked of the registry.
const ENGINE = 'docker';

const storeError = (error: RegistryError): StoreError => ({ _tag: 'EngineUnreachable', engine: ENGINE, message: describeRegistryError(error) });

// An interrupt (the client's signal) cancels the requests: an action whose first request never began was not
// started; one cancelled in flight is `Cancelled`, as an engine process would be (the tag is written last, so the
// target is unchanged or complete).
const copyFailed = (action: TagAction, error: RegistryError): ActionResult => {
  const args = ['copy', action.source, action.target];
  if (error._tag === 'Cancelled') return error.started ? { _tag: 'Failed', action, error: { _tag: 'Cancelled', engine: ENGINE, args } } : { _tag: 'NotStarted', action };
  return {
    _tag: 'Failed',
    action,
    error: { _tag: 'RequestFailed', engine: ENGINE, args, ...(error._tag === 'HttpStatus' ? { status: error.status } : {}), message: describeRegistryError(error) },
  };
};

const refused = (action: TagAction, reason: Refusal): ActionResult => ({ _tag: 'Refused', action, reason });

/**
 * A registry as an `ImageStore`, so the alias planner runs against Harbor itself: `snapshot` `HEAD`s each of the
 * given names and groups them by manifest digest (a name's identity; the index digest for multi-arch), and
 * `apply` makes each planned tag with a registry copy: the same repository re-tags (the manifest's bytes under
 * the new tag), another repository of the same registry mounts every blob, another registry receives the
 * blobs it lacks. Each action is judged first by core's preflight rules and its target read again right before
 * (a name another process set meanwhile ends `ChangedUnderUs`); a tag to a name that is not writable (an
 * origin, a `localhost/` or short name, a name the store was not given) ends `Refused` (`NotWritable`) without
 * asking the registry, and one from a source the store does not hold `Refused` (`NotHeld`). After applying, the names are read again
 * and the plan verified against them. Aborting the `signal` of `apply` (with the client's own signal, which
 * cancels its requests) starts no further action (`NotStarted`); a copy cancelled in flight ends `Failed` with a
 * `Cancelled` error, and the report is `interrupted`, not read back.
 *
 * @example
 * const registry = createRegistryImages({ client: createRegistryClient() });
 * const harbor = createRegistryStore({
 *   images: registry,
 *   names: [{ name: 'harbor.corp.local/proj/redis:7', at: 'harbor.corp.local/proj/redis:7', writable: true }],
 * });
 * const found = await harbor.snapshot(); // right({ images: [...] }): the names that exist, by manifest digest
 */
export const createRegistryStore = (options: RegistryStoreOptions): ImageStore => {
  const { images } = options;
  const concurrency = options.concurrency ?? 8;
  // Keyed canonically, as the planner and preflight key names.
  const byName = new Map<string, RegistryStoreName>();
  for (const entry of options.names) {
    const key = canonicalTagName(entry.name);
    byName.set(key._tag === 'Right' && key.right !== undefined ? key.right : entry.name, entry);
  }
  const entryOf = (name: string): RegistryStoreName | undefined => {
    const key = canonicalTagName(name);
    return byName.get(key._tag === 'Right' && key.right !== undefined ? key.right : name);
  };

  const snapshot = async (): Promise<Either<StoreError, Snapshot>> => {
    const entries = [...byName.entries()];
    // Nothing stops a snapshot part-way, so every name is read (`notStarted` is never called).
    const heads = await mapBounded(entries, { limit: concurrency }, async ([, entry]) => images.head(entry.at), () => right(undefined));
    const namesByDigest = new Map<string, string[]>();
    for (const [i, head] of heads.entries()) {
      if (head._tag === 'Left') return left(storeError(head.left));
      if (head.right === undefined) continue;
      const names = namesByDigest.get(head.right.digest) ?? [];
      names.push(entries[i]![0]);
      namesByDigest.set(head.right.digest, names);
    }
    const found: SnapshotImage[] = [...namesByDigest.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([id, names]) => ({ id, names: names.sort() }));
    return right({ version: 1, images: found });
  };

  const run = async (decision: Extract<ReturnType<typeof preflightPlan>[number], { readonly _tag: 'Run' }>): Promise<ActionResult> => {
    const { action } = decision;
    const source = entryOf(decision.sourceName);
    const target = entryOf(decision.targetName);
    if (target === undefined || !target.writable) return refused(action, { _tag: 'NotWritable', name: action.target });
    if (source === undefined) return refused(action, { _tag: 'NotHeld', name: action.source });
    // The last word: the target as it is right now, not as the snapshot had it.
    const now = await images.head(target.at);
    if (now._tag === 'Left') return copyFailed(action, now.left);
    const verdict = recheckTarget(decision, now.right?.digest);
    if (verdict !== 'Run') return verdict;
    const copied = await images.copy({ source: source.at, target: target.at });
    if (copied._tag === 'Left') return copyFailed(action, copied.left);
    options.onCopy?.(action, copied.right);
    return { _tag: 'Applied', action };
  };

  const apply = async (plan: Plan, applyOptions: ApplyOptions = {}): Promise<Either<StoreError, ApplyReport>> => {
    let current = applyOptions.current;
    if (current === undefined) {
      const read = await snapshot();
      if (read._tag === 'Left') return read;
      current = read.right;
    }
    const decisions = preflightPlan({ plan, snapshot: current });
    const signal = applyOptions.signal;
    // The abort is checked per action rather than through `stopped`, so every action (settled, run or not
    // started) is reported to `onProgress`.
    const settle = async (decision: (typeof decisions)[number]): Promise<ActionResult> => {
      const result: ActionResult =
        decision._tag === 'Done' ? decision.result : signal?.aborted === true ? { _tag: 'NotStarted', action: decision.action } : await run(decision);
      applyOptions.onProgress?.({ _tag: 'Done', result });
      return result;
    };
    const results = await mapBounded(decisions, { limit: applyOptions.concurrency ?? 4 }, settle, (decision): ActionResult =>
      decision._tag === 'Done' ? decision.result : { _tag: 'NotStarted', action: decision.action },
    );
    if (signal?.aborted === true) {
      // Interrupted: no read back (the user asked to stop); `after` models what was applied, as an engine store's does.
      const applied = results.flatMap((r) => (r._tag === 'Applied' ? [r.action] : []));
      return right({ results, after: applyToSnapshot(current, { ...plan, actions: applied }), verified: false, mismatches: [], interrupted: true });
    }
    const after = await snapshot();
    if (after._tag === 'Left') return after;
    const mismatches = planMismatches(after.right, plan);
    return right({ results, after: after.right, verified: mismatches.length === 0, mismatches, interrupted: false, via: 'the OCI distribution API' });
  };

  return { engine: ENGINE, snapshot, apply };
};
