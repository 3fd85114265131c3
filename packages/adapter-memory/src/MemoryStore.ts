import { applyToSnapshot } from '@imgalias/core';
import { canonicalTagName, indexSnapshot, normaliseImageId, planMismatches, preflightPlan, preflightUntag } from '@imgalias/core/internal';
import type {
  ActionResult,
  ApplyOptions,
  ApplyReport,
  CandidateFailure,
  ContainerUse,
  EngineKind,
  ImageLifecycle,
  ImagePlatform,
  ImageStore,
  Plan,
  PublishEntry,
  PullOptions,
  PullRequest,
  PullResult,
  PushOptions,
  PushResult,
  Snapshot,
  StoreError,
  TagAction,
  UntagAction,
  UntagOptions,
  UntagResult,
} from '@imgalias/core';

export interface MemoryStoreOptions {
  /** What the store holds at the start. */
  readonly snapshot: Snapshot;
  /** The engine being imitated; it is named in failures. Default `docker`. */
  readonly engine?: EngineKind;
  /**
   * What `pull` finds and `push` writes to: image reference (any spelling, `redis:7`) -> image id. A pull of a
   * reference that is not here fails as a registry's "manifest unknown" would. Default: an empty registry.
   */
  readonly registry?: Readonly<Record<string, string>>;
  /** The containers `containers()` reports. Default: unknown (`containers()` gives `undefined`). */
  readonly containers?: readonly ContainerUse[];
  /** What `platform()` reports. Default `linux/amd64`. */
  readonly platform?: string;
  /** What `imagePlatforms` reports: image id -> `os/arch[/variant]`. Images not here are left out. */
  readonly platforms?: Readonly<Record<string, string>>;
}

/** The in-memory store: both ports, and the registry it pulls from and pushes to. */
export interface MemoryStore extends ImageStore, ImageLifecycle {
  /** The registry as it is now, keyed by canonical name: what it was given plus what was pushed. */
  registry(): Readonly<Record<string, string>>;
}

// fp-ts's Either is plain data ({ _tag, right }); it is written out here so this package does not need fp-ts
// only to build values. The types come from the ports, so a change there breaks this at compile time.
const ok = <A>(value: A): { readonly _tag: 'Right'; readonly right: A } => ({ _tag: 'Right', right: value });

/** The canonical tag name of `name`, or `name` itself when it has none (it is then compared as written). */
const canonical = (name: string): string => {
  const key = canonicalTagName(name);
  return key._tag === 'Right' && key.right !== undefined ? key.right : name;
};

/** `snapshot` with `name` pointing at `imageId` (taken off any other image), as an engine's pull or tag leaves it. */
const withName = (snapshot: Snapshot, name: string, imageId: string): Snapshot => {
  const key = canonical(name);
  const id = normaliseImageId(imageId);
  const images = snapshot.images.map((image) => ({ ...image, names: image.names.filter((n) => canonical(n) !== key) }));
  const holder = images.findIndex((image) => normaliseImageId(image.id) === id);
  if (holder === -1) return { ...snapshot, images: [...images, { id, names: [key] }] };
  return { ...snapshot, images: images.map((image, i) => (i === holder ? { ...image, names: [...image.names, key] } : image)) };
};

/**
 * An `ImageStore` and `ImageLifecycle` over an in-memory snapshot, so the CLI and tests run the same code path
 * with or without an engine.
 *
 * `apply` judges each action against the store right before applying, with the engine adapter's rules (core's
 * `preflightPlan`: an invalid name, a stale source, a target that moved are refused without running; a target
 * already in place is `Applied` without running), applies the rest with core's `applyToSnapshot`, and keeps the
 * result, so the next `snapshot()` and plan see it. `pull` takes each family's first candidate the `registry`
 * has and names it (and its `tagAs`); `push` records each Harbor name in the `registry`; `untag` removes names
 * with core's `preflightUntag` rules, deleting an image with its last name unless a container uses it.
 * Progress callbacks are called once per item, in order; `concurrency` has nothing to bound here. There is no
 * engine to be unreachable, so no method returns `Left`.
 *
 * @example
 * const store = createMemoryStore({ snapshot, registry: { 'redis:7': 'sha256:…' } });
 * const report = await store.apply(planAliases({ snapshot, images, policy }));
 */
