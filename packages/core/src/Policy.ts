import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import type { HarborLocation, HarborLocationError } from './HarborLocation.js';
import { describeHarborLocationError, formatHarborLocation, parseHarborLocation } from './HarborLocation.js';
import type { HarborLayout, MirrorRule, MirrorRuleError } from './MirrorRule.js';
import { ANY_ORIGIN, HARBOR_LAYOUTS, describeMirrorRuleError, isHarborLayout, makeMirrorRule, parseMirrorRule } from './MirrorRule.js';
import { quoteExcerpt } from './PrintableText.js';

/** `external`: the public internet is reachable. `internal`: an intranet whose source of truth is Harbor. */
export type NetworkMode = 'external' | 'internal';

/** What to do with a name that already points at a different image than the chosen source. */
export type ConflictPolicy = 'report' | 'retarget';

/**
 * Everything the planner needs to know besides the snapshot and the requested images. Every field but `harbor`
 * and `mirrors` is required, so a typed caller cannot plan with half a policy; build one from what people write
 * with `resolvePolicy`, or spread `defaultPolicy`.
 *
 * @example
 * const policy: AliasPolicy = { ...defaultPolicy, mode: 'internal', harbor: { registry: 'harbor.corp.local', project: 'proj' } };
 */
export interface AliasPolicy {
  readonly mode: NetworkMode;
  /** The Harbor location of the `*` rule (every registry without a rule of its own in `mirrors`). */
  readonly harbor?: HarborLocation;
  /** The layout of the `harbor` location, and the default of rules written without one. */
  readonly harborLayout: HarborLayout;
  /**
   * Harbor locations per origin registry; the rule for an image's registry wins over the `*` rule. See
   * `resolveMirror`.
   */
  readonly mirrors?: readonly MirrorRule[];
  /** Also keep `openldap:stable` / `localhost/openldap:stable` for namespaced Docker Hub images. */
  readonly shortNames: boolean;
  readonly onConflict: ConflictPolicy;
  /** Create the Harbor name by tagging too (only for pushing to Harbor). Off by default. */
  readonly harborTags: boolean;
}

/**
 * The policy every command starts from: external mode, `path` layout, no short names, conflicts reported,
 * no Harbor tags and no Harbor location.
 */
export const defaultPolicy: AliasPolicy = {
  mode: 'external',
  harborLayout: 'path',
  shortNames: false,
  onConflict: 'report',
  harborTags: false,
};

/**
 * The policy with every required field a caller left out (JavaScript, or a value cast to `AliasPolicy`) taken
 * from `defaultPolicy`, so no planner builds a name from a missing layout; a complete policy comes back as is.
 */
export const completePolicy = (policy: AliasPolicy): AliasPolicy => {
  if (
    policy.mode !== undefined &&
    policy.harborLayout !== undefined &&
    policy.shortNames !== undefined &&
    policy.onConflict !== undefined &&
    policy.harborTags !== undefined
  ) {
    return policy;
  }
  return {
    mode: policy.mode ?? defaultPolicy.mode,
    ...(policy.harbor === undefined ? {} : { harbor: policy.harbor }),
    harborLayout: policy.harborLayout ?? defaultPolicy.harborLayout,
    ...(policy.mirrors === undefined ? {} : { mirrors: policy.mirrors }),
    shortNames: policy.shortNames ?? defaultPolicy.shortNames,
    onConflict: policy.onConflict ?? defaultPolicy.onConflict,
    harborTags: policy.harborTags ?? defaultPolicy.harborTags,
  };
};

/**
 * A mirror rule as a config file writes it: the `--mirror` form, or its parts (`layout` defaults to
 * `harborLayout`; `from` is a staging location `sync` reads the origin's images from, in `fromLayout`, which
 * defaults to the rule's layout: the string form's `+from=STAGING[@LAYOUT]`). A `MirrorRule` as
 * `resolvePolicy` returns it is taken too, so a resolved policy resolves to itself.
 */
