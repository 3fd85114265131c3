import type { Either } from 'fp-ts/lib/Either.js';
import { isLeft, left, right } from 'fp-ts/lib/Either.js';
import type { ApplyReport, ImageStore, Plan, Snapshot } from '@imgalias/core';
import { planAliases } from '@imgalias/core';
import type { ApplyLock } from '@imgalias/adapter-docker';
import type { FamilyScope, PreparedProject } from './prepareProject.js';
import { prepareProject } from './prepareProject.js';
import type { ProjectError } from './ProjectError.js';
import type { ProjectOptions } from './ProjectOptions.js';
import { settingsFor } from './ProjectOptions.js';
import { engineStoreOptions, jobStore } from './ProjectStore.js';
import type { Settings } from './config/Settings.js';

/** What `fixProject` and `applyProject` take: the job's options, and whether to stop after planning. */
export interface FixOptions extends ProjectOptions {
  /** Plan only: `plan` is what would be applied, nothing is tagged and `report` is absent. */
  readonly dryRun?: boolean;
}

/** `fixProject`'s answer: the plan applied and the apply report, with everything that decided them. */
export interface ProjectFix extends PreparedProject {
  /** The plan applied: made again from a fresh read when the apply lock had to be waited for. */
  readonly plan: Plan;
  /** Each action's result, the store read back and whether it verified; absent for a dry run. */
  readonly report?: ApplyReport;
  /**
   * True when every action applied, the store verified and nothing was found (no finding, no discovery
   * problem): `imgalias fix` exits 0. For a dry run: nothing was found.
   */
  readonly ok: boolean;
}

/** The report of a plan with nothing to tag: the snapshot just read is the answer. */
const nothingToDo = (after: Snapshot): ApplyReport => ({ results: [], after, verified: true, mismatches: [], interrupted: false });

/**
 * Takes the engine's apply lock (an injected store or a saved snapshot needs none), waiting for another imgalias
 * applying to the same engine. `waited`: it had to wait, so the store may have changed meanwhile.
 */
async function takeApplyLock(
  options: ProjectOptions,
  settings: Settings,
): Promise<Either<ProjectError, { readonly lock?: ApplyLock; readonly waited: boolean }>> {
  if (options.store !== undefined || settings.snapshotFile !== undefined) return right({ waited: false });
  let waited = false;
  const { acquireApplyLock } = await import('@imgalias/adapter-docker');
  const lock = await acquireApplyLock({
    engine: engineStoreOptions(settings, options.env ?? process.env),
    timeoutMs: settings.lockTimeoutMs,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    onWait: (holder, file) => {
      waited = true;
      options.onProgress?.({ _tag: 'LockWait', ...(holder === undefined ? {} : { holder }), file, timeoutMs: settings.lockTimeoutMs });
    },
    onStale: (holder, file) => options.onProgress?.({ _tag: 'LockTakenOver', holder, file }),
  });
  return isLeft(lock) ? left({ _tag: 'Lock', error: lock.left }) : right({ lock: lock.right, waited });
}

/** Takes the apply lock; if it had to wait, the store changed meanwhile, so the plan is made again from a fresh read. */
async function lockAndPlan(
  options: FixOptions,
  prepared: PreparedProject,
  firstPlan: Plan,
): Promise<Either<ProjectError, { readonly lock?: ApplyLock; readonly plan: Plan; readonly current: Snapshot }>> {
  const { snapshot, images, policy, store, settings } = prepared;
  if (firstPlan.actions.length === 0) return right({ plan: firstPlan, current: snapshot });
  const locked = await takeApplyLock(options, settings);
  if (isLeft(locked)) return locked;
  const { lock, waited } = locked.right;
  if (!waited) return right({ ...(lock === undefined ? {} : { lock }), plan: firstPlan, current: snapshot });
  const fresh = await store.snapshot();
  if (isLeft(fresh)) {
    await lock?.release();
    return left({ _tag: 'Store', error: fresh.left });
  }
  return right({ ...(lock === undefined ? {} : { lock }), plan: planAliases({ snapshot: fresh.right, images, policy }), current: fresh.right });
}

/**
 * Applies `plan` to `store`, telling `Applying` and each `ActionDone`; `done`: every action applied and the store
 * verified. `current`: the snapshot the plan was made from, when it was read under the lock just taken.
 */
