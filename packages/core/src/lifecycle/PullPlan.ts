import type { AliasFamily, ImageRequest } from '../AliasFamily.js';
import { familiesOf } from '../AliasFamily.js';
import { familiarName, parseReference } from '../ImageReference.js';
import { compareStrings } from '../Order.js';
import { quoteExcerpt } from '../PrintableText.js';
import type { FindingOrder, InvalidSnapshotNameFinding, RequestFinding } from '../Finding.js';
// Shared findings read the same in every plan; Finding.ts owns their wording.
import { describeFinding as describeSharedFinding, sharedFindingKey, sortFindings } from '../Finding.js';
import type { HarborLocation } from '../HarborLocation.js';
import { parseHarborLocation } from '../HarborLocation.js';
import type { AliasPolicy, NetworkMode } from '../Policy.js';
import { completePolicy } from '../Policy.js';
import { mirrorRulesOf } from '../MirrorRule.js';
import type { Snapshot } from '../Snapshot.js';
import { indexSnapshot } from '../Snapshot.js';

/** Where a pull candidate comes from. */
export type PullSource = 'origin' | 'mirror' | 'harbor';

/**
 * Why a candidate is in the list, in the words of the policy:
 * - `internal-harbor-only`: internal mode pulls the Harbor copy and nothing else;
 * - `external-origin`: external mode asks the image's own registry first;
 * - `external-mirror`: a configured mirror of Docker Hub, in the order configured, after the origin;
 * - `external-harbor-fallback`: the Harbor copy, last, when a Harbor location is configured.
 */
export type PullReason = 'internal-harbor-only' | 'external-origin' | 'external-mirror' | 'external-harbor-fallback';

/** One name a prefetch may pull, in the order candidates are tried. Names are canonical. */
export interface PullCandidate {
  readonly source: PullSource;
  /** What `docker pull` is given. */
  readonly reference: string;
  /** The registry (`host[:port]`) the pull asks; nothing else is contacted for this candidate. */
  readonly registry: string;
  /**
   * The family name to give the pulled image when `reference` is not itself a family member (a mirror's name),
   * so the aliasing that follows a prefetch finds a source.
   */
  readonly tagAs?: string;
  readonly reason: PullReason;
}

/** What prefetch does for one requested family. */
export type PullEntry =
  | {
      /** A member is in the store: nothing to pull (the aliasing step gives it the other names). */
      readonly _tag: 'Present';
      readonly family: string;
      readonly name: string;
      readonly imageId: string;
    }
  | {
      /** No member is in the store: pull the first candidate that works, in order. */
      readonly _tag: 'Pull';
      readonly family: string;
      /** every family name looked for in the store, none present */
      readonly lookedFor: readonly string[];
      readonly candidates: readonly PullCandidate[];
    };

/** Something that keeps an image from being prefetched, or a configuration problem, as data. */
export type PullFinding =
  | RequestFinding
  | InvalidSnapshotNameFinding
  | {
      /**
       * No member present and nowhere allowed to pull from: internal mode without any mirror rule
       * (`no-harbor-configured`), or an origin no rule gives a Harbor name (`no-harbor-copy`: no rule for its
       * registry and no `*` rule, a too-deep `flatten-N`, or a Harbor name two requested origins share).
       */
      readonly _tag: 'NoPullSource';
      readonly family: string;
      readonly lookedFor: readonly string[];
      readonly reason: 'no-harbor-configured' | 'no-harbor-copy';
    }
  | {
      /** A configured mirror that is not `host[:port]/prefix`; it is left out of every candidate list. */
      readonly _tag: 'InvalidMirror';
      readonly mirror: string;
      readonly reason: string;
    };

/** The pull plan: plain, serialisable data, like `Plan`. Entries sorted by family; findings by kind, then key. */
export interface PullPlan {
  readonly version: 1;
  readonly mode: NetworkMode;
  readonly entries: readonly PullEntry[];
  readonly findings: readonly PullFinding[];
}

