import type { Either } from 'fp-ts/lib/Either.js';
import { mapLeft, match } from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import { EXCERPT_LENGTH, quoteExcerpt } from './PrintableText.js';
import type { ImageReference, ReferenceError } from './ImageReference.js';
import { describeReferenceError, formatReference, parseReference } from './ImageReference.js';
import type { MirrorRule } from './MirrorRule.js';
import type { Finding } from './Finding.js';
import type { HarborNameSource, Plan, TagAction } from './Plan.js';
import type { HarborLocation } from './HarborLocation.js';
import { describeHarborLocationError, formatHarborLocation, parseHarborLocation } from './HarborLocation.js';
import type { AliasPolicy } from './Policy.js';
import type { Snapshot } from './Snapshot.js';

// The JSON forms other tools and the CLI exchange. Each codec's decoded type is the core type itself, so a
// decoded value goes straight into the planner.

export const NetworkModeCodec = t.keyof({ external: null, internal: null }, '"external" | "internal"');
export const HarborLayoutCodec = t.keyof(
  {
    path: null,
    'proxy-cache': null,
    'flatten-0': null,
    'flatten-1': null,
    'flatten-2': null,
    'flatten-3': null,
    'flatten-all': null,
    library: null,
    flatten: null,
  },
  '"path" | "proxy-cache" | "flatten-0" | "flatten-1" | "flatten-2" | "flatten-3" | "flatten-all" | "library" | "flatten"',
);
export const ConflictPolicyCodec = t.keyof({ report: null, retarget: null }, '"report" | "retarget"');
const MemberRoleCodec = t.keyof(
  { harbor: null, localhost: null, origin: null, short: null, 'localhost-short': null },
  '"harbor" | "localhost" | "origin" | "short" | "localhost-short"',
);
const TagReasonCodec = t.keyof({ 'missing-name': null, retarget: null }, '"missing-name" | "retarget"');

export const HarborLocationCodec: t.Type<HarborLocation> = t.exact(
  t.type({ registry: t.string, project: t.string }),
  'HarborLocation',
);

/** `"harbor.corp.local/proj"` <-> `{ registry: 'harbor.corp.local', project: 'proj' }` */
export const HarborLocationFromString = new t.Type<HarborLocation, string, unknown>(
  'HarborLocationFromString',
  (u): u is HarborLocation => HarborLocationCodec.is(u),
  (u, c) => {
    if (typeof u !== 'string') return t.failure(u, c, 'expected a Harbor location string "host[:port]/project"');
    return pipe(parseHarborLocation(u), match((error) => t.failure(u, c, describeHarborLocationError(error)), t.success));
  },
  formatHarborLocation,
);

/** `"redis:7-alpine"` <-> `{ domain: 'docker.io', path: 'library/redis', tag: '7-alpine' }`; encodes canonical. */
export const ImageReferenceFromString = new t.Type<ImageReference, string, unknown>(
  'ImageReferenceFromString',
  (u): u is ImageReference =>
    typeof u === 'object' && u !== null && typeof (u as ImageReference).domain === 'string' && typeof (u as ImageReference).path === 'string',
  (u, c) => {
    if (typeof u !== 'string') return t.failure(u, c, 'expected an image reference string');
    return pipe(parseReference(u), match((error) => t.failure(u, c, describeReferenceError(error)), t.success));
  },
  (ref) => formatReference(ref, 'canonical'),
);

/**
 * A union discriminated by `_tag`: the value's `_tag` picks the one member to validate with, so a mistake inside
 * a finding is reported at its own path instead of as one error per union member.
 */
