import type { Either } from 'fp-ts/lib/Either.js';
import { isLeft, left, right } from 'fp-ts/lib/Either.js';
import type { CleanPlan, ContainerUse, EngineKind } from '@imgalias/core';
import { describeCleanFinding, describeCleanRefusal, familiarName, planClean, spellReference } from '@imgalias/core';
import type { UntagResult } from '@imgalias/adapter-docker';
import { describeStoreError, listContainers, untagImages } from '@imgalias/adapter-docker';
import type { CliError } from '../CliError.js';
import { CliError as E } from '../CliError.js';
import { ExitCode } from '../ExitCode.js';
import type { CommandContext, RegisterCommand } from './Command.js';
import { formatFor } from './formats.js';
import { withConfigOption, withDisplayOptions, withFormatOptions, withModeOptions, withPolicyOptions, withStoreOptions } from './options.js';
import { engineStoreOf } from './prefetch.js';
import { prepare } from './prepare.js';
import { snapshotLabel } from './snapshotLabel.js';
import { quoteShellArg } from '@imgalias/adapter-dry-run';
import { shortId } from '../Wording.js';


const counts = (plan: CleanPlan): string =>
  `${plan.actions.length} to untag, ${plan.kept.length} kept, ${plan.refusals.length} refused, ${plan.findings.length} finding${plan.findings.length === 1 ? '' : 's'}`;

/** The clean plan in one of the four formats. Pure. */
export const renderCleanPlan = (
  plan: CleanPlan,
  options: { readonly format: 'text' | 'json' | 'markdown' | 'shell'; readonly engine: EngineKind; readonly snapshot: string },
): string => {
  switch (options.format) {
    case 'json':
      return `${JSON.stringify(plan, null, 2)}\n`;
    case 'text':
      return `${[
        `clean plan: ${counts(plan)}`,
        ...plan.actions.map((a) => `untag ${familiarName(a.name)} (${a.role}, image ${shortId(a.imageId)})`),
        ...plan.kept.map((k) => `keep ${familiarName(k.name)} (Harbor copy; --include-harbor removes it locally)`),
        ...plan.refusals.map((r) => `refused: ${describeCleanRefusal(r)}`),
        ...plan.findings.map((f) => `note: ${describeCleanFinding(f)}`),
      ].join('\n')}\n`;
    case 'markdown':
      return `${[
        '### imgalias clean plan',
        '',
        counts(plan),
        '',
        '| name | family | image id | step |',
        '| --- | --- | --- | --- |',
        ...plan.actions.map((a) => `| \`${familiarName(a.name)}\` | \`${familiarName(a.family)}\` | ${shortId(a.imageId)} | untag |`),
        ...plan.kept.map((k) => `| \`${familiarName(k.name)}\` | \`${familiarName(k.family)}\` | ${shortId(k.imageId)} | keep (Harbor copy) |`),
        ...(plan.refusals.length + plan.findings.length === 0
          ? []
          : ['', '**Refused and noted**', '', ...plan.refusals.map((r) => `- ${describeCleanRefusal(r)}`), ...plan.findings.map((f) => `- ${describeCleanFinding(f)}`)]),
      ].join('\n')}\n`;
    case 'shell': {
      const comment = (text: string): string => `# ${text.replace(/[\r\n]+/g, ' ')}`;
      return `${[
        '#!/bin/sh',
        comment(`imgalias clean plan for ${options.engine}: ${counts(plan)}`),
        comment(`snapshot: ${options.snapshot}`),
        comment('Removes names only: never an image id, never --force. The engine deletes an image when its last name goes.'),
        'set -eu',
        '',
        ...(plan.actions.length === 0 ? [comment('nothing to untag')] : plan.actions.map((a) => `${options.engine} image rm ${quoteShellArg(spellReference(a.name, options.engine))}`)),
        ...plan.refusals.map((r) => comment(`refused: ${describeCleanRefusal(r)}`)),
      ].join('\n')}\n`;
    }
  }
};

const resultLine = (r: UntagResult): string =>
  r._tag === 'Untagged' ? `untagged ${familiarName(r.action.name)}` : `failed ${familiarName(r.action.name)}: ${describeStoreError(r.error)}`;

