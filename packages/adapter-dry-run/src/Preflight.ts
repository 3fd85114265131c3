import { canonicalTagName, describeReferenceError, parseReference } from '@imgalias/core';
import type { ActionResult, EngineKind, StoreError, TagAction } from '@imgalias/core';

// These are the engine adapter's rules (adapter-docker's EngineStore), restated here because the dry run must
// accept and refuse exactly what the engine adapter does, or "same code path without an engine" would be
// false. They are pure and belong in the core next to `applyToSnapshot`; the adapter report asks for that.

/** Podman prints bare hex ids, docker `sha256:<hex>`; one form makes plans and snapshots comparable. */
export const normaliseImageId = (id: string): string => (/^[0-9a-f]{64}$/.test(id) ? `sha256:${id}` : id);

// The engine adapter normalises ids when it reads the store; a snapshot handed to the dry run may not be.
const normaliseIfPresent = (id: string | undefined): string | undefined => (id === undefined ? undefined : normaliseImageId(id));

/** What becomes of one action: already settled without running anything, or a `tag` to run. */
export type Preflight =
  | { readonly _tag: 'Done'; readonly result: ActionResult }
  /** `source` and `target` canonical, as `applyToSnapshot` keys names. */
  | { readonly _tag: 'Run'; readonly source: string; readonly target: string };

const notRun = (engine: EngineKind, action: TagAction, message: string): Preflight => {
  const error: StoreError = { _tag: 'CommandFailed', engine, args: ['tag', action.source, action.target], exitCode: null, message };
  return { _tag: 'Done', result: { _tag: 'Failed', action, error } };
};

/**
 * Decides, against the store right before applying, whether an action may run. `docker tag` silently moves an
 * existing name, so a stale plan must not run blind: an invalid name, a digest target, a second action for one
 * target, a source that is gone or now names another image, and a target that now points elsewhere without a
 * matching `retarget` all end `Failed` without running (exit status null). A target already on its planned
 * image ends `Applied` without running.
 */
export const preflight = (
  engine: EngineKind,
  action: TagAction,
  imageIdByName: ReadonlyMap<string, string>,
  seenTargets: Set<string>,
): Preflight => {
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
  // A digest source names immutable content, so it cannot have moved; a tag source can.
  if (sourceKey._tag === 'Right' && sourceKey.right !== undefined) {
    const sourceNow = normaliseIfPresent(imageIdByName.get(sourceKey.right));
    if (sourceNow === undefined) {
      return notRun(engine, action, `${action.source} is no longer in the store; take a new snapshot and plan again`);
    }
    if (sourceNow !== plannedId) return notRun(engine, action, `${action.source} now names ${sourceNow}, not the planned ${plannedId}; plan again`);
  }
  const targetNow = normaliseIfPresent(imageIdByName.get(targetKey.right));
  if (targetNow === plannedId) return { _tag: 'Done', result: { _tag: 'Applied', action } };
  if (targetNow !== undefined) {
    const allowed = action.reason === 'retarget' && action.replaces !== undefined && normaliseImageId(action.replaces) === targetNow;
    if (!allowed) return notRun(engine, action, `${action.target} now points at ${targetNow} and the plan does not say to move it; plan again`);
  }
  return {
    _tag: 'Run',
    source: sourceKey._tag === 'Right' && sourceKey.right !== undefined ? sourceKey.right : action.source,
    target: targetKey.right,
  };
};