export const createMemoryStore = (options: MemoryStoreOptions): MemoryStore => {
  const engine = options.engine ?? 'docker';
  let current = options.snapshot;
  const registry = new Map(Object.entries(options.registry ?? {}).map(([name, id]) => [canonical(name), normaliseImageId(id)]));
  // What a docker engine says in each case; the memory store imitates an engine, so its failures read like one.
  const refusedBy = (args: readonly string[], message: string): StoreError => ({ _tag: 'CommandFailed', engine, args, exitCode: 1, message });

  const apply = (plan: Plan, applyOptions: ApplyOptions = {}): Promise<{ readonly _tag: 'Right'; readonly right: ApplyReport }> => {
    const toRun: TagAction[] = [];
    const results = preflightPlan({ plan, snapshot: current }).map((decision): ActionResult => {
      // applyToSnapshot keys names canonically; a hand-written plan may spell them familiarly (`redis:7`).
      if (decision._tag === 'Run') toRun.push({ ...decision.action, source: decision.sourceName, target: decision.targetName });
      const result: ActionResult = decision._tag === 'Done' ? decision.result : { _tag: 'Applied', action: decision.action };
      applyOptions.onProgress?.({ _tag: 'Done', result });
      return result;
    });
    current = applyToSnapshot(current, { ...plan, actions: toRun });
    const mismatches = planMismatches(current, plan);
    return Promise.resolve(ok({ results, after: current, verified: mismatches.length === 0, mismatches, interrupted: false }));
  };

  const pullOne = (request: PullRequest, pullOptions: PullOptions): PullResult => {
    const emit = pullOptions.onProgress ?? (() => undefined);
    const tried: CandidateFailure[] = [];
    for (const candidate of request.candidates) {
      emit({ _tag: 'Attempt', family: request.family, candidate, attempt: 1 });
      const id = registry.get(canonical(candidate.reference));
      if (id !== undefined) {
        current = withName(current, candidate.reference, id);
        if (candidate.tagAs !== undefined) current = withName(current, candidate.tagAs, id);
        const result: PullResult = { _tag: 'Pulled', family: request.family, candidate, attempts: 1, tried };
        emit({ _tag: 'Done', result });
        return result;
      }
      // A registry without the manifest: permanent, so the engine adapter would not retry it either.
      const failure: CandidateFailure = {
        candidate,
        attempts: 1,
        permanent: true,
        error: {
          _tag: 'Registry',
          error: { _tag: 'ManifestUnknown', reference: candidate.reference, status: 404 },
          engine: refusedBy(['pull', candidate.reference], `manifest for ${candidate.reference} not found: manifest unknown`),
        },
      };
      tried.push(failure);
      emit({ _tag: 'GiveUp', family: request.family, failure });
    }
    const result: PullResult = { _tag: 'PullFailed', family: request.family, tried };
    emit({ _tag: 'Done', result });
    return result;
  };

  const pull = (requests: readonly PullRequest[], pullOptions: PullOptions = {}) =>
    Promise.resolve(
      ok(requests.map((request): PullResult => (pullOptions.signal?.aborted === true ? { _tag: 'NotStarted', family: request.family } : pullOne(request, pullOptions)))),
    );

  const pushOne = (entry: PublishEntry, pushOptions: PushOptions): PushResult => {
    const target = canonical(entry.target);
    const local = indexSnapshot(current).imageIdByName.get(target);
    const result: PushResult =
      local === undefined
        ? { _tag: 'PushFailed', entry, error: refusedBy(['push', entry.target], `An image does not exist locally with the tag: ${entry.target}`) }
        : registry.get(target) === normaliseImageId(local)
          ? { _tag: 'Skipped', entry, digest: normaliseImageId(local) }
          : { _tag: 'Pushed', entry };
    if (result._tag === 'Pushed' && local !== undefined) registry.set(target, normaliseImageId(local));
    pushOptions.onProgress?.({ _tag: 'Done', result });
    return result;
  };

  const push = (entries: readonly PublishEntry[], pushOptions: PushOptions = {}) =>
    Promise.resolve(ok(entries.map((entry): PushResult => (pushOptions.signal?.aborted === true ? { _tag: 'NotStarted', entry } : pushOne(entry, pushOptions)))));

  const untagOne = (action: UntagAction): UntagResult => {
    const key = canonical(action.name);
    const id = normaliseImageId(action.imageId);
    const image = current.images.find((candidate) => normaliseImageId(candidate.id) === id);
    const remaining = (image?.names ?? []).filter((name) => canonical(name) !== key);
    const user = remaining.length === 0 ? options.containers?.find((container) => normaliseImageId(container.imageId) === id) : undefined;
    if (user !== undefined) {
      const message = `conflict: unable to remove repository reference "${action.name}" (must force) - container ${user.id} is using its referenced image`;
      return { _tag: 'UntagFailed', action, error: refusedBy(['image', 'rm', action.name], message) };
    }
    // The last name takes the image with it, as `image rm NAME` does on an engine.
    current = {
      ...current,
      images: current.images.flatMap((candidate) => (normaliseImageId(candidate.id) !== id ? [candidate] : remaining.length === 0 ? [] : [{ ...candidate, names: remaining }])),
    };
    return { _tag: 'Untagged', action };
  };

  const untag = (actions: readonly UntagAction[], untagOptions: UntagOptions = {}) => {
    const decisions = preflightUntag({ actions, snapshot: untagOptions.current ?? current });
    const results = decisions.map((decision): UntagResult => {
      const action = decision._tag === 'Run' ? decision.action : decision.result.action;
      if (untagOptions.signal?.aborted === true) return { _tag: 'NotStarted', action };
      const result = decision._tag === 'Run' ? untagOne(action) : decision.result;
      untagOptions.onProgress?.({ _tag: 'Done', result });
      return result;
    });
    return Promise.resolve(ok(results));
  };

  const imagePlatforms = (imageIds: readonly string[]) => {
    const known = new Map(Object.entries(options.platforms ?? {}).map(([id, platform]) => [normaliseImageId(id), platform]));
    return Promise.resolve(
      ok(imageIds.flatMap((imageId): ImagePlatform[] => {
        const platform = known.get(normaliseImageId(imageId));
        return platform === undefined ? [] : [{ imageId: normaliseImageId(imageId), platform }];
      })),
    );
  };

  return {
    engine,
    snapshot: () => Promise.resolve(ok(current)),
    apply,
    pull,
    push,
    untag,
    containers: () => Promise.resolve(ok(options.containers)),
    platform: () => Promise.resolve(ok(options.platform ?? 'linux/amd64')),
    imagePlatforms,
    registry: () => Object.fromEntries(registry),
  };
};
