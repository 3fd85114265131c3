import type { AliasFamily, ImageRequest, MemberRole } from '../AliasFamily.js';
import { familiesOf } from '../AliasFamily.js';
import { familiarName } from '../ImageReference.js';
import { compareStrings } from '../Order.js';
import type { FindingOrder, InvalidSnapshotNameFinding, RequestFinding } from '../Finding.js';
import { describeFinding, sharedFindingKey, sortFindings } from '../Finding.js';
import type { AliasPolicy } from '../Policy.js';
import { completePolicy } from '../Policy.js';
import type { Snapshot } from '../Snapshot.js';
import { indexSnapshot } from '../Snapshot.js';

/** A container and the image it was created from, as the engine lists it. */
export interface ContainerUse {
  readonly id: string;
  readonly name?: string;
  /** the image id, in the same form as the snapshot's ids */
  readonly imageId: string;
}

/**
 * Remove one name (`docker image rm NAME`, never by id, never forced). When it is the image's last name, the
 * engine deletes the image; the plan only ever gets there when no other name and no container uses it.
 */
export interface UntagAction {
  readonly _tag: 'Untag';
  readonly name: string;
  readonly imageId: string;
  readonly family: string;
  readonly role: MemberRole;
}

/** A family name clean leaves in place, and why. */
export interface KeptName {
  readonly family: string;
  readonly name: string;
  readonly imageId: string;
  readonly reason: 'harbor-copy';
}

/** Why a family is not cleaned at all. Nothing of a refused family is untagged. */
export type CleanRefusal =
  | {
      /** The image also carries names outside the families being cleaned; removing ours would not free it. */
      readonly _tag: 'SharedImage';
      readonly family: string;
      readonly imageId: string;
      readonly names: readonly string[];
    }
  | {
      /** Containers (running or stopped) were created from the image. */
      readonly _tag: 'InUse';
      readonly family: string;
      readonly imageId: string;
      readonly containers: readonly ContainerUse[];
    }
  | {
      /**
       * Internal mode, and the image carries no Harbor name in the store: it did not come from Harbor, so once
       * removed internal mode has nowhere to pull it back from. Cleaned only with `includeUnrecoverable`.
       */
      readonly _tag: 'Unrecoverable';
      readonly family: string;
      readonly imageId: string;
    };

/** What clean noticed besides refusals: the shared request findings, names not in the store, unrecoverable families cleaned anyway. */
export type CleanFinding =
  | RequestFinding
  | InvalidSnapshotNameFinding
  | {
      /** No local member of the family is in the store: nothing to clean. */
      readonly _tag: 'NotPresent';
      readonly family: string;
    }
  | {
      /** An `Unrecoverable` family cleaned anyway (`includeUnrecoverable`): a warning, once per family. */
      readonly _tag: 'UnrecoverableCleaned';
      readonly family: string;
    };

/** The clean plan (`imgalias clean --json`): names to untag, Harbor copies kept, families refused and why. */
export interface CleanPlan {
  readonly version: 1;
  /** sorted by name */
  readonly actions: readonly UntagAction[];
  readonly kept: readonly KeptName[];
  readonly refusals: readonly CleanRefusal[];
  readonly findings: readonly CleanFinding[];
}

/** What `planClean` needs: the store, the images to clean, the policy, and the containers that use images. */
export interface CleanPlanInput {
  readonly snapshot: Snapshot;
  readonly images: ReadonlyArray<ImageRequest>;
  readonly policy: AliasPolicy;
  /** Also remove the local Harbor name (never anything in the registry itself). */
  readonly includeHarbor: boolean;
  readonly containers: readonly ContainerUse[];
  /**
   * In internal mode, also clean families whose image carries no Harbor name in the store (it cannot be pulled
   * back from Harbor). Default false: such families are refused as `Unrecoverable`.
   */
  readonly includeUnrecoverable?: boolean;
}


