import type { ImageRequest } from '../AliasFamily.js';
import { familiesOf, SOURCE_RANKING } from '../AliasFamily.js';
import { familiarName } from '../ImageReference.js';
import { compareStrings } from '../Order.js';
import type { ConflictFinding, FindingOrder, InvalidSnapshotNameFinding, MissingFinding, RequestFinding } from '../Finding.js';
import { describeFinding, sharedFindingKey, sortFindings } from '../Finding.js';
import type { TagAction } from '../Plan.js';
import { mirrorRulesOf } from '../MirrorRule.js';
import type { HarborLocation } from '../HarborLocation.js';
import type { AliasPolicy } from '../Policy.js';
import { completePolicy } from '../Policy.js';
import type { Snapshot } from '../Snapshot.js';
import { indexSnapshot } from '../Snapshot.js';

/**
 * Publish one family: give its image the Harbor name (when it does not have it yet), then push that name.
 * Whether the push is needed at all is decided later, against the registry (see `isPublished`).
 */
export interface PublishEntry {
  readonly _tag: 'Publish';
  readonly family: string;
  /** The local name the image is found under (canonical); the Harbor name is tagged from it. */
  readonly source: string;
  readonly imageId: string;
  /** The Harbor name that is pushed (canonical). */
  readonly target: string;
  /** The tag that creates (or, with `onConflict: 'retarget'`, moves) the Harbor name; absent when it is in place. */
  readonly tag?: TagAction;
}

/** Why an image is not published, as data: the shared findings plus the ones only publishing has (no Harbor to push to). */
export type PublishFinding =
  | MissingFinding
  | ConflictFinding
  | RequestFinding
  | InvalidSnapshotNameFinding
  | {
      /** Publishing needs a Harbor location (a mirror rule); none is configured. One finding for the whole plan. */
      readonly _tag: 'NoHarborConfigured';
    }
  | {
      /** No mirror rule gives the origin a Harbor name (no rule for its registry and no `*` rule), so it is not published. */
      readonly _tag: 'NoHarborCopy';
      readonly family: string;
    };

/** The publish plan (`imgalias publish --dry-run --json`): plain, serialisable data, entries sorted by family. */
export interface PublishPlan {
  readonly version: 1;
  /** The `*` rule's location (`--harbor`), when there is one; each entry's target names its own rule's location. */
  readonly harbor?: HarborLocation;
  /** One per family that can be published, sorted by family. */
  readonly entries: readonly PublishEntry[];
  readonly findings: readonly PublishFinding[];
}

/** What `planPublish` needs: the store as it is, the images the project uses, and the policy (its mirror rules). */
export interface PublishPlanInput {
  readonly snapshot: Snapshot;
  readonly images: ReadonlyArray<ImageRequest>;
  readonly policy: AliasPolicy;
}

// The publishing host has the upstream image: its own names come first, the Harbor name (already local,
// e.g. after an earlier publish) last, as external mode ranks them.
const SOURCE_ORDER = SOURCE_RANKING.external;


const PUBLISH_FINDING_ORDER: FindingOrder<PublishFinding> = {
  rank: {
    NoHarborConfigured: 0,
    Conflict: 1,
    Missing: 2,
    NoHarborCopy: 3,
    AmbiguousMirror: 4,
    MirrorTooDeep: 5,
    DigestReference: 6,
    InvalidRequest: 7,
    InvalidSnapshotName: 8,
  },
  key: (finding) => {
    switch (finding._tag) {
      case 'NoHarborConfigured':
        return [];
      case 'NoHarborCopy':
        return [finding.family];
      default:
        return sharedFindingKey(finding);
    }
  },
};

/**
 * Plans `imgalias publish`: for each requested image, its Harbor name per its mirror rule, the local name
 * to tag it from, and whether that tag is needed. Mode does not matter (publishing happens on the host that
 * reaches both worlds); `policy.harbor`, `harborLayout` and `onConflict` do.
 *
 * - No mirror rule at all: one `NoHarborConfigured` finding, no entries.
 * - No member present: `Missing` (with the origin to pull first). No rule for the origin: `NoHarborCopy`.
 * - The Harbor name already on another image than the source: a `Conflict` finding and no entry, or with
 *   `onConflict: 'retarget'` a `retarget` tag that records the image it replaces.
 *
 * @example
 * planPublish({ snapshot: { version: 1, images: [{ id: 'sha256:1', names: ['redis:7'] }] }, images: ['redis:7'],
 *   policy: { ...defaultPolicy, harbor: { registry: '127.0.0.1:5000', project: 'aihpc' } } }).entries[0]?.target
 * // '127.0.0.1:5000/aihpc/redis:7'
 */
