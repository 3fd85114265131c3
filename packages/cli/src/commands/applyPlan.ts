import type { Either } from 'fp-ts/lib/Either.js';
import { isLeft, left, right } from 'fp-ts/lib/Either.js';
import type { ApplyReport, Plan, Snapshot } from '@imgalias/core';
import { planAliases } from '@imgalias/core';
import { renderApplyReport, renderPlan } from '@imgalias/render';
import type { ApplyLock } from '@imgalias/adapter-docker';
import { applyWithProgress } from '../ApplyProgress.js';
import type { CliError } from '../CliError.js';
import { CliError as E } from '../CliError.js';
import { ExitCode } from '../ExitCode.js';
import { emptyStoreNote, hintsForMissing } from '../MissingImageHints.js';
import type { CommandContext } from './Command.js';
import type { Prepared } from './prepare.js';
import { snapshotLabel } from './snapshotLabel.js';

export type ApplyFormat = 'text' | 'json' | 'markdown';

/** The formats of `apply`/`fix`, and of their `--dry-run`, which prints the plan as `plan` does. */
export const applyFormats = (dryRun: boolean): readonly ('text' | 'json' | 'markdown' | 'shell')[] =>
  dryRun ? ['text', 'json', 'markdown', 'shell'] : ['text', 'json', 'markdown'];

const seconds = (ms: number): string => `${Math.round(ms / 100) / 10} s`;

/** The report of a plan with nothing to tag: the snapshot just read is the answer. */
const nothingToDo = (after: Snapshot): ApplyReport => ({ results: [], after, verified: true, mismatches: [], interrupted: false });

/**
 * Takes the engine's apply lock (a saved snapshot needs none), waiting for another imgalias applying to the same
 * engine; if it had to wait, the store changed meanwhile, so the plan is made again from a fresh read.
 */
async function lockAndPlan(options: {
  readonly context: CommandContext;
  readonly prepared: Prepared;
  readonly signal: AbortSignal | undefined;
}): Promise<Either<CliError, { readonly lock?: ApplyLock; readonly plan: Plan; readonly current: Snapshot }>> {
  const { context, prepared, signal } = options;
  const { output, snapshot, images, policy, store, settings } = prepared;
  const plan = planAliases({ snapshot, images, policy });
  if (settings.snapshotFile !== undefined || plan.actions.length === 0) return right({ plan, current: snapshot });
  let waited = false;
  // Loaded when first needed, like the engine store itself (see Command.ts): `--version` never pays for it.
  const { acquireApplyLock } = await import('@imgalias/adapter-docker');
  const lock = await acquireApplyLock({
    engine: context.engineOptions(settings),
    timeoutMs: settings.lockTimeoutMs,
    ...(signal === undefined ? {} : { signal }),
    onWait: (holder, file) => {
      waited = true;
      output.note(
        `waiting for ${holder === undefined ? 'another imgalias process' : `imgalias process ${holder.pid}`} to finish applying to this engine (lock ${file}; at most ${seconds(settings.lockTimeoutMs)}, --lock-timeout)`,
      );
    },
    onStale: (holder, file) => output.note(`took over the apply lock ${file}: process ${holder.pid}, which held it, is gone`),
  });
  if (isLeft(lock)) return left(E.lock(lock.left));
  if (!waited) return right({ lock: lock.right, plan, current: snapshot });
  const fresh = await store.snapshot();
  if (isLeft(fresh)) {
    await lock.right.release();
    return left(E.store(fresh.left));
  }
  return right({ lock: lock.right, plan: planAliases({ snapshot: fresh.right, images, policy }), current: fresh.right });
}

/**
 * Plans, applies and reports: what `apply` and `fix` do once they know their images. Exits 0 only when every
 * action applied, the store verified, and nothing was found (no missing image, no conflict, no discovery problem).
 * Interrupted (SIGINT, SIGTERM), it stops starting actions, prints what was done, and exits 130 or 143.
 */
