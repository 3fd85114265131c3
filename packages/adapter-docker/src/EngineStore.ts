import type { Either } from 'fp-ts/lib/Either.js';
import { right } from 'fp-ts/lib/Either.js';
import { canonicalTagName, describeReferenceError, indexSnapshot, parseReference, spellReference } from '@imgalias/core';
import type { ActionResult, ApplyOptions, ApplyReport, EngineKind, ImageStore, Plan, Snapshot, StoreError, TagAction } from '@imgalias/core';
import type { EngineOptions, EngineRunner } from './EngineRunner.js';
import { createEngineRunner } from './EngineRunner.js';
import { imageListArgs, normaliseImageId, parseImageList } from './ImageList.js';

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

/** A reason not to run an action, as the `CommandFailed` (exit status null: "was not run") it ends with. */
const notRun = (engine: EngineKind, action: TagAction, message: string): StoreError => ({
  _tag: 'CommandFailed',
  engine,
  args: ['tag', action.source, action.target],
  exitCode: null,
  message,
});

type Decision = { readonly _tag: 'Done'; readonly result: ActionResult } | { readonly _tag: 'Run'; readonly args: readonly string[] };

/**
 * Decides, against the store as it is right before applying, whether an action may run. This is what keeps
 * the adapter from removing or retargeting anything the plan does not say: `docker tag` silently moves an
 * existing name, so a stale plan (the store changed since the snapshot it was made from) must not run blind.
 */
const decide = (
  engine: EngineKind,
  action: TagAction,
  imageIdByName: ReadonlyMap<string, string>,
  seenTargets: Set<string>,
): Decision => {
  const failed = (message: string): Decision => ({ _tag: 'Done', result: { _tag: 'Failed', action, error: notRun(engine, action, message) } });
  // An invalid name never reaches the engine.
  const source = parseReference(action.source);
  if (source._tag === 'Left') return failed(describeReferenceError(source.left));
  const target = parseReference(action.target);
  if (target._tag === 'Left') return failed(describeReferenceError(target.left));
  const targetKey = canonicalTagName(action.target);
  if (targetKey._tag === 'Left' || targetKey.right === undefined || target.right.digest !== undefined) {
    return failed(`${action.target} is a digest reference; a digest names content and is never a tag target`);
  }
  if (seenTargets.has(targetKey.right)) return failed(`the plan has more than one action for ${action.target}; only the first runs`);
  seenTargets.add(targetKey.right);

  const plannedId = normaliseImageId(action.imageId);
  const sourceKey = canonicalTagName(action.source);
  // A digest source names immutable content, so it cannot have moved; a tag source can.
  if (sourceKey._tag === 'Right' && sourceKey.right !== undefined) {
    const sourceNow = imageIdByName.get(sourceKey.right);
    if (sourceNow === undefined) return failed(`${action.source} is no longer in the store; take a new snapshot and plan again`);
    if (sourceNow !== plannedId) {
      return failed(`${action.source} now names ${sourceNow}, not the planned ${plannedId}; plan again`);
    }
  }
  const targetNow = imageIdByName.get(targetKey.right);
  if (targetNow === plannedId) return { _tag: 'Done', result: { _tag: 'Applied', action } };
  if (targetNow !== undefined) {
    const allowed = action.reason === 'retarget' && action.replaces !== undefined && normaliseImageId(action.replaces) === targetNow;
    if (!allowed) {
      return failed(`${action.target} now points at ${targetNow} and the plan does not say to move it; plan again`);
    }
  }
  return { _tag: 'Run', args: ['tag', spellReference(source.right, engine), spellReference(target.right, engine)] };
};

const verify = (after: Snapshot, plan: Plan): boolean => {
  const { imageIdByName } = indexSnapshot(after);
  return plan.actions.every((action) => {
    const key = canonicalTagName(action.target);
    return key._tag === 'Right' && key.right !== undefined && imageIdByName.get(key.right) === normaliseImageId(action.imageId);
  });
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

  const apply = async (plan: Plan, applyOptions: ApplyOptions = {}): Promise<Either<StoreError, ApplyReport>> => {
    const limit = Math.max(1, Math.floor(applyOptions.concurrency ?? options.concurrency ?? defaultConcurrency));
    const report = (result: ActionResult): ActionResult => {
      applyOptions.onResult?.(result);
      return result;
    };
    let results: readonly ActionResult[] = [];
    if (plan.actions.length > 0) {
      const before = await snapshot();
      if (before._tag === 'Left') return before;
      const { imageIdByName } = indexSnapshot(before.right);
      const seenTargets = new Set<string>();
      const decisions = plan.actions.map((action) => decide(engine, action, imageIdByName, seenTargets));
      results = await mapBounded(plan.actions.map((action, i) => [action, decisions[i] as Decision] as const), limit, async ([action, decision]) =>
        report(decision._tag === 'Done' ? decision.result : await runAction(action, decision.args)),
      );
    }
    // If the engine went away during the apply, this read fails too, and that error is the answer.
    const after = await snapshot();
    if (after._tag === 'Left') return after;
    return right({ results, after: after.right, verified: verify(after.right, plan) });
  };

  return { engine, runner, snapshot, apply };
};
