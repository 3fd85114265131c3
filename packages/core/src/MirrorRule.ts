import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import { familiarPath } from './ImageReference.js';
import { quoteExcerpt } from './PrintableText.js';
import type { HarborLocation } from './HarborLocation.js';
import { formatHarborLocation, parseHarborLocation } from './HarborLocation.js';

/**
 * How a Harbor copy's path is derived from the origin's path. See docs/guide.md#images-from-other-registries.
 * `path`: the path without the registry host (and without `library/` for Docker Hub); `proxy-cache`: the
 * origin's full path, as a Harbor proxy-cache project keeps it; `flatten-0`..`flatten-3`, `flatten-all`: Harbor
 * replication's namespace flattening. `library` and `flatten` are the older names of `proxy-cache` and
 * `flatten-all`.
 */
export type HarborLayout =
  | 'path'
  | 'proxy-cache'
  | 'flatten-0'
  | 'flatten-1'
  | 'flatten-2'
  | 'flatten-3'
  | 'flatten-all'
  | 'library'
  | 'flatten';

/**
 * Where a Harbor keeps the images of one origin registry: `origin` is a registry host (`quay.io`,
 * `docker.io`, `registry.example.com:5000`) or `*` for every registry without a rule of its own.
 *
 * @example
 * const rule: MirrorRule = { origin: 'quay.io', location: { registry: 'harbor.corp.local', project: 'quay' }, layout: 'proxy-cache' };
 */
export interface MirrorRule {
  readonly origin: string;
  readonly location: HarborLocation;
  readonly layout: HarborLayout;
  /**
   * Where `imgalias sync` reads this origin's images instead of the origin itself: a staging registry (an
   * air-gapped site's import registry, another Harbor project) holding them under its own layout.
   */
  readonly staging?: StagingSource;
}

/**
 * A staging registry a mirror rule's images are copied from: `staging.corp.local/quay` with the layout its
 * names follow (`proxy-cache`: the origin's whole path, as `skopeo sync` and registries.conf mirrors keep it).
 */
export interface StagingSource {
  readonly location: HarborLocation;
  readonly layout: HarborLayout;
}

/** The origin that stands for every registry without a rule of its own. */
export const ANY_ORIGIN = '*';

const DOCKER_HUB = 'docker.io';

/** Every layout name, in the order documented (docs/guide.md#images-from-other-registries). */
export const HARBOR_LAYOUTS: readonly HarborLayout[] = [
  'path',
  'proxy-cache',
  'flatten-0',
  'flatten-1',
  'flatten-2',
  'flatten-3',
  'flatten-all',
  'library',
  'flatten',
];

export const isHarborLayout = (value: string): value is HarborLayout => (HARBOR_LAYOUTS as readonly string[]).includes(value);

/** The part of a policy that says where Harbor copies live (an `AliasPolicy` is one). */
export interface MirrorSettings {
  readonly harbor?: HarborLocation;
  readonly harborLayout: HarborLayout;
  readonly mirrors?: readonly MirrorRule[];
}

/**
 * The mirror rules a policy stands for: its `mirrors`, then `harbor` with `harborLayout` as the `*` rule when
 * no `*` rule is given (so `--harbor LOC --harbor-layout L` is shorthand for `*=LOC@L`).
 */
export const mirrorRulesOf = (policy: MirrorSettings): readonly MirrorRule[] => {
  const rules = policy.mirrors ?? [];
  if (policy.harbor === undefined || rules.some((rule) => rule.origin === ANY_ORIGIN)) return rules;
  return [...rules, { origin: ANY_ORIGIN, location: policy.harbor, layout: policy.harborLayout }];
};

/** Separates a rule's Harbor location from its staging source: `ORIGIN=LOCATION[@LAYOUT]+from=STAGING[@LAYOUT]`. */
export const STAGING_SEPARATOR = '+from=';

/**
 * `quay.io=harbor.corp.local/quay@proxy-cache` (with a staging source, `...+from=staging.corp.local/quay@path`):
 * the `--mirror` form, also used in plans and messages.
 */
export const formatMirrorRule = (rule: MirrorRule): string =>
  `${rule.origin}=${formatHarborLocation(rule.location)}@${rule.layout}${rule.staging === undefined ? '' : `${STAGING_SEPARATOR}${formatHarborLocation(rule.staging.location)}@${rule.staging.layout}`}`;

