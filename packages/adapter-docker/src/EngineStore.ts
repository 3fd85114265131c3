import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import { applyToSnapshot } from '@imgalias/core';
import { indexSnapshot, mapBounded, normaliseImageId, planMismatches, preflightPlan, recheckTarget, spellReference } from '@imgalias/core/internal';
import type {
  ActionResult,
  ApplyOptions,
  ApplyReport,
  ContainerUse,
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
import type { Preflight } from '@imgalias/core/internal';
import { enginePlatform, inspectPlatforms, listContainers } from './containers.js';
import type { DockerEndpoint } from './DockerEndpoint.js';
import type { InspectedImage, RequestEvent } from './EngineApi.js';
import type { EngineOptions, EngineRunner } from './EngineRunner.js';
import { createEngineRunner, refusedEngineOptions } from './EngineRunner.js';
import { checkEngineTarget } from './EngineEnvironment.js';
import type { EngineTransport, TransportChoice, TransportInfo } from './EngineTransport.js';
import { selectTransport } from './EngineTransport.js';
import { pullImages } from './pull.js';
import { pushImages } from './push.js';
import { untagImages } from './untag.js';

export interface EngineStoreOptions extends EngineOptions {
  /** How many `tag` calls run at once when `apply` is not told. Default 4. */
  readonly concurrency?: number;
  /**
   * How to reach the engine: `cli` (default here) runs the engine's program; `api` talks to Docker's Engine API
   * socket (DOCKER_HOST or the current docker context); `auto` takes the API when it can, else the CLI.
   */
  readonly transport?: TransportChoice;
  /**
   * The Engine API address; default: resolved the way the docker CLI does from the engine environment
   * (`engineEnvironment`: `process.env` with `env`, `host` and `context` laid over it) and the docker config.
   */
  readonly endpoint?: DockerEndpoint;
  /** Called after each Engine API request ends (the API transport's `onExec`). */
  readonly onRequest?: (event: RequestEvent) => void;
  /** Registries (`host[:port]`) that pull and push probes talk plain HTTP to, besides loopback ones. */
  readonly insecureRegistries?: readonly string[];
}

/** An `ImageStore` and `ImageLifecycle` backed by a container engine, plus the runner it uses (any other verb). */
export interface EngineStore extends ImageStore, ImageLifecycle {
  readonly runner: EngineRunner;
  /** Which transport the store used last (it can change once, when `auto` falls back to the CLI). */
  transport(): TransportInfo;
  /** One name's image, or `undefined` when no image has it: a read of that name alone. */
  inspect(name: string): Promise<Either<StoreError, InspectedImage | undefined>>;
  /** Releases the Engine API's kept-alive connections (idle ones never hold the process open anyway). */
  close(): void;
}

export const defaultConcurrency = 4;

type RunDecision = Extract<Preflight, { readonly _tag: 'Run' }>;

/**
 * An `ImageStore` for docker, podman or nerdctl, driven through its CLI or (docker) its Engine API socket.
 *
 * `snapshot()` is one call (`imageListArgs`, or `GET /images/json`). `apply(plan)` reads the store once (unless
 * given `current`), then for every name still needed reads that target once more (`inspect`, through the same
 * transport) and tags it only when it is still what the snapshot said: another process may have named it
 * meanwhile, and a tag would silently move it (`ChangedUnderUs`). The tag names the planned image by its id
 * (`tag sha256:ID TARGET`), never the source name, which another process could move after the snapshot (nerdctl,
 * unchecked here, keeps the name). Names are spelled in the engine's dialect, at most `concurrency` calls run at
 * a time, each with a timeout; podman gets one `tag sha256:ID T1 T2 ...` process per image (podman 4.3 loses a
 * name when two tags of one image race).
 * A final read reports `verified` and every name that differs from the plan. An empty plan runs only the final
 * read. One failure does not stop the others; only an engine that cannot be used at all (missing, unreachable)
 * makes `apply` itself fail. Aborting `signal` stops starting actions and cancels the processes in flight.
 * Engine options that contradict each other (`host` with `context`, `context` for podman) make every call an
 * error value saying so, before anything runs.
 *
 * No engine offers compare-and-swap on a tag: between a target's re-read and its tag another writer can still
 * name it (see bench/recheck-window.mjs), and the final read then reports it as a mismatch.
 *
 * @example
 * const store = createEngineStore({ engine: 'podman' });
 * const snapshot = await store.snapshot();
 */
export const createEngineStore = (options: EngineStoreOptions): EngineStore => {
  const runner = createEngineRunner(options);
  const engine = options.engine;
  const limitOf = (concurrency: number | undefined): number => Math.max(1, Math.floor(concurrency ?? options.concurrency ?? defaultConcurrency));
  // Chosen once, on first use: `api` with an unusable endpoint is an error value returned by the first call.
  let chosen: Either<StoreError, EngineTransport> | undefined;
  const checked = checkEngineTarget(options);
  const transportOf = (): Either<StoreError, EngineTransport> => {
    if (checked._tag === 'Left') return left(refusedEngineOptions(checked.left));
    chosen ??= selectTransport({
      engine,
      choice: options.transport ?? 'cli',
      runner,
      env: runner.env,
      globalArgs: options.globalArgs ?? [],
      maxSockets: limitOf(undefined),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
      ...(options.onRequest === undefined ? {} : { onRequest: options.onRequest }),
    });
    return chosen;
  };

  const snapshot = async (): Promise<Either<StoreError, Snapshot>> => {
    const transport = transportOf();
    return transport._tag === 'Left' ? transport : transport.right.list();
  };

  const inspect = async (name: string): Promise<Either<StoreError, InspectedImage | undefined>> => {
    const transport = transportOf();
    return transport._tag === 'Left' ? transport : transport.right.inspect(name);
  };

  // What a tag names as its source: the planned image by id, never the source name. Another process can move
  // that name between the snapshot and the tag, and `tag NAME TARGET` follows the name to an image the plan did
  // not choose. Docker 20.10 (CLI and API) and podman 4.3 (CLI and service) take the `sha256:` id (the real-engine
  // tests check it); nerdctl's `tag` finds images by name or by their target (manifest or index) digest, and no
  // nerdctl runs here to check its listing's id against that, so it keeps the name.
  const tagSourceOf = (action: TagAction): string => (engine === 'nerdctl' ? spellReference(action.source, engine) : normaliseImageId(action.imageId));

  // One tag call for an image and all its targets (podman's multi-name `tag`), or one per target. When a call
  // for several targets fails, each target is tried alone, so every action ends with its own error.
  const tagGroup = async (transport: EngineTransport, actions: readonly TagAction[], signal: AbortSignal | undefined): Promise<readonly ActionResult[]> => {
    const targetOf = (action: TagAction): string => spellReference(action.target, engine);
    const [first] = actions;
    if (first === undefined) return [];
    const tagged = await transport.tag(tagSourceOf(first), actions.map(targetOf), signal);
    if (tagged._tag === 'Right') return actions.map((action) => ({ _tag: 'Applied', action }));
    if (actions.length === 1 || signal?.aborted === true) return actions.map((action) => ({ _tag: 'Failed', action, error: tagged.left }));
    const results: ActionResult[] = [];
    for (const action of actions) {
      const alone = await transport.tag(tagSourceOf(action), [targetOf(action)], signal);
      results.push(alone._tag === 'Right' ? { _tag: 'Applied', action } : { _tag: 'Failed', action, error: alone.left });
    }
    return results;
  };

  /** Re-reads each target of a group right before tagging; tags only those still as the snapshot had them. */
  const settleGroup = async (
    transport: EngineTransport,
    decisions: readonly RunDecision[],
    signal: AbortSignal | undefined,
  ): Promise<readonly ActionResult[]> => {
    const results = new Array<ActionResult>(decisions.length);
    const ready: number[] = [];
    // Several targets tagged in one call (podman): one listing reads them all at once, so the window before
    // the tag does not grow with the number of targets, as one read per target would make it.
    const listed = decisions.length > 1 && signal?.aborted !== true ? await transport.list() : undefined;
    const index = listed?._tag === 'Right' ? indexSnapshot(listed.right).imageIdByName : undefined;
    for (const [i, decision] of decisions.entries()) {
      if (signal?.aborted === true) {
        results[i] = { _tag: 'NotStarted', action: decision.action };
        continue;
      }
      if (listed?._tag === 'Left') {
        results[i] = { _tag: 'Failed', action: decision.action, error: listed.left };
        continue;
      }
      const now =
        index !== undefined
          ? right(index.has(decision.targetName) ? { id: index.get(decision.targetName) as string } : undefined)
          : await transport.inspect(spellReference(decision.target, engine), signal);
      if (now._tag === 'Left') {
        results[i] = { _tag: 'Failed', action: decision.action, error: now.left };
        continue;
      }
      const rechecked = recheckTarget(decision, now.right === undefined ? undefined : normaliseImageId(now.right.id));
      if (rechecked === 'Run') ready.push(i);
      else results[i] = rechecked;
    }
    if (ready.length > 0) {
      const tagged = await tagGroup(transport, ready.map((i) => (decisions[i] as RunDecision).action), signal);
      tagged.forEach((result, j) => {
        results[ready[j] as number] = result;
      });
    }
    return results;
  };

  // Core's preflight decides (the same rules as the dry-run store); names are spelled in this engine's dialect.
  // Actions for one image form one group when the transport tags many names in one call.
  const settleAll = async (
    transport: EngineTransport,
    decisions: readonly Preflight[],
    limit: number,
    report: (result: ActionResult) => ActionResult,
    signal: AbortSignal | undefined,
  ): Promise<readonly ActionResult[]> => {
    const results = new Array<ActionResult>(decisions.length);
    const groups = new Map<string, { readonly indexes: number[]; readonly decisions: RunDecision[] }>();
    for (const [index, decision] of decisions.entries()) {
      if (decision._tag === 'Done') {
        results[index] = report(decision.result);
        continue;
      }
      // Grouped by image, not by source name: the tag names the image by its id, and podman loses names when
      // several processes tag one image at once (each rewrites the image's name list).
      const key = transport.multiTarget ? normaliseImageId(decision.action.imageId) : `${index}`;
      const group = groups.get(key) ?? { indexes: [], decisions: [] };
      group.indexes.push(index);
      group.decisions.push(decision);
      groups.set(key, group);
    }
    await mapBounded(
      [...groups.values()],
      { limit, stopped: () => signal?.aborted === true },
      async (group) => {
        const settled = await settleGroup(transport, group.decisions, signal);
        settled.forEach((result, i) => {
          results[group.indexes[i] as number] = report(result);
        });
      },
      (group) => {
        group.decisions.forEach((decision, i) => {
          results[group.indexes[i] as number] = { _tag: 'NotStarted', action: decision.action };
        });
      },
    );
    return results;
  };

  const apply = async (plan: Plan, applyOptions: ApplyOptions = {}): Promise<Either<StoreError, ApplyReport>> => {
    const limit = limitOf(applyOptions.concurrency);
    const report = (result: ActionResult): ActionResult => {
      applyOptions.onProgress?.({ _tag: 'Done', result });
      return result;
    };
    const signal = applyOptions.signal;
    let results: readonly ActionResult[] = [];
    let before: Snapshot | undefined = applyOptions.current;
    if (plan.actions.length > 0) {
      const read = before === undefined ? await snapshot() : right(before);
      if (read._tag === 'Left') return read;
      before = read.right;
      const decisions = preflightPlan({ plan, snapshot: read.right });
      const transport = transportOf();
      if (transport._tag === 'Left') return transport;
      results = await settleAll(transport.right, decisions, limit, report, signal);
    }
    if (signal?.aborted === true) {
      // Interrupted: no read back (the user asked to stop); `after` models what was applied.
      const applied = results.flatMap((r) => (r._tag === 'Applied' ? [r.action] : []));
      const after = applyToSnapshot(before ?? { version: 1, images: [] }, { ...plan, actions: applied });
      return right({ results, after, verified: false, mismatches: [], interrupted: true, via: transport().description });
    }
    // If the engine went away during the apply, this read fails too, and that error is the answer.
    const after = await snapshot();
    if (after._tag === 'Left') return after;
    const mismatches = planMismatches(after.right, plan);
    return right({ results, after: after.right, verified: mismatches.length === 0, mismatches, interrupted: false, via: transport().description });
  };

  const transport = (): TransportInfo => {
    const current = transportOf();
    return current._tag === 'Right' ? current.right.info() : { kind: 'cli', description: `${runner.command} CLI` };
  };
  const close = (): void => {
    if (chosen?._tag === 'Right') chosen.right.close();
  };

  const probeOptions = options.insecureRegistries === undefined ? {} : { insecureRegistries: options.insecureRegistries };

  const pull = (requests: readonly PullRequest[], pullOptions: PullOptions = {}): Promise<Either<StoreError, readonly PullResult[]>> =>
    pullImages({ ...pullOptions, ...probeOptions, runner, entries: requests });

  const push = async (entries: readonly PublishEntry[], pushOptions: PushOptions = {}): Promise<Either<StoreError, readonly PushResult[]>> => {
    let localDigests = pushOptions.localDigests;
    if (localDigests === undefined && entries.length > 0) {
      const read = await snapshot();
      if (read._tag === 'Left') return read;
      const digests = new Map(read.right.images.map((image) => [normaliseImageId(image.id), image.digests ?? []]));
      localDigests = (imageId) => digests.get(normaliseImageId(imageId)) ?? [];
    }
    return pushImages({ ...pushOptions, ...probeOptions, runner, entries, localDigests: localDigests ?? (() => []) });
  };

  const untag = async (actions: readonly UntagAction[], untagOptions: UntagOptions = {}): Promise<Either<StoreError, readonly UntagResult[]>> => {
    if (actions.length === 0) return right([]);
    const current = untagOptions.current === undefined ? await snapshot() : right(untagOptions.current);
    if (current._tag === 'Left') return current;
    return untagImages({ ...untagOptions, runner, actions, current: current.right });
  };

  const containers = (): Promise<Either<StoreError, readonly ContainerUse[]>> => listContainers(runner);
  const platform = (): Promise<Either<StoreError, string>> => enginePlatform(runner);
  const imagePlatforms = (imageIds: readonly string[]): Promise<Either<StoreError, readonly ImagePlatform[]>> => inspectPlatforms(runner, imageIds);

  return { engine, runner, snapshot, inspect, apply, pull, push, untag, containers, platform, imagePlatforms, transport, close };
};
