import type { Either } from 'fp-ts/lib/Either.js';
import { left, map, right } from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { HarborLayout, HarborLocation, MirrorRule, MirrorRuleInput, PolicyError } from '@imgalias/core';
import { resolvePolicy } from '@imgalias/core';
import { ANY_ORIGIN, duplicateMirrorOrigin } from '@imgalias/core/internal';
import type { ConfigError } from './ConfigError.js';
import type { ConfigMirror } from './ConfigFile.js';
import { policyIssue } from './SettingsPolicy.js';
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

/** The index in `mirrors[3]`, `mirrors[3].location`. */
const entryIndex = (error: PolicyError): number => Number(/^mirrors\[(\d+)\]/.exec(error.path)?.[1] ?? 0);

/**
 * One level's rules as written, checked by core's `resolvePolicy` (the string form and the object form alike,
 * staging sources included), with `--harbor` when it was given at this level: it is the `*` rule there, so a `*`
 * rule beside it is a duplicate, as a second rule for one registry is.
 */
const rulesAt = (
  entries: readonly MirrorRuleInput[],
  harbor: HarborLocation | undefined,
  harborLayout: HarborLayout,
): Either<readonly PolicyError[], readonly MirrorRule[]> =>
  pipe(
    resolvePolicy({ ...(harbor === undefined ? {} : { harbor }), harborLayout, mirrors: entries }),
    map((policy) => policy.mirrors ?? []),
  );

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
  const harborAt = (source: SettingSource): HarborLocation | undefined => (harborRank === RANK[source.kind] ? input.harbor?.value : undefined);
  const choose = (rules: readonly MirrorRule[], source: SettingSource): void => {
    for (const rule of rules) if (!chosen.has(rule.origin)) chosen.set(rule.origin, { value: rule, source });
  };
  for (const level of input.levels) {
    switch (level._tag) {
      case 'Written': {
        const rules = rulesAt(level.values, harborAt(level.source), input.harborLayout);
        if (rules._tag === 'Left') {
          const error = rules.left[0] as PolicyError;
          const value = level.values[entryIndex(error)] ?? '';
          return left(
            error._tag === 'DuplicateMirrorOrigin'
              ? duplicate(level.option, value, level.source, error.origin)
              : { _tag: 'InvalidOption', option: level.option, value, message: policyIssue(error).message, source: level.source },
          );
        }
        choose(rules.right, level.source);
        break;
      }
      case 'Read': {
        const twice = duplicateMirrorOrigin(level.rules);
        if (twice !== undefined) {
          return left({
            _tag: 'ConfigFileInvalid',
            file: level.file,
            errors: [{ path: `prefix "${twice}"`, message: 'two [[registry]] tables for one registry; keep one' }],
          });
        }
        choose(level.rules, level.source);
        break;
      }
      case 'Config': {
        const source: SettingSource = { kind: 'config', file: level.file };
        const rules = rulesAt(level.entries, harborAt(source), input.harborLayout);
        // Every bad entry at once, each at its path, as for the rest of the file.
        if (rules._tag === 'Left') return left({ _tag: 'ConfigFileInvalid', file: level.file, errors: rules.left.map(policyIssue) });
        choose(rules.right, source);
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
