import { isLeft } from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { EXCERPT_LENGTH, quoteExcerpt } from '@imgalias/core/internal';
import type { HarborLayout } from '@imgalias/core';
import { ConflictPolicyCodec, HarborLayoutCodec, HarborLocationFromString, ImageReferenceFromString, NetworkModeCodec } from '@imgalias/core/internal';

/**
 * The codecs for `imgalias.config.{json,yaml,yml}` and the `imgalias` key of package.json, composed from the
 * core's codecs. Objects are closed: an unknown key is an error (with a "did you mean" hint), because a typo such
 * as `harborLayot` would otherwise be ignored and the default used without a word. Every bad path is reported,
 * not just the first.
 */

/** One problem in a config file: a dotted path (`probes.timeoutMs`, `images[2]`) and what was wrong there. */
export interface ConfigIssue {
  readonly path: string;
  readonly message: string;
}

const describeValue = (u: unknown): string => {
  if (u === undefined) return 'nothing';
  if (u === null) return 'null';
  if (Array.isArray(u)) return 'a list';
  if (typeof u === 'object') return 'an object';
  return typeof u === 'string' ? quoteExcerpt(u) : JSON.stringify(u);
};

/**
 * A value-level codec whose failures are one error at its own path saying what was expected, instead of io-ts'
 * per-union-member noise. A custom message from the inner codec (e.g. why a Harbor location does not parse) is kept.
 */
export function leaf<A, O>(codec: t.Type<A, O, unknown>, expected: string): t.Type<A, O, unknown> {
  return new t.Type<A, O, unknown>(
    expected,
    codec.is,
    (u, c) => {
      const result = codec.validate(u, c);
      if (!isLeft(result)) return result;
      // A codec that explains itself (a Harbor location, an image reference) says more than "expected X".
      const detail = result.left.find((e) => e.message !== undefined)?.message;
      return t.failure(u, c, typeof u === 'string' && detail !== undefined ? detail : `expected ${expected}, got ${describeValue(u)}`);
    },
    codec.encode,
  );
}

const editDistance = (a: string, b: string): number => {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0;
      const cost = a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1;
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
};

const suggest = (key: string, known: readonly string[]): string => {
  const best = known
    .map((k) => ({ k, d: editDistance(key, k) }))
    .sort((x, y) => x.d - y.d)[0];
  return best !== undefined && best.d <= Math.max(2, Math.floor(key.length / 3)) ? ` (did you mean "${best.k}"?)` : '';
};

type ClosedOf<P extends t.Props> = { readonly [K in keyof P]?: t.TypeOf<P[K]> };

/** An object whose keys are all optional and whose unknown keys are errors. */
function closedStruct<P extends t.Props>(props: P, name: string): t.Type<ClosedOf<P>, unknown, unknown> {
  const known = Object.keys(props);
  const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);
  return new t.Type<ClosedOf<P>, unknown, unknown>(
    name,
    (u): u is ClosedOf<P> =>
      isRecord(u) && Object.entries(u).every(([k, v]) => Object.hasOwn(props, k) && (v === undefined || props[k]?.is(v) === true)),
    (u, c) => {
      if (!isRecord(u)) return t.failure(u, c, `expected an object (${name}), got ${describeValue(u)}`);
      const errors: t.ValidationError[] = [];
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(u)) {
        // Own keys only: `props.constructor` or `props.toString` is Object's, not a codec.
        const codec = Object.hasOwn(props, key) ? props[key] : undefined;
        const context = [...c, { key, type: codec ?? t.never, actual: value }];
        if (codec === undefined) {
          errors.push({ value, context, message: `unknown key${suggest(key, known)}` });
          continue;
        }
        const result = codec.validate(value, context);
        if (isLeft(result)) errors.push(...result.left);
        else out[key] = result.right;
      }
      return errors.length > 0 ? t.failures(errors) : t.success(out as ClosedOf<P>);
    },
    t.identity,
  );
}

/** A list whose items are checked one by one, so each bad item is reported at its index. */
function listOf<A>(item: t.Type<A, unknown, unknown>, expected: string): t.Type<readonly A[], unknown, unknown> {
  return new t.Type<readonly A[], unknown, unknown>(
    `list of ${expected}`,
    (u): u is readonly A[] => Array.isArray(u) && u.every(item.is),
    (u, c) => {
      if (!Array.isArray(u)) return t.failure(u, c, `expected a list of ${expected}, got ${describeValue(u)}`);
      const errors: t.ValidationError[] = [];
      const out: A[] = [];
      u.forEach((value: unknown, index) => {
        const result = item.validate(value, [...c, { key: String(index), type: item, actual: value }]);
        if (isLeft(result)) errors.push(...result.left);
        else out.push(result.right);
      });
      return errors.length > 0 ? t.failures(errors) : t.success(out);
    },
    t.identity,
  );
}

