import type { AliasFamily, ImageRequest, MemberRole } from './AliasFamily.js';
import { familiesOf, harborMember, isTagTarget } from './AliasFamily.js';
import type { Finding, FindingOrder } from './Finding.js';
import { sharedFindingKey, sortFindings } from './Finding.js';
import { canonicalTagKey } from './ImageReference.js';
import { nameSlots } from './NameSlots.js';
import { compareStrings } from './Order.js';
import type { MirrorRule } from './MirrorRule.js';
import { mirrorRulesOf } from './MirrorRule.js';
import type { AliasPolicy, NetworkMode } from './Policy.js';
import { completePolicy } from './Policy.js';
import type { Snapshot, SnapshotImage } from './Snapshot.js';
import { canonicalTagName, isPlaceholderName, locateNames } from './Snapshot.js';

/** Why an action is in the plan, in words a reviewer can check against the snapshot. */
export type TagReason =
  | 'missing-name' // the target name does not exist; the source is the best member present
  | 'retarget'; // the target pointed at another image and the policy says `retarget`

/**
 * Create `target` as a new name for the image `source` names (`docker tag source target`).
 * Names are canonical. `imageId` is the image both names will point at.
 */
export interface TagAction {
  readonly _tag: 'Tag';
  readonly source: string;
  readonly target: string;
  readonly imageId: string;
  readonly family: string;
  readonly role: MemberRole;
  readonly reason: TagReason;
  /** With `retarget`: the image id the target pointed at before. */
  readonly replaces?: string;
}

/** Any action a plan may hold; today only `Tag` (a plan never removes or moves a name on its own). */
export type PlanAction = TagAction;

/**
 * The result of planning: plain, readonly, serialisable data. Actions are sorted by target, at most one per
 * target; findings are sorted deterministically.
 */
export interface Plan {
  readonly version: 1;
  readonly mode: NetworkMode;
  readonly actions: readonly PlanAction[];
  readonly findings: readonly Finding[];
  /** Which mirror rule gave each requested family its Harbor name, sorted by family; absent when none has one. */
  readonly harborNames?: readonly HarborNameSource[];
}

/** One family's Harbor name and the rule it comes from. */
export interface HarborNameSource {
  readonly family: string;
  readonly name: string;
  readonly rule: MirrorRule;
}

/** What `planAliases` needs: the store as it is, the images the project uses, and the policy. */
export interface PlanInput {
  readonly snapshot: Snapshot;
  readonly images: ReadonlyArray<ImageRequest>;
  readonly policy: AliasPolicy;
}


/** Alias plans list conflicts first: they are what a reviewer has to act on. */
const PLAN_FINDING_ORDER: FindingOrder<Finding> = {
  rank: { Conflict: 0, Missing: 1, AmbiguousMirror: 2, MirrorTooDeep: 3, DigestReference: 4, InvalidRequest: 5, InvalidSnapshotName: 6 },
  key: sharedFindingKey,
};

const pullOf = (pull: string | undefined): { readonly pull?: string } => (pull === undefined ? {} : { pull });

/** In internal mode only Harbor may supply an image: never name a public pull there. */
const pullNameFor = (family: AliasFamily, policy: AliasPolicy): string | undefined => {
  if (policy.mode === 'external') return family.origin;
  return harborMember(family)?.name;
};

