import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import type { HarborLayout, HarborLocation, MirrorRule } from '@imgalias/core';
import { ANY_ORIGIN, makeMirrorRule, parseMirrorRule } from '@imgalias/core/internal';
import type { ConfigError } from './ConfigError.js';
import type { ConfigMirror } from './ConfigFile.js';
import type { SettingSource, Sourced } from './Settings.js';

/** A mirror rule and the level it was given at. */
export type SourcedMirrorRule = Sourced<MirrorRule>;

/** One settings level's rules as written, highest precedence first in `decideMirrors`'s input. */
export type MirrorLevel =
  | {
      /** `--mirror`, `IMGALIAS_MIRRORS` (comma-separated), `.env`: the `ORIGIN=LOCATION[@LAYOUT]` form. */
      readonly _tag: 'Written';
      readonly option: string;
      readonly values: readonly string[];
      readonly source: SettingSource;
    }
  | {
      /** `--mirrors-from FILE`: rules already read from a registries.conf. */
      readonly _tag: 'Read';
      readonly option: string;
      readonly file: string;
      readonly rules: readonly MirrorRule[];
      readonly source: SettingSource;
    }
  | {
      /** The config file's `mirrors` list. */
      readonly _tag: 'Config';
      readonly file: string;
      readonly entries: readonly ConfigMirror[];
    };

const RANK: Record<SettingSource['kind'], number> = { flag: 0, env: 1, dotenv: 2, config: 3, default: 4 };

const duplicate = (option: string, value: string, source: SettingSource, origin: string): ConfigError => ({
  _tag: 'InvalidOption',
  option,
  value,
  message: `${origin === ANY_ORIGIN ? 'the * rule' : origin} is given twice at this level (${origin === ANY_ORIGIN ? 'a * rule and --harbor, or two * rules' : 'two rules for one registry'}); keep one`,
  source,
});

/**
 * The mirror rules in force: per origin, the rule from the highest level (flags > environment > `.env` > config
 * file), like every other setting. `--harbor` is the `*` rule at its own level, so a `*` rule written at a higher
 * level replaces it and one at a lower level is replaced by it. Rules without a layout take `harborLayout`.
 * A bad rule, or one origin twice at one level, is an error naming the option (or the config entry) and where
 * it was given: exit 2, nothing changed.
 */
export function decideMirrors(input: {
  readonly levels: readonly MirrorLevel[];
  readonly harbor: Sourced<HarborLocation> | undefined;
  readonly harborLayout: HarborLayout;
}): Either<ConfigError, readonly SourcedMirrorRule[]> {
  const chosen = new Map<string, SourcedMirrorRule>();
  const harborRank = input.harbor === undefined ? undefined : RANK[input.harbor.source.kind];
  for (const level of input.levels) {
    const atLevel = new Set<string>();
    const add = (rule: MirrorRule, source: SettingSource, onDuplicate: () => ConfigError): ConfigError | undefined => {
      if (atLevel.has(rule.origin)) return onDuplicate();
      // --harbor at the same level is the * rule already.
      if (rule.origin === ANY_ORIGIN && harborRank === RANK[source.kind] && !(level._tag === 'Read')) return onDuplicate();
      atLevel.add(rule.origin);
      if (!chosen.has(rule.origin)) chosen.set(rule.origin, { value: rule, source });
      return undefined;
    };
    switch (level._tag) {
      case 'Written':
        for (const value of level.values) {
          const parsed = parseMirrorRule(value, input.harborLayout);
          if (parsed._tag === 'Left') {
            return left({ _tag: 'InvalidOption', option: level.option, value, message: parsed.left.reason, source: level.source });
          }
          const problem = add(parsed.right, level.source, () => duplicate(level.option, value, level.source, parsed.right.origin));
          if (problem !== undefined) return left(problem);
        }
        break;
      case 'Read':
        for (const rule of level.rules) {
          const problem = add(rule, level.source, () => ({
            _tag: 'ConfigFileInvalid',
            file: level.file,
            errors: [{ path: `prefix "${rule.origin}"`, message: 'two [[registry]] tables for one registry; keep one' }],
          }));
          if (problem !== undefined) return left(problem);
        }
        break;
      case 'Config': {
        const source: SettingSource = { kind: 'config', file: level.file };
        for (const [index, entry] of level.entries.entries()) {
          const path = `mirrors[${index}]`;
          const made =
            typeof entry === 'string'
              ? parseMirrorRule(entry, input.harborLayout)
              : makeMirrorRule({ origin: entry.origin, location: entry.location, layout: entry.layout, from: entry.from, fromLayout: entry.fromLayout, defaultLayout: input.harborLayout });
          const invalid = (message: string): ConfigError => ({ _tag: 'ConfigFileInvalid', file: level.file, errors: [{ path, message }] });
          if (made._tag === 'Left') return left(invalid(made.left.reason));
          const problem = add(made.right, source, () =>
            invalid(`${made.right.origin === ANY_ORIGIN ? 'a second * rule (or one beside harbor)' : `a second rule for ${made.right.origin}`}; keep one`),
          );
          if (problem !== undefined) return left(problem);
        }
        break;
      }
    }
  }
  // --harbor beats a * rule from a lower level.
  const star = chosen.get(ANY_ORIGIN);
  if (star !== undefined && harborRank !== undefined && harborRank < RANK[star.source.kind]) chosen.delete(ANY_ORIGIN);
  return right([...chosen.values()]);
}

/** `IMGALIAS_MIRRORS=quay.io=h/quay@proxy-cache,nvcr.io=h/nvcr`: the flag's form, comma-separated. */
export const splitMirrorList = (raw: string): readonly string[] =>
  raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
