// The public API of @imgalias/core, named explicitly so a reader sees the whole contract in one place.

export type { ImageReference, ReferenceError, ReferenceStyle, ParseReference, DigestProblem } from './ImageReference.js';
export {
  parseReference,
  formatReference,
  familiarName,
  familiarPath,
  withDefaultTag,
  hasDigest,
  canonicalTagKey,
  describeReferenceError,
  MAX_PATH_LENGTH,
} from './ImageReference.js';

export type {
  NetworkMode,
  HarborLayout,
  ConflictPolicy,
  HarborLocation,
  AliasPolicy,
  HarborLocationError,
} from './Policy.js';
export { defaultPolicy, parseHarborLocation, describeHarborLocationError, formatHarborLocation } from './Policy.js';

export type { EngineKind, StoreError, ActionResult, ApplyOptions, ApplyReport, ImageStore, PlanMismatch } from './ImageStore.js';
export { spellReference } from './EngineDialect.js';

export type { MemberRole, FamilyMember, AliasFamily } from './AliasFamily.js';
export type { SnapshotImage, Snapshot } from './Snapshot.js';
export type { TagReason, TagAction, PlanAction, Finding, Plan, HarborNameSource } from './Plan.js';
export type { MirrorRule, MirrorResolution, MirrorRuleError } from './MirrorRule.js';
export {
  ANY_ORIGIN,
  HARBOR_LAYOUTS,
  isHarborLayout,
  mirrorRulesOf,
  formatMirrorRule,
  layoutPath,
  resolveMirror,
  parseMirrorOrigin,
  makeMirrorRule,
  parseMirrorRule,
  duplicateMirrorOrigin,
  describeMirrorRuleError,
} from './MirrorRule.js';
export type { ImageRequest } from './AliasFamily.js';
export { familyOf, familiesOf, localhostTwin, SOURCE_RANKING, isTagTarget } from './AliasFamily.js';
export type { SnapshotIndex } from './Snapshot.js';
export { indexSnapshot, canonicalTagName, isPlaceholderName } from './Snapshot.js';
export type { PlanInput } from './Plan.js';
export { planAliases, applyToSnapshot, describeFinding, harborNamesOf } from './Plan.js';
export type { FamilyStatus, MemberCheck, FamilyCheck, CheckResult, CheckInput } from './FamilyCheck.js';
export { checkFamilies, familiesInSnapshot } from './FamilyCheck.js';
export type { Preflight } from './Preflight.js';
export { preflightPlan, recheckTarget, planMismatches, verifyPlan, normaliseImageId } from './Preflight.js';
export type { DecodeError } from './codecs.js';
export {
  NetworkModeCodec,
  HarborLayoutCodec,
  ConflictPolicyCodec,
  HarborLocationCodec,
  HarborLocationFromString,
  MirrorRuleCodec,
  ImageReferenceFromString,
  SnapshotImageCodec,
  SnapshotCodec,
  PolicyCodec,
  TagActionCodec,
  FindingCodec,
  PlanCodec,
  decode,
  describeDecodeError,
} from './codecs.js';

// --- Image lifecycle (prefetch, publish, clean): pure plans and their JSON codecs. ---
export type { PullSource, PullReason, PullCandidate, PullEntry, PullFinding, PullPlan, PullPlanInput } from './PullPlan.js';
export { planPrefetch, pullsOf, describePullFinding } from './PullPlan.js';
export type { PublishEntry, PublishFinding, PublishPlan, PublishPlanInput } from './PublishPlan.js';
export { planPublish, publishTags, isPublished, describePublishFinding } from './PublishPlan.js';
export type { ContainerUse, UntagAction, KeptName, CleanRefusal, CleanFinding, CleanPlan, CleanPlanInput } from './CleanPlan.js';
export { planClean, describeCleanRefusal, describeCleanFinding } from './CleanPlan.js';
export { PullPlanCodec, PublishPlanCodec, CleanPlanCodec } from './LifecycleCodecs.js';
export { EXCERPT_LENGTH, excerpt, printable, quoteExcerpt } from './PrintableText.js';
export { excludeImages, imageGlobMatches } from './ImageGlob.js';
export type { ExcludedImage } from './ImageGlob.js';

// --- Registry as the store (sync, check --registry): pure plan of origin -> Harbor copies. ---
export type { SyncEntry, SyncFinding, SyncPlan, SyncPlanInput } from './SyncPlan.js';
export { planSync } from './SyncPlan.js';
