import type { SourcedMirrorRule } from './MirrorSettings.js';
import type { SettingsPolicy } from './SettingsPolicy.js';
import type { AliasPolicy, ConflictPolicy, EngineKind, HarborLayout, HarborLocation, NetworkMode } from '@imgalias/core';

/** `--transport`: how the engine is reached (see `@imgalias/adapter-docker`'s `TransportChoice`). */
export type EngineTransportSetting = 'auto' | 'cli' | 'api';

/** The network mode as configured: a fixed mode, or `auto` to decide by probing (see `resolveMode`). */
export type ModeSetting = NetworkMode | 'auto';

/** Where a setting's value came from, so `imgalias mode` and error messages can say which level decided. */
export type SettingSource =
  | { readonly kind: 'flag'; readonly name: string } // '--mode' (or '--network')
  | { readonly kind: 'env'; readonly name: string } // 'IMGALIAS_MODE' | 'AI_INFRA_NETWORK_ENV' | ...
  | { readonly kind: 'dotenv'; readonly name: string; readonly file: string }
  | { readonly kind: 'config'; readonly file: string }
  | { readonly kind: 'default' };

/** A setting's value and the level that gave it (`{ value: 'internal', source: { kind: 'env', name: 'IMGALIAS_MODE' } }`). */
export interface Sourced<A> {
  readonly value: A;
  readonly source: SettingSource;
}

/**
 * Where each setting that is a plain value came from (`mode`, `harbor` and every mirror rule carry their own
 * source). A library option counts as a flag.
 */
export type SettingSources = Readonly<Record<SourcedSetting, SettingSource>>;

/** The settings `SettingSources` covers. */
export type SourcedSetting =
  | 'harborLayout'
  | 'shortNames'
  | 'onConflict'
  | 'engine'
  | 'transport'
  | 'concurrency'
  | 'engineTimeout'
  | 'lockTimeout'
  | 'includeBuilt'
  | 'format';

/** The output formats every command understands. */
export type OutputFormat = 'text' | 'json' | 'markdown' | 'shell';

/** How `auto` mode probes (config `probes`): which URLs, and how long all probes may take together. */
export interface ProbeSettings {
  /** Counts as "internet reachable" only when it answers like a registry. */
  readonly publicUrl: string;
  /** When absent, `resolveMode` probes `https://<harbor>/v2/` (plain http for a loopback Harbor). */
  readonly harborUrl?: string;
  /** Total budget for all probes together, in milliseconds. */
  readonly timeoutMs: number;
}

/** How `imgalias prefetch` pulls (config `prefetch`): attempts per image, the first retry's delay, pulls at once, Docker Hub pull mirrors. */
export interface PrefetchSettings {
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly concurrency: number;
  readonly mirrors: readonly string[];
}

/**
 * Every setting after merging flags, environment, `.env`, the config file and defaults (in that order).
 * Paths (`from`, `snapshotFile`, `configFile`) are absolute.
 */
export interface Settings {
  readonly mode: Sourced<ModeSetting>;
  readonly harbor?: Sourced<HarborLocation>;
  readonly harborLayout: HarborLayout;
  /** Mirror rules per origin registry, each from the highest level that gives its origin; `harbor` is the `*` rule. */
  readonly mirrors: readonly SourcedMirrorRule[];
  /** What `--mirrors-from` could not express as rules (blocked, insecure, deep prefixes...), one sentence each. */
  readonly mirrorNotes: readonly string[];
  readonly shortNames: boolean;
  readonly onConflict: ConflictPolicy;
  readonly engine: EngineKind; // default 'docker'
  /** `--host`: the engine's daemon (docker `-H`, podman `--url`); absent: DOCKER_HOST, CONTAINER_HOST decide. */
  readonly engineHost?: string;
  /** `--context`: a docker context (docker `--context`); never together with `engineHost`. */
  readonly engineContext?: string;
  /** How the engine is reached: its CLI, Docker's Engine API socket, or `auto` (the API when it can). */
  readonly transport: EngineTransportSetting; // default 'auto'
  /** `--verbose`: say how the engine is reached (and other details) on stderr. */
  readonly verbose: boolean;
  readonly concurrency: number; // default 4
  /** How long one engine process may run (`--timeout`, IMGALIAS_ENGINE_TIMEOUT, config `engineTimeout`). */
  readonly engineTimeoutMs: number; // default 30 s
  /** How long the commands that write to the engine wait for another imgalias's apply lock on it (`--lock-timeout`). */
  readonly lockTimeoutMs: number; // default 120 s
  readonly images: readonly string[]; // config `images`
  readonly from: readonly string[]; // discovery paths (flag --from + config)
  /** Globs over canonical names (flag --exclude + config `exclude`): images left out on purpose. */
  readonly exclude: readonly string[];
  readonly includeBuilt: boolean; // also alias images that compose services build themselves
  readonly buildArgs: Readonly<Record<string, string>>;
  readonly env: Readonly<Record<string, string>>; // process env merged over .env, for compose interpolation
  readonly probes: ProbeSettings;
  readonly prefetch: PrefetchSettings;
  readonly format: OutputFormat;
  /** Where `format` came from: a flag's format is a demand, a config file's a preference (see `formatFor`). */
  readonly formatSource: 'flag' | 'config' | 'default';
  readonly quiet: boolean;
  readonly color: boolean | undefined; // undefined = decide from TTY/NO_COLOR
  readonly snapshotFile?: string;
  readonly configFile?: string; // the file that was loaded, if any
  /** The `--from` directory the config file was searched from, when the working directory had none. */
  readonly configFoundFrom?: string;
  /** Where the plain-valued settings came from. */
  readonly sources: SettingSources;
  /**
   * The policy these settings stand for, made by core's `resolvePolicy` from the values above (`harbor`,
   * `harborLayout`, `mirrors`, `shortNames`, `onConflict`); without the mode, which `policyOf` adds once
   * `resolveMode` has decided it.
   */
  readonly policy: SettingsPolicy;
}

