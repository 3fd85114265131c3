import type { Either } from 'fp-ts/lib/Either.js';
import { right } from 'fp-ts/lib/Either.js';
import type { ImageRequest } from '../AliasFamily.js';
import { familiesOf } from '../AliasFamily.js';
import { describeReferenceError, familiarName, parseReference } from '../ImageReference.js';
import { compareStrings } from '../Order.js';
import type { FindingOrder, RequestFinding } from '../Finding.js';
import { describeFinding, sharedFindingKey, sortFindings } from '../Finding.js';
import { excerpt, quoteExcerpt } from '../PrintableText.js';
import type { MirrorRule } from '../MirrorRule.js';
import { formatMirrorRule, mirrorRulesOf, stagingRepository } from '../MirrorRule.js';
import type { HarborLocation } from '../HarborLocation.js';
import type { AliasPolicy } from '../Policy.js';
import { completePolicy } from '../Policy.js';

/** Copy one image from its origin registry to its Harbor name, registry to registry (no engine). */
export interface SyncEntry {
  readonly _tag: 'Copy';
  readonly family: string;
  /**
   * Where the image is read: its origin name (canonical), or, when its mirror rule names a staging source
   * (`+from=`), its name in that staging registry.
   */
  readonly source: string;
  /** Its Harbor name (canonical), as the layout policy or mirror rule gives it. */
  readonly target: string;
}

/** Why an image has no sync entry, as data: request findings, or no Harbor location (rule) for it. */
export type SyncFinding =
  | RequestFinding
  /** Registry commands need a Harbor location (a mirror rule); none is configured. One finding for the whole plan. */
  | { readonly _tag: 'NoHarborConfigured' }
  /** No mirror rule gives the image a Harbor name (no rule for its registry and no `*` rule). */
  | { readonly _tag: 'NoHarborCopy'; readonly family: string }
  /**
   * The rule's staging source has a `flatten-N` layout deeper than the origin's namespace: there is no staging
   * name to read, and the image is not copied (from the origin either: the rule says the origin is not read).
   */
  | { readonly _tag: 'StagingTooDeep'; readonly family: string; readonly rule: MirrorRule; readonly components: number; readonly level: number };

/**
 * What `imgalias sync` copies and `imgalias check --registry` expects in Harbor: one entry per requested
 * family with a Harbor name. Plain data: whether a copy is needed is decided against the registries later
 * (same digest: skipped).
 */
export interface SyncPlan {
  readonly version: 1;
  readonly harbor?: HarborLocation;
  /**
   * The platforms to copy (`linux/amd64`, ...), present only when `--platform` narrows the copy. A multi-arch
   * image is then written as an index of just these platforms (re-encoded: its digest differs from the
   * origin's, its child manifests keep theirs), or, for one platform, as that platform's own image manifest.
   */
  readonly platforms?: readonly string[];
  /** Sorted by family. */
  readonly entries: readonly SyncEntry[];
  readonly findings: readonly SyncFinding[];
}

/** What `planSync` needs: the images the project uses and the policy (its mirror rules); no store is read. */
export interface SyncPlanInput {
  readonly images: ReadonlyArray<ImageRequest>;
  readonly policy: AliasPolicy;
  /** `os/arch[/variant]` to narrow the copy to; empty or absent: every platform. */
  readonly platforms?: readonly string[];
}

const SYNC_FINDING_ORDER: FindingOrder<SyncFinding> = {
  rank: { NoHarborConfigured: 0, NoHarborCopy: 1, AmbiguousMirror: 2, MirrorTooDeep: 3, StagingTooDeep: 4, DigestReference: 5, InvalidRequest: 6 },
  key: (finding) => {
    switch (finding._tag) {
      case 'NoHarborConfigured':
        return [];
      case 'NoHarborCopy':
      case 'StagingTooDeep':
        return [finding.family];
      default:
        return sharedFindingKey(finding);
    }
  },
};

