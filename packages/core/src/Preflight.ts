import type { ImageReference } from './ImageReference.js';
import { parseReference } from './ImageReference.js';
import type { UntagAction } from './lifecycle/CleanPlan.js';
import type { UntagResult } from './ImageLifecycle.js';
import type { ActionResult, PlanMismatch } from './ImageStore.js';
import type { Refusal } from './Refusal.js';
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
      /** What the snapshot had for the target (normalised id; undefined: absent): `recheckTarget` compares with it. */
      readonly targetBefore?: string;
    };

/** A reason not to run an action: it ends `Refused` with it, and nothing is asked of the store. */
const refuse = (action: TagAction, reason: Refusal): Preflight => ({ _tag: 'Done', result: { _tag: 'Refused', action, reason } });

const preflightAction = (
  action: TagAction,
  imageIdByName: ReadonlyMap<string, string>,
  seenTargets: Set<string>,
): Preflight => {
  // An invalid name never reaches the engine.
  const source = parseReference(action.source);
  if (source._tag === 'Left') return refuse(action, { _tag: 'InvalidName', name: action.source, error: source.left });
  const target = parseReference(action.target);
  if (target._tag === 'Left') return refuse(action, { _tag: 'InvalidName', name: action.target, error: target.left });
  const targetKey = canonicalTagName(action.target);
  if (targetKey._tag === 'Left' || targetKey.right === undefined || target.right.digest !== undefined) {
    return refuse(action, { _tag: 'DigestTarget', name: action.target });
  }
  if (seenTargets.has(targetKey.right)) return refuse(action, { _tag: 'DuplicateTarget', name: action.target });
  seenTargets.add(targetKey.right);

  const plannedId = normaliseImageId(action.imageId);
  const sourceKey = canonicalTagName(action.source);
  const sourceName = sourceKey._tag === 'Right' && sourceKey.right !== undefined ? sourceKey.right : action.source;
  // A digest source names immutable content, so it cannot have moved; a tag source can.
  if (sourceKey._tag === 'Right' && sourceKey.right !== undefined) {
    const sourceNow = imageIdByName.get(sourceKey.right);
    if (sourceNow === undefined) return refuse(action, { _tag: 'Gone', name: action.source });
    if (normaliseImageId(sourceNow) !== plannedId) {
      return refuse(action, { _tag: 'Moved', name: action.source, planned: plannedId, found: normaliseImageId(sourceNow) });
    }
  }
  const targetNowRaw = imageIdByName.get(targetKey.right);
  const targetNow = targetNowRaw === undefined ? undefined : normaliseImageId(targetNowRaw);
  if (targetNow === plannedId) return { _tag: 'Done', result: { _tag: 'Applied', action } };
  if (targetNow !== undefined) {
    const allowed = action.reason === 'retarget' && action.replaces !== undefined && normaliseImageId(action.replaces) === targetNow;
    if (!allowed) return refuse(action, { _tag: 'Occupied', name: action.target, found: targetNow });
  }
  return {
    _tag: 'Run',
    action,
    source: source.right,
    target: target.right,
    sourceName,
    targetName: targetKey.right,
    ...(targetNow === undefined ? {} : { targetBefore: targetNow }),
  };
};

/**
 * Judges every action of a plan against the store as it is right before applying, so a stale plan never runs
 * blind (`docker tag` silently moves an existing name). An invalid name, a digest target, a second action for
 * one target, a source that is gone or now names another image, and a target that now points elsewhere without
 * a matching `retarget` end `Refused` with that `Refusal`, without running; a target already on its planned image
 * ends `Applied` without running. Every image store (engine, in-memory, registry) applies these same rules.
 *
 * @example
 * const decisions = preflightPlan({ plan, snapshot: before });
 * const toRun = decisions.filter((d) => d._tag === 'Run');
 */
export const preflightPlan = (input: { readonly plan: Plan; readonly snapshot: Snapshot }): readonly Preflight[] => {
  const { imageIdByName } = indexSnapshot(input.snapshot);
  const seenTargets = new Set<string>();
  return input.plan.actions.map((action) => preflightAction(action, imageIdByName, seenTargets));
};

