import type { Either } from 'fp-ts/lib/Either.js';
import { isLeft, left, right } from 'fp-ts/lib/Either.js';
import type { ImageStore, Snapshot } from '@imgalias/core';
import { describePullFinding, familiarName, planAliases, planPrefetch, PullPlanCodec, pullsOf, quoteExcerpt } from '@imgalias/core';
import type { EngineStore, PullEvent, PullResult } from '@imgalias/adapter-docker';
import { describePullError, enginePlatform, inspectPlatforms, platformMatches, pullImages } from '@imgalias/adapter-docker';
import { renderApplyReport, renderPullPlan, shortImageId } from '@imgalias/render';
import { applyWithProgress, wantsProgressDisplay, withProgressDisplay } from '../ApplyProgress.js';
import type { Settings } from '@imgalias/project';
import type { CliError } from '../CliError.js';
import { CliError as E } from '../CliError.js';
import { ExitCode } from '../ExitCode.js';
import type { CommandContext, RegisterCommand } from './Command.js';
import { formatFor } from './formats.js';
import {
  withConcurrencyOption,
  withConfigOption,
  withDisplayOptions,
  withFormatOptions,
  withFromOption,
  withModeOptions,
  withPolicyOptions,
  withStoreOptions,
} from './options.js';
import { prepare } from './prepare.js';
import { snapshotLabel } from './snapshotLabel.js';
import { plural } from '../Wording.js';

// Shared by prefetch, publish and clean (the lifecycle commands), which import them from here.

/** The engine store behind a command, when it is a real engine (not a `--snapshot` file). */
export const engineStoreOf = (store: ImageStore): EngineStore | undefined =>
  'runner' in store ? (store as EngineStore) : undefined;



/** The raw value of an option only this command has (settings do not know it). */
const optionOf = (flags: object, key: string): unknown => (flags as Record<string, unknown>)[key];

const wholeNumber = (flags: object, key: string, option: string, min: number): Either<CliError, number | undefined> => {
  const raw = optionOf(flags, key);
  if (raw === undefined) return right(undefined);
  const text = String(raw);
  const n = Number(text);
  return /^\d+$/.test(text) && n >= min
    ? right(n)
    : left(E.usage(`${option} must be a whole number >= ${min}, got ${quoteExcerpt(text)}. Nothing was changed.`));
};

const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/;

/** The pull settings after this command's own flags: `--attempts`, `--retry-delay`, `--mirror`, `--concurrency`. */
interface PullSettings {
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly concurrency: number;
  readonly mirrors: readonly string[];
  /** `--platform OS/ARCH`: pull and check that platform; `--platform engine`: check against the engine's own. */
  readonly platform?: { readonly _tag: 'Given'; readonly platform: string } | { readonly _tag: 'Engine' };
}

const pullSettingsOf = (flags: object, settings: Settings): Either<CliError, PullSettings> => {
  const attempts = wholeNumber(flags, 'attempts', '--attempts', 1);
  if (isLeft(attempts)) return attempts;
  const delay = wholeNumber(flags, 'retryDelay', '--retry-delay', 0);
  if (isLeft(delay)) return delay;
  const concurrency = wholeNumber(flags, 'concurrency', '--concurrency', 1);
  if (isLeft(concurrency)) return concurrency;
  const mirrors = optionOf(flags, 'mirror');
  const platform = optionOf(flags, 'platform');
  if (typeof platform === 'string' && platform !== 'engine' && !PLATFORM.test(platform)) {
    return left(
      E.usage(`--platform must be OS/ARCH[/VARIANT] such as linux/amd64 or linux/arm64/v8, or "engine", got ${quoteExcerpt(platform)}. Nothing was changed.`),
    );
  }
  return right({
    attempts: attempts.right ?? settings.prefetch.attempts,
    baseDelayMs: delay.right ?? settings.prefetch.baseDelayMs,
    concurrency: concurrency.right ?? settings.prefetch.concurrency,
    mirrors: Array.isArray(mirrors) ? mirrors.map(String) : settings.prefetch.mirrors,
    ...(platform === 'engine' ? { platform: { _tag: 'Engine' } as const } : typeof platform === 'string' ? { platform: { _tag: 'Given', platform } as const } : {}),
  });
};

