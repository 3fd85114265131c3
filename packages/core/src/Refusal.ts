import type { ReferenceError } from './ImageReference.js';
import { describeReferenceError } from './ImageReference.js';

/**
 * Why a store did not run a planned step, decided before any engine was asked (see `preflightPlan`,
 * `preflightUntag`). Data, not a fabricated engine error: nothing ran, so there is no exit status to report.
 *
 * - `InvalidName`: a name of the step does not parse.
 * - `DigestTarget`: the target is a digest reference; a digest names content and is never a tag target.
 * - `DuplicateTarget`: an earlier step of the plan already has this target; only the first runs.
 * - `Gone`: the name the step starts from is no longer in the store.
 * - `Moved`: that name now names another image than the plan saw.
 * - `Occupied`: the target now points at another image and the plan does not say to move it.
 */
export type Refusal =
  | { readonly _tag: 'InvalidName'; readonly name: string; readonly error: ReferenceError }
  | { readonly _tag: 'DigestTarget'; readonly name: string }
  | { readonly _tag: 'DuplicateTarget'; readonly name: string }
  | { readonly _tag: 'Gone'; readonly name: string }
  | { readonly _tag: 'Moved'; readonly name: string; readonly planned: string; readonly found: string }
  | { readonly _tag: 'Occupied'; readonly name: string; readonly found: string };

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
  }
};