export type MirrorRuleInput =
  | string
  | {
      readonly origin: string;
      readonly location: string | HarborLocation;
      readonly layout?: HarborLayout;
      readonly from?: string | HarborLocation;
      readonly fromLayout?: HarborLayout;
    }
  | MirrorRule;

/**
 * A policy as people write it (a config file, a library caller's options): every field optional, the Harbor
 * location as `host[:port]/project` or an object, mirror rules as `ORIGIN=LOCATION[@LAYOUT]` or objects.
 */
export interface PolicyInput {
  readonly mode?: NetworkMode;
  readonly harbor?: string | HarborLocation;
  readonly harborLayout?: HarborLayout;
  readonly mirrors?: readonly MirrorRuleInput[];
  readonly shortNames?: boolean;
  readonly onConflict?: ConflictPolicy;
  readonly harborTags?: boolean;
}

/** Why a policy input was refused; `path` names the field (`harbor`, `mirrors[2]`, `mirrors[0].layout`). */
export type PolicyError =
  | {
      /** A field of the wrong type or outside its values (`mode: 'auto'`, `harborLayout: 'pth'`). */
      readonly _tag: 'InvalidPolicyField';
      readonly path: string;
      readonly expected: string;
      /** the value given, as a message shows it */
      readonly actual: string;
    }
  | {
      readonly _tag: 'InvalidPolicyHarbor';
      readonly path: string;
      readonly error: HarborLocationError;
    }
  | {
      readonly _tag: 'InvalidPolicyMirror';
      readonly path: string;
      readonly error: MirrorRuleError;
    }
  | {
      /** A second rule for one origin registry (or a `*` rule beside `harbor`, which is the `*` rule): one would be ignored. */
      readonly _tag: 'DuplicateMirrorOrigin';
      readonly path: string;
      readonly origin: string;
    };

const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> => typeof u === 'object' && u !== null && !Array.isArray(u);

const show = (u: unknown): string => {
  if (u === undefined) return 'nothing';
  if (u === null) return 'null';
  if (Array.isArray(u)) return 'a list';
  if (typeof u === 'object') return 'an object';
  return typeof u === 'string' ? quoteExcerpt(u) : String(u);
};

const oneOf =
  <A extends string>(values: readonly A[]) =>
  (u: unknown): u is A =>
    typeof u === 'string' && (values as readonly string[]).includes(u);
const isBoolean = (u: unknown): u is boolean => typeof u === 'boolean';

const HARBOR_EXPECTED = 'a Harbor location "host[:port]/project" or { registry, project }';

/** `host[:port]/project` as text, or `{ registry, project }` formatted; anything else is left for the caller to report. */
const locationText = (u: unknown): string | undefined =>
  typeof u === 'string' ? u : isRecord(u) && typeof u['registry'] === 'string' && typeof u['project'] === 'string' ? formatHarborLocation({ registry: u['registry'], project: u['project'] }) : undefined;

/** `host[:port]/project` or `{ registry, project }`, checked by the one grammar `parseHarborLocation` has. */
const harborLocationOf = (u: unknown, path: string, errors: PolicyError[]): HarborLocation | undefined => {
  const text = locationText(u);
  if (text === undefined) {
    errors.push({ _tag: 'InvalidPolicyField', path, expected: HARBOR_EXPECTED, actual: show(u) });
    return undefined;
  }
  const parsed = parseHarborLocation(text);
  if (parsed._tag === 'Right') return parsed.right;
  errors.push({ _tag: 'InvalidPolicyHarbor', path, error: parsed.left });
  return undefined;
};

const MIRROR_EXPECTED = '"ORIGIN=LOCATION[@LAYOUT]" or { origin, location, layout?, from?, fromLayout? }';

