import type { Either } from 'fp-ts/lib/Either.js';
import { isLeft, left, right } from 'fp-ts/lib/Either.js';
import type { ApplyReport, Plan, Snapshot } from '@imgalias/core';
import { planAliases } from '@imgalias/core';
import type { ApplyLock } from '@imgalias/adapter-docker';
import type { FamilyScope, PreparedProject } from './prepareProject.js';
import { prepareProject } from './prepareProject.js';
import type { ProjectError } from './ProjectError.js';
import type { ProjectOptions } from './ProjectOptions.js';
import { engineStoreOptions } from './ProjectStore.js';

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
 * applying to the same engine; if it had to wait, the store changed meanwhile, so the plan is made again.
 */
async function lockAndPlan(
  options: FixOptions,
  prepared: PreparedProject,
  firstPlan: Plan,
): Promise<Either<ProjectError, { readonly lock?: ApplyLock; readonly plan: Plan; readonly current: Snapshot }>> {
  const { snapshot, images, policy, store, settings } = prepared;
  if (options.store !== undefined || settings.snapshotFile !== undefined || firstPlan.actions.length === 0) {
    return right({ plan: firstPlan, current: snapshot });
  }
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
  if (isLeft(lock)) return left({ _tag: 'Lock', error: lock.left });
  if (!waited) return right({ lock: lock.right, plan: firstPlan, current: snapshot });
  const fresh = await store.snapshot();
  if (isLeft(fresh)) {
    await lock.right.release();
    return left({ _tag: 'Store', error: fresh.left });
  }
  return right({ lock: lock.right, plan: planAliases({ snapshot: fresh.right, images, policy }), current: fresh.right });
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
    options.onProgress?.({ _tag: 'Applying', plan });
    const onProgress = options.onProgress;
    const report = await store.apply(plan, {
      concurrency: settings.concurrency,
      current,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(onProgress === undefined ? {} : { onProgress: (event) => onProgress({ _tag: 'ActionDone', result: event.result }) }),
    });
    if (isLeft(report)) return left({ _tag: 'Store', error: report.left });
    const applied = report.right.results.every((result) => result._tag === 'Applied');
    return right({ ...prepared.right, plan, report: report.right, ok: applied && report.right.verified && clean(plan) });
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