/**
 * Computes the `docker tag` operations that give every requested image all the names of its family.
 *
 * - The source is the first member present in the mode's ranking (external: origin, `localhost/`, short names,
 *   Harbor; internal: Harbor, `localhost/`, short names, origin).
 * - Every missing local member (origin, `localhost/` twin, short names when on) is tagged from it. A Harbor
 *   name is tagged only with `policy.harborTags`: tagging would claim a copy came from Harbor when it did not.
 * - A member already on the source's image needs nothing. A member on another image is a `Conflict` finding,
 *   or with `onConflict: 'retarget'` a `retarget` action that records the image it `replaces`.
 * - No member present: a `Missing` finding. A digest request: `DigestReference`. A string that is not a
 *   reference: `InvalidRequest`. Snapshot names that do not parse: `InvalidSnapshotName`.
 *
 * Families are planned in order of their origin, each against the store as the earlier ones leave it; a name
 * that belongs to two requested families is never moved (that is a `Conflict`), so at most one action targets
 * a name, and applying the plan then planning again gives no actions. Every action's source is a name the store
 * already has and no action moves, so the actions may run in any order (or concurrently). Linear in the number of names: the snapshot
 * is read once.
 *
 * @example
 * planAliases({ snapshot: { version: 1, images: [{ id: 'sha256:1', names: ['localhost/redis:7-alpine'] }] },
 *   images: ['redis:7-alpine'], policy: defaultPolicy }).actions
 * // [{ _tag: 'Tag', source: 'localhost/redis:7-alpine', target: 'docker.io/library/redis:7-alpine', imageId: 'sha256:1',
 * //    family: 'docker.io/library/redis:7-alpine', role: 'origin', reason: 'missing-name' }]
 */
