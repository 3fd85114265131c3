import type { Either } from 'fp-ts/lib/Either.js';
import { isLeft, left, right } from 'fp-ts/lib/Either.js';
import type { ImageLifecycle, ImageStore } from '@imgalias/core';
import type { EngineStoreOptions } from '@imgalias/adapter-docker';
import type { Settings } from './config/Settings.js';
import type { ProjectError } from './ProjectError.js';
import type { ProjectEvent } from './ProjectOptions.js';

/**
 * The environment a job runs in: what settings and compose interpolation read. The engine gets it laid over
 * `process.env` (engine options add to the process environment; a name set to `undefined` is unset for it).
 */
export type Environment = Readonly<Record<string, string | undefined>>;

/** How these settings reach the real engine: which CLI, its environment and daemon, concurrency, transport and timeout. */
export const engineStoreOptions = (settings: Settings, env: Environment): EngineStoreOptions => ({
  engine: settings.engine,
  env,
  ...(settings.engineHost === undefined ? {} : { host: settings.engineHost }),
  ...(settings.engineContext === undefined ? {} : { context: settings.engineContext }),
  concurrency: settings.concurrency,
  transport: settings.transport,
  timeoutMs: settings.engineTimeoutMs,
});

/**
 * The image store the settings name, with both ports: the saved snapshot when `settings.snapshotFile` is set (an
 * in-memory store, no engine touched; the file's optional `registry` and `containers` are what it pulls from and
 * reports), the real engine otherwise. Opening the engine store runs nothing; its first `snapshot()`
 * does, and reports a missing or unreachable engine as a `StoreError`. `onTransport` hears how the engine was
 * reached (`docker CLI`, `Docker Engine API at ...`) once known, and again if `auto` falls back to the CLI.
 *
 * @example
 * const loaded = await loadSettings({ flags: {}, env: process.env, cwd: process.cwd() });
 * if (loaded._tag === 'Right') {
 *   const store = await openProjectStore({ settings: loaded.right, env: process.env });
 * }
 */
export async function openProjectStore(options: {
  readonly settings: Settings;
  readonly env: Environment;
  readonly onTransport?: (description: string) => void;
}): Promise<Either<ProjectError, ImageStore & ImageLifecycle>> {
  const { settings, env, onTransport } = options;
  // The stores load when first needed: a program that imports this package for its settings pays for neither.
  if (settings.snapshotFile !== undefined) {
    const [{ readSnapshotFile }, { createMemoryStore }] = await Promise.all([import('./SnapshotFile.js'), import('@imgalias/adapter-memory')]);
    const file = await readSnapshotFile(settings.snapshotFile);
    return isLeft(file) ? left(file.left) : right(createMemoryStore({ ...file.right, engine: settings.engine }));
  }
  const { createEngineStore } = await import('@imgalias/adapter-docker');
  const store = createEngineStore(engineStoreOptions(settings, env));
  if (onTransport === undefined) return right(store);
  let said = '';
  const tell = (): void => {
    const { description } = store.transport();
    if (description === said) return;
    said = description;
    onTransport(description);
  };
  // Still the engine store (its runner, its other reads), only telling how it was reached.
  const told: ImageStore & ImageLifecycle = {
    ...store,
    snapshot: async () => {
      const read = await store.snapshot();
      tell();
      return read;
    },
    apply: async (plan, applyOptions) => {
      const applied = await store.apply(plan, applyOptions);
      tell();
      return applied;
    },
  };
  return right(told);
}

/**
 * The store a job works on: the one the caller injected (`store`), else the one the settings name, with
 * `onProgress` told `EngineReached` as the engine is reached.
 */
export async function jobStore(options: {
  readonly store: ImageStore | undefined;
  readonly settings: Settings;
  readonly env: Environment;
  readonly onProgress: ((event: ProjectEvent) => void) | undefined;
}): Promise<Either<ProjectError, ImageStore>> {
  const { store, settings, env, onProgress } = options;
  if (store !== undefined) return right(store);
  return openProjectStore({
    settings,
    env,
    ...(onProgress === undefined ? {} : { onTransport: (description: string) => onProgress({ _tag: 'EngineReached', description }) }),
  });
}