export async function applyPrepared(options: {
  readonly context: CommandContext;
  readonly prepared: Prepared;
  readonly format: ApplyFormat | 'shell';
  /** `--dry-run`: print the plan, as `plan` does, and tag nothing. */
  readonly dryRun?: boolean;
}): Promise<Either<CliError, ExitCode>> {
  const { context, prepared } = options;
  const { output, snapshot, images, policy, store, settings, discoveryProblems } = prepared;

  const firstPlan = planAliases({ snapshot, images, policy });
  const empty = emptyStoreNote({ snapshot, missing: firstPlan.findings.filter((f) => f._tag === 'Missing').length, engine: store.engine, snapshotFile: settings.snapshotFile });
  if (empty !== undefined) output.note(`note: ${empty}`);
  if (options.dryRun === true || options.format === 'shell') {
    const plan = firstPlan;
    output.print(
      renderPlan(plan, { format: options.format, engine: store.engine, color: output.color, header: { snapshot: snapshotLabel(settings), policy } }),
    );
    if (options.format === 'text') {
      for (const hint of hintsForMissing(plan.findings, { policy, engine: store.engine })) output.note(hint);
      if (plan.actions.length > 0) output.note('dry run: nothing was tagged; run again without --dry-run to tag.');
    }
    return right(plan.findings.length === 0 && discoveryProblems === 0 ? ExitCode.ok : ExitCode.findings);
  }
  const format = options.format;
  const interrupt = context.io.interrupt;
  const signal = interrupt?.signal;
  const signalExit = (): ExitCode => (signal?.reason === 'SIGTERM' ? ExitCode.sigterm : ExitCode.sigint);

  const work = async (): Promise<Either<CliError, { readonly plan: Plan; readonly report: ApplyReport }>> => {
    const locked = await lockAndPlan({ context, prepared, signal });
    if (isLeft(locked)) return locked;
    const { lock, plan, current } = locked.right;
    try {
      // Nothing to tag: the snapshot just read is the answer, so a converged host costs one engine process.
      if (plan.actions.length === 0) return right({ plan, report: nothingToDo(current) });
      const report = await applyWithProgress({
        store,
        plan,
        current,
        concurrency: settings.concurrency,
        output,
        terminal: context.io.stdout,
        recordProgress: settings.snapshotFile === undefined,
        ...(signal === undefined ? {} : { signal }),
      });
      return isLeft(report) ? left(E.store(report.left)) : right({ plan, report: report.right });
    } finally {
      await lock?.release();
    }
  };
  const outcome = interrupt === undefined ? await work() : await interrupt.during(work);
  if (isLeft(outcome)) {
    if (signal?.aborted === true && (outcome.left._tag === 'Lock' || outcome.left._tag === 'Store')) {
      output.error(`imgalias: interrupted by ${String(signal.reason)} before anything was tagged; nothing was changed.`);
      return right(signalExit());
    }
    return outcome;
  }
  const { plan, report } = outcome.right;

  output.print(
    renderApplyReport(report, {
      format,
      color: output.color,
      plan,
      header: { snapshot: snapshotLabel(settings), policy },
    }),
  );
  if (report.interrupted) {
    const tagged = report.results.filter((r) => r._tag === 'Applied').length;
    const notStarted = report.results.filter((r) => r._tag === 'NotStarted').length;
    output.error(
      `imgalias: interrupted by ${String(signal?.reason ?? 'a signal')}: ${tagged} of ${plan.actions.length} tagged, ${notStarted} not started. Run the same command again to finish.`,
    );
    return right(signalExit());
  }
  if (format === 'text') {
    for (const hint of hintsForMissing(plan.findings, { policy, engine: store.engine })) output.note(hint);
    if (report.results.some((r) => r._tag === 'ChangedUnderUs') || report.mismatches.length > 0) {
      output.note('Another process changed image names while this one applied; those names were left as it made them. Check them, then run again.');
    }
    if (settings.snapshotFile !== undefined) {
      output.note(`dry run against ${settings.snapshotFile}: no engine was touched and the file was not changed.`);
    }
  }
  const failed = report.results.some((result) => result._tag !== 'Applied');
  const clean = !failed && report.verified && plan.findings.length === 0 && discoveryProblems === 0;
  return right(clean ? ExitCode.ok : ExitCode.findings);
}