const mirrorRuleOf = (u: unknown, path: string, defaultLayout: HarborLayout, errors: PolicyError[]): MirrorRule | undefined => {
  if (typeof u === 'string') {
    const parsed = parseMirrorRule(u, defaultLayout);
    if (parsed._tag === 'Right') return parsed.right;
    errors.push({ _tag: 'InvalidPolicyMirror', path, error: parsed.left });
    return undefined;
  }
  if (!isRecord(u) || typeof u['origin'] !== 'string') {
    errors.push({ _tag: 'InvalidPolicyField', path: isRecord(u) ? `${path}.origin` : path, expected: isRecord(u) ? 'a registry host or *' : MIRROR_EXPECTED, actual: show(isRecord(u) ? u['origin'] : u) });
    return undefined;
  }
  for (const key of ['layout', 'fromLayout']) {
    const layout = u[key];
    if (layout !== undefined && typeof layout !== 'string') {
      errors.push({ _tag: 'InvalidPolicyField', path: `${path}.${key}`, expected: `one of ${HARBOR_LAYOUTS.join(', ')}`, actual: show(layout) });
      return undefined;
    }
  }
  const location = harborLocationOf(u['location'], `${path}.location`, errors);
  if (location === undefined) return undefined;
  // A resolved rule's `staging` is its `from` and `fromLayout`.
  const staging = isRecord(u['staging']) && u['from'] === undefined && u['fromLayout'] === undefined ? u['staging'] : undefined;
  const givenFrom = staging === undefined ? u['from'] : staging['location'];
  const from = givenFrom === undefined ? undefined : locationText(givenFrom);
  if (givenFrom !== undefined && from === undefined) {
    const at = staging === undefined ? `${path}.from` : `${path}.staging.location`;
    errors.push({ _tag: 'InvalidPolicyField', path: at, expected: HARBOR_EXPECTED.replace('a Harbor location', 'a staging location'), actual: show(givenFrom) });
    return undefined;
  }
  const fromLayout = staging === undefined ? u['fromLayout'] : staging['layout'];
  if (fromLayout !== undefined && typeof fromLayout !== 'string') {
    errors.push({ _tag: 'InvalidPolicyField', path: `${path}.staging.layout`, expected: `one of ${HARBOR_LAYOUTS.join(', ')}`, actual: show(fromLayout) });
    return undefined;
  }
  // The string form's checks, by the same function: a staging location that parses, a known layout, not the
  // Harbor location itself, no fromLayout without from.
  const made = makeMirrorRule({
    origin: u['origin'],
    location: formatHarborLocation(location),
    layout: u['layout'] as string | undefined,
    from,
    fromLayout,
    defaultLayout,
  });
  if (made._tag === 'Right') return made.right;
  errors.push({ _tag: 'InvalidPolicyMirror', path, error: made.left });
  return undefined;
};

/**
 * Checks a policy as people write it and fills in `defaultPolicy`'s values: the one way from a config file, a
 * command line or a library caller's options to an `AliasPolicy` the planners take. Every problem is reported
 * (not just the first), each at its field's path; nothing throws. `mode` is `external` or `internal`: a
 * setting of `auto` is decided by probing before the policy is made.
 *
 * @example
 * resolvePolicy({ mode: 'internal', harbor: 'harbor.corp.local/proj', mirrors: ['quay.io=harbor.corp.local/quay@proxy-cache'] })
 * // right({ mode: 'internal', harbor: { registry: 'harbor.corp.local', project: 'proj' }, harborLayout: 'path',
 * //   mirrors: [{ origin: 'quay.io', location: { registry: 'harbor.corp.local', project: 'quay' }, layout: 'proxy-cache' }],
 * //   shortNames: false, onConflict: 'report', harborTags: false })
 * resolvePolicy({ harbor: 'harbor' }) // left([{ _tag: 'InvalidPolicyHarbor', path: 'harbor', error: { ... } }])
 */