const progressLine = (event: PullEvent, attempts: number): string | undefined => {
  switch (event._tag) {
    case 'Attempt':
      return event.attempt === 1 ? `pulling ${familiarName(event.candidate.reference)} for ${familiarName(event.family)}` : undefined;
    case 'Retry':
      return `attempt ${event.attempt}/${attempts} of ${familiarName(event.candidate.reference)} failed; retrying in ${(event.delayMs / 1000).toFixed(1)} s: ${describePullError(event.error)}`;
    case 'GiveUp':
      return `gave up on ${familiarName(event.failure.candidate.reference)} after ${plural(event.failure.attempts, 'attempt')}${event.failure.permanent ? ' (permanent error, not retried)' : ''}: ${describePullError(event.failure.error)}`;
    case 'Done':
      return event.result._tag === 'Pulled' ? `pulled ${familiarName(event.result.candidate.reference)}` : undefined;
  }
};

const resultLines = (results: readonly PullResult[]): string[] =>
  results.flatMap((r) =>
    r._tag === 'Pulled'
      ? [`pulled ${familiarName(r.family)} from ${familiarName(r.candidate.reference)} (attempt ${r.attempts}${r.tried.length > 0 ? `, after ${plural(r.tried.length, 'other candidate')}` : ''})`]
      : [
          `failed ${familiarName(r.family)}:`,
          ...r.tried.map((t) => `  ${familiarName(t.candidate.reference)}: ${plural(t.attempts, 'attempt')}${t.permanent ? ', permanent' : ''}: ${describePullError(t.error)}`),
        ],
  );

interface PlatformMismatch {
  readonly family: string;
  readonly imageId: string;
  readonly platform: string;
  readonly wanted: string;
}

/** The architecture guard: every requested family's image must be built for `wanted` (or the engine's platform). */
const checkPlatforms = async (
  store: EngineStore,
  snapshot: Snapshot,
  images: readonly string[],
  policy: Parameters<typeof planPrefetch>[0]['policy'],
  platform: NonNullable<PullSettings['platform']>,
): Promise<Either<CliError, { readonly wanted: string; readonly mismatches: readonly PlatformMismatch[] }>> => {
  const wanted = platform._tag === 'Given' ? right(platform.platform) : await enginePlatform(store.runner);
  if (isLeft(wanted)) return left(E.store(wanted.left));
  const present = planPrefetch({ snapshot, images, policy, mirrors: [] }).entries.flatMap((e) => (e._tag === 'Present' ? [e] : []));
  const inspected = await inspectPlatforms(store.runner, [...new Set(present.map((e) => e.imageId))]);
  if (isLeft(inspected)) return left(E.store(inspected.left));
  const byId = new Map(inspected.right.map((p) => [p.imageId, p.platform]));
  const mismatches = present.flatMap((e) => {
    const actual = byId.get(e.imageId);
    return actual === undefined || platformMatches(wanted.right, actual) ? [] : [{ family: e.family, imageId: e.imageId, platform: actual, wanted: wanted.right }];
  });
  return right({ wanted: wanted.right, mismatches });
};

const mismatchLine = (m: PlatformMismatch): string =>
  `${familiarName(m.family)} is built for ${m.platform}, not ${m.wanted} (image ${shortImageId(m.imageId)}); prefetch does not replace an image that is present: remove its names (imgalias clean ${familiarName(m.family)} --apply), then run imgalias prefetch --platform ${m.wanted} ${familiarName(m.family)}.`;