async function applyTelling(
  store: ImageStore,
  plan: Plan,
  options: Pick<ProjectOptions, 'signal' | 'onProgress'>,
  settings: Settings,
  current?: Snapshot,
): Promise<Either<ProjectError, { readonly report: ApplyReport; readonly done: boolean }>> {
  const onProgress = options.onProgress;
  onProgress?.({ _tag: 'Applying', plan });
  const report = await store.apply(plan, {
    concurrency: settings.concurrency,
    ...(current === undefined ? {} : { current }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(onProgress === undefined ? {} : { onProgress: (event) => onProgress({ _tag: 'ActionDone', result: event.result }) }),
  });
  if (isLeft(report)) return left({ _tag: 'Store', error: report.left });
  return right({ report: report.right, done: report.right.verified && report.right.results.every((result) => result._tag === 'Applied') });
}

async function planAndApply(options: FixOptions, scope: FamilyScope): Promise<Either<ProjectError, ProjectFix>> {
  const prepared = await prepareProject({ ...options, scope });
  if (isLeft(prepared)) return prepared;
  const { snapshot, images, policy, store, settings, discoveryProblems } = prepared.right;
  const firstPlan = planAliases({ snapshot, images, policy });
  options.onProgress?.({ _tag: 'Planned', plan: firstPlan, snapshot });
  const clean = (plan: Plan): boolean => plan.findings.length === 0 && discoveryProblems.length === 0;
  if (options.dryRun === true) return right({ ...prepared.right, plan: firstPlan, ok: clean(firstPlan) });

  const locked = await lockAndPlan(options, prepared.right, firstPlan);
  if (isLeft(locked)) return locked;
  const { lock, plan, current } = locked.right;
  try {
    // Nothing to tag: the snapshot just read is the answer, so a converged host costs one engine read.
    if (plan.actions.length === 0) return right({ ...prepared.right, plan, report: nothingToDo(current), ok: clean(plan) });
    const applied = await applyTelling(store, plan, options, settings, current);
    if (isLeft(applied)) return applied;
    return right({ ...prepared.right, plan, report: applied.right.report, ok: applied.right.done && clean(plan) });
  } finally {
    await lock?.release();
  }
}

/**
 * What `imgalias fix` does, as data: every family in the store plus every image the project uses (the files
 * under `from`, else under `cwd`) made complete in one apply, under the engine's apply lock. Errors are values;
 * an aborted `signal` stops starting actions and the report marks the rest `NotStarted`.
 *
 * @example
 * const result = await fixProject({ cwd: '/srv/app', mode: 'internal', harbor: 'harbor.corp.local/proj' });
 * if (result._tag === 'Left') throw new Error(describeProjectError(result.left));
 * if (!result.right.ok) process.exitCode = 1;
 */
export const fixProject = (options: FixOptions): Promise<Either<ProjectError, ProjectFix>> => planAndApply(options, 'store-and-project');

/**
 * What `imgalias apply` does: like `fixProject`, for the images named (`images`, the config file's `images` and
 * `from`), or every family in the store when none are.
 */
export const applyProject = (options: FixOptions): Promise<Either<ProjectError, ProjectFix>> => planAndApply(options, 'requested-or-store');

/**
 * What `applySavedPlan` takes: a reviewed plan, and the options that say which store to apply it to. Nothing
 * here chooses images or a policy: the plan already did.
 */
export interface SavedPlanOptions
  extends Pick<ProjectOptions, 'cwd' | 'env' | 'config' | 'engine' | 'host' | 'context' | 'concurrency' | 'settings' | 'store' | 'signal' | 'onProgress'> {
  /** The plan to apply exactly: as `planProject` made it, or as `imgalias plan --json` printed it, decoded with `PlanCodec`. */
  readonly plan: Plan;
  /** Apply nothing: `plan` is returned as given, the store is not read and `report` is absent. */
  readonly dryRun?: boolean;
}

/** `applySavedPlan`'s answer: the plan as given, and what applying it did. */
export interface SavedPlanApply {
  readonly settings: Settings;
  /** The store applied to: the one given, or the one the settings name (the engine, or the saved snapshot). */
  readonly store: ImageStore;
  /** The plan as given: its actions and its findings, never made again. */
  readonly plan: Plan;
  /**
   * Each action's result (`Refused` with the reason for one the store no longer allows), the store read back and
   * whether it verified; absent for a dry run.
   */
  readonly report?: ApplyReport;
  /** True when every action applied, the store verified and the plan has no finding. For a dry run: no finding. */
  readonly ok: boolean;
}

/**
 * What `imgalias apply --plan FILE` does: applies a saved (reviewed) plan exactly, under the engine's apply lock,
 * then verifies. Nothing is discovered or planned again: the store judges each action against itself as it is
 * now (`preflightPlan`), so one it no longer allows (its source gone or moved, its target now on another image)
 * ends `Refused` with the reason instead of being decided afresh. The plan's findings make `ok` false, as they do
 * for `applyProject`.
 *
 * @example
 * // `plan`: a reviewed `imgalias plan --json` file, decoded: decode(PlanCodec, JSON.parse(text))
 * const result = await applySavedPlan({ cwd: process.cwd(), plan });
 * if (result._tag === 'Left') throw new Error(describeProjectError(result.left));
 * if (!result.right.ok) process.exitCode = 1; // a refused or failed action, a finding, or a name that did not verify
 */
export async function applySavedPlan(options: SavedPlanOptions): Promise<Either<ProjectError, SavedPlanApply>> {
  const loaded = await settingsFor(options);
  if (isLeft(loaded)) return loaded;
  const settings = loaded.right;
  const { plan, onProgress } = options;
  const opened = await jobStore({ store: options.store, settings, env: options.env ?? process.env, onProgress });
  if (isLeft(opened)) return opened;
  const store = opened.right;
  const clean = plan.findings.length === 0;
  if (options.dryRun === true) return right({ settings, store, plan, ok: clean });

  if (plan.actions.length === 0) {
    const read = await store.snapshot();
    return isLeft(read) ? left({ _tag: 'Store', error: read.left }) : right({ settings, store, plan, report: nothingToDo(read.right), ok: clean });
  }
  const locked = await takeApplyLock(options, settings);
  if (isLeft(locked)) return locked;
  try {
    // No `current`: the plan was made earlier, so the store reads itself and judges the plan against that read.
    const applied = await applyTelling(store, plan, options, settings);
    if (isLeft(applied)) return applied;
    return right({ settings, store, plan, report: applied.right.report, ok: applied.right.done && clean });
  } finally {
    await locked.right.lock?.release();
  }
}
