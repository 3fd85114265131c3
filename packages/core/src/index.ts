// The public API of @imgalias/core: what build tooling needs to plan, check and review image aliases, named
// explicitly so a reader sees the whole contract in one place. Helpers the sibling packages share live in
// `@imgalias/core/internal` (./internal.ts), which carries no compatibility promise.

// --- Image references ---
export type { ImageReference, ReferenceError, ReferenceStyle, DigestProblem } from './ImageReference.js';
export { parseReference, formatReference, familiarName, describeReferenceError } from './ImageReference.js';

// --- Policy: what config files and callers write, checked into what planners take ---
export type { NetworkMode, ConflictPolicy, AliasPolicy, PolicyInput, MirrorRuleInput, PolicyError } from './Policy.js';
export { defaultPolicy, resolvePolicy, describePolicyError } from './Policy.js';
export type { HarborLocation, HarborLocationError } from './HarborLocation.js';
export { parseHarborLocation, formatHarborLocation, describeHarborLocationError } from './HarborLocation.js';
export type { HarborLayout, MirrorRule, MirrorRuleError, StagingSource } from './MirrorRule.js';
export { HARBOR_LAYOUTS, formatMirrorRule, describeMirrorRuleError } from './MirrorRule.js';

// --- The image store: snapshots in, plans applied (implemented by @imgalias/adapter-docker and adapter-memory) ---
export type { SnapshotImage, Snapshot } from './Snapshot.js';
export type { EngineKind, StoreError, ActionResult, ApplyEvent, ApplyOptions, ApplyReport, ImageStore, PlanMismatch } from './ImageStore.js';
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

// --- Alias plans and checks ---
export type { MemberRole, ImageRequest } from './AliasFamily.js';
export type { TagReason, TagAction, PlanAction, Plan, HarborNameSource, PlanInput } from './Plan.js';
export { planAliases, applyToSnapshot } from './Plan.js';
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
export type { FamilyStatus, MemberCheck, FamilyCheck, CheckResult, CheckInput } from './FamilyCheck.js';
export { checkFamilies } from './FamilyCheck.js';

// --- Image lifecycle (prefetch, publish, clean) and registry sync: pure plans ---
export type { PullSource, PullReason, PullCandidate, PullEntry, PullFinding, PullPlan, PullPlanInput } from './lifecycle/PullPlan.js';
export { planPrefetch, pullsOf, describePullFinding } from './lifecycle/PullPlan.js';
export type { PublishEntry, PublishFinding, PublishPlan, PublishPlanInput } from './lifecycle/PublishPlan.js';
export { planPublish, publishTags, describePublishFinding } from './lifecycle/PublishPlan.js';
export type { ContainerUse, UntagAction, KeptName, CleanRefusal, CleanFinding, CleanPlan, CleanPlanInput } from './lifecycle/CleanPlan.js';
export { planClean, describeCleanRefusal, describeCleanFinding } from './lifecycle/CleanPlan.js';
export type { SyncEntry, SyncFinding, SyncPlan, SyncPlanInput } from './lifecycle/SyncPlan.js';
export { planSync, describeSyncFinding } from './lifecycle/SyncPlan.js';

// --- JSON forms: decode untrusted input into the types above ---
export type { DecodeError } from './codecs.js';
export { SnapshotCodec, PolicyCodec, PlanCodec, decode, describeDecodeError } from './codecs.js';
export { PullPlanCodec, PublishPlanCodec, CleanPlanCodec, SyncPlanCodec } from './lifecycle/LifecycleCodecs.js';