interface FamilyNames {
  readonly family: AliasFamily;
  /** present members to untag, and present members to keep */
  readonly remove: readonly { readonly role: MemberRole; readonly name: string; readonly imageId: string }[];
  readonly keep: readonly KeptName[];
}

const refusalKey = (r: CleanRefusal): string => `${r.family}\u0000${r._tag}\u0000${r.imageId}`;
const CLEAN_FINDING_ORDER: FindingOrder<CleanFinding> = {
  rank: { NotPresent: 0, DigestReference: 1, InvalidRequest: 2, InvalidSnapshotName: 3, AmbiguousMirror: 4, MirrorTooDeep: 5, UnrecoverableCleaned: 6 },
  key: (finding) => {
    switch (finding._tag) {
      case 'NotPresent':
      case 'UnrecoverableCleaned':
        return [finding.family];
      default:
        return sharedFindingKey(finding);
    }
  },
};

/**
 * Plans an alias-aware clean: untag every local name of each requested family (origin, `localhost/` twin,
 * short names), keep the Harbor copy unless `includeHarbor`, and refuse, naming what is in the way, when an
 * image the family's names are on also carries a name outside the families being cleaned, or when a container
 * was created from it. Untagging is by name only: the plan has no way to say "remove image id" or "force".
 *
 * Refusing one family can leave its names on an image another family shares; that family is then refused too
 * (the check repeats until nothing changes), so a plan never strips an image of names the plan itself keeps.
 *
 * @example
 * planClean({ snapshot: { version: 1, images: [{ id: 'sha256:1', names: ['redis:7', 'localhost/redis:7'] }] },
 *   images: ['redis:7'], policy: defaultPolicy, includeHarbor: false, containers: [] }).actions.map((a) => a.name)
 * // ['docker.io/library/redis:7', 'localhost/redis:7']
 */
