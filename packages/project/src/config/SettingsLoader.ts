import type { Either } from 'fp-ts/lib/Either.js';
import type { ConfigError } from './ConfigError.js';
import type { CliFlags } from './loadSettings.js';
import type { Settings } from './Settings.js';

/**
 * Reads every settings level and merges them, per setting: flags > environment > `.env` in `cwd` > config file >
 * defaults. Nothing is executed: `.env` and the config file are parsed as data. An invalid value at any level is
 * an error naming the option and its source, never a silent default.
 *
 * The loader (the config codecs, the YAML and TOML readers) is imported on the first call, so a program that
 * imports this package but never reads settings, such as `imgalias --version`, does not load it.
 *
 * @example
 * const settings = await loadSettings({ flags: { mode: 'internal' }, env: process.env, cwd: process.cwd() });
 */
export async function loadSettings(input: {
  readonly flags: CliFlags;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}): Promise<Either<ConfigError, Settings>> {
  const loader = await import('./loadSettings.js');
  return loader.loadSettings(input);
}
