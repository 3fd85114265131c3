import type { ReferenceError } from './ImageReference.js';
import { describeReferenceError } from './ImageReference.js';

/**
 * Why a store did not run a planned step, decided before anything was asked of an engine or registry (see
 * `preflightPlan`, `preflightUntag`, and the registry store's own checks). Data, not a fabricated engine error:
 * nothing ran, so there is no exit status to report. Apply (`ActionResult`), untag (`UntagResult`) and push
 * (`PushResult`) report it the same way: `Refused` with this reason.
 *
 * - `InvalidName`: a name of the step does not parse.
 * - `DigestTarget`: the target is a digest reference; a digest names content and is never a tag target.
 * - `DuplicateTarget`: an earlier step of the plan already has this target; only the first runs.
 * - `Gone`: the name the step starts from is no longer in the store.
 * - `Moved`: that name now names another image than the plan saw.
 * - `Occupied`: the target now points at another image and the plan does not say to move it.
 * - `NotWritable`: the store may read the name but not write it (a registry store tags only Harbor names).
 * - `NotHeld`: the name is not one the store holds at all, so the plan was not made from this store.
 */
export type Refusal =
  | { readonly _tag: 'InvalidName'; readonly name: string; readonly error: ReferenceError }
  | { readonly _tag: 'DigestTarget'; readonly name: string }
  | { readonly _tag: 'DuplicateTarget'; readonly name: string }
  | { readonly _tag: 'Gone'; readonly name: string }
  | { readonly _tag: 'Moved'; readonly name: string; readonly planned: string; readonly found: string }
  | { readonly _tag: 'Occupied'; readonly name: string; readonly found: string }
  | { readonly _tag: 'NotWritable'; readonly name: string }
  | { readonly _tag: 'NotHeld'; readonly name: string };

/**
 * One sentence for a refusal: what was found and what to do.
 *
 * @example
 * describeRefusal({ _tag: 'Gone', name: 'redis:7' }) // 'redis:7 is no longer in the store; take a new snapshot and plan again'
 */
export const describeRefusal = (refusal: Refusal): string => {
  switch (refusal._tag) {
    case 'InvalidName':
      return describeReferenceError(refusal.error);
    case 'DigestTarget':
      return `${refusal.name} is a digest reference; a digest names content and is never a tag target`;
    case 'DuplicateTarget':
      return `the plan has more than one action for ${refusal.name}; only the first runs`;
    case 'Gone':
      return `${refusal.name} is no longer in the store; take a new snapshot and plan again`;
    case 'Moved':
      return `${refusal.name} now names ${refusal.found}, not the planned ${refusal.planned}; plan again`;
    case 'Occupied':
      return `${refusal.name} now points at ${refusal.found} and the plan does not say to move it; plan again`;
    case 'NotWritable':
      return `${refusal.name} is not a name this store may write (a registry store tags only Harbor names); plan with a policy whose targets it may write`;
    case 'NotHeld':
      return `${refusal.name} is not a name this store holds; plan again from this store's own snapshot`;
  }
};
