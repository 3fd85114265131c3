import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import type { OutputFormat, Settings } from '../config/Settings.js';
import type { CliError } from '../CliError.js';
import { CliError as E } from '../CliError.js';

/**
 * The settings' output format, when the command can print it. A format from a config file or `--format` that
 * this command has no renderer for is a usage error rather than a silent fallback to text.
 */
export function formatFor<F extends OutputFormat>(
  settings: Settings,
  supported: readonly F[],
  command: string,
): Either<CliError, F> {
  const wanted = settings.format;
  return (supported as readonly OutputFormat[]).includes(wanted)
    ? right(wanted as F)
    : left(E.usage(`${command} cannot print --format ${wanted}; use one of: ${supported.join(', ')}. Nothing was changed.`));
}