/** What `planPrefetch` needs: the store as it is, the images the project uses, the policy and Docker Hub mirrors. */
export interface PullPlanInput {
  readonly snapshot: Snapshot;
  readonly images: ReadonlyArray<ImageRequest>;
  readonly policy: AliasPolicy;
  /**
   * Docker Hub mirrors, `host[:port]/prefix`, tried in order after the origin in external mode. A mirror's name
   * for `docker.io/library/redis:7` is `host[:port]/prefix/library/redis:7`.
   */
  readonly mirrors: readonly string[];
}


const domainOf = (name: string): string => {
  const parsed = parseReference(name);
  /* istanbul ignore next -- family names are built canonical and always parse */
  return parsed._tag === 'Right' ? parsed.right.domain : name;
};

/** `docker.io/library/redis:7` -> `library/redis:7`, the part a mirror serves under its prefix. */
const hubPathAndTag = (origin: string): string => origin.slice('docker.io/'.length);

const candidatesFor = (family: AliasFamily, policy: AliasPolicy, mirrors: readonly HarborLocation[]): readonly PullCandidate[] => {
  const harbor = family.members.find((member) => member.role === 'harbor');
  const harborCandidate = (reason: PullReason): PullCandidate[] =>
    harbor === undefined ? [] : [{ source: 'harbor', reference: harbor.name, registry: domainOf(harbor.name), reason }];
  if (policy.mode === 'internal') return harborCandidate('internal-harbor-only');

  const originRegistry = domainOf(family.origin);
  // Mirrors stand in for Docker Hub only, as Docker's own `registry-mirrors` do: mapping quay.io/x/y onto a
  // Docker Hub mirror could fetch another publisher's image that happens to have the same path.
  const mirrored: PullCandidate[] =
    originRegistry === 'docker.io'
      ? mirrors.map((mirror) => ({
          source: 'mirror',
          reference: `${mirror.registry}/${mirror.project}/${hubPathAndTag(family.origin)}`,
          registry: mirror.registry,
          tagAs: family.origin,
          reason: 'external-mirror',
        }))
      : [];
  const all: PullCandidate[] = [
    { source: 'origin', reference: family.origin, registry: originRegistry, reason: 'external-origin' },
    ...mirrored,
    ...harborCandidate('external-harbor-fallback'),
  ];
  // A mirror configured twice, or a mirror that is the Harbor project itself, would be asked twice.
  return all.filter((candidate, i) => all.findIndex((other) => other.reference === candidate.reference) === i);
};

const PULL_FINDING_ORDER: FindingOrder<PullFinding> = {
  rank: { NoPullSource: 0, InvalidMirror: 1, AmbiguousMirror: 2, MirrorTooDeep: 3, DigestReference: 4, InvalidRequest: 5, InvalidSnapshotName: 6 },
  key: (finding) => {
    switch (finding._tag) {
      case 'NoPullSource':
        return [finding.family];
      case 'InvalidMirror':
        return [finding.mirror];
      default:
        return sharedFindingKey(finding);
    }
  },
};

/**
 * Decides, for every requested image, whether prefetch has to pull it and from where, without touching
 * anything: the pull plan `prefetch --dry-run` prints.
 *
 * - A family with any member in the store is `Present`: nothing is pulled.
 * - internal mode: the Harbor copy its mirror rule gives (`resolveMirror`) and nothing else, never a public
 *   registry. Without a rule for it there is nowhere to pull from: a `NoPullSource` finding.
 * - external mode: the origin, then each Docker Hub mirror in the order configured (with `tagAs` so the pulled
 *   image gets its origin name), then the Harbor copy when a Harbor location is configured.
 *
 * @example
 * planPrefetch({ snapshot: { version: 1, images: [] }, images: ['redis:7'], mirrors: [],
 *   policy: { ...defaultPolicy, mode: 'internal', harbor: { registry: '127.0.0.1:5000', project: 'aihpc' } } }).entries
 * // [{ _tag: 'Pull', family: 'docker.io/library/redis:7', lookedFor: [...], candidates: [
 * //    { source: 'harbor', reference: '127.0.0.1:5000/aihpc/redis:7', registry: '127.0.0.1:5000', reason: 'internal-harbor-only' }] }]
 */
