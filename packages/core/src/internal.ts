// `@imgalias/core/internal`: what the imgalias packages share beyond the public API (index.ts): indexes, rankings,
// preflight, text helpers, the codecs config files are built from. No compatibility promise: names here may
// change in any release. Applications use `@imgalias/core`.

// The public API as well, so every type a sibling package's declarations mention can be named from one module.
export * from './index.js';

export { familiarPath, withDefaultTag, hasDigest, canonicalTagKey, MAX_PATH_LENGTH } from './ImageReference.js';
export { spellReference } from './EngineDialect.js';

export { completePolicy } from './Policy.js';
export type { MirrorResolution, MirrorSettings } from './MirrorRule.js';
export {
  ANY_ORIGIN,
  isHarborLayout,
  mirrorRulesOf,
  layoutPath,
  resolveMirror,
  parseMirrorOrigin,
  makeMirrorRule,
  parseMirrorRule,
  duplicateMirrorOrigin,
  stagingRepository,
  STAGING_SEPARATOR,
} from './MirrorRule.js';

export type { FamilyMember, AliasFamily } from './AliasFamily.js';
export { familyOf, familiesOf, localhostTwin, SOURCE_RANKING, isTagTarget } from './AliasFamily.js';
export type { SnapshotIndex } from './Snapshot.js';
export { indexSnapshot, canonicalTagName, isPlaceholderName } from './Snapshot.js';
export { harborNamesOf } from './Plan.js';
export type { FindingOrder } from './Finding.js';
export { sortFindings, sharedFindingKey } from './Finding.js';
export { familiesInSnapshot } from './FamilyCheck.js';
export type { Preflight, UntagPreflight } from './Preflight.js';
export { preflightPlan, preflightUntag, recheckTarget, planMismatches, verifyPlan, normaliseImageId } from './Preflight.js';

export { isPublished } from './lifecycle/PublishPlan.js';

export { mapBounded } from './Bounded.js';

export {
  NetworkModeCodec,
  HarborLayoutCodec,
  ConflictPolicyCodec,
  HarborLocationCodec,
  HarborLocationFromString,
  MirrorRuleCodec,
  ImageReferenceFromString,
  SnapshotImageCodec,
  TagActionCodec,
  FindingCodec,
  findingCodecs,
} from './codecs.js';

export { EXCERPT_LENGTH, excerpt, printable, quoteExcerpt } from './PrintableText.js';
export type { ExcludedImage } from './ImageGlob.js';
export { excludeImages, imageGlobMatches } from './ImageGlob.js';