/** `prefetch`, and `plan --prefetch` (which is `prefetch --dry-run`): the pull plan, then (unless a dry run) the pulls. */
export async function runPrefetch(context: CommandContext, operands: readonly string[], flags: object): Promise<Either<CliError, ExitCode>> {
  // `--mirror` with `=` is a mirror rule (every command); without, the older Docker Hub pull mirror of prefetch.
  const given = optionOf(flags, 'mirror');
  const values = Array.isArray(given) ? given.map(String) : [];
  const loaded = await context.loadSettings({ ...flags, mirror: values.filter((value) => value.includes('=')) });
  if (isLeft(loaded)) return loaded;
  const settings = loaded.right;
  const dryRun = optionOf(flags, 'dryRun') === true;
  const format = formatFor(settings, dryRun ? ['text', 'json', 'markdown', 'shell'] : ['text', 'json', 'markdown'], dryRun ? 'prefetch --dry-run' : 'prefetch');
  if (isLeft(format)) return format;
  const hubMirrors = values.filter((value) => !value.includes('='));
  const pull = pullSettingsOf({ ...flags, mirror: hubMirrors.length === 0 ? undefined : hubMirrors }, settings);
  if (isLeft(pull)) return pull;

  const prepared = await prepare({ context, settings, operands, scope: 'requested-or-store' });
  if (isLeft(prepared)) return prepared;
  const { output: out, snapshot, images, policy, store, discoveryProblems } = prepared.right;
  const engineStore = engineStoreOf(store);
  if (engineStore === undefined && !dryRun) {
    return left(E.usage('prefetch pulls into an engine, not into a --snapshot file; add --dry-run to only print the pull plan. Nothing was changed.'));
  }

  const plan = planPrefetch({ snapshot, images, policy, mirrors: pull.right.mirrors });
  const label = snapshotLabel(settings);

  if (dryRun) {
    out.print(renderPullPlan(plan, { format: format.right, engine: store.engine, header: { snapshot: label } }));
    let mismatches = 0;
    if (pull.right.platform !== undefined && engineStore !== undefined) {
      const checked = await checkPlatforms(engineStore, snapshot, images, policy, pull.right.platform);
      if (isLeft(checked)) return checked;
      for (const m of checked.right.mismatches) out.error(`platform: ${mismatchLine(m)}`);
      mismatches = checked.right.mismatches.length;
    }
    return right(plan.findings.length === 0 && discoveryProblems === 0 && mismatches === 0 ? ExitCode.ok : ExitCode.findings);
  }

  const runner = (engineStore as EngineStore).runner;
  const entries = pullsOf(plan);
  const givenPlatform = pull.right.platform?._tag === 'Given' ? pull.right.platform.platform : undefined;
  const pullAll = (onEvent: (event: PullEvent, line: string | undefined) => void) =>
    pullImages({
      runner,
      entries,
      attempts: pull.right.attempts,
      baseDelayMs: pull.right.baseDelayMs,
      concurrency: pull.right.concurrency,
      ...(givenPlatform === undefined ? {} : { platform: givenPlatform }),
      onProgress: (event) => onEvent(event, progressLine(event, pull.right.attempts)),
    });
  // A pull takes seconds, so even one is worth a display on a terminal; elsewhere every step is a plain line.
  let finished = 0;
  let lastLine = '';
  const pulled = wantsProgressDisplay(out, entries.length, 0)
    ? await withProgressDisplay({
        terminal: context.io.stdout,
        title: `Pulling ${entries.length} ${entries.length === 1 ? 'image' : 'images'}`,
        work: (update) =>
          pullAll((event, line) => {
            if (event._tag === 'Done') finished += 1;
            lastLine = line ?? lastLine;
            update({ title: `Pulling images: ${finished}/${entries.length}`, line: lastLine });
          }),
        doneTitle: () => `Pulled ${entries.length} ${entries.length === 1 ? 'image' : 'images'} (see the report)`,
      })
    : await pullAll((_event, line) => {
        if (line !== undefined) out.note(line);
      });
  if (isLeft(pulled)) return left(E.store(pulled.left));

  // Then the aliases, exactly as `apply` plans them, so the names the project uses exist.
  const after = await store.snapshot();
  if (isLeft(after)) return left(E.store(after.left));
  const aliasPlan = planAliases({ snapshot: after.right, images, policy });
  const applied = await applyWithProgress({ store, plan: aliasPlan, current: after.right, concurrency: settings.concurrency, output: out, terminal: context.io.stdout, recordProgress: false });
  if (isLeft(applied)) return left(E.store(applied.left));

  let platform: { readonly wanted: string; readonly mismatches: readonly PlatformMismatch[] } | undefined;
  if (pull.right.platform !== undefined) {
    const checked = await checkPlatforms(engineStore as EngineStore, applied.right.after, images, policy, pull.right.platform);
    if (isLeft(checked)) return checked;
    platform = checked.right;
  }

  const results = pulled.right;
  const failed = results.filter((r) => r._tag === 'PullFailed').length;
  const summary = `prefetch: ${results.length - failed} pulled, ${plan.entries.length - entries.length} present, ${failed} failed${platform === undefined ? '' : `, ${platform.mismatches.length} wrong platform`}`;
  const applyOptions = { color: out.color, plan: aliasPlan, header: { snapshot: label, policy } };
  switch (format.right) {
    case 'json':
      out.print(
        `${JSON.stringify(
          {
            version: 1,
            plan: PullPlanCodec.encode(plan),
            pulls: results,
            aliases: JSON.parse(renderApplyReport(applied.right, { ...applyOptions, format: 'json' })) as unknown,
            ...(platform === undefined ? {} : { platform }),
          },
          null,
          2,
        )}\n`,
      );
      break;
    case 'markdown':
      out.print(
        [
          `### imgalias prefetch (${plan.mode} mode)`,
          '',
          ...resultLines(results).map((line) => (line.startsWith('  ') ? `  - ${line.trim()}` : `- ${line}`)),
          ...(platform?.mismatches.map((m) => `- platform: ${mismatchLine(m)}`) ?? []),
          '',
          renderApplyReport(applied.right, { ...applyOptions, format: 'markdown' }),
          summary,
          '',
        ].join('\n'),
      );
      break;
    default:
      out.print(
        [
          ...resultLines(results),
          ...(platform?.mismatches.map((m) => `platform: ${mismatchLine(m)}`) ?? []),
          renderApplyReport(applied.right, { ...applyOptions, format: 'text' }).trimEnd(),
          summary,
          '',
        ].join('\n'),
      );
  }
  for (const finding of plan.findings) out.error(describePullFinding(finding));
  const aliasesFailed = applied.right.results.some((r) => r._tag === 'Failed') || !applied.right.verified || aliasPlan.findings.length > 0;
  const clean = failed === 0 && !aliasesFailed && plan.findings.length === 0 && discoveryProblems === 0 && (platform?.mismatches.length ?? 0) === 0;
  return right(clean ? ExitCode.ok : ExitCode.findings);
}