/** What a rule gives one origin repository. */
export type MirrorResolution =
  | {
      /** The rule names a Harbor repository for the image. */
      readonly _tag: 'Mirrored';
      readonly rule: MirrorRule;
      /** `host[:port]/project/...`, without tag */
      readonly repository: string;
    }
  | {
      /** No rule for the image's registry and no `*` rule: it has no Harbor copy. */
      readonly _tag: 'Unmirrored';
    }
  | {
      /**
       * A `flatten-N` rule drops more namespace components than the repository has. Harbor's replication
       * refuses such a repository too; no name is guessed.
       */
      readonly _tag: 'TooDeep';
      readonly rule: MirrorRule;
      /** how many namespace components the origin path has (`library/redis`: 1) */
      readonly components: number;
      /** how many the rule drops */
      readonly level: number;
    };

const FLATTEN_LEVEL: Partial<Record<HarborLayout, number>> = { 'flatten-0': 0, 'flatten-1': 1, 'flatten-2': 2, 'flatten-3': 3 };

/**
 * The path under the Harbor location for an origin repository (`domain`, canonical `path` with `library/` for
 * official Docker Hub images), or how many components a too-deep `flatten-N` lacks.
 *
 * - `path`: the familiar path (Docker Hub without `library/`, as `docker images` shows it), any other
 *   registry's full path (`quay.io/keycloak/keycloak` -> `keycloak/keycloak`);
 * - `proxy-cache` (and the older name `library`): the origin's full path (`library/redis`);
 * - `flatten-N`: Harbor replication's namespace replacement: drop the first N namespace components;
 *   `flatten-all` (and the older `flatten`): keep only the image name.
 */
export const layoutPath = (
  origin: { readonly domain: string; readonly path: string },
  layout: HarborLayout,
): Either<{ readonly components: number; readonly level: number }, string> => {
  // `path` and `proxy-cache` run once per requested image: only the flatten layouts split the path.
  switch (layout) {
    case 'path':
      return right(familiarPath(origin));
    case 'proxy-cache':
    case 'library':
      return right(origin.path);
    case 'flatten-all':
    case 'flatten':
      return right(origin.path.slice(origin.path.lastIndexOf('/') + 1));
    default: {
      const parts = origin.path.split('/');
      const name = parts[parts.length - 1] as string;
      const namespace = parts.slice(0, -1);
      const level = FLATTEN_LEVEL[layout] as number;
      if (level > namespace.length) return left({ components: namespace.length, level });
      return right([...namespace.slice(level), name].join('/'));
    }
  }
};

/**
 * The one function that decides an image's Harbor repository: the rule whose `origin` is the image's registry
 * wins, otherwise the `*` rule, otherwise the image has no Harbor copy. An image already on a rule's Harbor
 * registry (another project there) is in Harbor: the `*` rule does not copy it again. Every command (plan,
 * apply, check, fix, prefetch, publish, clean) gets its Harbor names from here, through `familyOf`.
 *
 * @example
 * resolveMirror({ domain: 'quay.io', path: 'keycloak/keycloak' },
 *   [{ origin: '*', location: { registry: 'harbor.corp.local', project: 'aihpc' }, layout: 'path' }])
 * // { _tag: 'Mirrored', rule: {...}, repository: 'harbor.corp.local/aihpc/keycloak/keycloak' }
 */
export const resolveMirror = (
  origin: { readonly domain: string; readonly path: string },
  rules: readonly MirrorRule[],
): MirrorResolution => {
  const rule =
    rules.find((r) => r.origin === origin.domain) ??
    (rules.some((r) => r.location.registry === origin.domain) ? undefined : rules.find((r) => r.origin === ANY_ORIGIN));
  if (rule === undefined) return { _tag: 'Unmirrored' };
  const path = layoutPath(origin, rule.layout);
  if (path._tag === 'Left') return { _tag: 'TooDeep', rule, ...path.left };
  return { _tag: 'Mirrored', rule, repository: `${formatHarborLocation(rule.location)}/${path.right}` };
};