const taggedUnion = <A extends { readonly _tag: string }>(
  name: string,
  members: { readonly [K in A['_tag']]: t.Type<Extract<A, { _tag: K }>, unknown, unknown> },
): t.Type<A, A, unknown> => {
  const tags = Object.keys(members);
  const byTag = members as unknown as Readonly<Record<string, t.Type<A, unknown, unknown>>>;
  const expected = tags.map((tag) => JSON.stringify(tag)).join(' | ');
  return new t.Type<A, A, unknown>(
    name,
    (u): u is A => typeof u === 'object' && u !== null && byTag[(u as A)._tag]?.is(u) === true,
    (u, c) => {
      if (typeof u !== 'object' || u === null || Array.isArray(u)) return t.failure(u, c, `expected ${name} (an object with _tag ${expected}), got ${show(u)}`);
      const tag = (u as { _tag?: unknown })._tag;
      const member = typeof tag === 'string' && tags.includes(tag) ? byTag[tag] : undefined;
      if (member === undefined) {
        return t.failure(tag, [...c, { key: '_tag', type: t.string, actual: tag }], `expected ${expected}, got ${show(tag)}`);
      }
      // An entry with an empty key marks "same value, now seen as this member" for the path reporter.
      return member.validate(u, [...c, { key: '', type: member, actual: u }]);
    },
    (a) => (byTag[a._tag] as t.Type<A, unknown, unknown>).encode(a) as A,
  );
};

// Exact codecs drop unknown fields while decoding, so extra JSON fields never leak into plans or snapshots.
const struct = <P extends t.Props>(props: P, name?: string) => t.exact(t.type(props), name);
const withOptional = <P extends t.Props, O extends t.Props>(required: P, optional: O, name: string) =>
  t.intersection([t.exact(t.type(required)), t.exact(t.partial(optional))], name);

export const SnapshotImageCodec = withOptional(
  { id: t.string, names: t.readonlyArray(t.string) },
  { digests: t.readonlyArray(t.string) },
  'SnapshotImage',
);

/** A snapshot as JSON. Unknown extra fields (engine details, sizes, dates) are accepted and ignored. */
export const SnapshotCodec: t.Type<Snapshot, Snapshot, unknown> = struct(
  { version: t.literal(1), images: t.readonlyArray(SnapshotImageCodec) },
  'Snapshot',
);

/** A mirror rule as JSON: `location` (and a staging source's) as an object or the `host[:port]/project` string; origins are not checked here. */
const HarborLocationJson = t.union([HarborLocationCodec, HarborLocationFromString], 'HarborLocation') as unknown as t.Type<HarborLocation, HarborLocation, unknown>;

export const MirrorRuleCodec: t.Type<MirrorRule, MirrorRule, unknown> = withOptional(
  { origin: t.string, location: HarborLocationJson, layout: HarborLayoutCodec },
  { staging: struct({ location: HarborLocationJson, layout: HarborLayoutCodec }, 'StagingSource') },
  'MirrorRule',
);

/** A policy as JSON. `harbor` may be an object or the `host[:port]/project` string; it encodes as an object. */
export const PolicyCodec: t.Type<AliasPolicy, unknown, unknown> = withOptional(
  {
    mode: NetworkModeCodec,
    harborLayout: HarborLayoutCodec,
    shortNames: t.boolean,
    onConflict: ConflictPolicyCodec,
    harborTags: t.boolean,
  },
  { harbor: t.union([HarborLocationCodec, HarborLocationFromString], 'HarborLocation'), mirrors: t.readonlyArray(MirrorRuleCodec) },
  'AliasPolicy',
);

const ReferenceErrorCodec = taggedUnion<ReferenceError>('ReferenceError', {
  EmptyReference: struct({ _tag: t.literal('EmptyReference'), input: t.string }),
  InvalidFormat: struct({ _tag: t.literal('InvalidFormat'), input: t.string }),
  NameContainsUppercase: struct({ _tag: t.literal('NameContainsUppercase'), input: t.string }),
  NameTooLong: struct({ _tag: t.literal('NameTooLong'), input: t.string, length: t.number }),
  InvalidDigest: withOptional(
    { _tag: t.literal('InvalidDigest'), input: t.string },
    { problem: t.keyof({ 'unsupported-algorithm': null, 'wrong-length': null, 'not-lowercase-hex': null }) },
    'InvalidDigest',
  ),
  AnonymousName: struct({ _tag: t.literal('AnonymousName'), input: t.string }),
});

