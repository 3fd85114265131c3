import { isLeft, left } from 'fp-ts/lib/Either.js';
import type { CommandSpec } from './CommandSpec.js';
import { group, option } from './options.js';
import { applyFormats, runApply } from './applyPlan.js';
import { formatFor } from './formats.js';
import { contradictsSavedPlan, loadSavedPlan } from './savedPlan.js';

/**
 * `imgalias apply [IMAGE...]`: plans like `plan`, tags on the engine, then verifies the store. With `--plan FILE`,
 * applies the plan saved there (a reviewed `plan --json`) exactly instead of planning.
 */
export const applyCommand: CommandSpec = {
  name: 'apply',
  summary: 'apply the plan for the given (and discovered) images, or a saved one (--plan), to the engine, then verify',
  arguments: [{ name: '[image...]', description: 'images to make complete, any family member (default: every family in the store)' }],
  options: [
    option.dryRun,
    {
      flags: '--plan <file>',
      description:
        'apply the plan saved in FILE by plan --json (- reads stdin) exactly as reviewed, refusing what the store no longer allows; it fixes the images and policy, so not with IMAGE, --from, --include-built, --exclude, --mode, --network, --harbor, --mirror, --mirrors-from, --harbor-layout, --short-names or --on-conflict',
    },
    option.config,
    ...group.mode,
    ...group.policy,
    ...group.store,
    option.concurrency,
    option.lockTimeout,
    ...group.from,
  ],
  formats: ['text', 'json', 'markdown', 'shell'],
  run: async (context, { operands, flags }) => {
    const planFile = flags.plan;
    if (planFile !== undefined) {
      const contradiction = contradictsSavedPlan(operands, flags);
      if (contradiction !== undefined) return left(contradiction);
    }
    const settings = await context.loadSettings(flags);
    if (isLeft(settings)) return settings;
    const dryRun = flags.dryRun === true;
    const format = formatFor(settings.right, applyFormats(dryRun), dryRun ? 'apply --dry-run' : 'apply');
    if (isLeft(format)) return format;
    if (planFile === undefined) return runApply({ context, settings: settings.right, job: 'apply', operands, format: format.right, dryRun });
    const plan = await loadSavedPlan(context.io, planFile);
    if (isLeft(plan)) return plan;
    return runApply({ context, settings: settings.right, job: { plan: plan.right }, operands: [], format: format.right, dryRun });
  },
};
