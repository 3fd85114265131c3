import type { Either } from 'fp-ts/lib/Either.js';
import { isLeft, left, right } from 'fp-ts/lib/Either.js';
import type { Plan, PushResult } from '@imgalias/core';
import { describePublishFinding, describeRefusal, familiarName, planPublish, PublishPlanCodec } from '@imgalias/core';
import { publishTags } from '@imgalias/core/internal';
import { describePublishDestination, renderPublishPlan } from '@imgalias/render';
import { describeStoreError } from '@imgalias/adapter-docker';
import type { CliError } from '../CliError.js';
import { CliError as E } from '../CliError.js';
import { ExitCode } from '../ExitCode.js';
import type { CommandContext, CommandFlags } from './Command.js';
import type { CommandSpec } from './CommandSpec.js';
import { describedAs, group, option } from './options.js';
import { formatFor } from './formats.js';
import type { Interruption } from './Interruption.js';
import { interruptible } from './Interruption.js';
import { prepare } from './prepare.js';
import { snapshotLabel } from './snapshotLabel.js';


/** A push an interrupt cancelled while it ran: whether the registry got the image is unknown. */
const wasCancelled = (r: PushResult): boolean => r._tag === 'PushFailed' && r.error._tag === 'Cancelled';

const resultLine = (r: PushResult): string => {
  if (wasCancelled(r)) return `cancelled ${familiarName(r.entry.target)}: the push was cancelled by the interrupt; it may or may not have finished`;
  switch (r._tag) {
    case 'Pushed':
      return `pushed ${familiarName(r.entry.target)}${r.digest === undefined ? '' : ` (${r.digest})`}`;
    case 'Skipped':
      return `skipped ${familiarName(r.entry.target)}: the registry already has it (${r.digest})`;
    case 'PushFailed':
      return `failed ${familiarName(r.entry.target)}: ${describeStoreError(r.error, 'push')}`;
    case 'Refused':
      return `refused ${familiarName(r.entry.target)}: not pushed: ${describeRefusal(r.reason)}`;
    case 'NotStarted':
      return `not started ${familiarName(r.entry.target)}: interrupted`;
  }
};

