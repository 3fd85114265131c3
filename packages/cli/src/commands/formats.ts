import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import type { OutputFormat, Settings } from '@imgalias/project/internal';
import type { CliError } from '../CliError.js';
import { CliError as E } from '../CliError.js';

/**
 * The settings' output format, when the command can print it. `--format` (or `--json`) that this command has no
 * renderer for is a usage error rather than a silent fallback; a config file's `format` is a preference for the
 * commands that can print it, and the others print text.
 */
export function formatFor<F extends OutputFormat>(
  settings: Settings,
  supported: readonly F[],
  command: string,
): Either<CliError, F> {
  const wanted = settings.format;
  if ((supported as readonly OutputFormat[]).includes(wanted)) return right(wanted as F);
  const text = supported.find((format) => format === 'text');
  if (settings.formatSource !== 'flag' && text !== undefined) return right(text);
  return left(E.usage(`${command} cannot print --format ${wanted}; use one of: ${supported.join(', ')}. Nothing was changed.`));
}
