import * as t from 'io-ts';
import type { CleanFinding, CleanPlan, CleanRefusal, ContainerUse, KeptName, UntagAction } from './CleanPlan.js';
import { findingCodecs, HarborLocationCodec, MirrorRuleCodec, NetworkModeCodec, TagActionCodec } from '../codecs.js';
import type { PublishEntry, PublishFinding, PublishPlan } from './PublishPlan.js';
import type { PullCandidate, PullEntry, PullFinding, PullPlan } from './PullPlan.js';
import type { SyncEntry, SyncFinding, SyncPlan } from './SyncPlan.js';

// The JSON forms of the lifecycle plans (`prefetch --dry-run --json`, `publish --dry-run --json`,
// `clean --json`, `sync --dry-run --json`). As with codecs.ts, each decoded type is the core type itself.

const struct = <P extends t.Props>(props: P, name: string) => t.exact(t.type(props), name);
const withOptional = <P extends t.Props, O extends t.Props>(required: P, optional: O, name: string) =>
  t.intersection([t.exact(t.type(required)), t.exact(t.partial(optional))], name);

/**
 * A union picked by `_tag`, so an error inside one member is reported at that member's own path. Members
 * shared with the alias plan are decoded by their `findingCodecs` entry.
 */
const byTag = <A extends { readonly _tag: string }>(
  name: string,
  members: { readonly [K in A['_tag']]: t.Type<Extract<A, { _tag: K }>, unknown, unknown> },
): t.Type<A, A, unknown> => {
  const table = members as unknown as Readonly<Record<string, t.Type<A, unknown, unknown>>>;
  const tags = Object.keys(table);
  return new t.Type<A, A, unknown>(
    name,
    (u): u is A => typeof u === 'object' && u !== null && table[(u as A)._tag]?.is(u) === true,
    (u, c) => {
      const tag = typeof u === 'object' && u !== null ? (u as { _tag?: unknown })._tag : undefined;
      const member = typeof tag === 'string' && tags.includes(tag) ? table[tag] : undefined;
      if (member === undefined) return t.failure(u, c, `expected ${name} with _tag ${tags.map((x) => JSON.stringify(x)).join(' | ')}`);
      return member.validate(u, [...c, { key: '', type: member, actual: u }]);
    },
    (a) => (table[a._tag] as t.Type<A, unknown, unknown>).encode(a) as A,
  );
};

const PullCandidateCodec: t.Type<PullCandidate, unknown, unknown> = withOptional(
  {
    source: t.keyof({ origin: null, mirror: null, harbor: null }),
    reference: t.string,
    registry: t.string,
    reason: t.keyof({
      'internal-harbor-only': null,
      'external-origin': null,
      'external-mirror': null,
      'external-harbor-fallback': null,
    }),
  },
  { tagAs: t.string },
  'PullCandidate',
);

const PullEntryCodec = byTag<PullEntry>('PullEntry', {
  Present: struct({ _tag: t.literal('Present'), family: t.string, name: t.string, imageId: t.string }, 'Present'),
  Pull: struct(
    { _tag: t.literal('Pull'), family: t.string, lookedFor: t.readonlyArray(t.string), candidates: t.readonlyArray(PullCandidateCodec) },
    'Pull',
  ),
});

const PullFindingCodec = byTag<PullFinding>('PullFinding', {
  NoPullSource: struct(
    {
      _tag: t.literal('NoPullSource'),
      family: t.string,
      lookedFor: t.readonlyArray(t.string),
      reason: t.keyof({ 'no-harbor-configured': null, 'no-harbor-copy': null }),
    },
    'NoPullSource',
  ),
  InvalidMirror: struct({ _tag: t.literal('InvalidMirror'), mirror: t.string, reason: t.string }, 'InvalidMirror'),
  InvalidRequest: findingCodecs.InvalidRequest,
  DigestReference: findingCodecs.DigestReference,
  InvalidSnapshotName: findingCodecs.InvalidSnapshotName,
  AmbiguousMirror: findingCodecs.AmbiguousMirror,
  MirrorTooDeep: findingCodecs.MirrorTooDeep,
});

/** The pull plan as JSON (`imgalias prefetch --dry-run --json`). */
export const PullPlanCodec: t.Type<PullPlan, PullPlan, unknown> = struct(
  {
    version: t.literal(1),
    mode: NetworkModeCodec,
    entries: t.readonlyArray(PullEntryCodec),
    findings: t.readonlyArray(PullFindingCodec),
  },
  'PullPlan',
) as unknown as t.Type<PullPlan, PullPlan, unknown>;

const PublishEntryCodec: t.Type<PublishEntry, unknown, unknown> = withOptional(
  { _tag: t.literal('Publish'), family: t.string, source: t.string, imageId: t.string, target: t.string },
  { tag: TagActionCodec },
  'PublishEntry',
);

