import { canonicalTagName, indexSnapshot } from '@imgalias/core';
import type { Plan, Snapshot } from '@imgalias/core';
import { normaliseImageId } from './Preflight.js';

/**
 * True when every action's target now points at its planned image: what "verified" means in an apply report,
 * decided as the engine adapter decides it. Names are compared canonically (core's `indexSnapshot`), so a
 * store listing `redis:7` verifies a plan naming `docker.io/library/redis:7`; ids with and without `sha256:`
 * compare equal.
 *
 * @example
 * const report = { results, after, verified: verifyPlan(after, plan) };
 */
export const verifyPlan = (snapshot: Snapshot, plan: Plan): boolean => {
  const { imageIdByName } = indexSnapshot(snapshot);
  return plan.actions.every((action) => {
    const key = canonicalTagName(action.target);
    if (key._tag === 'Left' || key.right === undefined) return false;
    const now = imageIdByName.get(key.right);
    return now !== undefined && normaliseImageId(now) === normaliseImageId(action.imageId);
  });
};
