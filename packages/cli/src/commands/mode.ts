import { isLeft, right } from 'fp-ts/lib/Either.js';
import { describeModeResolution } from '../mode/resolveMode.js';
import type { ModeResolution } from '../mode/resolveMode.js';
import { ExitCode } from '../ExitCode.js';
import type { RegisterCommand } from './Command.js';
import { withConfigOption, withDisplayOptions, withFormatOptions, withModeOptions } from './options.js';
import { formatFor } from './formats.js';

/** The `--json` form of `imgalias mode`: a public interface, so it is built field by field. */
export const modeJson = (resolution: ModeResolution) => ({
  mode: resolution.mode,
  source: resolution.source,
  ...(resolution.probes === undefined ? {} : { probes: resolution.probes }),
});

/** `imgalias mode`: the network mode the other commands would use, and which setting decided it. */
export const registerMode: RegisterCommand = (program, context) =>
  withDisplayOptions(
    withFormatOptions(
      withModeOptions(
        withConfigOption(program.command('mode').description('print the resolved network mode and where it came from')),
      ),
      ['text', 'json'],
    ),
  ).action(
    context.action(async ({ flags }) => {
      const settings = await context.loadSettings(flags);
      if (isLeft(settings)) return settings;
      const format = formatFor(settings.right, ['text', 'json'], 'mode');
      if (isLeft(format)) return format;
      const output = context.output(settings.right);
      const resolution = await context.resolveMode(settings.right);
      output.print(format.right === 'json' ? JSON.stringify(modeJson(resolution), null, 2) : describeModeResolution(resolution));
      return right(ExitCode.ok);
    }),
  );