export const resolvePolicy = (input: PolicyInput): Either<readonly PolicyError[], AliasPolicy> => {
  // Typed callers cannot pass anything else; JavaScript callers and parsed files can.
  if (!isRecord(input)) return left([{ _tag: 'InvalidPolicyField', path: '(root)', expected: 'an object of policy settings', actual: show(input) }]);
  const errors: PolicyError[] = [];
  const field = <A>(name: keyof PolicyInput, is: (u: unknown) => u is A, expected: string, fallback: A): A => {
    const value: unknown = input[name];
    if (value === undefined) return fallback;
    if (is(value)) return value;
    errors.push({ _tag: 'InvalidPolicyField', path: name, expected, actual: show(value) });
    return fallback;
  };
  const mode = field('mode', oneOf<NetworkMode>(['external', 'internal']), '"external" or "internal" (decide "auto" by probing first)', defaultPolicy.mode);
  const harborLayout = field('harborLayout', (u): u is HarborLayout => typeof u === 'string' && isHarborLayout(u), `one of ${HARBOR_LAYOUTS.join(', ')}`, defaultPolicy.harborLayout);
  const shortNames = field('shortNames', isBoolean, 'true or false', defaultPolicy.shortNames);
  const onConflict = field('onConflict', oneOf<ConflictPolicy>(['report', 'retarget']), '"report" or "retarget"', defaultPolicy.onConflict);
  const harborTags = field('harborTags', isBoolean, 'true or false', defaultPolicy.harborTags);
  const harbor = input.harbor === undefined ? undefined : harborLocationOf(input.harbor, 'harbor', errors);

  const mirrors: MirrorRule[] = [];
  const rawMirrors: unknown = input.mirrors;
  if (rawMirrors !== undefined && !Array.isArray(rawMirrors)) {
    errors.push({ _tag: 'InvalidPolicyField', path: 'mirrors', expected: `a list of mirror rules (${MIRROR_EXPECTED})`, actual: show(rawMirrors) });
  } else {
    // `harbor` is the `*` rule: a `*` mirror beside it would silently win.
    const origins = new Set<string>(input.harbor === undefined ? [] : [ANY_ORIGIN]);
    (rawMirrors ?? []).forEach((entry: unknown, index: number) => {
      const path = `mirrors[${index}]`;
      const rule = mirrorRuleOf(entry, path, harborLayout, errors);
      if (rule === undefined) return;
      if (origins.has(rule.origin)) errors.push({ _tag: 'DuplicateMirrorOrigin', path, origin: rule.origin });
      origins.add(rule.origin);
      mirrors.push(rule);
    });
  }
  if (errors.length > 0) return left(errors);
  return right({
    mode,
    ...(harbor === undefined ? {} : { harbor }),
    harborLayout,
    ...(mirrors.length === 0 ? {} : { mirrors }),
    shortNames,
    onConflict,
    harborTags,
  });
};

/**
 * One sentence per policy error, naming the field.
 *
 * @example
 * describePolicyError({ _tag: 'InvalidPolicyField', path: 'mode', expected: '"external" or "internal"', actual: '"auto"' })
 * // 'policy mode: expected "external" or "internal", got "auto"'
 */
export const describePolicyError = (error: PolicyError): string => {
  switch (error._tag) {
    case 'InvalidPolicyField':
      return `policy ${error.path}: expected ${error.expected}, got ${error.actual}`;
    case 'InvalidPolicyHarbor':
      return `policy ${error.path}: ${describeHarborLocationError(error.error)}`;
    case 'InvalidPolicyMirror':
      return `policy ${error.path}: ${describeMirrorRuleError(error.error)}`;
    case 'DuplicateMirrorOrigin':
      return error.origin === ANY_ORIGIN
        ? `policy ${error.path}: a second * rule (harbor is the * rule); keep one`
        : `policy ${error.path}: a second rule for ${error.origin}; keep one`;
  }
};