async function runPublish(context: CommandContext, operands: readonly string[], flags: CommandFlags): Promise<Either<CliError, ExitCode>> {
  const loaded = await context.loadSettings(flags);
  if (isLeft(loaded)) return loaded;
  const settings = loaded.right;
  const dryRun = flags.dryRun === true;
  const format = formatFor(settings, dryRun ? ['text', 'json', 'markdown', 'shell'] : ['text', 'json', 'markdown'], dryRun ? 'publish --dry-run' : 'publish');
  if (isLeft(format)) return format;
  // Tagging and pushing write to the engine: under its apply lock, and interruptible (SIGINT, SIGTERM).
  // `interruption` is undefined for a dry run.
  const body = async (interruption?: Interruption): Promise<Either<CliError, ExitCode>> => {
    const prepared = await prepare({ context, settings, operands });
    if (isLeft(prepared)) return prepared;
    const { output, snapshot, images, policy, store, discoveryProblems } = prepared.right;
    const plan = planPublish({ snapshot, images, policy });

    if (interruption === undefined) {
      output.print(renderPublishPlan(plan, { format: format.right, engine: store.engine, header: { snapshot: snapshotLabel(settings) } }));
      return right(plan.findings.length === 0 && discoveryProblems === 0 ? ExitCode.ok : ExitCode.findings);
    }
    if (plan.findings.some((f) => f._tag === 'NoHarborConfigured')) {
      for (const finding of plan.findings) output.error(describePublishFinding(finding));
      return right(ExitCode.findings);
    }
    const { signal } = interruption;
    const cancellable = signal === undefined ? {} : { signal };

    // Harbor names first, through the same store port `apply` uses (it re-checks each name before tagging).
    const tags: Plan = { version: 1, mode: policy.mode, actions: publishTags(plan), findings: [] };
    const tagged = await store.apply(tags, { concurrency: settings.concurrency, current: snapshot, ...cancellable });
    if (isLeft(tagged)) return left(E.store(tagged.left));
    // A Harbor name another process pointed elsewhere meanwhile is not pushed: it would publish that other image.
    const tagFailures = tagged.right.results.flatMap((r) => (r._tag === 'Failed' || r._tag === 'Refused' || r._tag === 'ChangedUnderUs' ? [r] : []));
    const tagsNotStarted = tagged.right.results.flatMap((r) => (r._tag === 'NotStarted' ? [r] : []));
    const unpushable = new Set([...tagFailures, ...tagsNotStarted].map((r) => r.action.target));
    const digests = new Map(tagged.right.after.images.map((image) => [image.id, image.digests ?? []]));

    // As apply does: each result on stderr as it completes (off a terminal too, for a real engine), so a run that
    // is interrupted or killed leaves a record; the report lists every result again.
    const recordProgress = output.interactive || settings.snapshotFile === undefined;
    const pushed = await store.push(
      plan.entries.filter((e) => !unpushable.has(e.target)),
      {
        localDigests: (imageId) => digests.get(imageId) ?? [],
        concurrency: Math.min(settings.concurrency, 2),
        ...cancellable,
        onProgress: (event) => (recordProgress ? output.note(resultLine(event.result)) : undefined),
      },
    );
    if (isLeft(pushed)) return left(E.store(pushed.left));

    const count = (tag: PushResult['_tag']): number => pushed.right.filter((r) => r._tag === tag).length;
    const cancelled = pushed.right.filter(wasCancelled).length;
    const notStarted = count('NotStarted') + tagsNotStarted.length;
    // Refused: not run at all (a stale plan, an invalid name); counted apart from what the engine failed.
    const refusedTags = tagFailures.filter((r) => r._tag === 'Refused').length;
    const refused = count('Refused') + refusedTags;
    const failed = count('PushFailed') - cancelled + tagFailures.length - refusedTags;
    const summary = `publish: ${count('Pushed')} pushed, ${count('Skipped')} skipped, ${failed} failed${refused === 0 ? '' : `, ${refused} refused`}${cancelled + notStarted > 0 ? `, ${cancelled} cancelled, ${notStarted} not started` : ''}`;
    const tagLines = [
      ...tagFailures.map((r) =>
        r._tag === 'Refused'
          ? `refused ${familiarName(r.action.target)}: not tagged or pushed: ${describeRefusal(r.reason)}`
          : `failed ${familiarName(r.action.target)}: ${
              r._tag === 'Failed' ? describeStoreError(r.error, 'apply') : `another process pointed it at ${r.found ?? 'nothing'} while publish ran; not pushed, run again`
            }`,
      ),
      ...tagsNotStarted.map((r) => `not started ${familiarName(r.action.target)}: interrupted before it was tagged`),
    ];
    if (format.right === 'json') {
      output.print(
        `${JSON.stringify({ version: 1, plan: PublishPlanCodec.encode(plan), interrupted: interruption.interrupted(), tagged: tagged.right.results, pushes: pushed.right, summary: { pushed: count('Pushed'), skipped: count('Skipped'), failed, refused, cancelled, notStarted } }, null, 2)}\n`,
      );
    } else if (format.right === 'markdown') {
      output.print(`${[`### imgalias publish to ${describePublishDestination(plan)}`, '', ...[...pushed.right.map(resultLine), ...tagLines].map((l) => `- ${l}`), '', summary].join('\n')}\n`);
    } else {
      output.print(`${[...pushed.right.map(resultLine), ...tagLines, summary].join('\n')}\n`);
    }
    if (interruption.interrupted()) {
      output.error(
        `imgalias: interrupted by ${interruption.name()}: ${count('Pushed')} of ${plan.entries.length} pushed, ${cancelled} cancelled, ${notStarted} not started. Run the same command again to finish.`,
      );
      return right(interruption.exitCode());
    }
    for (const finding of plan.findings) output.error(describePublishFinding(finding));
    if (settings.snapshotFile !== undefined) output.note(`dry run against ${settings.snapshotFile}: no engine was touched and the file was not changed.`);
    return right(failed === 0 && refused === 0 && notStarted === 0 && plan.findings.length === 0 && discoveryProblems === 0 ? ExitCode.ok : ExitCode.findings);
  };
  if (dryRun) return body();
  return interruptible({ context, settings, output: context.output(settings), lock: true, work: body });
}

/** `imgalias publish [IMAGE...]`: give each image its Harbor name and push it, skipping what Harbor already has. */
export const publishCommand: CommandSpec = {
  name: 'publish',
  summary: 'tag each image with its Harbor name and push it, skipping images Harbor already has',
  arguments: [{ name: '[image...]', description: 'images to publish, any family member (default: every family in the store)' }],
  options: [
    option.config,
    ...group.mode,
    ...group.policy,
    ...group.store,
    option.concurrency,
    option.lockTimeout,
    ...group.from,
    describedAs(option.dryRun, 'print what would be tagged and pushed (--format shell: as a script); change nothing'),
  ],
  formats: ['text', 'json', 'markdown', 'shell'],
  run: async (context, { operands, flags }) => runPublish(context, operands, flags),
};