/** Defaults for every setting no level names. The mode is never `auto` by default: probing must be asked for. */
export const defaultSettings = {
  mode: 'external',
  harborLayout: 'path',
  shortNames: false,
  onConflict: 'report',
  engine: 'docker',
  transport: 'auto',
  concurrency: 4,
  engineTimeoutMs: 30_000,
  lockTimeoutMs: 120_000,
  format: 'text',
  includeBuilt: false,
  probes: { publicUrl: 'https://registry-1.docker.io/v2/', timeoutMs: 3000 },
  prefetch: { attempts: 3, baseDelayMs: 1000, concurrency: 3, mirrors: [] },
} as const satisfies {
  mode: ModeSetting;
  harborLayout: HarborLayout;
  shortNames: boolean;
  onConflict: ConflictPolicy;
  engine: EngineKind;
  transport: EngineTransportSetting;
  concurrency: number;
  engineTimeoutMs: number;
  lockTimeoutMs: number;
  format: OutputFormat;
  includeBuilt: boolean;
  probes: ProbeSettings;
  prefetch: PrefetchSettings;
};

/**
 * The planner's policy for a resolved mode (settings may say `auto`; the caller resolves it first).
 *
 * @example
 * const loaded = await loadSettings({ flags: {}, env: process.env, cwd: process.cwd() });
 * if (loaded._tag === 'Right') {
 *   const resolution = await resolveMode(loaded.right);
 *   planAliases({ snapshot, images, policy: policyOf(loaded.right, resolution.mode) });
 * }
 */
export function policyOf(settings: Pick<Settings, 'policy'>, mode: NetworkMode): AliasPolicy {
  return { mode, ...settings.policy };
}

/**
 * Which config file these settings read, as `imgalias mode` and `--verbose` say it.
 *
 * @example
 * describeConfigFile({ configFile: '/srv/aiplat/imgalias.config.yaml', configFoundFrom: '/srv/aiplat' })
 * // 'config: /srv/aiplat/imgalias.config.yaml (found from --from /srv/aiplat; the working directory has none)'
 */
export function describeConfigFile(settings: Pick<Settings, 'configFile' | 'configFoundFrom'>): string {
  if (settings.configFile === undefined) return 'config: none found (defaults, environment and flags only)';
  return settings.configFoundFrom === undefined
    ? `config: ${settings.configFile}`
    : `config: ${settings.configFile} (found from --from ${settings.configFoundFrom}; the working directory has none)`;
}

/**
 * Where a value came from, as `imgalias mode` and error messages say it.
 *
 * @example
 * describeSettingSource({ kind: 'dotenv', name: 'AI_INFRA_NETWORK_ENV', file: '/srv/app/.env' }) // '.env: AI_INFRA_NETWORK_ENV'
 */
export function describeSettingSource(source: SettingSource): string {
  switch (source.kind) {
    case 'flag':
      return source.name;
    case 'env':
      return `environment: ${source.name}`;
    case 'dotenv':
      return `.env: ${source.name}`;
    case 'config':
      return `config: ${source.file}`;
    case 'default':
      return 'default';
  }
}