export const TagActionCodec: t.Type<TagAction, TagAction, unknown> = withOptional(
  {
    _tag: t.literal('Tag'),
    source: t.string,
    target: t.string,
    imageId: t.string,
    family: t.string,
    role: MemberRoleCodec,
    reason: TagReasonCodec,
  },
  { replaces: t.string },
  'TagAction',
);

/** Each shared finding kind's codec, for the plan kinds that list some of them (the lifecycle codecs). */
export const findingCodecs: { readonly [K in Finding['_tag']]: t.Type<Extract<Finding, { _tag: K }>, unknown, unknown> } = {
  Missing: withOptional(
    { _tag: t.literal('Missing'), family: t.string, lookedFor: t.readonlyArray(t.string) },
    { pull: t.string },
    'Missing',
  ),
  Conflict: struct({
    _tag: t.literal('Conflict'),
    family: t.string,
    name: t.string,
    imageId: t.string,
    expectedImageId: t.string,
    source: t.string,
  }),
  AmbiguousMirror: struct({ _tag: t.literal('AmbiguousMirror'), name: t.string, families: t.readonlyArray(t.string) }),
  MirrorTooDeep: struct({ _tag: t.literal('MirrorTooDeep'), family: t.string, rule: MirrorRuleCodec, components: t.number, level: t.number }),
  DigestReference: struct({ _tag: t.literal('DigestReference'), reference: t.string }),
  InvalidRequest: struct({ _tag: t.literal('InvalidRequest'), input: t.string, error: ReferenceErrorCodec }),
  InvalidSnapshotName: struct({ _tag: t.literal('InvalidSnapshotName'), name: t.string, imageId: t.string, error: ReferenceErrorCodec }),
};

export const FindingCodec = taggedUnion<Finding>('Finding', findingCodecs);

const HarborNameSourceCodec: t.Type<HarborNameSource, HarborNameSource, unknown> = struct(
  { family: t.string, name: t.string, rule: MirrorRuleCodec },
  'HarborNameSource',
);

/**
 * An alias plan as JSON (`imgalias plan --format json`): decode a saved plan with it before applying, so a
 * hand-edited or truncated file is refused with paths instead of half applied.
 *
 * @example
 * decode(PlanCodec, JSON.parse(JSON.stringify(plan))) // right(plan), or left({ _tag: 'DecodeError', errors: [...] }) for a broken file
 */
export const PlanCodec: t.Type<Plan, Plan, unknown> = withOptional(
  {
    version: t.literal(1),
    mode: NetworkModeCodec,
    actions: t.readonlyArray(TagActionCodec),
    findings: t.readonlyArray(FindingCodec),
  },
  { harborNames: t.readonlyArray(HarborNameSourceCodec) },
  'Plan',
);

/** Why input does not match a codec: one entry per problem, each at a readable path (`images[3].names[0]`). */
export interface DecodeError {
  readonly _tag: 'DecodeError';
  readonly errors: readonly { readonly path: string; readonly message: string }[];
}

/**
 * At most `budget` characters of a value's JSON, built only as far as needed: a 60 MB string or a list nested
 * 200k deep costs as much as a short one (JSON.stringify would walk all of it, or overflow the stack).
 */
const jsonPreview = (value: unknown, budget: number): string => {
  let out = '';
  const visit = (v: unknown): void => {
    if (out.length >= budget) return;
    if (Array.isArray(v)) {
      out += '[';
      for (let i = 0; i < v.length && out.length < budget; i++) {
        if (i > 0) out += ',';
        visit(v[i]);
      }
      out += ']';
    } else if (typeof v === 'object' && v !== null) {
      out += '{';
      let first = true;
      for (const key of Object.keys(v)) {
        if (out.length >= budget) break;
        out += `${first ? '' : ','}${JSON.stringify(key.slice(0, budget))}:`;
        first = false;
        visit((v as Record<string, unknown>)[key]);
      }
      out += '}';
    } else {
      out +=
        typeof v === 'string'
          ? JSON.stringify(v.slice(0, budget))
          : typeof v === 'number' || typeof v === 'boolean'
            ? JSON.stringify(v)
            : String(v); // a bigint or symbol, which JSON cannot show (never in parsed JSON)
    }
  };
  visit(value);
  return out;
};

