import type { Either } from 'fp-ts/lib/Either.js';
import { isLeft, left, right } from 'fp-ts/lib/Either.js';
import { describePullFinding, planAliases, planPrefetch } from '@imgalias/core';
import { pullsOf } from '@imgalias/core/internal';
import { renderPullPlan } from '@imgalias/render';
import { applyWithProgress } from '../ApplyProgress.js';
import type { CliError } from '../CliError.js';
import { CliError as E } from '../CliError.js';
import { ExitCode } from '../ExitCode.js';
import type { CommandContext, CommandFlags } from './Command.js';
import type { CommandSpec } from './CommandSpec.js';
import { describedAs, group, option } from './options.js';
import { formatFor } from './formats.js';
import type { PlatformCheck } from './prefetch/PlatformCheck.js';
import { checkPlatforms, describePlatformMismatch } from './prefetch/PlatformCheck.js';
import { prefetchSucceeded, pullCounts, renderPrefetchReport } from './prefetch/PrefetchReport.js';
import { withPullProgress } from './prefetch/PullProgress.js';
import { pullSettingsOf, splitMirrorFlags } from './prefetch/PullSettings.js';
import { runPulls } from './prefetch/runPulls.js';
import type { Interruption } from './Interruption.js';
import { interruptible } from './Interruption.js';
import { prepare } from './prepare.js';
import { snapshotLabel } from './snapshotLabel.js';

/**
 * `prefetch`, and `plan --prefetch` (which is `prefetch --dry-run`): the pull plan, then (unless a dry run) the
 * pulls, the aliases `apply` would make, the platform check, and the report. Each step lives in ./prefetch/.
 */
export async function runPrefetch(context: CommandContext, operands: readonly string[], flags: CommandFlags): Promise<Either<CliError, ExitCode>> {
  const loaded = await context.loadSettings({ ...flags, mirror: splitMirrorFlags(flags).rules });
  if (isLeft(loaded)) return loaded;
  const settings = loaded.right;
  const dryRun = flags.dryRun === true;
  const format = formatFor(settings, dryRun ? ['text', 'json', 'markdown', 'shell'] : ['text', 'json', 'markdown'], dryRun ? 'prefetch --dry-run' : 'prefetch');
  if (isLeft(format)) return format;
  const pull = pullSettingsOf(flags, settings);
  if (isLeft(pull)) return pull;

  // The pulls and the aliases write to the engine: under its apply lock, and interruptible (SIGINT, SIGTERM).
  // `interruption` is undefined for a dry run.
  const body = async (interruption?: Interruption): Promise<Either<CliError, ExitCode>> => {
    const prepared = await prepare({ context, settings, operands });
    if (isLeft(prepared)) return prepared;
    const { output: out, snapshot, images, policy, store, discoveryProblems } = prepared.right;

    const plan = planPrefetch({ snapshot, images, policy, mirrors: pull.right.mirrors });
    const label = snapshotLabel(settings);

    if (interruption === undefined) {
      out.print(renderPullPlan(plan, { format: format.right, engine: store.engine, header: { snapshot: label } }));
      let mismatches = 0;
      // A saved snapshot knows no platforms: the check is the engine's.
      if (pull.right.platform !== undefined && settings.snapshotFile === undefined) {
        const checked = await checkPlatforms(store, snapshot, images, policy, pull.right.platform);
        if (isLeft(checked)) return checked;
        for (const m of checked.right.mismatches) out.error(`platform: ${describePlatformMismatch(m)}`);
        mismatches = checked.right.mismatches.length;
      }
      return right(plan.findings.length === 0 && discoveryProblems === 0 && mismatches === 0 ? ExitCode.ok : ExitCode.findings);
    }
    const reportFormat = format.right === 'shell' ? 'text' : format.right; // shell is offered only with --dry-run
    const { signal } = interruption;

    const entries = pullsOf(plan);
    const pulled = await withPullProgress({
      output: out,
      terminal: context.io.stdout,
      total: entries.length,
      attempts: pull.right.attempts,
      work: (onEvent) => runPulls({ store, entries, pull: pull.right, onEvent, ...(signal === undefined ? {} : { signal }) }),
    });
    if (isLeft(pulled)) return left(E.store(pulled.left));

    // Interrupted while pulling: nothing more starts, not even the aliases; the report says what was pulled.
    if (interruption.interrupted()) {
      out.print(renderPrefetchReport({ plan, pulls: pulled.right }, { format: reportFormat, color: out.color, snapshot: label, policy }));
      const counts = pullCounts(pulled.right);
      out.error(
        `imgalias: interrupted by ${interruption.name()}: ${counts.pulled} of ${entries.length} pulled, ${counts.cancelled} cancelled, ${counts.notStarted} not started; no names were aliased. Run the same command again to finish.`,
      );
      return right(interruption.exitCode());
    }

    // Then the aliases, exactly as `apply` plans them, so the names the project uses exist.
    const after = await store.snapshot();
    if (isLeft(after)) return left(E.store(after.left));
    const aliasPlan = planAliases({ snapshot: after.right, images, policy });
    const applied = await applyWithProgress({
      store,
      plan: aliasPlan,
      current: after.right,
      concurrency: settings.concurrency,
      output: out,
      terminal: context.io.stdout,
      recordProgress: false,
      ...(signal === undefined ? {} : { signal }),
    });
    if (isLeft(applied)) return left(E.store(applied.left));

    let platform: PlatformCheck | undefined;
    if (pull.right.platform !== undefined && !applied.right.interrupted) {
      const checked = await checkPlatforms(store, applied.right.after, images, policy, pull.right.platform);
      if (isLeft(checked)) return checked;
      platform = checked.right;
    }

    const outcome = { plan, pulls: pulled.right, aliasPlan, aliases: applied.right, ...(platform === undefined ? {} : { platform }) };
    out.print(renderPrefetchReport(outcome, { format: reportFormat, color: out.color, snapshot: label, policy }));
    if (applied.right.interrupted) {
      const tagged = applied.right.results.filter((r) => r._tag === 'Applied').length;
      const notStarted = applied.right.results.filter((r) => r._tag === 'NotStarted').length;
      out.error(
        `imgalias: interrupted by ${interruption.name()} while aliasing: every pull ended; ${tagged} of ${aliasPlan.actions.length} names tagged, ${notStarted} not started. Run the same command again to finish.`,
      );
      return right(interruption.exitCode());
    }
    for (const finding of plan.findings) out.error(describePullFinding(finding));
    if (settings.snapshotFile !== undefined) out.note(`dry run against ${settings.snapshotFile}: no engine was touched and the file was not changed.`);
    return right(prefetchSucceeded(outcome) && discoveryProblems === 0 ? ExitCode.ok : ExitCode.findings);
  };
  if (dryRun) return body();
  return interruptible({ context, settings, output: context.output(settings), lock: true, work: body });
}