export const planPrefetch = ({ snapshot, images, policy: given, mirrors }: PullPlanInput): PullPlan => {
  const policy = completePolicy(given);
  const index = indexSnapshot(snapshot);
  const requested = familiesOf(images, policy);
  const findings: PullFinding[] = [...index.findings, ...requested.findings];
  const locations: HarborLocation[] = [];
  for (const mirror of mirrors) {
    const parsed = parseHarborLocation(mirror);
    if (parsed._tag === 'Right') locations.push(parsed.right);
    else findings.push({ _tag: 'InvalidMirror', mirror, reason: parsed.left.reason });
  }

  const entries: PullEntry[] = [];
  for (const family of requested.families) {
    const present = family.members.find((member) => index.imageIdByName.has(member.name));
    if (present !== undefined) {
      entries.push({ _tag: 'Present', family: family.origin, name: present.name, imageId: index.imageIdByName.get(present.name) as string });
      continue;
    }
    const lookedFor = family.members.map((member) => member.name);
    const candidates = candidatesFor(family, policy, locations);
    if (candidates.length === 0) {
      findings.push({
        _tag: 'NoPullSource',
        family: family.origin,
        lookedFor,
        reason: mirrorRulesOf(policy).length === 0 ? 'no-harbor-configured' : 'no-harbor-copy',
      });
      continue;
    }
    entries.push({ _tag: 'Pull', family: family.origin, lookedFor, candidates });
  }

  return {
    version: 1,
    mode: policy.mode,
    entries: entries.sort((a, b) => compareStrings(a.family, b.family)),
    findings: sortFindings(findings, PULL_FINDING_ORDER),
  };
};

/** The entries that need a pull, for the adapter. */
export const pullsOf = (plan: PullPlan): readonly Extract<PullEntry, { readonly _tag: 'Pull' }>[] =>
  plan.entries.filter((entry): entry is Extract<PullEntry, { readonly _tag: 'Pull' }> => entry._tag === 'Pull');

/** `docker.io/library/redis:7` -> `redis:7`, for messages. */

/** One sentence per pull finding: which image, what is wrong, what to do. */
export const describePullFinding = (finding: PullFinding): string => {
  switch (finding._tag) {
    case 'NoPullSource':
      return finding.reason === 'no-harbor-configured'
        ? `${familiarName(finding.family)} is not in the image store, and internal mode pulls only from Harbor, which is not configured; set --harbor HOST[:PORT]/PROJECT (or IMGALIAS_HARBOR / INTERNAL_REGISTRY).`
        : `${familiarName(finding.family)} is not in the image store and the mirror rules give it no Harbor name (no rule for ${domainOf(finding.family)} and no * rule, or a finding below says why); internal mode never pulls from ${domainOf(finding.family)}, so add a rule (--mirror ${domainOf(finding.family)}=HOST/PROJECT), load it by hand (docker load) or run in external mode.`;
    case 'InvalidMirror':
      return `The mirror ${quoteExcerpt(finding.mirror)} is not host[:port]/prefix (${finding.reason}); it was skipped. Fix prefetch.mirrors in the config.`;
    case 'DigestReference':
      return `${familiarName(finding.reference)} pins a digest; prefetch requests images by tag, so request it by tag.`;
    case 'InvalidRequest':
    case 'InvalidSnapshotName':
    case 'AmbiguousMirror':
    case 'MirrorTooDeep':
      return describeSharedFinding(finding);
  }
};