const show = (value: unknown): string => {
  if (value === undefined) return 'nothing';
  const text = jsonPreview(value, 61);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

// Codecs whose children are addressed by index or key in the input; other wrappers (unions, intersections,
// refinements) add a context entry that is not a step in the input's path. Our own `new t.Type` codecs have
// no `_tag`: the only children they add are object fields (the `_tag` of a tagged union, its member's fields).
const PATH_PARENTS: Readonly<Record<string, 'index' | 'key'>> = {
  ArrayType: 'index',
  ReadonlyArrayType: 'index',
  TupleType: 'index',
  InterfaceType: 'key',
  PartialType: 'key',
  StrictType: 'key',
  ExactType: 'key',
  DictionaryType: 'key',
};

const pathOf = (context: t.Context): string => {
  let path = '';
  for (let i = 1; i < context.length; i++) {
    const parent = (context[i - 1]?.type as { _tag?: string } | undefined)?._tag;
    const entry = context[i] as t.ContextEntry;
    const step = parent === undefined ? (entry.key === '' ? undefined : 'key') : PATH_PARENTS[parent];
    if (step === 'index') path += `[${entry.key}]`;
    else if (step === 'key') path += /^[A-Za-z_$][\w$]*$/.test(entry.key) && entry.key.length <= EXCERPT_LENGTH ? `.${entry.key}` : `[${quoteExcerpt(entry.key)}]`;
  }
  return path.startsWith('.') ? path.slice(1) : path;
};

const toDecodeError = (errors: t.Errors): DecodeError => {
  const entries = errors.map((error) => {
    const last = error.context[error.context.length - 1];
    return {
      path: pathOf(error.context),
      message: error.message ?? `expected ${last?.type.name ?? 'a value'}, got ${show(error.value)}`,
      specific: error.message !== undefined,
    };
  });
  // A union reports once per member; where one member explained itself (`invalid Harbor location ...`), the
  // generic "expected X" lines at the same path only repeat it less clearly.
  const explained = new Set(entries.filter((entry) => entry.specific).map((entry) => entry.path));
  const seen = new Set<string>();
  const kept: { path: string; message: string }[] = [];
  for (const { path, message, specific } of entries) {
    const key = `${path}\u0000${message}`;
    if (seen.has(key) || (!specific && explained.has(path))) continue;
    seen.add(key);
    kept.push({ path, message });
  }
  return { _tag: 'DecodeError', errors: kept };
};

/**
 * Decodes untrusted input (parsed JSON or YAML) with a codec, collecting every problem with its path.
 *
 * @example
 * decode(SnapshotCodec, { version: 1, images: [{ id: 'a', names: [42] }] })
 * // left({ _tag: 'DecodeError', errors: [{ path: 'images[0].names[0]', message: 'expected string, got 42' }] })
 */
export const decode = <A, O>(codec: t.Type<A, O, unknown>, input: unknown): Either<DecodeError, A> =>
  pipe(codec.decode(input), mapLeft(toDecodeError));

/** One line per problem, `path: message`; the input itself is `(root)`. Long lists are cut at 20 lines. */
export const describeDecodeError = (error: DecodeError): string => {
  const lines = error.errors.slice(0, 20).map(({ path, message }) => `${path === '' ? '(root)' : path}: ${message}`);
  if (error.errors.length > 20) lines.push(`...and ${error.errors.length - 20} more`);
  return lines.join('\n');
};
