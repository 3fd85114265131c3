import { isLeft } from 'fp-ts/lib/Either.js';
import type { CommandSpec } from './CommandSpec.js';
import { group, option } from './options.js';
import { applyFormats, runApply } from './applyPlan.js';
import { formatFor } from './formats.js';
import { runRegistryFix } from './registryFix.js';

/**
 * `imgalias fix`: the one command for a build host. Every family with a name in the store, plus every image
 * the project's files use (the current directory, or `--from`), made complete in one apply.
 */
export const fixCommand: CommandSpec = {
  name: 'fix',
  summary: 'plan and apply for every family in the store plus every image the project files use (current directory, or --from)',
  options: [
    option.dryRun,
    option.config,
    ...group.mode,
    ...group.policy,
    ...group.store,
    option.concurrency,
    option.lockTimeout,
    ...group.from,
    option.registryAuth,
    option.insecureRegistry,
    option.caFile,
    { flags: '--registry', description: "apply the alias plan to Harbor itself: tag each missing Harbor name from its rule's staging source (no engine needed)" },
  ],
  formats: ['text', 'json', 'markdown', 'shell'],
  run: async (context, { flags }) => {
    if (flags.registry === true) return runRegistryFix(context, [], flags);
    const settings = await context.loadSettings(flags);
    if (isLeft(settings)) return settings;
    const dryRun = flags.dryRun === true;
    const format = formatFor(settings.right, applyFormats(dryRun), dryRun ? 'fix --dry-run' : 'fix');
    if (isLeft(format)) return format;
    return runApply({ context, settings: settings.right, job: 'fix', operands: [], format: format.right, dryRun });
  },
};
