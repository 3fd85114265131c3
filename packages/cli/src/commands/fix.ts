import { isLeft } from 'fp-ts/lib/Either.js';
import type { RegisterCommand } from './Command.js';
import { applyFormats, runApply } from './applyPlan.js';
import { formatFor } from './formats.js';
import {
  withConcurrencyOption,
  withConfigOption,
  withDisplayOptions,
  withFormatOptions,
  withFromOption,
  withLockOption,
  withModeOptions,
  withPolicyOptions,
  withStoreOptions,
} from './options.js';
import { withRegistryOptions } from './registryAccess.js';
import { runRegistryFix } from './registryFix.js';

/**
 * `imgalias fix`: the one command for a build host. Every family with a name in the store, plus every image
 * the project's files use (the current directory, or `--from`), made complete in one apply.
 */
export const registerFix: RegisterCommand = (program, context) =>
  withDisplayOptions(
    withFormatOptions(
      withRegistryOptions(withFromOption(
        withLockOption(withConcurrencyOption(
          withStoreOptions(
            withPolicyOptions(
              withModeOptions(withConfigOption(program.command('fix').option('--dry-run', 'print the plan (as plan does) and tag nothing'))),
            ),
            { snapshot: true },
          ),
        )),
      ), null).option('--registry', "apply the alias plan to Harbor itself: tag each missing Harbor name from its rule's staging source (no engine needed)"),
      ['text', 'json', 'markdown', 'shell'],
    ),
  )
    .description(
      'plan and apply for every family in the store plus every image the project files use (current directory, or --from)',
    )
    .action(
      context.action(async ({ flags }) => {
        if ((flags as Record<string, unknown>)['registry'] === true) return runRegistryFix(context, [], flags);
        const settings = await context.loadSettings(flags);
        if (isLeft(settings)) return settings;
        const dryRun = (flags as { dryRun?: boolean }).dryRun === true;
        const format = formatFor(settings.right, applyFormats(dryRun), dryRun ? 'fix --dry-run' : 'fix');
        if (isLeft(format)) return format;
        return runApply({ context, settings: settings.right, job: 'fix', operands: [], format: format.right, dryRun });
      }),
    );
