import type { Either } from 'fp-ts/lib/Either.js';
import { isLeft, left, right } from 'fp-ts/lib/Either.js';
import type { AliasPolicy, Plan } from '@imgalias/core';
import { canonicalTagName } from '@imgalias/core/internal';
import type { ProjectError, ProjectEvent, ProjectFix, Settings } from '@imgalias/project/internal';
import { applyProject, applySavedPlan, fixProject } from '@imgalias/project/internal';
import { renderApplyReport, renderPlan } from '@imgalias/render';
import { followApply } from '../ApplyProgress.js';
import type { CliError } from '../CliError.js';
import { fromProjectError } from '../CliError.js';
import { ExitCode } from '../ExitCode.js';
import { emptyStoreNote, hintsForMissing } from '../MissingImageHints.js';
import type { CommandContext } from './Command.js';
import { interruptedApplyMessage, interruptedBeforeApplyMessage, lockTakenOverNote, lockWaitNote } from './Interruption.js';
import { jobOptions } from './prepare.js';
import { snapshotLabel } from './snapshotLabel.js';

export type ApplyFormat = 'text' | 'json' | 'markdown';

/** The formats of `apply`/`fix`, and of their `--dry-run`, which prints the plan as `plan` does. */
export const applyFormats = (dryRun: boolean): readonly ('text' | 'json' | 'markdown' | 'shell')[] =>
  dryRun ? ['text', 'json', 'markdown', 'shell'] : ['text', 'json', 'markdown'];

/** A target as the verifying read names it (canonical), or as written when it does not parse. */
const targetName = (target: string): string => {
  const key = canonicalTagName(target);
  return key._tag === 'Right' && key.right !== undefined ? key.right : target;
};

/** What every apply job answers: a saved plan's has no policy (the plan was made elsewhere). */
type ApplyOutcome = Pick<ProjectFix, 'plan' | 'report' | 'store' | 'ok'> & { readonly policy?: AliasPolicy };

/**
 * `apply` and `fix`: runs the project job (`applyProject` or `fixProject`, or `applySavedPlan` for
 * `apply --plan FILE`), telling its progress as it goes, and prints the report. Exits 0 only when every action
 * applied, the store verified, and nothing was found (no missing image, no conflict, no discovery problem).
 * Interrupted (SIGINT, SIGTERM), it stops starting actions, prints what was done, and exits 130 or 143.
 */
export async function runApply(options: {
  readonly context: CommandContext;
  readonly settings: Settings;
  /** Which job: `apply`'s or `fix`'s planning, or a saved plan applied exactly as given. */
  readonly job: 'apply' | 'fix' | { readonly plan: Plan };
  readonly operands: readonly string[];
  readonly format: ApplyFormat | 'shell';
  /** `--dry-run`: print the plan, as `plan` does, and tag nothing. */
  readonly dryRun?: boolean;
}): Promise<Either<CliError, ExitCode>> {
  const { context, settings } = options;
  const output = context.output(settings);
  const dryRun = options.dryRun === true || options.format === 'shell';
  const interrupt = dryRun ? undefined : context.io.interrupt;
  const signal = interrupt?.signal;
  const signalExit = (): ExitCode => (signal?.reason === 'SIGTERM' ? ExitCode.sigterm : ExitCode.sigint);
  const interrupted = { name: () => String(signal?.reason ?? 'a signal') };
  const progress = followApply({ output, terminal: context.io.stdout, recordProgress: settings.snapshotFile === undefined });

  const tell = (event: ProjectEvent): void => {
    switch (event._tag) {
      case 'Planned': {
        const missing = event.plan.findings.filter((f) => f._tag === 'Missing').length;
        const empty = emptyStoreNote({ snapshot: event.snapshot, missing, engine: settings.engine, snapshotFile: settings.snapshotFile });
        if (empty !== undefined) output.note(`note: ${empty}`);
        return;
      }
      case 'LockWait':
        output.note(lockWaitNote(event.holder, event.file, event.timeoutMs));
        return;
      case 'LockTakenOver':
        output.note(lockTakenOverNote(event.holder, event.file));
        return;
      case 'Applying':
        progress.start(event.plan.actions.length);
        return;
      case 'ActionDone':
        progress.result(event.result);
        return;
      default:
        return;
    }
  };
  const work = async () => {
    const common = { ...jobOptions(context, settings, output, tell), dryRun, ...(signal === undefined ? {} : { signal }) };
    const { job } = options;
    const outcome: Either<ProjectError, ApplyOutcome> =
      typeof job === 'object'
        ? await applySavedPlan({ ...common, plan: job.plan })
        : await (job === 'fix' ? fixProject : applyProject)({ ...common, images: options.operands });
    await progress.finish(outcome._tag === 'Right' && outcome.right.report?.interrupted === true);
    return outcome;
  };
  const outcome = interrupt === undefined ? await work() : await interrupt.during(work);
  if (isLeft(outcome)) {
    if (signal?.aborted === true && (outcome.left._tag === 'Lock' || outcome.left._tag === 'Store')) {
      output.error(interruptedBeforeApplyMessage(interrupted));
      return right(signalExit());
    }
    return left(fromProjectError(outcome.left));
  }
  const { plan, report, policy, store, ok } = outcome.right;
  // A saved plan's findings are in the report; the pull hints need the policy it was planned with, which it lacks.
  const hints = (): string[] => (policy === undefined ? [] : hintsForMissing(plan.findings, { policy, engine: store.engine }));

  if (report === undefined) {
    output.print(
      renderPlan(plan, { format: options.format, engine: store.engine, color: output.color, header: { snapshot: snapshotLabel(settings), ...(policy === undefined ? {} : { policy }) } }),
    );
    if (options.format === 'text') {
      for (const hint of hints()) output.note(hint);
      if (plan.actions.length > 0) output.note('dry run: nothing was tagged; run again without --dry-run to tag.');
    }
    return right(ok ? ExitCode.ok : ExitCode.findings);
  }
  const format = options.format === 'shell' ? 'text' : options.format;
  output.print(renderApplyReport(report, { format, color: output.color, plan, header: { snapshot: snapshotLabel(settings), ...(policy === undefined ? {} : { policy }) } }));
  if (report.interrupted) {
    output.error(interruptedApplyMessage(interrupted, report, plan.actions.length));
    return right(signalExit());
  }
  if (format === 'text') {
    for (const hint of hints()) output.note(hint);
    // A refused action's target was left as the store had it, so its mismatch is the refusal, not another writer.
    const refused = new Set(report.results.flatMap((r) => (r._tag === 'Refused' ? [targetName(r.action.target)] : [])));
    if (report.results.some((r) => r._tag === 'ChangedUnderUs') || report.mismatches.some((m) => !refused.has(m.name))) {
      output.note('Another process changed image names while this one applied; those names were left as it made them. Check them, then run again.');
    }
    if (settings.snapshotFile !== undefined) {
      output.note(`dry run against ${settings.snapshotFile}: no engine was touched and the file was not changed.`);
    }
  }
  return right(ok ? ExitCode.ok : ExitCode.findings);
}
