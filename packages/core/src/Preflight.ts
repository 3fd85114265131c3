import type { ImageReference } from './ImageReference.js';
import { describeReferenceError, parseReference } from './ImageReference.js';
import type { ActionResult, EngineKind, StoreError } from './ImageStore.js';
import type { Plan, TagAction } from './Plan.js';
import type { Snapshot } from './Snapshot.js';
import { canonicalTagName, indexSnapshot } from './Snapshot.js';

/**
 * Podman prints bare hex ids, docker `sha256:<hex>`; one form makes plans and snapshots comparable.
 *
 * @example
 * normaliseImageId('4f3c…64 hex…') // 'sha256:4f3c…'
 */
export const normaliseImageId = (id: string): string => (/^[0-9a-f]{64}$/.test(id) ? `sha256:${id}` : id);

/**
 * What becomes of one planned action when it is about to be applied: already settled without running
 * anything (`Done`), or a tag to run (`Run`, with both names parsed and canonical).
 */
export type Preflight =
  | { readonly _tag: 'Done'; readonly result: ActionResult }
  | {
      readonly _tag: 'Run';
      readonly action: TagAction;
      readonly source: ImageReference;
      readonly target: ImageReference;
      /** Canonical names, as `applyToSnapshot` keys them (a hand-written plan may spell `redis:7`). */
      readonly sourceName: string;
      readonly targetName: string;
    };

/** A reason not to run an action, as the `CommandFailed` with exit status null ("was not run") it ends with. */
const notRun = (engine: EngineKind, action: TagAction, message: string): Preflight => {
  const error: StoreError = { _tag: 'CommandFailed', engine, args: ['tag', action.source, action.target], exitCode: null, message };
  return { _tag: 'Done', result: { _tag: 'Failed', action, error } };
};

const preflightAction = (
  engine: EngineKind,
  action: TagAction,
  imageIdByName: ReadonlyMap<string, string>,
  seenTargets: Set<string>,
): Preflight => {
  // An invalid name never reaches the engine.
  const source = parseReference(action.source);
  if (source._tag === 'Left') return notRun(engine, action, describeReferenceError(source.left));
  const target = parseReference(action.target);
  if (target._tag === 'Left') return notRun(engine, action, describeReferenceError(target.left));
  const targetKey = canonicalTagName(action.target);
  if (targetKey._tag === 'Left' || targetKey.right === undefined || target.right.digest !== undefined) {
    return notRun(engine, action, `${action.target} is a digest reference; a digest names content and is never a tag target`);
  }
  if (seenTargets.has(targetKey.right)) {
    return notRun(engine, action, `the plan has more than one action for ${action.target}; only the first runs`);
  }
  seenTargets.add(targetKey.right);

  const plannedId = normaliseImageId(action.imageId);
  const sourceKey = canonicalTagName(action.source);
  const sourceName = sourceKey._tag === 'Right' && sourceKey.right !== undefined ? sourceKey.right : action.source;
  // A digest source names immutable content, so it cannot have moved; a tag source can.
  if (sourceKey._tag === 'Right' && sourceKey.right !== undefined) {
    const sourceNow = imageIdByName.get(sourceKey.right);
    if (sourceNow === undefined) {
      return notRun(engine, action, `${action.source} is no longer in the store; take a new snapshot and plan again`);
    }
    if (normaliseImageId(sourceNow) !== plannedId) {
      return notRun(engine, action, `${action.source} now names ${normaliseImageId(sourceNow)}, not the planned ${plannedId}; plan again`);
    }
  }
  const targetNowRaw = imageIdByName.get(targetKey.right);
  const targetNow = targetNowRaw === undefined ? undefined : normaliseImageId(targetNowRaw);
  if (targetNow === plannedId) return { _tag: 'Done', result: { _tag: 'Applied', action } };
  if (targetNow !== undefined) {
    const allowed = action.reason === 'retarget' && action.replaces !== undefined && normaliseImageId(action.replaces) === targetNow;
    if (!allowed) {
      return notRun(engine, action, `${action.target} now points at ${targetNow} and the plan does not say to move it; plan again`);
    }
  }
  return { _tag: 'Run', action, source: source.right, target: target.right, sourceName, targetName: targetKey.right };
};

/**
 * Judges every action of a plan against the store as it is right before applying, so a stale plan never runs
 * blind (`docker tag` silently moves an existing name). An invalid name, a digest target, a second action for
 * one target, a source that is gone or now names another image, and a target that now points elsewhere without
 * a matching `retarget` end `Failed` without running (exit status null); a target already on its planned image
 * ends `Applied` without running. Every image store (engine or in-memory) applies these same rules.
 *
 * @example
 * const decisions = preflightPlan({ plan, snapshot: before, engine: 'docker' });
 * const toRun = decisions.filter((d) => d._tag === 'Run');
 */
export const preflightPlan = (input: { readonly plan: Plan; readonly snapshot: Snapshot; readonly engine: EngineKind }): readonly Preflight[] => {
  const { imageIdByName } = indexSnapshot(input.snapshot);
  const seenTargets = new Set<string>();
  return input.plan.actions.map((action) => preflightAction(input.engine, action, imageIdByName, seenTargets));
};

/**
 * True when every action's target now points at its planned image: what "verified" means in an apply report.
 * Names compare canonically (a store listing `redis:7` verifies a plan naming `docker.io/library/redis:7`), and
 * ids with and without `sha256:` compare equal.
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
