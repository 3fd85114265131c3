import { isLeft } from 'fp-ts/lib/Either.js';
import type { CommandSpec } from './CommandSpec.js';
import { group, option } from './options.js';
import { applyFormats, runApply } from './applyPlan.js';
import { formatFor } from './formats.js';

/** `imgalias apply [IMAGE...]`: plans like `plan`, tags on the engine, then verifies the store. */
export const applyCommand: CommandSpec = {
  name: 'apply',
  summary: 'apply the plan for the given (and discovered) images to the engine, then verify',
  arguments: [{ name: '[image...]', description: 'images to make complete, any family member (default: every family in the store)' }],
  options: [
    option.dryRun,
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
    const settings = await context.loadSettings(flags);
    if (isLeft(settings)) return settings;
    const dryRun = flags.dryRun === true;
    const format = formatFor(settings.right, applyFormats(dryRun), dryRun ? 'apply --dry-run' : 'apply');
    if (isLeft(format)) return format;
    return runApply({ context, settings: settings.right, job: 'apply', operands, format: format.right, dryRun });
  },
};
