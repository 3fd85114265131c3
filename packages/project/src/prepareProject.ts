import type { Either } from 'fp-ts/lib/Either.js';
import { isLeft, left, right } from 'fp-ts/lib/Either.js';
import type { AliasPolicy, ImageLifecycle, ImageStore, Snapshot } from '@imgalias/core';
import { parseReference } from '@imgalias/core';
import { excludeImages, familiesInSnapshot } from '@imgalias/core/internal';
import type { Discovery, DiscoveryFinding } from '@imgalias/discover';
import type { Settings } from './config/Settings.js';
import { policyOf } from './config/Settings.js';
import type { ModeResolution } from './mode/resolveMode.js';
import { resolveMode } from './mode/resolveMode.js';
import type { ProjectError } from './ProjectError.js';
import { discoverProjectImages, missingPaths, problemsOf, projectFilesHere, refusedFiles } from './ProjectImages.js';
import type { ProjectOptions } from './ProjectOptions.js';
import { settingsFor } from './ProjectOptions.js';
import type { Environment } from './ProjectStore.js';
import { jobStore } from './ProjectStore.js';

/** Which families a job works on besides the ones named in `images` and the config file. */
export type FamilyScope =
  /** `planProject`, `checkProject`: the images asked for; every family in the store when none are. */
  | 'requested-or-store'
  /** `fixProject`: every family in the store plus every image the project uses (`cwd` when no `from` is given). */
  | 'store-and-project';

/**
 * Everything a job has once the store is read; nothing has been changed yet. `store` is the store given, or the
 * one opened (the engine, or the saved snapshot), which has both ports.
 */
export interface PreparedProject<S extends ImageStore = ImageStore> {
  /** Every setting, with where it came from (`mode.source`, `harbor.source`, `mirrors[].source`, `sources`). */
  readonly settings: Settings;
  /** The store read: the lifecycle jobs (prefetch, publish, clean) pull, push and untag through the one opened. */
  readonly store: S;
  readonly snapshot: Snapshot;
  /** The network mode and what decided it (a settings level, or `auto`'s probes). */
  readonly resolution: ModeResolution;
  readonly policy: AliasPolicy;
  /** What the planner is asked for: `images`, the config file's `images`, discovered images, store families. */
  readonly images: readonly string[];
  /** Images left out because their family matches an `exclude` glob. */
  readonly excluded: readonly { readonly image: string; readonly family: string; readonly glob: string }[];
  /** Present when project files were read. */
  readonly discovery?: Discovery;
  /** Discovery findings that mean an image could not be determined. */
  readonly discoveryProblems: readonly DiscoveryFinding[];
  /** Dockerfiles and compose files directly in `cwd` that were not read (no `from` given anywhere). */
  readonly unreadProjectFiles: readonly string[];
}

/**
 * Reads the project files under `paths` as every job does: a missing path or a refused file (a FIFO, a device,
 * an oversized file) is an error; every finding is told through `onProgress`.
 */
export async function readProjectFiles(options: {
  readonly cwd: string;
  readonly paths: readonly string[];
  readonly settings: Settings;
  readonly env: Environment;
  readonly onProgress?: ProjectOptions['onProgress'];
}): Promise<Either<ProjectError, Discovery>> {
  const { settings } = options;
  const discovery = await discoverProjectImages({
    cwd: options.cwd,
    paths: options.paths,
    buildArgs: settings.buildArgs,
    env: options.env,
    includeBuilt: settings.includeBuilt,
  });
  const missing = missingPaths(discovery);
  if (missing.length > 0) return left({ _tag: 'PathNotFound', paths: missing });
  const refused = refusedFiles(discovery);
  if (refused.length > 0) return left({ _tag: 'RefusedFiles', files: refused });
  for (const finding of discovery.findings) options.onProgress?.({ _tag: 'DiscoveryFinding', finding });
  return right(discovery);
}

/** What `prepareProject` takes: a job's options, and which families it works on. */
export type PrepareOptions = ProjectOptions & { readonly scope?: FamilyScope };

/**
 * The steps every job shares, in the order that keeps promises: settings are loaded, image names checked before
 * anything runs (a bad one changes nothing and calls no engine), project files read, then the store, then the
 * mode resolved (probing only for `auto`), then the images chosen.
 *
 * @example
 * import { createMemoryStore } from '@imgalias/adapter-memory';
 * const prepared = await prepareProject({ cwd: process.cwd(), store: createMemoryStore({ snapshot }) });
 */
export async function prepareProject(options: PrepareOptions & { readonly store?: undefined }): Promise<Either<ProjectError, PreparedProject<ImageStore & ImageLifecycle>>>;
export async function prepareProject<S extends ImageStore>(options: PrepareOptions & { readonly store: S }): Promise<Either<ProjectError, PreparedProject<S>>>;
export async function prepareProject(options: PrepareOptions): Promise<Either<ProjectError, PreparedProject>>;
export async function prepareProject(options: PrepareOptions): Promise<Either<ProjectError, PreparedProject>> {
  const loaded = await settingsFor(options);
  if (isLeft(loaded)) return loaded;
  const settings = loaded.right;
  const env = options.env ?? process.env;
  const named = options.images ?? [];
  const scope = options.scope ?? 'requested-or-store';

  const invalid = [...named, ...settings.images].flatMap((input) => {
    const parsed = parseReference(input);
    return isLeft(parsed) ? [{ input, error: parsed.left }] : [];
  });
  if (invalid.length > 0) return left({ _tag: 'InvalidImages', images: invalid });

  const paths = scope === 'store-and-project' && settings.from.length === 0 ? [options.cwd] : settings.from;
  let discovery: Discovery | undefined;
  if (paths.length > 0) {
    const read = await readProjectFiles({ cwd: options.cwd, paths, settings, env, ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }) });
    if (isLeft(read)) return read;
    discovery = read.right;
  }

  const onProgress = options.onProgress;
  const opened = await jobStore({ store: options.store, settings, env, onProgress });
  if (isLeft(opened)) return opened;
  const store = opened.right;
  const snapshot = await store.snapshot();
  if (isLeft(snapshot)) return left({ _tag: 'Store', error: snapshot.left });

  const resolution = await resolveMode(settings, options.fetch === undefined ? {} : { fetch: options.fetch });
  const policy = policyOf(settings, resolution.mode);
  const requested = [...named, ...settings.images, ...(discovery?.images.map((image) => image.reference) ?? [])];
  // With nothing named anywhere, the store itself says which families there are (like `fix`).
  const namedNothing = named.length === 0 && settings.images.length === 0 && paths.length === 0;
  const fromStore = scope === 'store-and-project' || namedNothing ? familiesInSnapshot(snapshot.right, policy) : [];

  // Images the project leaves out on purpose (`exclude`), wherever they were named; one event per family.
  const chosen = excludeImages({ images: [...new Set([...requested, ...fromStore])], exclude: settings.exclude, policy });
  const excludedFamilies = new Map(chosen.excluded.map((excluded) => [excluded.family, excluded.glob]));
  for (const [family, glob] of excludedFamilies) onProgress?.({ _tag: 'Excluded', family, glob });

  return right({
    settings,
    store,
    snapshot: snapshot.right,
    resolution,
    policy,
    images: chosen.images,
    excluded: chosen.excluded,
    ...(discovery === undefined ? {} : { discovery }),
    discoveryProblems: discovery === undefined ? [] : problemsOf(discovery),
    unreadProjectFiles: paths.length === 0 ? await projectFilesHere(options.cwd) : [],
  });
}