/**
 * The repository `imgalias sync` reads an origin repository from when its rule names a staging source: the
 * staging location with the path the staging layout gives (or how many components a too-deep `flatten-N`
 * lacks). `undefined` when the rule has no staging source: the origin itself is read.
 *
 * @example
 * stagingRepository({ domain: 'quay.io', path: 'keycloak/keycloak' },
 *   { origin: 'quay.io', location: { registry: 'harbor.corp.local', project: 'quay' }, layout: 'proxy-cache',
 *     staging: { location: { registry: 'staging.corp.local', project: 'quay' }, layout: 'proxy-cache' } })
 * // right('staging.corp.local/quay/keycloak/keycloak')
 */
export const stagingRepository = (
  origin: { readonly domain: string; readonly path: string },
  rule: MirrorRule,
): Either<{ readonly components: number; readonly level: number }, string> | undefined => {
  if (rule.staging === undefined) return undefined;
  const path = layoutPath(origin, rule.staging.layout);
  return path._tag === 'Left' ? path : right(`${formatHarborLocation(rule.staging.location)}/${path.right}`);
};

/** Why a mirror rule was refused; `source` says where it was written (`--mirror`, `IMGALIAS_MIRRORS`, a file). */
export interface MirrorRuleError {
  readonly _tag: 'InvalidMirrorRule';
  readonly input: string;
  readonly reason: string;
}

const invalidRule = (input: string, reason: string): Either<MirrorRuleError, never> => left({ _tag: 'InvalidMirrorRule', input, reason });

// A registry host as it appears at the front of an image name: a dot or a port, or `localhost:PORT`.
const ORIGIN_HOST = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::[0-9]+)?$/;

/**
 * Checks one rule's origin: `*`, or a registry host the way it starts an image name. `index.docker.io` is
 * Docker Hub's other spelling; a bare `localhost` names Podman's twins of Docker Hub images, not a registry.
 */