export const planClean = ({ snapshot, images, policy: given, includeHarbor, containers, includeUnrecoverable = false }: CleanPlanInput): CleanPlan => {
  const policy = completePolicy(given);
  const index = indexSnapshot(snapshot);
  const requested = familiesOf(images, policy);
  const findings: CleanFinding[] = [...index.findings, ...requested.findings];

  // Every canonical tag name on each image, for the "names outside the families" check.
  const namesByImage = new Map<string, Set<string>>();
  for (const [name, imageId] of index.imageIdByName) {
    const names = namesByImage.get(imageId) ?? new Set<string>();
    names.add(name);
    namesByImage.set(imageId, names);
  }
  const planned: FamilyNames[] = [];
  for (const family of requested.families) {
    const present = family.members.flatMap((member) => {
      const imageId = index.imageIdByName.get(member.name);
      return imageId === undefined ? [] : [{ role: member.role, name: member.name, imageId }];
    });
    const remove = present.filter((member) => includeHarbor || member.role !== 'harbor');
    const keep = present
      .filter((member) => !includeHarbor && member.role === 'harbor')
      .map((member): KeptName => ({ family: family.origin, name: member.name, imageId: member.imageId, reason: 'harbor-copy' }));
    if (present.length === 0) findings.push({ _tag: 'NotPresent', family: family.origin });
    else planned.push({ family, remove, keep });
  }

  const refused = new Map<string, CleanRefusal[]>();
  // Internal mode gets images only from Harbor: an image with no Harbor name here did not come from there, and
  // removing it would leave the host without it for good.
  if (policy.mode === 'internal') {
    for (const p of planned) {
      const fromHarbor = p.keep.length > 0 || p.remove.some((m) => m.role === 'harbor');
      if (fromHarbor || p.remove.length === 0) continue;
      if (includeUnrecoverable) findings.push({ _tag: 'UnrecoverableCleaned', family: p.family.origin });
      else {
        const ids = [...new Set(p.remove.map((m) => m.imageId))].sort(compareStrings);
        refused.set(p.family.origin, ids.map((imageId) => ({ _tag: 'Unrecoverable', family: p.family.origin, imageId })));
      }
    }
  }
  const active = (): FamilyNames[] => planned.filter((p) => !refused.has(p.family.origin));
  for (;;) {
    // Names that stay on their image whatever happens: kept Harbor copies, and all names of refused families.
    const leaving = new Set(active().flatMap((p) => p.remove.map((m) => m.name)));
    let changed = false;
    for (const p of active()) {
      const reasons: CleanRefusal[] = [];
      for (const imageId of [...new Set(p.remove.map((m) => m.imageId))].sort(compareStrings)) {
        const others = [...(namesByImage.get(imageId) ?? [])]
          .filter((name) => !leaving.has(name) && !p.keep.some((k) => k.name === name))
          .sort(compareStrings);
        // A name kept by this family (its Harbor copy) holds the image on purpose; any other name is someone else's.
        if (others.length > 0) reasons.push({ _tag: 'SharedImage', family: p.family.origin, imageId, names: others });
        const users = containers
          .filter((c) => c.imageId === imageId)
          .map((c) => (c.name === undefined ? { id: c.id, imageId: c.imageId } : { id: c.id, name: c.name, imageId: c.imageId }))
          .sort((a, b) => compareStrings(a.id, b.id));
        if (users.length > 0) reasons.push({ _tag: 'InUse', family: p.family.origin, imageId, containers: users });
      }
      if (reasons.length > 0) {
        refused.set(p.family.origin, reasons);
        changed = true;
      }
    }
    if (!changed) break;
  }

  const actions: UntagAction[] = active().flatMap((p) =>
    p.remove.map((m): UntagAction => ({ _tag: 'Untag', name: m.name, imageId: m.imageId, family: p.family.origin, role: m.role })),
  );
  const kept = planned.flatMap((p) => p.keep);
  const refusals = [...refused.values()].flat();

  return {
    version: 1,
    actions: actions.sort((a, b) => compareStrings(a.name, b.name)),
    kept: kept.sort((a, b) => compareStrings(a.name, b.name)),
    refusals: refusals.sort((a, b) => compareStrings(refusalKey(a), refusalKey(b))),
    findings: sortFindings(findings, CLEAN_FINDING_ORDER),
  };
};


/** One sentence per refusal: which family, what is in the way (by name), what to do. */
export const describeCleanRefusal = (refusal: CleanRefusal): string => {
  switch (refusal._tag) {
    case 'SharedImage':
      return `${familiarName(refusal.family)} was not cleaned: image ${refusal.imageId} also carries ${refusal.names.map(familiarName).join(', ')}, outside this family; clean those too (list them after ${familiarName(refusal.family)}) or leave the image.`;
    case 'InUse':
      return `${familiarName(refusal.family)} was not cleaned: image ${refusal.imageId} is used by container${refusal.containers.length === 1 ? '' : 's'} ${refusal.containers.map((c) => c.name ?? c.id.slice(0, 12)).join(', ')}; remove ${refusal.containers.length === 1 ? 'it' : 'them'} first (docker rm), then clean again.`;
    case 'Unrecoverable':
      return `${familiarName(refusal.family)} was not cleaned: image ${refusal.imageId} has no Harbor name here, so internal mode could not pull it back once removed; push it to Harbor first (imgalias publish), or clean with --include-unrecoverable to remove it anyway.`;
  }
};

/** One sentence per clean finding. */
export const describeCleanFinding = (finding: CleanFinding): string => {
  switch (finding._tag) {
    case 'NotPresent':
      return `${familiarName(finding.family)} has no name in the image store; nothing to clean.`;
    case 'UnrecoverableCleaned':
      return `${familiarName(finding.family)} has no Harbor name here: once removed, internal mode cannot pull it back; cleaned anyway (--include-unrecoverable).`;
    default:
      return describeFinding(finding);
  }
};
