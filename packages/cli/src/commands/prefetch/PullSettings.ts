import type { Either } from 'fp-ts/lib/Either.js';
import { isLeft, left, right } from 'fp-ts/lib/Either.js';
import { quoteExcerpt } from '@imgalias/core';
import type { Settings } from '@imgalias/project';
import type { CliError } from '../../CliError.js';
import { CliError as E } from '../../CliError.js';

// prefetch's own flags, read and validated once before anything is planned.

/** The raw value of an option only this command has (settings do not know it). */
export const optionOf = (flags: object, key: string): unknown => (flags as Record<string, unknown>)[key];

const wholeNumber = (flags: object, key: string, option: string, min: number): Either<CliError, number | undefined> => {
  const raw = optionOf(flags, key);
  if (raw === undefined) return right(undefined);
  const text = String(raw);
  const n = Number(text);
  return /^\d+$/.test(text) && n >= min
    ? right(n)
    : left(E.usage(`${option} must be a whole number >= ${min}, got ${quoteExcerpt(text)}. Nothing was changed.`));
};

const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/;

/** `--platform OS/ARCH`: pull and check that platform; `--platform engine`: check against the engine's own. */
export type PlatformChoice = { readonly _tag: 'Given'; readonly platform: string } | { readonly _tag: 'Engine' };

/** The pull settings after this command's own flags: `--attempts`, `--retry-delay`, `--mirror`, `--concurrency`. */
export interface PullSettings {
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly concurrency: number;
  readonly mirrors: readonly string[];
  readonly platform?: PlatformChoice;
}

/**
 * `--mirror` with `=` is a mirror rule (every command reads those through settings); without, the older Docker
 * Hub pull mirror of prefetch, which only `pullSettingsOf` reads.
 */
export const splitMirrorFlags = (flags: object): { readonly rules: readonly string[]; readonly hubMirrors: readonly string[] } => {
  const given = optionOf(flags, 'mirror');
  const values = Array.isArray(given) ? given.map(String) : [];
  return { rules: values.filter((value) => value.includes('=')), hubMirrors: values.filter((value) => !value.includes('=')) };
};

/** This command's flags over the settings' `prefetch` section; a bad value is a usage error that changes nothing. */
export const pullSettingsOf = (flags: object, settings: Settings): Either<CliError, PullSettings> => {
  const attempts = wholeNumber(flags, 'attempts', '--attempts', 1);
  if (isLeft(attempts)) return attempts;
  const delay = wholeNumber(flags, 'retryDelay', '--retry-delay', 0);
  if (isLeft(delay)) return delay;
  const concurrency = wholeNumber(flags, 'concurrency', '--concurrency', 1);
  if (isLeft(concurrency)) return concurrency;
  const { hubMirrors } = splitMirrorFlags(flags);
  const platform = optionOf(flags, 'platform');
  if (typeof platform === 'string' && platform !== 'engine' && !PLATFORM.test(platform)) {
    return left(
      E.usage(`--platform must be OS/ARCH[/VARIANT] such as linux/amd64 or linux/arm64/v8, or "engine", got ${quoteExcerpt(platform)}. Nothing was changed.`),
    );
  }
  return right({
    attempts: attempts.right ?? settings.prefetch.attempts,
    baseDelayMs: delay.right ?? settings.prefetch.baseDelayMs,
    concurrency: concurrency.right ?? settings.prefetch.concurrency,
    mirrors: hubMirrors.length > 0 ? hubMirrors : settings.prefetch.mirrors,
    ...(platform === 'engine' ? { platform: { _tag: 'Engine' } as const } : typeof platform === 'string' ? { platform: { _tag: 'Given', platform } as const } : {}),
  });
};