export const planAliases = ({ snapshot, images, policy: given }: PlanInput): Plan => {
  const policy = completePolicy(given);
  const requested = familiesOf(images, policy);
  // Families are planned in order of their origin, each against the store as the earlier ones leave it.
  const families = [...requested.families].sort((a, b) => compareStrings(a.origin, b.origin));

  // Every distinct member name gets a slot, and the plan keeps its state per slot in arrays: a million-name
  // store then costs one table of the requested families' names (`NameSlots`), not one of every snapshot name (see
  // `locateNames`). Family `f`'s members are at `offsets[f]` up to `offsets[f + 1]` in the flat arrays below (name,
  // role, slot). Planning reads these in order and never goes back to the family objects: sorted by origin, those
  // lie scattered over the heap, and on a million names reaching them a second time cost about 0.1 s of cache
  // misses. The names get their slots in batches (`addMany`) for the same reason.
  const offsets = new Uint32Array(families.length + 1);
  let memberCount = 0;
  for (const family of families) memberCount += family.members.length;
  const memberNames = new Array<string>(memberCount);
  const memberRoles = new Array<MemberRole>(memberCount);
  // Where family `f`'s origin is among the members (its slot is `memberSlots[originAt[f]]`).
  const originAt = new Uint32Array(families.length);
  // Each family's Harbor name, gathered in this pass for the same reason, and in family order (see `harborNamesOf`).
  const harborNames: HarborNameSource[] = [];
  let at = 0;
  for (let f = 0; f < families.length; f++) {
    const family = families[f] as AliasFamily;
    offsets[f] = at;
    for (const { name, role } of family.members) {
      if (role === 'origin') originAt[f] = at;
      if (role === 'harbor' && family.harborRule !== undefined) harborNames.push({ family: family.origin, name, rule: family.harborRule });
      memberRoles[at] = role;
      memberNames[at++] = name;
    }
  }
  offsets[families.length] = at;
  const slots = nameSlots(memberCount);
  const memberSlots = new Uint32Array(memberCount);
  slots.addMany(memberNames, memberSlots);
  // How often each name occurs among the families' members, up to 2.
  const occurrences = new Uint8Array(memberCount);
  for (const slot of memberSlots) if ((occurrences[slot] as number) < 2) occurrences[slot] = (occurrences[slot] as number) + 1;

  const located = locateNames(snapshot, slots);
  const findings: Finding[] = [...located.findings, ...requested.findings];
  const actions: TagAction[] = [];
  // Per slot: the image an earlier family's action gives the name, and the existing name it is tagged from.
  const plannedImage = new Array<string | undefined>(slots.size()).fill(undefined);
  const plannedSource = new Array<string | undefined>(slots.size()).fill(undefined);
  let plannedCount = 0;
  const imageOf = (slot: number): string | undefined => plannedImage[slot] ?? located.imageIds[slot];

  // A name in two requested families (a short name that is also an official image, a flattened Harbor name) is
  // never moved: which family would own it depends on the order they are looked at, so it is a conflict to
  // resolve by hand. Without short names or mirror rules every name belongs to one family only (origins and
  // twins are one-to-one). Harbor names two families share are already taken out (`AmbiguousMirror`), but a
  // Harbor name may still spell another family's origin or twin.
  const sharing = policy.shortNames || mirrorRulesOf(policy).length > 0;

  /** Plans family `f` against the store as planned so far; false when no member is present yet. */
  const planFamily = (f: number): boolean => {
    const first = offsets[f] as number;
    const end = offsets[f + 1] as number;
    let sourceAt = -1;
    let imageId: string | undefined;
    for (let i = first; i < end; i++) {
      imageId = imageOf(memberSlots[i] as number);
      if (imageId !== undefined) {
        sourceAt = i;
        break;
      }
    }
    if (sourceAt < 0 || imageId === undefined) return false;
    // When the best member is itself only planned (another family creates it), tag from the name that one is
    // created from: every action's source then exists before the plan runs and no action moves it, so the
    // actions can run in any order.
    const sourceSlot = memberSlots[sourceAt] as number;
    const sourceName = plannedSource[sourceSlot] ?? slots.name(sourceSlot);
    const origin = slots.name(memberSlots[originAt[f] as number] as number);
    for (let i = first; i < end; i++) {
      const role = memberRoles[i] as MemberRole;
      if (i === sourceAt || !isTagTarget(role, policy)) continue;
      const slot = memberSlots[i] as number;
      const holder = imageOf(slot);
      if (holder === imageId) continue;
      const target = slots.name(slot);
      if (holder !== undefined && (policy.onConflict === 'report' || (sharing && (occurrences[slot] as number) > 1))) {
        findings.push({
          _tag: 'Conflict',
          family: origin,
          name: target,
          imageId: holder,
          expectedImageId: imageId,
          source: sourceName,
        });
        continue;
      }
      // Written out in full (no spread of a shared base): one object per action, keys in the same order.
      actions.push(
        holder === undefined
          ? { _tag: 'Tag', source: sourceName, target, imageId, family: origin, role, reason: 'missing-name' }
          : { _tag: 'Tag', source: sourceName, target, imageId, family: origin, role, reason: 'retarget', replaces: holder },
      );
      if (plannedImage[slot] === undefined) plannedCount++;
      plannedImage[slot] = imageId;
      plannedSource[slot] = sourceName;
    }
    return true;
  };

  // Families without a member in the store get another look once others have planned names they share (with
  // short names on, `openldap:stable` created for one family is a source for another), so the plan already
  // contains what planning again after applying it would add.
  let pending = families.map((_, f) => f);
  for (;;) {
    const plannedBefore = plannedCount;
    pending = pending.filter((f) => !planFamily(f));
    if (pending.length === 0 || plannedCount === plannedBefore) break;
  }
  for (const f of pending) {
    const family = families[f] as AliasFamily;
    findings.push({
      _tag: 'Missing',
      family: family.origin,
      lookedFor: family.members.map((member) => member.name),
      ...pullOf(pullNameFor(family, policy)),
    });
  }

  return {
    version: 1,
    mode: policy.mode,
    actions: actions.sort((a, b) => compareStrings(a.target, b.target)),
    findings: sortFindings(findings, PLAN_FINDING_ORDER),
    ...(harborNames.length === 0 ? {} : { harborNames }),
  };
};

/** Each family's Harbor name with the rule that gave it, sorted by family: what `plan` shows beside the actions. */
export const harborNamesOf = (families: readonly AliasFamily[]): HarborNameSource[] => {
  const names: HarborNameSource[] = [];
  for (const family of families) {
    const harbor = harborMember(family);
    if (harbor !== undefined && family.harborRule !== undefined) names.push({ family: family.origin, name: harbor.name, rule: family.harborRule });
  }
  return names.sort((a, b) => compareStrings(a.family, b.family));
};

