import type { Either } from 'fp-ts/lib/Either.js';
import { isLeft, left, right } from 'fp-ts/lib/Either.js';
import { quoteExcerpt } from '@imgalias/core/internal';
import type { Settings } from '@imgalias/project/internal';
import type { CliError } from '../../CliError.js';
import { CliError as E } from '../../CliError.js';
import type { CommandFlags } from '../Command.js';

// prefetch's own flags, read and validated once before anything is planned.

/** `--attempts`, `--retry-delay`: options only this command has, so settings do not check them. */
const wholeNumber = (raw: string | undefined, option: string, min: number): Either<CliError, number | undefined> => {
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
export const splitMirrorFlags = (flags: CommandFlags): { readonly rules: readonly string[]; readonly hubMirrors: readonly string[] } => {
  const given = flags.mirror;
  const values = typeof given === 'string' ? [given] : [...(given ?? [])];
  return { rules: values.filter((value) => value.includes('=')), hubMirrors: values.filter((value) => !value.includes('=')) };
};

/** This command's flags over the settings' `prefetch` section; a bad value is a usage error that changes nothing. */
export const pullSettingsOf = (flags: CommandFlags, settings: Settings): Either<CliError, PullSettings> => {
  const attempts = wholeNumber(flags.attempts, '--attempts', 1);
  if (isLeft(attempts)) return attempts;
  const delay = wholeNumber(flags.retryDelay, '--retry-delay', 0);
  if (isLeft(delay)) return delay;
  const { hubMirrors } = splitMirrorFlags(flags);
  const platform = flags.platform;
  if (typeof platform === 'string' && platform !== 'engine' && !PLATFORM.test(platform)) {
    return left(
      E.usage(`--platform must be OS/ARCH[/VARIANT] such as linux/amd64 or linux/arm64/v8, or "engine", got ${quoteExcerpt(platform)}. Nothing was changed.`),
    );
  }
  return right({
    attempts: attempts.right ?? settings.prefetch.attempts,
    baseDelayMs: delay.right ?? settings.prefetch.baseDelayMs,
    // --concurrency was checked with the other settings; the config's top-level `concurrency` is for tagging.
    concurrency: settings.sources.concurrency.kind === 'flag' ? settings.concurrency : settings.prefetch.concurrency,
    mirrors: hubMirrors.length > 0 ? hubMirrors : settings.prefetch.mirrors,
    ...(platform === 'engine' ? { platform: { _tag: 'Engine' } as const } : typeof platform === 'string' ? { platform: { _tag: 'Given', platform } as const } : {}),
  });
};
