import { isLeft } from 'fp-ts/lib/Either.js';
import type { RegisterCommand } from './Command.js';
import { applyPrepared } from './applyPlan.js';
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

/** `imgalias apply [IMAGE...]`: plans like `plan`, tags on the engine, then verifies the store. */
export const registerApply: RegisterCommand = (program, context) =>
  withDisplayOptions(
    withFormatOptions(
      withFromOption(
        withConcurrencyOption(
          withStoreOptions(
            withPolicyOptions(
              withModeOptions(
                withConfigOption(
                  program
                    .command('apply')
                    .argument('[image...]', 'images to make complete, any family member (default: every family in the store)')
                    .description('apply the plan for the given (and discovered) images to the engine, then verify'),
                ),
              ),
            ),
            { snapshot: true },
          ),
        ),
      ),
      ['text', 'json', 'markdown'],
    ),
  ).action(
    context.action(async ({ operands, flags }) => {
      const settings = await context.loadSettings(flags);
      if (isLeft(settings)) return settings;
      const format = formatFor(settings.right, ['text', 'json', 'markdown'], 'apply');
      if (isLeft(format)) return format;
      const prepared = await prepare({ context, settings: settings.right, operands, scope: 'requested-or-store' });
      if (isLeft(prepared)) return prepared;
      return applyPrepared({ context, prepared: prepared.right, format: format.right });
    }),
  );