const argName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Build-arg values: strings only. A YAML number is refused rather than converted, because `7.10` would become
 * `7.1` on the way and silently name another image.
 */
const BuildArgsCodec = new t.Type<Readonly<Record<string, string>>, unknown, unknown>(
  'build args',
  (u): u is Readonly<Record<string, string>> =>
    typeof u === 'object' && u !== null && !Array.isArray(u) && Object.entries(u).every(([k, v]) => argName.test(k) && typeof v === 'string'),
  (u, c) => {
    if (typeof u !== 'object' || u === null || Array.isArray(u)) {
      return t.failure(u, c, `expected an object of build-arg names to string values, got ${describeValue(u)}`);
    }
    const errors: t.ValidationError[] = [];
    for (const [key, value] of Object.entries(u)) {
      const context = [...c, { key, type: t.string, actual: value }];
      if (!argName.test(key)) errors.push({ value, context, message: 'not a valid build-arg name (letters, digits and _, not starting with a digit)' });
      else if (typeof value !== 'string') {
        errors.push({ value, context, message: `expected a string, got ${describeValue(value)} (quote values in YAML: "7.10", not 7.10)` });
      }
    }
    return errors.length > 0 ? t.failures(errors) : t.success(u as Readonly<Record<string, string>>);
  },
  t.identity,
);

const PositiveInt = leaf(
  t.refinement(t.number, (n) => Number.isSafeInteger(n) && n > 0, 'PositiveInt'),
  'a positive integer',
);
const NonNegativeInt = leaf(
  t.refinement(t.number, (n) => Number.isSafeInteger(n) && n >= 0, 'NonNegativeInt'),
  'a non-negative integer',
);
const NonEmptyString = leaf(
  t.refinement(t.string, (s) => s.trim().length > 0, 'NonEmptyString'),
  'a non-empty string',
);

/** An absolute http(s) URL; probes speak plain HTTP to loopback test servers and HTTPS everywhere else. */
const HttpUrl = leaf(
  t.refinement(t.string, (s) => URL.canParse(s) && ['http:', 'https:'].includes(new URL(s).protocol), 'HttpUrl'),
  'an http:// or https:// URL',
);

/** An image reference as written (kept as text: commands parse it with the others they are given). */
const ImageString = leaf(
  new t.Type<string, string, unknown>(
    'ImageString',
    (u): u is string => typeof u === 'string',
    (u, c) => {
      const parsed = ImageReferenceFromString.validate(u, c);
      return isLeft(parsed) ? parsed : t.success(u as string);
    },
    t.identity,
  ),
  'an image reference (redis:7-alpine)',
);

const durationUnits: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000 };
const durationText = /^([0-9]+(?:\.[0-9]+)?)\s*(ms|s|m)?$/;
/** The longest duration accepted: a day. Longer is a typo (`30000` meant as milliseconds is 8 hours already). */
export const maxDurationMs = 24 * 60 * 60 * 1000;

/**
 * A duration in milliseconds, written `90s`, `1.5m`, `500ms`, or a bare number of seconds (a number in a config
 * file, `30` in a variable). Positive and at most a day.
 */
export const DurationCodec = leaf(
  new t.Type<number, number, unknown>(
    'Duration',
    (u): u is number => typeof u === 'number' && u > 0 && u <= maxDurationMs,
    (u, c) => {
      const m = typeof u === 'string' ? durationText.exec(u.trim()) : undefined;
      const ms = typeof u === 'number' ? u * 1000 : m ? Number(m[1]) * (durationUnits[m[2] ?? 's'] ?? 1000) : Number.NaN;
      return Number.isFinite(ms) && ms >= 1 && ms <= maxDurationMs ? t.success(Math.round(ms)) : t.failure(u, c);
    },
    t.identity,
  ),
  'a duration such as 30s, 2m or 500ms (a bare number is seconds), at most 24h',
);

export const ModeSettingCodec = leaf(t.union([NetworkModeCodec, t.literal('auto')]), '"external", "internal" or "auto"');
export const HarborCodec = leaf(HarborLocationFromString, 'a Harbor location HOST[:PORT]/PROJECT');
export const HarborLayoutSettingCodec = leaf(HarborLayoutCodec, 'one of "path", "proxy-cache", "flatten-0", "flatten-1", "flatten-2", "flatten-3", "flatten-all", "library", "flatten"');
export const ConflictPolicySettingCodec = leaf(ConflictPolicyCodec, '"report" or "retarget"');
export const EngineCodec = leaf(t.keyof({ docker: null, podman: null, nerdctl: null }), '"docker", "podman" or "nerdctl"');
export const TransportCodec = leaf(t.keyof({ auto: null, cli: null, api: null }), '"auto", "cli" or "api"');
export const FormatCodec = leaf(t.keyof({ text: null, json: null, markdown: null, shell: null }), '"text", "json", "markdown" or "shell"');