// The name a copy reads: the origin, or its name in the rule's staging registry (same tag).
const sourceOf = (origin: string, rule: MirrorRule | undefined): Either<{ readonly components: number; readonly level: number }, string> => {
  if (rule?.staging === undefined) return right(origin);
  const ref = parseReference(origin);
  // A family's origin is canonical: it always parses.
  if (ref._tag === 'Left') return right(origin);
  const repository = stagingRepository(ref.right, rule);
  if (repository === undefined) return right(origin);
  return repository._tag === 'Left' ? repository : right(`${repository.right}:${ref.right.tag ?? 'latest'}`);
};

/**
 * Plans a registry-to-registry sync: each requested image's source (its origin name, or its staging name when
 * the mirror rule names a staging source) and Harbor name. Mode does not matter (the copy is made where both
 * registries are reachable).
 *
 * @example
 * planSync({ images: ['redis:7'], policy: { ...defaultPolicy, harbor: { registry: 'harbor.corp.local', project: 'proj' } } }).entries
 * // [{ _tag: 'Copy', family: 'docker.io/library/redis:7', source: 'docker.io/library/redis:7', target: 'harbor.corp.local/proj/redis:7' }]
 */
export const planSync = ({ images, policy: given, platforms = [] }: SyncPlanInput): SyncPlan => {
  const policy = completePolicy(given);
  const requested = familiesOf(images, policy);
  const findings: SyncFinding[] = [...requested.findings];
  // A family whose Harbor name a mirror finding took away is explained by that finding, not by NoHarborCopy.
  const explained = new Set(findings.flatMap((f) => (f._tag === 'MirrorTooDeep' ? [f.family] : f._tag === 'AmbiguousMirror' ? f.families : [])));
  const entries: SyncEntry[] = [];
  if (mirrorRulesOf(policy).length === 0) findings.push({ _tag: 'NoHarborConfigured' });
  else {
    for (const family of requested.families) {
      const target = family.members.find((m) => m.role === 'harbor');
      if (target === undefined) {
        if (!explained.has(family.origin)) findings.push({ _tag: 'NoHarborCopy', family: family.origin });
      }
      else {
        const source = sourceOf(family.origin, family.harborRule);
        if (source._tag === 'Right') entries.push({ _tag: 'Copy', family: family.origin, source: source.right, target: target.name });
        else findings.push({ _tag: 'StagingTooDeep', family: family.origin, rule: family.harborRule!, ...source.left });
      }
    }
  }
  return {
    version: 1,
    ...(policy.harbor !== undefined ? { harbor: policy.harbor } : {}),
    ...(platforms.length > 0 ? { platforms: [...new Set(platforms)] } : {}),
    entries: entries.sort((a, b) => compareStrings(a.family, b.family)),
    findings: sortFindings(findings, SYNC_FINDING_ORDER),
  };
};

/** One sentence per sync-plan finding (`imgalias sync`, `imgalias check --registry`): which image, what is wrong, what to do. */
export const describeSyncFinding = (finding: SyncFinding): string => {
  switch (finding._tag) {
    case 'NoHarborConfigured':
      return 'no Harbor location is configured: set --harbor HOST/PROJECT (or IMGALIAS_HARBOR, or harbor in the config file).';
    case 'NoHarborCopy':
      return `${familiarName(finding.family)} has no Harbor name under the current layout or mirror rules; it is not copied.`;
    case 'DigestReference':
      return `${excerpt(finding.reference)} names a digest, not a tag: there is no tag to write in Harbor.`;
    case 'InvalidRequest':
      return `invalid image ${quoteExcerpt(finding.input)}: ${describeReferenceError(finding.error)}`;
    case 'StagingTooDeep':
      return `${familiarName(finding.family)} has no name in the staging registry of ${formatMirrorRule(finding.rule)}: its layout ${finding.rule.staging?.layout ?? finding.rule.layout} drops ${finding.level} namespace component${finding.level === 1 ? '' : 's'}, the origin has ${finding.components}; it is not copied.`;
    case 'AmbiguousMirror':
    case 'MirrorTooDeep':
      return describeFinding(finding);
  }
};
