import { applyToSnapshot, planMismatches, preflightPlan } from '@imgalias/core';
import type { ActionResult, ApplyOptions, ApplyReport, EngineKind, ImageStore, Plan, Snapshot, TagAction } from '@imgalias/core';

export interface MemoryStoreOptions {
  /** What the store holds at the start. */
  readonly snapshot: Snapshot;
  /** The engine being imitated; it is named in failures. Default `docker`. */
  readonly engine?: EngineKind;
}

// fp-ts's Either is plain data ({ _tag, right }); it is written out here so this package does not need fp-ts
// only to build two values. The types come from the port, so a change there breaks this at compile time.
type SnapshotResult = Awaited<ReturnType<ImageStore['snapshot']>>;
type ApplyResult = Awaited<ReturnType<ImageStore['apply']>>;
const snapshotOk = (snapshot: Snapshot): SnapshotResult => ({ _tag: 'Right', right: snapshot });
const applyOk = (report: ApplyReport): ApplyResult => ({ _tag: 'Right', right: report });

/**
 * An `ImageStore` over an in-memory snapshot, so the CLI and tests run the same code path with or without an
 * engine. `apply` judges each action against the store right before applying, with the engine adapter's rules
 * (an invalid name, a stale source, a target that moved: `Failed` without running; a target already in place:
 * `Applied` without running), applies the rest with core's `applyToSnapshot`, and keeps the result, so the
 * next `snapshot()` and plan see it. `onResult` is called once per action, in plan order; `concurrency` has
 * nothing to bound here. There is no engine to be unreachable, so both methods always return `right`.
 *
 * @example
 * const store = createMemoryStore({ snapshot });
 * const report = await store.apply(planAliases({ snapshot, images, policy }));
 */
export const createMemoryStore = (options: MemoryStoreOptions): ImageStore => {
  const engine = options.engine ?? 'docker';
  let current = options.snapshot;
  return {
    engine,
    snapshot: () => Promise.resolve(snapshotOk(current)),
    apply: (plan: Plan, applyOptions: ApplyOptions = {}) => {
      const toRun: TagAction[] = [];
      const results = preflightPlan({ plan, snapshot: current, engine }).map((decision): ActionResult => {
        // applyToSnapshot keys names canonically; a hand-written plan may spell them familiarly (`redis:7`).
        if (decision._tag === 'Run') toRun.push({ ...decision.action, source: decision.sourceName, target: decision.targetName });
        const result: ActionResult = decision._tag === 'Done' ? decision.result : { _tag: 'Applied', action: decision.action };
        applyOptions.onResult?.(result);
        return result;
      });
      current = applyToSnapshot(current, { ...plan, actions: toRun });
      const mismatches = planMismatches(current, plan);
      return Promise.resolve(applyOk({ results, after: current, verified: mismatches.length === 0, mismatches, interrupted: false }));
    },
  };
};