const PublishFindingCodec = byTag<PublishFinding>('PublishFinding', {
  NoHarborConfigured: struct({ _tag: t.literal('NoHarborConfigured') }, 'NoHarborConfigured'),
  NoHarborCopy: struct({ _tag: t.literal('NoHarborCopy'), family: t.string }, 'NoHarborCopy'),
  Missing: findingCodecs.Missing,
  Conflict: findingCodecs.Conflict,
  InvalidRequest: findingCodecs.InvalidRequest,
  DigestReference: findingCodecs.DigestReference,
  InvalidSnapshotName: findingCodecs.InvalidSnapshotName,
  AmbiguousMirror: findingCodecs.AmbiguousMirror,
  MirrorTooDeep: findingCodecs.MirrorTooDeep,
});

/** The publish plan as JSON (`imgalias publish --dry-run --json`). */
export const PublishPlanCodec: t.Type<PublishPlan, PublishPlan, unknown> = withOptional(
  { version: t.literal(1), entries: t.readonlyArray(PublishEntryCodec), findings: t.readonlyArray(PublishFindingCodec) },
  { harbor: HarborLocationCodec },
  'PublishPlan',
) as unknown as t.Type<PublishPlan, PublishPlan, unknown>;

const ContainerUseCodec: t.Type<ContainerUse, unknown, unknown> = withOptional(
  { id: t.string, imageId: t.string },
  { name: t.string },
  'ContainerUse',
);

const MemberRoleCodec = t.keyof({ harbor: null, localhost: null, origin: null, short: null, 'localhost-short': null });

const UntagActionCodec: t.Type<UntagAction, unknown, unknown> = struct(
  { _tag: t.literal('Untag'), name: t.string, imageId: t.string, family: t.string, role: MemberRoleCodec },
  'UntagAction',
);

const KeptNameCodec: t.Type<KeptName, unknown, unknown> = struct(
  { family: t.string, name: t.string, imageId: t.string, reason: t.literal('harbor-copy') },
  'KeptName',
);

const CleanRefusalCodec = byTag<CleanRefusal>('CleanRefusal', {
  SharedImage: struct(
    { _tag: t.literal('SharedImage'), family: t.string, imageId: t.string, names: t.readonlyArray(t.string) },
    'SharedImage',
  ),
  InUse: struct(
    { _tag: t.literal('InUse'), family: t.string, imageId: t.string, containers: t.readonlyArray(ContainerUseCodec) },
    'InUse',
  ),
  Unrecoverable: struct({ _tag: t.literal('Unrecoverable'), family: t.string, imageId: t.string }, 'Unrecoverable'),
});

const CleanFindingCodec = byTag<CleanFinding>('CleanFinding', {
  NotPresent: struct({ _tag: t.literal('NotPresent'), family: t.string }, 'NotPresent'),
  UnrecoverableCleaned: struct({ _tag: t.literal('UnrecoverableCleaned'), family: t.string }, 'UnrecoverableCleaned'),
  InvalidRequest: findingCodecs.InvalidRequest,
  DigestReference: findingCodecs.DigestReference,
  InvalidSnapshotName: findingCodecs.InvalidSnapshotName,
  AmbiguousMirror: findingCodecs.AmbiguousMirror,
  MirrorTooDeep: findingCodecs.MirrorTooDeep,
});

/** The clean plan as JSON (`imgalias clean --json`). */
export const CleanPlanCodec: t.Type<CleanPlan, CleanPlan, unknown> = struct(
  {
    version: t.literal(1),
    actions: t.readonlyArray(UntagActionCodec),
    kept: t.readonlyArray(KeptNameCodec),
    refusals: t.readonlyArray(CleanRefusalCodec),
    findings: t.readonlyArray(CleanFindingCodec),
  },
  'CleanPlan',
) as unknown as t.Type<CleanPlan, CleanPlan, unknown>;

const SyncEntryCodec: t.Type<SyncEntry, unknown, unknown> = struct(
  { _tag: t.literal('Copy'), family: t.string, source: t.string, target: t.string },
  'SyncEntry',
);

const SyncFindingCodec = byTag<SyncFinding>('SyncFinding', {
  NoHarborConfigured: struct({ _tag: t.literal('NoHarborConfigured') }, 'NoHarborConfigured'),
  NoHarborCopy: struct({ _tag: t.literal('NoHarborCopy'), family: t.string }, 'NoHarborCopy'),
  InvalidRequest: findingCodecs.InvalidRequest,
  DigestReference: findingCodecs.DigestReference,
  AmbiguousMirror: findingCodecs.AmbiguousMirror,
  MirrorTooDeep: findingCodecs.MirrorTooDeep,
  StagingTooDeep: struct(
    { _tag: t.literal('StagingTooDeep'), family: t.string, rule: MirrorRuleCodec, components: t.number, level: t.number },
    'StagingTooDeep',
  ),
});

/** The sync plan as JSON (`imgalias sync --dry-run --json`). */
export const SyncPlanCodec: t.Type<SyncPlan, SyncPlan, unknown> = withOptional(
  { version: t.literal(1), entries: t.readonlyArray(SyncEntryCodec), findings: t.readonlyArray(SyncFindingCodec) },
  { harbor: HarborLocationCodec, platforms: t.readonlyArray(t.string) },
  'SyncPlan',
) as unknown as t.Type<SyncPlan, SyncPlan, unknown>;