export const parseMirrorOrigin = (input: string): Either<MirrorRuleError, string> => {
  const origin = input.trim().toLowerCase();
  if (origin === ANY_ORIGIN) return right(origin);
  if (origin === '') return invalidRule(input, 'the origin registry is empty (write quay.io=..., or *=... for every registry)');
  if (/^[a-z]+:\/\//.test(origin)) return invalidRule(input, 'leave out the scheme in the origin (write quay.io)');
  if (origin.includes('/')) {
    return invalidRule(input, `the origin "${origin}" has a path; a rule maps a whole registry (write ${origin.slice(0, origin.indexOf('/'))})`);
  }
  if (!ORIGIN_HOST.test(origin)) return invalidRule(input, `"${origin}" is not a registry host`);
  if (origin === 'index.docker.io' || origin === 'registry-1.docker.io') return right(DOCKER_HUB);
  if (origin === 'localhost') return invalidRule(input, 'localhost/ names are Podman\'s twins of Docker Hub images, not an origin registry');
  if (origin !== DOCKER_HUB && !origin.includes('.') && !origin.includes(':')) {
    return invalidRule(input, `"${origin}" would be read as a Docker Hub namespace; an origin registry has a dot or a port`);
  }
  return right(origin);
};

/**
 * Builds a rule from its parts, as config files give them; `layout` undefined takes `defaultLayout`.
 *
 * @example
 * makeMirrorRule({ origin: 'quay.io', location: 'harbor.corp.local/quay', layout: 'proxy-cache', defaultLayout: 'path' })
 */
export const makeMirrorRule = ({
  origin,
  location,
  layout,
  defaultLayout,
  from,
  fromLayout,
  input,
}: {
  readonly origin: string;
  readonly location: string;
  readonly layout: string | undefined;
  readonly defaultLayout: HarborLayout;
  /** a staging location `host[:port]/project` that `sync` reads the origin's images from */
  readonly from?: string | undefined;
  /** the staging location's layout; undefined takes the rule's own layout */
  readonly fromLayout?: string | undefined;
  /** the text the rule was read from, for messages; defaults to the `--mirror` form */
  readonly input?: string;
}): Either<MirrorRuleError, MirrorRule> => {
  const shown =
    input ??
    `${origin}=${location}${layout === undefined ? '' : `@${layout}`}${from === undefined ? '' : `${STAGING_SEPARATOR}${from}${fromLayout === undefined ? '' : `@${fromLayout}`}`}`;
  const parsedOrigin = parseMirrorOrigin(origin);
  if (parsedOrigin._tag === 'Left') return invalidRule(shown, parsedOrigin.left.reason);
  const parsedLocation = parseHarborLocation(location.trim());
  if (parsedLocation._tag === 'Left') return invalidRule(shown, `location: ${parsedLocation.left.reason}`);
  const chosen = layout === undefined ? defaultLayout : layout.trim();
  if (!isHarborLayout(chosen)) return invalidRule(shown, `unknown layout "${chosen}" (one of ${HARBOR_LAYOUTS.join(', ')})`);
  const rule: MirrorRule = { origin: parsedOrigin.right, location: parsedLocation.right, layout: chosen };
  if (from === undefined) {
    if (fromLayout !== undefined) return invalidRule(shown, 'a staging layout without a staging location (write from as well)');
    return right(rule);
  }
  const staging = parseHarborLocation(from.trim());
  if (staging._tag === 'Left') return invalidRule(shown, `staging location: ${staging.left.reason}`);
  const stagingLayout = fromLayout === undefined ? chosen : fromLayout.trim();
  if (!isHarborLayout(stagingLayout)) return invalidRule(shown, `unknown staging layout "${stagingLayout}" (one of ${HARBOR_LAYOUTS.join(', ')})`);
  if (formatHarborLocation(staging.right) === formatHarborLocation(parsedLocation.right) && stagingLayout === chosen) {
    return invalidRule(shown, 'the staging source is the Harbor location itself; sync would copy each image onto itself');
  }
  return right({ ...rule, staging: { location: staging.right, layout: stagingLayout } });
};

const splitLayout = (text: string): { readonly location: string; readonly layout: string | undefined } => {
  const at = text.lastIndexOf('@');
  return at < 0 ? { location: text, layout: undefined } : { location: text.slice(0, at), layout: text.slice(at + 1) };
};

/**
 * Reads `ORIGIN=LOCATION[@LAYOUT][+from=STAGING[@LAYOUT]]`, the form of `--mirror` and `IMGALIAS_MIRRORS`. The
 * `+from=` part names a staging registry `sync` copies from instead of the origin; its layout defaults to the
 * rule's.
 *
 * @example
 * parseMirrorRule('quay.io=harbor.corp.local/quay@proxy-cache', 'path')
 * // right({ origin: 'quay.io', location: { registry: 'harbor.corp.local', project: 'quay' }, layout: 'proxy-cache' })
 * const staged = parseMirrorRule('quay.io=harbor.corp.local/quay@proxy-cache+from=staging.corp.local/quay', 'path');
 * if (staged._tag === 'Right') staged.right.staging
 * // { location: { registry: 'staging.corp.local', project: 'quay' }, layout: 'proxy-cache' }
 */
export const parseMirrorRule = (input: string, defaultLayout: HarborLayout): Either<MirrorRuleError, MirrorRule> => {
  const eq = input.indexOf('=');
  if (eq < 0) return invalidRule(input, 'expected ORIGIN=LOCATION[@LAYOUT] (e.g. quay.io=harbor.corp.local/quay@proxy-cache)');
  const rest = input.slice(eq + 1);
  const plus = rest.indexOf(STAGING_SEPARATOR);
  const target = splitLayout(plus < 0 ? rest : rest.slice(0, plus));
  const staging = plus < 0 ? undefined : splitLayout(rest.slice(plus + STAGING_SEPARATOR.length));
  return makeMirrorRule({
    origin: input.slice(0, eq),
    location: target.location,
    layout: target.layout,
    defaultLayout,
    ...(staging === undefined ? {} : { from: staging.location, fromLayout: staging.layout }),
    input,
  });
};

/** The first origin given twice in one list of rules, if any: two rules for one registry cannot both win. */
export const duplicateMirrorOrigin = (rules: readonly MirrorRule[]): string | undefined =>
  rules.find((rule, i) => rules.findIndex((other) => other.origin === rule.origin) !== i)?.origin;

/** One sentence for a refused mirror rule, quoting the rule as written and saying what to change. */
export const describeMirrorRuleError = (error: MirrorRuleError): string =>
  `invalid mirror rule ${quoteExcerpt(error.input)}: ${error.reason}`;
