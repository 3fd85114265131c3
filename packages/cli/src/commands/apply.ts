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

/** `imgalias apply [IMAGE...]`: plans like `plan`, tags on the engine, then verifies the store. */
export const registerApply: RegisterCommand = (program, context) =>
  withDisplayOptions(
    withFormatOptions(
      withFromOption(
        withLockOption(withConcurrencyOption(
          withStoreOptions(
            withPolicyOptions(
              withModeOptions(
                withConfigOption(
                  program
                    .command('apply')
                    .argument('[image...]', 'images to make complete, any family member (default: every family in the store)')
                    .description('apply the plan for the given (and discovered) images to the engine, then verify')
                    .option('--dry-run', 'print the plan (as plan does) and tag nothing'),
                ),
              ),
            ),
            { snapshot: true },
          ),
        )),
      ),
      ['text', 'json', 'markdown', 'shell'],
    ),
  ).action(
    context.action(async ({ operands, flags }) => {
      const settings = await context.loadSettings(flags);
      if (isLeft(settings)) return settings;
      const dryRun = (flags as { dryRun?: boolean }).dryRun === true;
      const format = formatFor(settings.right, applyFormats(dryRun), dryRun ? 'apply --dry-run' : 'apply');
      if (isLeft(format)) return format;
      return runApply({ context, settings: settings.right, job: 'apply', operands, format: format.right, dryRun });
    }),
  );