export const planPublish = ({ snapshot, images, policy: given }: PublishPlanInput): PublishPlan => {
  const policy = completePolicy(given);
  const index = indexSnapshot(snapshot);
  const requested = familiesOf(images, policy);
  const findings: PublishFinding[] = [...index.findings, ...requested.findings];
  const entries: PublishEntry[] = [];
  const harbor = policy.harbor;
  const configured = mirrorRulesOf(policy).length > 0;
  if (!configured) findings.push({ _tag: 'NoHarborConfigured' });

  for (const family of configured ? requested.families : []) {
    const target = family.members.find((member) => member.role === 'harbor');
    if (target === undefined) {
      // A too-deep rule or a shared Harbor name already has a finding of its own that says why.
      if (family.tooDeep === undefined && !findings.some((f) => f._tag === 'AmbiguousMirror' && f.families.includes(family.origin))) {
        findings.push({ _tag: 'NoHarborCopy', family: family.origin });
      }
      continue;
    }
    const ranked = SOURCE_ORDER.flatMap((role) => family.members.filter((member) => member.role === role));
    const source = ranked.find((member) => index.imageIdByName.has(member.name));
    if (source === undefined) {
      findings.push({ _tag: 'Missing', family: family.origin, lookedFor: ranked.map((member) => member.name), pull: family.origin });
      continue;
    }
    const imageId = index.imageIdByName.get(source.name) as string;
    const holder = index.imageIdByName.get(target.name);
    const entry = { _tag: 'Publish', family: family.origin, source: source.name, imageId, target: target.name } as const;
    if (holder === imageId) {
      entries.push(entry);
      continue;
    }
    if (holder !== undefined && policy.onConflict === 'report') {
      findings.push({ _tag: 'Conflict', family: family.origin, name: target.name, imageId: holder, expectedImageId: imageId, source: source.name });
      continue;
    }
    const tag = { _tag: 'Tag', source: source.name, target: target.name, imageId, family: family.origin, role: 'harbor' } as const;
    entries.push({
      ...entry,
      tag: holder === undefined ? { ...tag, reason: 'missing-name' } : { ...tag, reason: 'retarget', replaces: holder },
    });
  }

  return {
    version: 1,
    ...(harbor === undefined ? {} : { harbor }),
    entries: entries.sort((a, b) => compareStrings(a.family, b.family)),
    findings: sortFindings(findings, PUBLISH_FINDING_ORDER),
  };
};

/** The `Tag` actions a publish plan needs before pushing, as a plan an `ImageStore` can apply. */
export const publishTags = (plan: PublishPlan): readonly TagAction[] =>
  plan.entries.flatMap((entry) => (entry.tag === undefined ? [] : [entry.tag]));

/**
 * True when the registry already holds this image: its manifest digest for the Harbor name is one the engine
 * recorded for the image (`RepoDigests`, `repo@sha256:...`). A manifest digest names its content, so an equal
 * digest means equal content whichever repository it was recorded under.
 *
 * @example
 * isPublished({ remoteDigest: 'sha256:ab…', localDigests: ['127.0.0.1:5000/aihpc/redis@sha256:ab…'] }) // true
 */
export const isPublished = ({ remoteDigest, localDigests }: { readonly remoteDigest: string | undefined; readonly localDigests: readonly string[] }): boolean =>
  remoteDigest !== undefined && localDigests.some((recorded) => recorded === remoteDigest || recorded.endsWith(`@${remoteDigest}`));


/** One sentence per publish finding: which image, what is wrong, what to do. */
export const describePublishFinding = (finding: PublishFinding): string => {
  switch (finding._tag) {
    case 'NoHarborConfigured':
      return 'publish needs a Harbor location to push to; set --harbor HOST[:PORT]/PROJECT (or IMGALIAS_HARBOR / INTERNAL_REGISTRY).';
    case 'NoHarborCopy':
      return `${familiarName(finding.family)} has no Harbor name: no mirror rule for its registry and no * rule (--harbor); it was not published. Add one with --mirror ORIGIN=HOST/PROJECT[@LAYOUT].`;
    case 'Missing':
      return `${familiarName(finding.family)} is not in the image store under any local name (${finding.lookedFor.map(familiarName).join(', ')}); pull ${familiarName(finding.family)} first, then publish again.`;
    case 'Conflict':
      return `${familiarName(finding.name)} already names image ${finding.imageId}, not ${finding.expectedImageId} (from ${familiarName(finding.source)}); it was not moved or pushed: remove it by hand, or publish with --on-conflict retarget.`;
    default:
      return describeFinding(finding);
  }
};
