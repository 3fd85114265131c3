import type { MemberRole } from './AliasFamily.js';
import type { NetworkMode } from './Policy.js';
import type { ReferenceError } from './ImageReference.js';

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

export type PlanAction = TagAction;

/** Something the planner noticed and did not (or could not) act on. */
export type Finding =
  | {
      /** No member of the family exists: nothing to tag from. */
      readonly _tag: 'Missing';
      readonly family: string;
      readonly lookedFor: readonly string[];
    }
  | {
      /** `name` points at `imageId`, but the family's chosen source points at `expectedImageId`. */
      readonly _tag: 'Conflict';
      readonly family: string;
      readonly name: string;
      readonly imageId: string;
      readonly expectedImageId: string;
      readonly source: string;
    }
  | {
      /** A digest reference names content, not a tag: it is never a tag target. */
      readonly _tag: 'DigestReference';
      readonly reference: string;
    }
  | {
      /** A requested image string that is not a reference. */
      readonly _tag: 'InvalidRequest';
      readonly input: string;
      readonly error: ReferenceError;
    }
  | {
      /** A name in the snapshot that does not parse; kept so it is never dropped silently. */
      readonly _tag: 'InvalidSnapshotName';
      readonly name: string;
      readonly imageId: string;
      readonly error: ReferenceError;
    };

/**
 * The result of planning: plain, readonly, serialisable data. Actions are sorted by target, at most one per
 * target; findings are sorted deterministically.
 */
export interface Plan {
  readonly version: 1;
  readonly mode: NetworkMode;
  readonly actions: readonly PlanAction[];
  readonly findings: readonly Finding[];
}
