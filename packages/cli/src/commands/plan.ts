import { isLeft, left, right } from 'fp-ts/lib/Either.js';
import { planProject } from '@imgalias/project/internal';
import { CliError as E, fromProjectError } from '../CliError.js';
import { renderPlan } from '@imgalias/render';
import { ExitCode } from '../ExitCode.js';
import { emptyStoreNote, hintsForMissing } from '../MissingImageHints.js';
import type { CommandSpec } from './CommandSpec.js';
import { describedAs, group, option } from './options.js';
import { runRegistryFix } from './registryFix.js';
import { formatFor } from './formats.js';
import { runPrefetch } from './prefetch.js';
import { jobOptions } from './prepare.js';
import { projectNote } from '../ProjectNote.js';
import { snapshotLabel } from './snapshotLabel.js';

/**
 * `imgalias plan [IMAGE...]`: the tag operations that would make every family complete. Changes nothing. With
 * `--registry`, the plan against Harbor as the store (what `fix --registry` would tag).
 */
export const planCommand: CommandSpec = {
  name: 'plan',
  summary: 'print the plan for the given (and discovered) images; changes nothing',
  arguments: [{ name: '[image...]', description: 'images to plan for, any family member (default: every family in the store)' }],
  options: [
    { flags: '--prefetch', description: 'print the pull plan instead: what prefetch would pull from where, and why (= prefetch --dry-run)' },
    option.config,
    ...group.mode,
    ...group.policy,
    ...group.store,
    ...group.from,
    describedAs(option.concurrency, 'with --registry: how many names are read at once (default 4)'),
    option.registryAuth,
    option.insecureRegistry,
    option.caFile,
    {
      flags: '--registry',
      description: "plan against Harbor itself, as fix --registry would apply it: each missing Harbor name tagged from its rule's staging source (no engine needed)",
    },
  ],
  formats: ['text', 'json', 'markdown', 'shell'],
  run: async (context, { operands, flags }) => {
    if (flags.registry === true && flags.prefetch === true) {
      return left(E.usage('--prefetch prints the pull plan for an engine and --registry plans against Harbor: give one of them. Nothing was changed.'));
    }
    if (flags.registry === true) return runRegistryFix(context, operands, flags, 'plan');
    if (flags.prefetch === true) return runPrefetch(context, operands, { ...flags, dryRun: true });
    const settings = await context.loadSettings(flags);
    if (isLeft(settings)) return settings;
    const format = formatFor(settings.right, ['text', 'json', 'markdown', 'shell'], 'plan');
    if (isLeft(format)) return format;
    const output = context.output(settings.right);
    const planned = await planProject({ ...jobOptions(context, settings.right, output), images: operands });
    if (isLeft(planned)) return left(fromProjectError(planned.left));
    const { plan, snapshot, policy, store, unreadProjectFiles, ok } = planned.right;
    const note = projectNote('plan', unreadProjectFiles);
    if (note !== undefined) output.note(note);

    output.print(
      renderPlan(plan, {
        format: format.right,
        engine: store.engine,
        color: output.color,
        header: { snapshot: snapshotLabel(settings.right), policy },
      }),
    );
    const empty = emptyStoreNote({ snapshot, missing: plan.findings.filter((f) => f._tag === 'Missing').length, engine: store.engine, snapshotFile: settings.right.snapshotFile });
    if (empty !== undefined) output.note(`note: ${empty}`);
    if (format.right === 'text') for (const hint of hintsForMissing(plan.findings, { policy, engine: store.engine })) output.note(hint);
    return right(ok ? ExitCode.ok : ExitCode.findings);
  },
};