/** `imgalias prefetch [IMAGE...]`: pull what is missing (Harbor only in internal mode), then alias as `apply`. */
export const prefetchCommand: CommandSpec = {
  name: 'prefetch',
  summary: 'pull the images no name of which is in the store (internal: only from Harbor), then alias them as apply does',
  arguments: [{ name: '[image...]', description: 'images to make present, any family member (default: every family in the store)' }],
  options: [
    option.config,
    option.mode,
    option.network,
    option.harbor,
    describedAs(
      option.mirror,
      'mirror rule ORIGIN=HOST[:PORT]/PROJECT[@LAYOUT]; without ORIGIN=, a Docker Hub pull mirror HOST[:PORT]/PREFIX tried after the origin (external mode); repeatable',
    ),
    option.mirrorsFrom,
    ...group.policy,
    ...group.store,
    describedAs(
      option.concurrency,
      'how many pulls run at once (default 3, config prefetch.concurrency); the tags that follow use it too (default 4)',
    ),
    option.lockTimeout,
    ...group.from,
    describedAs(option.dryRun, 'print the pull plan (which name from where, and why); pull nothing'),
    { flags: '--attempts <n>', description: 'attempts per candidate registry (default 3, config prefetch.attempts)' },
    { flags: '--retry-delay <ms>', description: 'delay before the first retry, doubled each time, with jitter (default 1000)' },
    {
      flags: '--platform <os/arch>',
      description: 'report images not built for OS/ARCH[/VARIANT] and pull that platform; "engine" checks against the engine\'s own',
    },
  ],
  formats: ['text', 'json', 'markdown', 'shell'],
  run: async (context, { operands, flags }) => runPrefetch(context, operands, flags),
};
