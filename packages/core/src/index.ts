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

export type { NetworkMode, ConflictPolicy, AliasPolicy, PolicyInput, MirrorRuleInput, PolicyError } from './Policy.js';
export { defaultPolicy, resolvePolicy, describePolicyError } from './Policy.js';
export type { HarborLocation, HarborLocationError } from './HarborLocation.js';
export { parseHarborLocation, describeHarborLocationError, formatHarborLocation } from './HarborLocation.js';

export type { EngineKind, StoreError, ActionResult, ApplyOptions, ApplyReport, ImageStore, PlanMismatch } from './ImageStore.js';
export type {
  ImageLifecycle,
  ManifestProbeError,
  PullError,
  CandidateFailure,
  PullRequest,
  PullResult,
  PullEvent,
  PullOptions,
  PushResult,
  PushEvent,
  PushOptions,
  UntagResult,
  UntagEvent,
  UntagOptions,
  ImagePlatform,
} from './ImageLifecycle.js';
export type { Refusal } from './Refusal.js';
export { describeRefusal } from './Refusal.js';
export { spellReference } from './EngineDialect.js';

export type { MemberRole, FamilyMember, AliasFamily } from './AliasFamily.js';
export type { SnapshotImage, Snapshot } from './Snapshot.js';
export type { TagReason, TagAction, PlanAction, Plan, HarborNameSource } from './Plan.js';
export type {
  Finding,
  MissingFinding,
  ConflictFinding,
  DigestReferenceFinding,
  InvalidRequestFinding,
  AmbiguousMirrorFinding,
  MirrorTooDeepFinding,
  InvalidSnapshotNameFinding,
  RequestFinding,
} from './Finding.js';
export { describeFinding } from './Finding.js';
export type { HarborLayout, MirrorRule, MirrorResolution, MirrorRuleError, StagingSource } from './MirrorRule.js';
export {
  ANY_ORIGIN,
  HARBOR_LAYOUTS,
  isHarborLayout,
  mirrorRulesOf,
  formatMirrorRule,
  layoutPath,
  resolveMirror,
  stagingRepository,
  STAGING_SEPARATOR,
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
export { planAliases, applyToSnapshot, harborNamesOf } from './Plan.js';
export type { FamilyStatus, MemberCheck, FamilyCheck, CheckResult, CheckInput } from './FamilyCheck.js';
export { checkFamilies, familiesInSnapshot } from './FamilyCheck.js';
export type { Preflight, UntagPreflight } from './Preflight.js';
export { preflightPlan, preflightUntag, recheckTarget, planMismatches, verifyPlan, normaliseImageId } from './Preflight.js';
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
export type { PullSource, PullReason, PullCandidate, PullEntry, PullFinding, PullPlan, PullPlanInput } from './lifecycle/PullPlan.js';
export { planPrefetch, pullsOf, describePullFinding } from './lifecycle/PullPlan.js';
export type { PublishEntry, PublishFinding, PublishPlan, PublishPlanInput } from './lifecycle/PublishPlan.js';
export { planPublish, publishTags, isPublished, describePublishFinding } from './lifecycle/PublishPlan.js';
export type { ContainerUse, UntagAction, KeptName, CleanRefusal, CleanFinding, CleanPlan, CleanPlanInput } from './lifecycle/CleanPlan.js';
export { planClean, describeCleanRefusal, describeCleanFinding } from './lifecycle/CleanPlan.js';
export { PullPlanCodec, PublishPlanCodec, CleanPlanCodec, SyncPlanCodec } from './lifecycle/LifecycleCodecs.js';
export { EXCERPT_LENGTH, excerpt, printable, quoteExcerpt } from './PrintableText.js';
export { excludeImages, imageGlobMatches } from './ImageGlob.js';
export type { ExcludedImage } from './ImageGlob.js';

// --- Registry as the store (sync, check --registry): pure plan of origin -> Harbor copies. ---
export type { SyncEntry, SyncFinding, SyncPlan, SyncPlanInput } from './lifecycle/SyncPlan.js';
export { planSync, describeSyncFinding } from './lifecycle/SyncPlan.js';