/**
 * The last word before a tag runs, given the target as it was read again right then (`now`: its image id, or
 * undefined when absent): `Run` when it still is what the snapshot said, `Applied` without running when it
 * already points at the planned image, and `ChangedUnderUs` otherwise: another process named it meanwhile, and
 * `docker tag` would silently move it.
 *
 * @example
 * const [decision] = preflightPlan({ plan, snapshot });
 * if (decision?._tag === 'Run') recheckTarget(decision, 'sha256:other…') // { _tag: 'ChangedUnderUs', action, found: 'sha256:other…' }
 */
export const recheckTarget = (decision: Extract<Preflight, { readonly _tag: 'Run' }>, now: string | undefined): 'Run' | ActionResult => {
  const found = now === undefined ? undefined : normaliseImageId(now);
  if (found === decision.targetBefore) return 'Run';
  if (found === normaliseImageId(decision.action.imageId)) return { _tag: 'Applied', action: decision.action };
  return {
    _tag: 'ChangedUnderUs',
    action: decision.action,
    ...(decision.targetBefore === undefined ? {} : { expected: decision.targetBefore }),
    ...(found === undefined ? {} : { found }),
  };
};

/**
 * Every action whose target does not point at its planned image in `snapshot`, by name: what the verifying read
 * after an apply reports. Names compare canonically (a store listing `redis:7` verifies a plan naming
 * `docker.io/library/redis:7`), and ids with and without `sha256:` compare equal.
 *
 * @example
 * planMismatches(after, plan) // [{ name: 'docker.io/library/redis:7', planned: 'sha256:aa…', found: 'sha256:bb…' }]
 */
export const planMismatches = (snapshot: Snapshot, plan: Plan): readonly PlanMismatch[] => {
  const { imageIdByName } = indexSnapshot(snapshot);
  return plan.actions.flatMap((action): PlanMismatch[] => {
    const key = canonicalTagName(action.target);
    const name = key._tag === 'Right' && key.right !== undefined ? key.right : action.target;
    const planned = normaliseImageId(action.imageId);
    const nowRaw = key._tag === 'Right' && key.right !== undefined ? imageIdByName.get(key.right) : undefined;
    const found = nowRaw === undefined ? undefined : normaliseImageId(nowRaw);
    return found === planned ? [] : [{ name, planned, ...(found === undefined ? {} : { found }) }];
  });
};

/**
 * True when every action's target now points at its planned image: what "verified" means in an apply report.
 *
 * @example
 * const report = { results, after, verified: verifyPlan(after, plan) };
 */
export const verifyPlan = (snapshot: Snapshot, plan: Plan): boolean => planMismatches(snapshot, plan).length === 0;

/** What becomes of one untag action about to run: settled without running (`Done`), or a removal to run. */
export type UntagPreflight = { readonly _tag: 'Done'; readonly result: UntagResult } | { readonly _tag: 'Run'; readonly action: UntagAction };

/**
 * Judges a clean plan's untag actions against the store as it is right before removing: a name that is gone, or
 * that now names another image than the plan saw, is `Refused` without running (a stale plan must not remove a
 * name that has since been moved to another image). Every store (engine or in-memory) applies these rules.
 *
 * @example
 * const clean = planClean({ snapshot, images, policy, includeHarbor: false, containers: [] });
 * preflightUntag({ actions: clean.actions, snapshot: after }) // [{ _tag: 'Run', action }, { _tag: 'Done', result: { _tag: 'Refused', ... } }]
 */
export const preflightUntag = (input: { readonly actions: readonly UntagAction[]; readonly snapshot: Snapshot }): readonly UntagPreflight[] => {
  const { imageIdByName } = indexSnapshot(input.snapshot);
  return input.actions.map((action): UntagPreflight => {
    const key = canonicalTagName(action.name);
    if (key._tag === 'Left') return { _tag: 'Done', result: { _tag: 'Refused', action, reason: { _tag: 'InvalidName', name: action.name, error: key.left } } };
    const nowRaw = key.right === undefined ? undefined : imageIdByName.get(key.right);
    const planned = normaliseImageId(action.imageId);
    if (nowRaw === undefined) return { _tag: 'Done', result: { _tag: 'Refused', action, reason: { _tag: 'Gone', name: action.name } } };
    const now = normaliseImageId(nowRaw);
    if (now !== planned) return { _tag: 'Done', result: { _tag: 'Refused', action, reason: { _tag: 'Moved', name: action.name, planned, found: now } } };
    return { _tag: 'Run', action };
  });
};
