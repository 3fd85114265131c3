import type { AliasFamily, ImageRequest, MemberRole } from './AliasFamily.js';
import { familiesOf, familyOf, isTagTarget } from './AliasFamily.js';
import type { Finding } from './Finding.js';
import type { AliasPolicy } from './Policy.js';
import { completePolicy } from './Policy.js';
import type { Snapshot } from './Snapshot.js';
import { indexSnapshot } from './Snapshot.js';
import { parseReference } from './ImageReference.js';

/**
 * How one family stands in the store:
 * - `complete`: every local member (the names the planner would create) is present, all on one image;
 * - `incomplete`: a source is present and some local member is missing, none on another image;
 * - `conflict`: some local member is on another image than the family's source;
 * - `missing`: no member is present at all.
 * Harbor names are reported but only required when the policy asks for Harbor tags.
 */
export type FamilyStatus = 'complete' | 'incomplete' | 'conflict' | 'missing';

/** One name of a family and what the store has under it. */
export interface MemberCheck {
  readonly role: MemberRole;
  readonly name: string;
  /** the image the name points at, or null when the store does not have it */
  readonly imageId: string | null;
}

/** One requested family as the store has it: each member's image and the family's status. */
export interface FamilyCheck {
  /** canonical origin name: the family's identity */
  readonly origin: string;
  /** in the mode's source ranking, like `AliasFamily.members` */
  readonly members: readonly MemberCheck[];
  readonly status: FamilyStatus;
}

/** What `checkFamilies` reports: a status per family, and the findings that kept a request from naming one. */
export interface CheckResult {
  /** one per requested family, in the order first requested */
  readonly families: readonly FamilyCheck[];
  /** requests that name no family (`InvalidRequest`, `DigestReference`) and snapshot names that do not parse */
  readonly findings: readonly Finding[];
}

/** What `checkFamilies` needs: the store as it is, the images the project uses, and the policy. */
export interface CheckInput {
  readonly snapshot: Snapshot;
  readonly images: ReadonlyArray<ImageRequest>;
  readonly policy: AliasPolicy;
}

const checkFamily = (family: AliasFamily, imageIdByName: ReadonlyMap<string, string>, policy: AliasPolicy): FamilyCheck => {
  const members = family.members.map((member) => ({ ...member, imageId: imageIdByName.get(member.name) ?? null }));
  const source = members.find((member) => member.imageId !== null);
  if (source === undefined) return { origin: family.origin, members, status: 'missing' };
  const targets = members.filter((member) => isTagTarget(member.role, policy));
  const status: FamilyStatus = targets.some((member) => member.imageId !== null && member.imageId !== source.imageId)
    ? 'conflict'
    : targets.some((member) => member.imageId === null)
      ? 'incomplete'
      : 'complete';
  return { origin: family.origin, members, status };
};

/**
 * Reports, without planning anything, which names each requested family has in the store and on which image.
 * Uses the same source ranking as `planAliases`, so `complete` means the planner has nothing to do for it.
 */
export const checkFamilies = ({ snapshot, images, policy: given }: CheckInput): CheckResult => {
  const policy = completePolicy(given);
  const index = indexSnapshot(snapshot);
  const requested = familiesOf(images, policy);
  return {
    families: requested.families.map((family) => checkFamily(family, index.imageIdByName, policy)),
    findings: [...index.findings, ...requested.findings],
  };
};

/**
 * The origin of every family that has at least one member in the store, sorted: what `imgalias fix` plans
 * when no image list is given. Names that do not parse and digest-only names name no family.
 */
export const familiesInSnapshot = (snapshot: Snapshot, given: AliasPolicy): string[] => {
  const policy = completePolicy(given);
  const origins = new Set<string>();
  for (const name of indexSnapshot(snapshot).imageIdByName.keys()) {
    const parsed = parseReference(name);
    if (parsed._tag === 'Right') origins.add(familyOf(parsed.right, policy).origin);
  }
  return [...origins].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
};
