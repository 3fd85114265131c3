import type { Either } from 'fp-ts/lib/Either.js';
import { right } from 'fp-ts/lib/Either.js';
import { preflightPlan, spellReference, verifyPlan } from '@imgalias/core';
import type { ActionResult, ApplyOptions, ApplyReport, ImageStore, Plan, Preflight, Snapshot, StoreError, TagAction } from '@imgalias/core';
import type { EngineOptions, EngineRunner } from './EngineRunner.js';
import { createEngineRunner } from './EngineRunner.js';
import { imageListArgs, parseImageList } from './ImageList.js';

export interface EngineStoreOptions extends EngineOptions {
  /** How many `tag` processes run at once when `apply` is not told. Default 4. */
  readonly concurrency?: number;
}

/** An `ImageStore` backed by a container engine's CLI, plus the runner it uses (for verbs beyond the port). */
export interface EngineStore extends ImageStore {
  readonly runner: EngineRunner;
}

export const defaultConcurrency = 4;

/** Runs `work` over `items` with at most `limit` in flight; results keep the order of `items`. */
const mapBounded = async <A, B>(items: readonly A[], limit: number, work: (item: A) => Promise<B>): Promise<B[]> => {
  const results = new Array<B>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index] as A);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
};

/**
 * An `ImageStore` for docker, podman or nerdctl, driven through its CLI.
 *
 * `snapshot()` runs one process (`imageListArgs`). `apply(plan)` reads the store once, runs one `tag` process
 * per action that is still needed (names spelled in the engine's dialect, at most `concurrency` at a time, each
 * with a timeout), and reads the store once more to report `verified`. An empty plan runs only the final read.
 * Every action ends `Applied` or `Failed` with the engine's message; one failure does not stop the others.
 * Only an engine that cannot be used at all (missing, unreachable) makes `apply` itself fail.
 *
 * @example
 * const store = createEngineStore({ engine: 'podman' });
 * const snapshot = await store.snapshot();
 */
export const createEngineStore = (options: EngineStoreOptions): EngineStore => {
  const runner = createEngineRunner(options);
  const engine = options.engine;

  const snapshot = async (): Promise<Either<StoreError, Snapshot>> => {
    const listed = await runner.run(imageListArgs(engine));
    return listed._tag === 'Left' ? listed : parseImageList(engine, listed.right.stdout);
  };

  const runAction = async (action: TagAction, args: readonly string[]): Promise<ActionResult> => {
    const ran = await runner.run(args);
    return ran._tag === 'Right' ? { _tag: 'Applied', action } : { _tag: 'Failed', action, error: ran.left };
  };

  // Core's preflight decides (the same rules as the dry-run store); names are spelled in this engine's dialect.
  const settle = (decision: Preflight): Promise<ActionResult> =>
    decision._tag === 'Done'
      ? Promise.resolve(decision.result)
      : runAction(decision.action, ['tag', spellReference(decision.source, engine), spellReference(decision.target, engine)]);

  const apply = async (plan: Plan, applyOptions: ApplyOptions = {}): Promise<Either<StoreError, ApplyReport>> => {
    const limit = Math.max(1, Math.floor(applyOptions.concurrency ?? options.concurrency ?? defaultConcurrency));
    const report = (result: ActionResult): ActionResult => {
      applyOptions.onResult?.(result);
      return result;
    };
    let results: readonly ActionResult[] = [];
    if (plan.actions.length > 0) {
      const before = applyOptions.current === undefined ? await snapshot() : right(applyOptions.current);
      if (before._tag === 'Left') return before;
      const decisions = preflightPlan({ plan, snapshot: before.right, engine });
      results = await mapBounded(decisions, limit, async (decision) => report(await settle(decision)));
    }
    // If the engine went away during the apply, this read fails too, and that error is the answer.
    const after = await snapshot();
    if (after._tag === 'Left') return after;
    return right({ results, after: after.right, verified: verifyPlan(after.right, plan) });
  };

  return { engine, runner, snapshot, apply };
};
