import type { Either } from 'fp-ts/lib/Either.js';
import { mapLeft, map } from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { AliasPolicy, ConflictPolicy, HarborLayout, HarborLocation, MirrorRule, MirrorRuleInput, PolicyError } from '@imgalias/core';
import { resolvePolicy } from '@imgalias/core';
import { ANY_ORIGIN, describeHarborLocationError, formatHarborLocation, formatMirrorRule } from '@imgalias/core/internal';
import type { ConfigError } from './ConfigError.js';
import type { ConfigIssue } from './ConfigFile.js';
import type { SourcedMirrorRule } from './MirrorSettings.js';
import type { SettingSources, Sourced } from './Settings.js';

/**
 * The policy settings stand for, but for the mode: settings may say `auto`, which `resolveMode` decides before a
 * planner runs (`policyOf` adds the mode).
 */
export type SettingsPolicy = Omit<AliasPolicy, 'mode'>;

/** A policy error as a config file's issue: its path, and what is wrong there without the `policy PATH:` prefix. */
export const policyIssue = (error: PolicyError): ConfigIssue => {
  switch (error._tag) {
    case 'InvalidPolicyField':
      return { path: error.path, message: `expected ${error.expected}, got ${error.actual}` };
    case 'InvalidPolicyHarbor':
      return { path: error.path, message: describeHarborLocationError(error.error) };
    case 'InvalidPolicyMirror':
      return { path: error.path, message: error.error.reason };
    case 'DuplicateMirrorOrigin':
      return {
        path: error.path,
        message: `${error.origin === ANY_ORIGIN ? 'a second * rule (or one beside harbor)' : `a second rule for ${error.origin}`}; keep one`,
      };
  }
};

/** A decided rule in the object form `resolvePolicy` reads, staging source included. */
const ruleInput = (rule: MirrorRule): MirrorRuleInput => ({
  origin: rule.origin,
  location: rule.location,
  layout: rule.layout,
  ...(rule.staging === undefined ? {} : { from: rule.staging.location, fromLayout: rule.staging.layout }),
});

/** What each level decided for the policy's fields, with where it came from. */
export interface DecidedPolicy {
  readonly harbor?: Sourced<HarborLocation> | undefined;
  readonly harborLayout: HarborLayout;
  readonly mirrors: readonly SourcedMirrorRule[];
  readonly shortNames: unknown;
  readonly onConflict: ConflictPolicy;
  readonly sources: SettingSources;
}

/**
 * The decided values as a policy, through `resolvePolicy`: the one constructor every policy goes through, so a
 * policy the settings give is one a library caller could have written. A `*` rule that outranks `harbor` is the
 * `*` rule (`harbor` is the `*` rule at its own level, see `decideMirrors`), so `harbor` is left out of the
 * policy then; the setting stays, for `resolveMode`'s probe. A refusal names where the value came from: the
 * option or variable, or the config file and its path. `shortNames` is `unknown` because a JavaScript caller's
 * option reaches here unchecked.
 */
export function settingsPolicy(decided: DecidedPolicy): Either<ConfigError, SettingsPolicy> {
  const { harbor, mirrors, sources } = decided;
  const starRule = mirrors.some((rule) => rule.value.origin === ANY_ORIGIN);
  const input = {
    ...(harbor === undefined || starRule ? {} : { harbor: harbor.value }),
    harborLayout: decided.harborLayout,
    mirrors: mirrors.map((rule) => ruleInput(rule.value)),
    shortNames: decided.shortNames as boolean,
    onConflict: decided.onConflict,
  };
  const refusal = (error: PolicyError): ConfigError => {
    const index = /^mirrors\[(\d+)\]/.exec(error.path)?.[1];
    const rule = index === undefined ? undefined : mirrors[Number(index)];
    const field = error.path.split(/[.[]/)[0];
    const issue = policyIssue(error);
    const given =
      rule !== undefined
        ? { source: rule.source, value: formatMirrorRule(rule.value) }
        : field === 'harbor' && harbor !== undefined
          ? { source: harbor.source, value: formatHarborLocation(harbor.value) }
          : field === 'harborLayout' || field === 'shortNames' || field === 'onConflict'
            ? { source: sources[field], value: String(input[field]) }
            : undefined;
    if (given?.source.kind === 'config') return { _tag: 'ConfigFileInvalid', file: given.source.file, errors: [issue] };
    return {
      _tag: 'InvalidOption',
      option: given === undefined || given.source.kind === 'default' ? error.path : given.source.name,
      value: given?.value ?? '',
      message: issue.message,
      ...(given === undefined ? {} : { source: given.source }),
    };
  };
  return pipe(
    resolvePolicy(input),
    mapLeft((errors) => refusal(errors[0] as PolicyError)),
    map(({ mode: _mode, ...policy }) => policy),
  );
}