/**
 * A config file's mirror rule: the `--mirror` form as a string, or `{ origin, location, layout, from, fromLayout }`
 * (all but origin and location optional; `from` is the staging location `sync` reads from).
 */
const MirrorEntryObject = closedStruct(
  { origin: NonEmptyString, location: NonEmptyString, layout: HarborLayoutSettingCodec, from: NonEmptyString, fromLayout: HarborLayoutSettingCodec },
  'mirror rule',
);
type MirrorEntry = { origin: string; location: string; layout?: HarborLayout; from?: string; fromLayout?: HarborLayout };
const MirrorEntryCodec = new t.Type<string | MirrorEntry, unknown, unknown>(
  'mirror rule',
  (u): u is string | MirrorEntry => typeof u === 'string' || MirrorEntryObject.is(u),
  (u, c) => {
    if (typeof u === 'string') return u.trim() === '' ? t.failure(u, c, 'expected ORIGIN=LOCATION[@LAYOUT], got an empty string') : t.success(u);
    if (typeof u !== 'object' || u === null || Array.isArray(u)) {
      return t.failure(u, c, `expected "ORIGIN=LOCATION[@LAYOUT]" or { origin, location, layout }, got ${describeValue(u)}`);
    }
    const decoded = MirrorEntryObject.validate(u, c);
    if (isLeft(decoded)) return decoded;
    const { origin, location, layout, from, fromLayout } = decoded.right as Partial<MirrorEntry>;
    if (origin === undefined || location === undefined) return t.failure(u, c, 'a mirror rule needs origin and location (layout, from and fromLayout are optional)');
    return t.success({
      origin,
      location,
      ...(layout === undefined ? {} : { layout }),
      ...(from === undefined ? {} : { from }),
      ...(fromLayout === undefined ? {} : { fromLayout }),
    });
  },
  t.identity,
);
export type ConfigMirror = t.TypeOf<typeof MirrorEntryCodec>;

/** What a config file may contain. Every key is optional; paths are relative to the file's directory. */
export const ConfigFileCodec = closedStruct(
  {
    mode: ModeSettingCodec,
    harbor: HarborCodec,
    harborLayout: HarborLayoutSettingCodec,
    mirrors: listOf(MirrorEntryCodec, 'mirror rules'),
    shortNames: leaf(t.boolean, 'true or false'),
    onConflict: ConflictPolicySettingCodec,
    engine: EngineCodec,
    transport: TransportCodec,
    concurrency: PositiveInt,
    engineTimeout: DurationCodec,
    lockTimeout: DurationCodec,
    format: FormatCodec,
    snapshot: NonEmptyString,
    images: listOf(ImageString, 'image references'),
    from: listOf(NonEmptyString, 'paths'),
    exclude: listOf(NonEmptyString, 'image globs'),
    includeBuilt: leaf(t.boolean, 'true or false'),
    buildArgs: BuildArgsCodec,
    probes: closedStruct({ publicUrl: HttpUrl, harborUrl: HttpUrl, timeoutMs: PositiveInt }, 'probe settings'),
    prefetch: closedStruct(
      {
        attempts: PositiveInt,
        baseDelayMs: NonNegativeInt,
        concurrency: PositiveInt,
        mirrors: listOf(NonEmptyString, 'registry mirrors'),
      },
      'prefetch settings',
    ),
  },
  'imgalias configuration',
);
export type ConfigFile = t.TypeOf<typeof ConfigFileCodec>;

const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `probes.timeoutMs`, `images[2]`, `buildArgs["bad key"]`; the root is `(root)`. */
function pathOf(context: t.Context): string {
  const keys = context.slice(1).map((entry) => entry.key);
  if (keys.length === 0) return '(root)';
  return keys.reduce((path, key, i) => {
    if (/^(0|[1-9][0-9]*)$/.test(key) && i > 0) return `${path}[${key}]`;
    // A key is bounded like any value: a 5000-character identifier is quoted as an excerpt.
    if (identifier.test(key) && key.length <= EXCERPT_LENGTH) return path === '' ? key : `${path}.${key}`;
    return `${path}[${quoteExcerpt(key)}]`;
  }, '');
}

/** Every bad path in decode order, one issue per path. */
export function issuesOf(errors: t.Errors): readonly ConfigIssue[] {
  const byPath = new Map<string, string>();
  for (const error of errors) {
    const path = pathOf(error.context);
    if (!byPath.has(path)) byPath.set(path, error.message ?? `unexpected value ${describeValue(error.value)}`);
  }
  return [...byPath].map(([path, message]) => ({ path, message }));
}
