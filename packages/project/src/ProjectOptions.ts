import type { Either } from 'fp-ts/lib/Either.js';
import { bimap, right } from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { ActionResult, ConflictPolicy, EngineKind, HarborLayout, ImageStore, Plan, Snapshot } from '@imgalias/core';
import type { LockHolder } from '@imgalias/adapter-docker';
import type { DiscoveryFinding } from '@imgalias/discover';
import type { ConfigError } from './config/ConfigError.js';
import type { CliFlags } from './config/loadSettings.js';
import type { ModeSetting, SettingSource, Settings } from './config/Settings.js';
import { loadSettings } from './config/SettingsLoader.js';
import type { ProjectError } from './ProjectError.js';
import type { Environment } from './ProjectStore.js';

/** Something a job tells while it runs, in the order it happens; the result repeats what matters. */
export type ProjectEvent =
  /** Discovery found something about a project file: a fact (`isInformationalFinding`) or a problem. */
  | { readonly _tag: 'DiscoveryFinding'; readonly finding: DiscoveryFinding }
  /** An image was left out because its family matches an `exclude` glob. */
  | { readonly _tag: 'Excluded'; readonly family: string; readonly glob: string }
  /** How the engine was reached, once known, and again if `auto` fell back to the CLI. */
  | { readonly _tag: 'EngineReached'; readonly description: string }
  /** The plan was made from `snapshot`; `fixProject` applies it next (or, with `dryRun`, stops here). */
  | { readonly _tag: 'Planned'; readonly plan: Plan; readonly snapshot: Snapshot }
  /** Another process holds the engine's apply lock: this one waits, at most `timeoutMs`. */
  | { readonly _tag: 'LockWait'; readonly holder?: LockHolder; readonly file: string; readonly timeoutMs: number }
  /** A lock left by a process that is gone was taken over. */
  | { readonly _tag: 'LockTakenOver'; readonly holder: LockHolder; readonly file: string }
  /** Tagging starts: `plan` is what will be applied (made again if the lock was waited for). */
  | { readonly _tag: 'Applying'; readonly plan: Plan }
  /** One action ended. */
  | { readonly _tag: 'ActionDone'; readonly result: ActionResult };

/**
 * What `checkProject`, `planProject` and `fixProject` take. Every setting is optional: what is not given comes
 * from the environment, the `.env` in `cwd`, the config file found from `cwd`, then the defaults, exactly as for
 * the `imgalias` command (an option here is at the level of a command-line flag).
 *
 * @example
 * const result = await planProject({ cwd: '/srv/app', mode: 'internal', harbor: 'harbor.corp.local/proj', store });
 */
export interface ProjectOptions {
  /** The project directory: where settings are searched from and relative paths resolve. */
  readonly cwd: string;
  /**
   * The environment settings and compose interpolation read. Default: `process.env`. The engine gets it laid
   * over `process.env` (a name set to `undefined` is unset for the engine).
   */
  readonly env?: Environment;
  /** A config file to read instead of searching for one. */
  readonly config?: string;
  readonly mode?: ModeSetting;
  /** The Harbor project, `HOST[:PORT]/PROJECT`: the `*` mirror rule. */
  readonly harbor?: string;
  readonly harborLayout?: HarborLayout;
  /** Mirror rules per origin registry, `ORIGIN=HOST[:PORT]/PROJECT[@LAYOUT]`. */
  readonly mirrors?: readonly string[];
  readonly shortNames?: boolean;
  readonly onConflict?: ConflictPolicy;
  readonly engine?: EngineKind;
  /** The engine's daemon (docker `-H`, podman `--url`); default: `DOCKER_HOST`, `CONTAINER_HOST`. Not with `context`. */
  readonly host?: string;
  /** A docker context name (docker `--context`); docker only, not with `host`. */
  readonly context?: string;
  /** How many engine processes run at once. */
  readonly concurrency?: number;
  /** Images to work on besides the config file's `images` (any family member). */
  readonly images?: readonly string[];
  /** Dockerfiles, compose files or directories whose images are used too (added to the config file's `from`). */
  readonly from?: readonly string[];
  /** Globs over canonical names of images left out on purpose. */
  readonly exclude?: readonly string[];
  /** Also use the images compose services build themselves. */
  readonly includeBuilt?: boolean;
  /**
   * Settings already loaded (the CLI loads them from its flags with `loadSettings`): then the setting options
   * above are not read.
   */
  readonly settings?: Settings;
  /**
   * The image store to use. The jobs read it (`snapshot`) and `fixProject`/`applyProject` apply to it, so any
   * `ImageStore` will do: `createMemoryStore` from `@imgalias/adapter-memory`, `createRegistryStore` from
   * `@imgalias/adapter-registry` (a Harbor, no engine), or your own. Default: the engine (or `snapshotFile`).
   */
  readonly store?: ImageStore;
  /** Aborting it stops the apply lock wait and starting further actions; the report says what ran. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: ProjectEvent) => void;
  /** Used by `auto` mode's probes; default: the global fetch. */
  readonly fetch?: typeof fetch;
}

/** The options that are settings, as the settings loader's flag level (values as a command line would give them). */
const flagsOf = (options: ProjectOptions): CliFlags => {
  const given: Record<string, unknown> = {
    config: options.config,
    mode: options.mode,
    harbor: options.harbor,
    harborLayout: options.harborLayout,
    mirror: options.mirrors,
    shortNames: options.shortNames,
    onConflict: options.onConflict,
    engine: options.engine,
    host: options.host,
    context: options.context,
    concurrency: options.concurrency,
    from: options.from,
    exclude: options.exclude,
    includeBuilt: options.includeBuilt,
  };
  return Object.fromEntries(Object.entries(given).filter((entry) => entry[1] !== undefined)) as CliFlags;
};

// The loader names the flag level by the command line's spelling; a library caller gave options.
const optionNames: Readonly<Record<string, string>> = { '--mirror': 'mirrors', '--timeout': 'engineTimeout' };
const optionName = (flag: string): string =>
  optionNames[flag] ?? flag.replace(/^--/, '').replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
const asOption = (source: SettingSource): SettingSource => (source.kind === 'flag' ? { kind: 'flag', name: optionName(source.name) } : source);

const renameError = (error: ConfigError): ConfigError =>
  error._tag === 'InvalidOption' && (error.source === undefined || error.source.kind === 'flag')
    ? { ...error, option: optionName(error.option), ...(error.source === undefined ? {} : { source: asOption(error.source) }) }
    : error;

const renameSources = (settings: Settings): Settings => ({
  ...settings,
  mode: { ...settings.mode, source: asOption(settings.mode.source) },
  ...(settings.harbor === undefined ? {} : { harbor: { ...settings.harbor, source: asOption(settings.harbor.source) } }),
  mirrors: settings.mirrors.map((rule) => ({ ...rule, source: asOption(rule.source) })),
  sources: Object.fromEntries(Object.entries(settings.sources).map(([key, source]) => [key, asOption(source)])) as Settings['sources'],
});

/**
 * The settings for these options: `options.settings` when given, else every level loaded with the options as
 * the flag level (sources name them as options: `{ kind: 'flag', name: 'harborLayout' }`).
 */
export async function settingsFor(options: ProjectOptions): Promise<Either<ProjectError, Settings>> {
  if (options.settings !== undefined) return right(options.settings);
  const loaded = await loadSettings({ flags: flagsOf(options), env: options.env ?? process.env, cwd: options.cwd });
  return pipe(loaded, bimap((error): ProjectError => ({ _tag: 'Config', error: renameError(error) }), renameSources));
}