/** `imgalias prefetch [IMAGE...]`: pull what is missing (Harbor only in internal mode), then alias as `apply`. */
export const registerPrefetch: RegisterCommand = (program, context) =>
  withDisplayOptions(
    withFormatOptions(
      withFromOption(
        withConcurrencyOption(
          withStoreOptions(
            withPolicyOptions(
              withModeOptions(
                withConfigOption(
                  program
                    .command('prefetch')
                    .argument('[image...]', 'images to make present, any family member (default: every family in the store)')
                    .description('pull the images no name of which is in the store (internal: only from Harbor), then alias them as apply does'),
                ),
                {
                  mirrorHelp:
                    'mirror rule ORIGIN=HOST[:PORT]/PROJECT[@LAYOUT]; without ORIGIN=, a Docker Hub pull mirror HOST[:PORT]/PREFIX tried after the origin (external mode); repeatable',
                },
              ),
            ),
            { snapshot: true },
          ),
          'how many pulls run at once (default 3, config prefetch.concurrency); the tags that follow use it too (default 4)',
        ),
      )
        .option('--dry-run', 'print the pull plan (which name from where, and why); pull nothing')
        .option('--attempts <n>', 'attempts per candidate registry (default 3, config prefetch.attempts)')
        .option('--retry-delay <ms>', 'delay before the first retry, doubled each time, with jitter (default 1000)')
        .option('--platform <os/arch>', 'report images not built for OS/ARCH[/VARIANT] and pull that platform; "engine" checks against the engine\'s own'),
      ['text', 'json', 'markdown', 'shell'],
    ),
  ).action(context.action(async ({ operands, flags }) => runPrefetch(context, operands, flags)));
