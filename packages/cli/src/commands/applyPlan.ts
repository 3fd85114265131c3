import type { Either } from 'fp-ts/lib/Either.js';
import { isLeft, left, right } from 'fp-ts/lib/Either.js';
import { planAliases } from '@imgalias/core';
import { renderApplyReport, renderPlan } from '@imgalias/adapter-dry-run';
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

/**
 * Plans, applies and reports: what `apply` and `fix` do once they know their images. Exits 0 only when every
 * action applied, the store verified, and nothing was found (no missing image, no conflict, no discovery problem).
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

  const plan = planAliases({ snapshot, images, policy });
  const empty = emptyStoreNote({ snapshot, missing: plan.findings.filter((f) => f._tag === 'Missing').length, engine: store.engine, snapshotFile: settings.snapshotFile });
  if (empty !== undefined) output.note(`note: ${empty}`);
  if (options.dryRun === true || options.format === 'shell') {
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
  // Nothing to tag: the snapshot just read is the answer, so a converged host costs one engine process.
  const report: Awaited<ReturnType<typeof applyWithProgress>> =
    plan.actions.length === 0
      ? right({ results: [], after: snapshot, verified: true })
      : await applyWithProgress({ store, plan, current: snapshot, concurrency: settings.concurrency, output, terminal: context.io.stdout });
  if (isLeft(report)) return left(E.store(report.left));

  output.print(
    renderApplyReport(report.right, {
      format,
      color: output.color,
      plan,
      header: { snapshot: snapshotLabel(settings), policy },
    }),
  );
  if (format === 'text') {
    for (const hint of hintsForMissing(plan.findings, { policy, engine: store.engine })) output.note(hint);
    if (settings.snapshotFile !== undefined) {
      output.note(`dry run against ${settings.snapshotFile}: no engine was touched and the file was not changed.`);
    }
  }
  const failed = report.right.results.some((result) => result._tag === 'Failed');
  const clean = !failed && report.right.verified && plan.findings.length === 0 && discoveryProblems === 0;
  return right(clean ? ExitCode.ok : ExitCode.findings);
}
