import type { Either } from 'fp-ts/lib/Either.js';
import { isLeft, left, right } from 'fp-ts/lib/Either.js';
import type { UntagResult } from '@imgalias/core';
import { CleanPlanCodec, describeCleanFinding, describeCleanRefusal, describeRefusal, familiarName, planClean } from '@imgalias/core';
import { renderCleanPlan } from '@imgalias/render';
import { resolve } from 'node:path';
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


const resultLine = (r: UntagResult): string => {
  switch (r._tag) {
    case 'Untagged':
      return `untagged ${familiarName(r.action.name)}`;
    case 'UntagFailed':
      return `failed ${familiarName(r.action.name)}: ${describeStoreError(r.error, 'untag')}`;
    case 'Refused':
      return `refused ${familiarName(r.action.name)}: not removed: ${describeRefusal(r.reason)}`;
    case 'NotStarted':
      return `not started ${familiarName(r.action.name)}: interrupted`;
  }
};

async function runClean(context: CommandContext, operands: readonly string[], flags: CommandFlags): Promise<Either<CliError, ExitCode>> {
  const loaded = await context.loadSettings(flags);
  if (isLeft(loaded)) return loaded;
  const settings = loaded.right;
  const apply = flags.apply === true;
  if (apply && flags.dryRun === true) {
    return left(E.usage('--apply removes names and --dry-run only prints the plan: give one of them. Nothing was changed.'));
  }
  const includeHarbor = flags.includeHarbor === true;
  const includeUnrecoverable = flags.includeUnrecoverable === true;
  // Only what the operator typed: image arguments and --from paths. Config `images` and `from` describe what a
  // project uses, and cleaning must never reach beyond the command line.
  const fromFlag = flags.from;
  const from = (typeof fromFlag === 'string' ? [fromFlag] : (fromFlag ?? [])).map((p) =>
    resolve(context.io.cwd, p),
  );
  if (operands.length === 0 && from.length === 0) {
    return left(E.usage('name the images to clean (IMAGE...) or a project to take them from (--from PATH). Nothing was changed.'));
  }
  const format = formatFor(settings, apply ? ['text', 'json', 'markdown'] : ['text', 'json', 'markdown', 'shell'], apply ? 'clean --apply' : 'clean');
  if (isLeft(format)) return format;
  // Untagging writes to the engine: under its apply lock, and interruptible (SIGINT, SIGTERM). `interruption` is
  // undefined when clean only prints.
  const body = async (interruption?: Interruption): Promise<Either<CliError, ExitCode>> => {
    const prepared = await prepare({ context, settings: { ...settings, from, images: [] }, operands });
    if (isLeft(prepared)) return prepared;
    const { output, snapshot, policy, store, discovery } = prepared.right;
    const images = [...operands, ...(discovery?.images.map((image) => image.reference) ?? [])];

    // A saved snapshot without a container list knows no containers; the run then says so rather than pretending
    // none use the images.
    const listed = await store.containers();
    if (isLeft(listed)) return left(E.store(listed.left));
    const containers = listed.right ?? [];
    if (listed.right === undefined) output.note(`planned against ${settings.snapshotFile ?? 'a snapshot'}: containers were not checked.`);
    const plan = planClean({ snapshot, images, policy, includeHarbor, containers, includeUnrecoverable });
    // One warning per family whose image internal mode could not get back, whether refused or cleaned anyway.
    for (const refusal of plan.refusals) if (refusal._tag === 'Unrecoverable') output.error(`warning: ${describeCleanRefusal(refusal)}`);
    for (const finding of plan.findings) if (finding._tag === 'UnrecoverableCleaned') output.error(`warning: ${describeCleanFinding(finding)}`);
    const blocked = plan.refusals.length > 0;

    if (interruption === undefined) {
      output.print(renderCleanPlan(plan, { format: format.right, engine: store.engine, header: { snapshot: snapshotLabel(settings) } }));
      if (format.right === 'text' && plan.actions.length > 0) output.note('dry run: nothing was removed; run again with --apply to untag.');
      return right(blocked ? ExitCode.findings : ExitCode.ok);
    }

    // Not given `current`: the store reads itself again, so a name moved since planning is refused, not removed.
    // Each result goes to stderr as it completes (for a real engine), as apply's do.
    const recordProgress = output.interactive || settings.snapshotFile === undefined;
    const untagged = await store.untag(plan.actions, {
      ...(interruption.signal === undefined ? {} : { signal: interruption.signal }),
      onProgress: (event) => (recordProgress ? output.note(resultLine(event.result)) : undefined),
    });
    if (isLeft(untagged)) return left(E.store(untagged.left));
    const count = (tag: UntagResult['_tag']): number => untagged.right.filter((r) => r._tag === tag).length;
    const [removed, failed, notStarted] = [count('Untagged'), count('UntagFailed'), count('NotStarted')];
    // Refused: a family the plan would not clean, or a name the store found moved or gone right before removing it
    // (nothing was asked of the engine); counted apart from what the engine failed, as apply and publish count them.
    const refused = plan.refusals.length + count('Refused');
    const summary = `clean: ${removed} untagged, ${plan.kept.length} kept, ${refused} refused, ${failed} failed${notStarted > 0 ? `, ${notStarted} not started` : ''}`;
    if (format.right === 'json') {
      output.print(`${JSON.stringify({ version: 1, plan: CleanPlanCodec.encode(plan), interrupted: interruption.interrupted(), results: untagged.right }, null, 2)}\n`);
    } else {
      const lines = [
        ...untagged.right.map(resultLine),
        ...plan.kept.map((k) => `kept ${familiarName(k.name)} (Harbor copy)`),
        ...plan.refusals.map((r) => `refused: ${describeCleanRefusal(r)}`),
        summary,
      ];
      output.print(`${(format.right === 'markdown' ? ['### imgalias clean', '', ...lines.map((l) => `- ${l}`)] : lines).join('\n')}\n`);
    }
    if (interruption.interrupted()) {
      output.error(
        `imgalias: interrupted by ${interruption.name()}: ${removed} of ${plan.actions.length} names untagged, ${notStarted} not started. Run the same command again to finish.`,
      );
      return right(interruption.exitCode());
    }
    if (settings.snapshotFile !== undefined) output.note(`dry run against ${settings.snapshotFile}: no engine was touched and the file was not changed.`);
    return right(failed === 0 && refused === 0 && notStarted === 0 ? ExitCode.ok : ExitCode.findings);
  };
  if (!apply) return body();
  return interruptible({ context, settings, output: context.output(settings), lock: true, work: body });
}

/**
 * `imgalias clean IMAGE... | --from PATH`: untag a family's local names. The one destructive command, so the
 * one that prints by default: `--apply` acts, `--dry-run` (the default) prints. Every other command that
 * changes something acts by default and takes `--dry-run`.
 */
export const cleanCommand: CommandSpec = {
  name: 'clean',
  summary: 'untag the local names of the given (or --from) families (origin, localhost/, short names); removes nothing unless --apply',
  arguments: [{ name: '[image...]', description: 'images whose local names to remove, any family member' }],
  options: [
    { flags: '--apply', description: 'untag for real (clean alone only prints: it is the one command that removes)' },
    describedAs(option.dryRun, 'print what would be untagged and remove nothing (the default for clean)'),
    { flags: '--include-harbor', description: 'also remove the local Harbor name (never anything in the registry)' },
    {
      flags: '--include-unrecoverable',
      description: 'internal mode: also clean images with no Harbor name here, which internal mode could not pull back',
    },
    option.config,
    ...group.mode,
    ...group.policy,
    ...group.store,
    option.lockTimeout,
    ...group.from,
  ],
  formats: ['text', 'json', 'markdown', 'shell'],
  run: async (context, { operands, flags }) => runClean(context, operands, flags),
};