async function runClean(context: CommandContext, operands: readonly string[], flags: object): Promise<Either<CliError, ExitCode>> {
  const loaded = await context.loadSettings(flags);
  if (isLeft(loaded)) return loaded;
  const settings = loaded.right;
  const options = flags as Record<string, unknown>;
  const apply = options['apply'] === true;
  const includeHarbor = options['includeHarbor'] === true;
  const format = formatFor(settings, apply ? ['text', 'json', 'markdown'] : ['text', 'json', 'markdown', 'shell'], apply ? 'clean --apply' : 'clean');
  if (isLeft(format)) return format;
  const prepared = await prepare({ context, settings, operands, scope: 'requested-or-store' });
  if (isLeft(prepared)) return prepared;
  // Only the images named on the command line: config `images` and discovered images are what a project
  // uses, and cleaning must never reach beyond what the operator typed.
  const { output, snapshot, policy, store } = prepared.right;
  const images = operands;
  const engineStore = engineStoreOf(store);
  if (engineStore === undefined && apply) {
    return left(E.usage('clean --apply removes names in an engine, not in a --snapshot file. Nothing was changed.'));
  }

  // A saved snapshot knows no containers; the plan then says so rather than pretending none use the images.
  let containers: readonly ContainerUse[] = [];
  if (engineStore !== undefined) {
    const listed = await listContainers(engineStore.runner);
    if (isLeft(listed)) return left(E.store(listed.left));
    containers = listed.right;
  } else {
    output.note(`planned against ${settings.snapshotFile ?? 'a snapshot'}: containers were not checked.`);
  }
  const plan = planClean({ snapshot, images, policy, includeHarbor, containers });
  const blocked = plan.refusals.length > 0;

  if (!apply) {
    output.print(renderCleanPlan(plan, { format: format.right, engine: store.engine, snapshot: snapshotLabel(settings) }));
    if (format.right === 'text' && plan.actions.length > 0) output.note('dry run: nothing was removed; run again with --apply to untag.');
    return right(blocked ? ExitCode.findings : ExitCode.ok);
  }

  const untagged = await untagImages({ store: engineStore as NonNullable<typeof engineStore>, actions: plan.actions });
  if (isLeft(untagged)) return left(E.store(untagged.left));
  const failed = untagged.right.filter((r) => r._tag === 'UntagFailed').length;
  const summary = `clean: ${untagged.right.length - failed} untagged, ${plan.kept.length} kept, ${plan.refusals.length} refused, ${failed} failed`;
  if (format.right === 'json') {
    output.print(`${JSON.stringify({ version: 1, plan, results: untagged.right }, null, 2)}\n`);
  } else {
    const lines = [
      ...untagged.right.map(resultLine),
      ...plan.kept.map((k) => `kept ${familiarName(k.name)} (Harbor copy)`),
      ...plan.refusals.map((r) => `refused: ${describeCleanRefusal(r)}`),
      summary,
    ];
    output.print(`${(format.right === 'markdown' ? ['### imgalias clean', '', ...lines.map((l) => `- ${l}`)] : lines).join('\n')}\n`);
  }
  return right(failed === 0 && !blocked ? ExitCode.ok : ExitCode.findings);
}

/** `imgalias clean IMAGE...`: untag a family's local names; dry by default, `--apply` to do it. */
export const registerClean: RegisterCommand = (program, context) =>
  withDisplayOptions(
    withFormatOptions(
      withStoreOptions(
        withPolicyOptions(
          withModeOptions(
            withConfigOption(
              program
                .command('clean')
                .argument('<image...>', 'images whose local names to remove, any family member')
                .description('untag the local names of the given families (origin, localhost/, short names); prints the plan unless --apply')
                .option('--apply', 'untag for real (default: print what would be untagged)')
                .option('--include-harbor', 'also remove the local Harbor name (never anything in the registry)'),
            ),
          ),
        ),
        { snapshot: true },
      ),
      ['text', 'json', 'markdown', 'shell'],
    ),
  ).action(context.action(async ({ operands, flags }) => runClean(context, operands, flags)));