/**
 * The pure model of what an engine does with a plan: each action, in order, is `docker tag source target`.
 * The target name moves to the source's image (a retarget takes it off the image it was on); an image whose
 * last name moved away stays in the store with no names, as Docker keeps it dangling. An action whose source is
 * not in the store changes nothing, as the engine would refuse it.
 *
 * Images keep their order (one entry per id: an id listed twice is merged). Images no action touches come back
 * as they are; a touched image lists its names sorted, untouched spellings kept and new names canonical.
 */
export const applyToSnapshot = (snapshot: Snapshot, plan: Plan): Snapshot => {
  // Only names an action reads or writes need their canonical form looked up.
  const involved = new Set<string>();
  for (const action of plan.actions) {
    involved.add(action.source);
    involved.add(action.target);
  }
  // canonical name -> the image holding it and every spelling it is listed under there
  const holders = new Map<string, { imageId: string; spellings: string[] }>();
  const repeatedIds = new Set<string>();
  const seenIds = new Set<string>();
  for (const image of snapshot.images) {
    if (seenIds.has(image.id)) repeatedIds.add(image.id);
    seenIds.add(image.id);
    if (involved.size === 0) continue;
    for (const name of image.names) {
      if (isPlaceholderName(name)) continue;
      let key = canonicalTagKey(name);
      if (key === undefined) {
        const canonical = canonicalTagName(name);
        if (canonical._tag === 'Left' || canonical.right === undefined) continue;
        key = canonical.right;
      }
      if (!involved.has(key)) continue;
      const holder = holders.get(key);
      if (holder === undefined || image.id < holder.imageId) holders.set(key, { imageId: image.id, spellings: [name] });
      else if (holder.imageId === image.id) holder.spellings.push(name);
    }
  }

  const removed = new Map<string, Set<string>>();
  const added = new Map<string, Set<string>>();
  const changes = (changed: Map<string, Set<string>>, imageId: string): Set<string> => {
    let names = changed.get(imageId);
    if (names === undefined) {
      names = new Set<string>();
      changed.set(imageId, names);
    }
    return names;
  };
  for (const action of plan.actions) {
    const source = holders.get(action.source);
    if (source === undefined) continue;
    const previous = holders.get(action.target);
    if (previous !== undefined) {
      for (const spelling of previous.spellings) {
        changes(removed, previous.imageId).add(spelling);
        added.get(previous.imageId)?.delete(spelling);
      }
    }
    changes(added, source.imageId).add(action.target);
    removed.get(source.imageId)?.delete(action.target);
    holders.set(action.target, { imageId: source.imageId, spellings: [action.target] });
  }

  const images: SnapshotImage[] = [];
  const merged = new Map<string, { names: Set<string>; digests: Set<string> | undefined }>();
  for (const image of snapshot.images) {
    if (!repeatedIds.has(image.id) && !removed.has(image.id) && !added.has(image.id)) {
      images.push(image);
      continue;
    }
    const entry = merged.get(image.id);
    if (entry === undefined) {
      merged.set(image.id, { names: new Set(image.names), digests: image.digests === undefined ? undefined : new Set(image.digests) });
      images.push(image); // placeholder, replaced below once every listing of this id is merged
    } else {
      for (const name of image.names) entry.names.add(name);
      if (image.digests !== undefined) entry.digests = new Set([...(entry.digests ?? []), ...image.digests]);
    }
  }
  const emitted = new Set<string>();
  const result: SnapshotImage[] = [];
  for (const image of images) {
    const entry = merged.get(image.id);
    if (entry === undefined) {
      result.push(image);
      continue;
    }
    if (emitted.has(image.id)) continue;
    emitted.add(image.id);
    for (const name of removed.get(image.id) ?? []) entry.names.delete(name);
    for (const name of added.get(image.id) ?? []) entry.names.add(name);
    const names = [...entry.names].sort(compareStrings);
    result.push(entry.digests === undefined ? { id: image.id, names } : { id: image.id, names, digests: [...entry.digests].sort(compareStrings) });
  }
  return { version: 1, images: result };
};
