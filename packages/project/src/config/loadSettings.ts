import { stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { Either } from 'fp-ts/lib/Either.js';
import { isLeft, left, map, mapLeft, right } from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type * as t from 'io-ts';
import type { HarborLocation } from '@imgalias/core';
import { NetworkModeCodec, quoteExcerpt } from '@imgalias/core/internal';
import { describeTextFileProblem, inputLimits, readTextFile } from '@imgalias/discover';
import type { ConfigError } from './ConfigError.js';
import { unparsableConfig } from './ConfigError.js';
import type { ConfigFile } from './ConfigFile.js';
import {
  ConfigFileCodec,
  ConflictPolicySettingCodec,
  DurationCodec,
  EngineCodec,
  TransportCodec,
  FormatCodec,
  HarborCodec,
  HarborLayoutSettingCodec,
  ModeSettingCodec,
  issuesOf,
  leaf,
} from './ConfigFile.js';
import type { DotEnvFile } from './DotEnvFile.js';
import { readDotEnv } from './DotEnvFile.js';
import type { MirrorLevel } from './MirrorSettings.js';
import { decideMirrors, splitMirrorList } from './MirrorSettings.js';
import type { RegistriesConfRules } from './RegistriesConf.js';
import { readRegistriesConf } from './RegistriesConf.js';
import type { ModeSetting, OutputFormat, SettingSource, SettingSources, Settings, Sourced } from './Settings.js';
import { defaultSettings } from './Settings.js';
import { settingsPolicy } from './SettingsPolicy.js';

/**
 * The raw commander option values, as typed (commander's defaults left out by the caller). Values are validated
 * here, once, whatever level they come from.
 */
export interface CliFlags {
  readonly mode?: string;
  /** The shell script's spelling of `--mode`. */
  readonly network?: string;
  readonly harbor?: string;
  readonly harborLayout?: string;
  /** `--mirror ORIGIN=LOCATION[@LAYOUT]`, repeatable. */
  readonly mirror?: readonly string[] | string;
  /** `--mirrors-from FILE`: a containers-registries.conf v2 whose mirrors become rules. */
  readonly mirrorsFrom?: string;
  readonly shortNames?: boolean;
  readonly onConflict?: string;
  readonly engine?: string;
  /** `--host ADDRESS`: the engine's daemon (docker `-H`, podman `--url`). */
  readonly host?: string;
  /** `--context NAME`: a docker context (docker `--context`). */
  readonly context?: string;
  /** `--transport auto|cli|api`. */
  readonly transport?: string;
  readonly verbose?: boolean;
  readonly snapshot?: string;
  readonly from?: readonly string[] | string;
  /** `--exclude GLOB`, repeatable: images left out on purpose. */
  readonly exclude?: readonly string[] | string;
  /** `--include-built`: alias the images compose services build themselves too. */
  readonly includeBuilt?: boolean;
  readonly format?: string;
  readonly json?: boolean;
  readonly config?: string;
  /** Text as typed (`--concurrency 8`); a number is accepted for callers that parse it themselves. */
  readonly concurrency?: string | number;
  /** `--timeout 90s`: how long one engine process may run. */
  readonly timeout?: string;
  /** `--lock-timeout 5m`: how long to wait for another imgalias's apply lock. */
  readonly lockTimeout?: string;
  readonly quiet?: boolean;
  /** commander's `--no-color` gives `false`. */
  readonly color?: boolean;
}

export type { ConfigError } from './ConfigError.js';
export { describeConfigError } from './ConfigError.js';

/** The variables read from the environment and from `.env`; the `IMGALIAS_*` name wins over the compatibility name. */
export const settingVariables = {
  mode: ['IMGALIAS_MODE', 'AI_INFRA_NETWORK_ENV'],
  harbor: ['IMGALIAS_HARBOR', 'INTERNAL_REGISTRY'],
  engine: ['IMGALIAS_ENGINE'],
  transport: ['IMGALIAS_TRANSPORT'],
  mirrors: ['IMGALIAS_MIRRORS'],
  engineTimeout: ['IMGALIAS_ENGINE_TIMEOUT'],
  lockTimeout: ['IMGALIAS_LOCK_TIMEOUT'],
} as const;

const configSearchPlaces = ['imgalias.config.json', 'imgalias.config.yaml', 'imgalias.config.yml', 'package.json'];

/** A JSON config file's text (a BOM allowed) as data. */
export function parseJsonConfigText(file: string, text: string): Either<ConfigError, unknown> {
  try {
    return right(JSON.parse(text.replace(/^\uFEFF/, '')));
  } catch (cause) {
    return left(unparsableConfig(file, 'JSON', cause));
  }
}

/**
 * A file's text parsed as the data format its name says; a config file is never executed. The YAML parser is
 * loaded only for a YAML file.
 */
export async function parseConfigText(file: string, text: string): Promise<Either<ConfigError, unknown>> {
  if (extname(file) === '.json') return parseJsonConfigText(file, text);
  const { parseYamlConfigText } = await import('./YamlConfigText.js');
  return parseYamlConfigText(file, text);
}

/**
 * Where the upward search for a config file stops: the repository root (nearest `.git`), so a checkout's config
 * is found from any subdirectory, but a file above the project never changes what a command does. Outside a
 * repository only the working directory is searched.
 */
const searchStopDir = (cwd: string): string => {
  for (let dir = cwd; ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return cwd;
  }
};

interface LoadedConfig {
  readonly file: string;
  readonly config: ConfigFile;
}

interface RawConfig {
  readonly file: string;
  readonly content: unknown;
}

/** A config file's text through the bounded regular-file reader; `undefined` when there is no such file. */
async function readConfigText(file: string, suffix = ''): Promise<Either<ConfigError, string | undefined>> {
  const read = await readTextFile(file, { maxBytes: inputLimits.projectFileBytes });
  if (read._tag === 'Text') return right(read.text);
  if (read._tag === 'Missing') return right(undefined);
  return left({ _tag: 'ConfigFileUnreadable', file, message: `${describeTextFileProblem(read)}${suffix}` });
}

const packageConfig = (pkg: unknown): unknown =>
  typeof pkg === 'object' && pkg !== null && Object.hasOwn(pkg, 'imgalias') ? (pkg as Record<string, unknown>)['imgalias'] : undefined;

/** `--config FILE`: that file or an error, never a fallback to the search. */
async function readNamedConfig(named: string, cwd: string): Promise<Either<ConfigError, RawConfig>> {
  const file = resolve(cwd, named);
  if (!['.json', '.yaml', '.yml'].includes(extname(file))) {
    return left({ _tag: 'ConfigFileUnreadable', file, message: 'unsupported file type: use .json, .yaml, .yml or a package.json with an "imgalias" key' });
  }
  const text = await readConfigText(file, ' (named by --config)');
  if (isLeft(text)) return text;
  if (text.right === undefined) return left({ _tag: 'ConfigFileUnreadable', file, message: 'no such file (named by --config)' });
  if (basename(file) !== 'package.json' && text.right.trim() === '') return right({ file, content: undefined });
  const parsed = await parseConfigText(file, text.right);
  if (isLeft(parsed)) return parsed;
  if (basename(file) !== 'package.json') return right({ file, content: parsed.right });
  const content = packageConfig(parsed.right);
  if (content === undefined || content === null) {
    return left({ _tag: 'ConfigFileInvalid', file, errors: [{ path: 'imgalias', message: 'package.json has no "imgalias" key' }] });
  }
  return right({ file, content });
}

/**
 * The nearest config file from `cwd` up to the search's stop directory: in each directory the first of
 * `configSearchPlaces` that exists (a package.json only when it has an `imgalias` key). An empty file is an
 * empty configuration.
 */
async function searchConfig(cwd: string): Promise<Either<ConfigError, RawConfig | undefined>> {
  const stopDir = searchStopDir(cwd);
  for (let dir = cwd; ; dir = dirname(dir)) {
    for (const place of configSearchPlaces) {
      const file = join(dir, place);
      const text = await readConfigText(file);
      if (isLeft(text)) return text;
      if (text.right === undefined) continue;
      if (place !== 'package.json' && text.right.trim() === '') return right({ file, content: undefined });
      const parsed = await parseConfigText(file, text.right);
      if (isLeft(parsed)) return parsed;
      if (place !== 'package.json') return right({ file, content: parsed.right });
      const content = packageConfig(parsed.right);
      if (content !== undefined && content !== null) return right({ file, content });
    }
    if (dir === stopDir || dirname(dir) === dir) return right(undefined);
  }
}

/**
 * The config file: `--config FILE`, else the search from the working directory, else, when `--from` names
 * exactly one directory, the search from there (`imgalias plan --from aiplat` run one level up uses aiplat's
 * config, not none).
 */
async function loadConfigFile(
  named: string | undefined,
  cwd: string,
  from: readonly string[],
): Promise<Either<ConfigError, (LoadedConfig & { readonly foundFrom?: string }) | undefined>> {
  let raw = named === undefined ? await searchConfig(cwd) : await readNamedConfig(named, cwd);
  let foundFrom: string | undefined;
  if (named === undefined && !isLeft(raw) && raw.right === undefined && from.length === 1) {
    const directory = resolve(cwd, from[0] as string);
    const isDirectory = await stat(directory).then((info) => info.isDirectory(), () => false);
    if (isDirectory) {
      raw = await searchConfig(directory);
      foundFrom = directory;
    }
  }
  if (isLeft(raw)) return raw;
  if (raw.right === undefined) return right(undefined);
  const { file, content } = raw.right;
  const decoded = decodeConfig(file, content);
  return isLeft(decoded) ? decoded : right({ file, config: decoded.right, ...(foundFrom === undefined ? {} : { foundFrom }) });
}

/** A config file's parsed content checked against the codec; an empty file is an empty configuration. */
export function decodeConfig(file: string, content: unknown): Either<ConfigError, ConfigFile> {
  return pipe(
    ConfigFileCodec.decode(content ?? {}),
    mapLeft((errors): ConfigError => ({ _tag: 'ConfigFileInvalid', file, errors: issuesOf(errors) })),
  );
}

/** A value from a flag or a variable: text plus where it came from. */
interface Candidate {
  readonly option: string;
  readonly raw: string;
  readonly source: SettingSource;
}

const invalidOption = (candidate: Candidate, errors: t.Errors): ConfigError => ({
  _tag: 'InvalidOption',
  option: candidate.option,
  value: candidate.raw,
  // The value is printed next to the option already; "got ..." would say it twice.
  message: (errors[0]?.message ?? 'invalid value').replace(`, got ${quoteExcerpt(candidate.raw)}`, ''),
  source: candidate.source,
});

/**
 * Decodes every candidate, not just the winner: a malformed value is reported wherever it is, so a typo in `.env`
 * does not lie in wait until the flag that hides it is dropped. Returns the highest-precedence value.
 */
function decideFrom<A>(codec: t.Decoder<unknown, A>, candidates: readonly Candidate[]): Either<ConfigError, Sourced<A> | undefined> {
  let winner: Sourced<A> | undefined;
  for (const candidate of candidates) {
    const decoded = codec.decode(candidate.raw);
    if (isLeft(decoded)) return left(invalidOption(candidate, decoded.left));
    winner ??= { value: decoded.right, source: candidate.source };
  }
  return right(winner);
}

interface Layers {
  readonly flags: CliFlags;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly dotenv: DotEnvFile | undefined;
}

/** The variable candidates for one setting: environment first, then `.env`; an empty value counts as unset. */
function variableCandidates(layers: Layers, names: readonly string[]): Candidate[] {
  const fromEnv = names.flatMap((name): Candidate[] => {
    const raw = layers.env[name];
    return raw === undefined || raw === '' ? [] : [{ option: name, raw, source: { kind: 'env', name } }];
  });
  const dotenv = layers.dotenv;
  const fromDotEnv =
    dotenv === undefined
      ? []
      : names.flatMap((name): Candidate[] => {
          const raw = dotenv.values[name];
          return raw === undefined || raw === '' ? [] : [{ option: name, raw, source: { kind: 'dotenv', name, file: dotenv.file } }];
        });
  return [...fromEnv, ...fromDotEnv];
}

const flagCandidate = (name: string, raw: string | undefined): Candidate[] =>
  raw === undefined ? [] : [{ option: name, raw, source: { kind: 'flag', name } }];

// The compatibility variable predates `auto`; the shell tooling that sets it only knows the two fixed modes.
const compatibleModeCodec = leaf(NetworkModeCodec, '"external" or "internal"');

function decideMode(layers: Layers, config: LoadedConfig | undefined): Either<ConfigError, Sourced<ModeSetting>> {
  const { mode, network } = layers.flags;
  if (mode !== undefined && network !== undefined && mode !== network) {
    return left({
      _tag: 'InvalidOption',
      option: '--network',
      value: network,
      message: `--network is a synonym of --mode, and --mode says ${quoteExcerpt(mode)}: give one of them`,
    });
  }
  const candidates = [...flagCandidate('--mode', mode), ...flagCandidate('--network', network), ...variableCandidates(layers, settingVariables.mode)];
  // Each candidate is checked with its own codec: IMGALIAS_MODE may say auto, AI_INFRA_NETWORK_ENV may not.
  let winner: Sourced<ModeSetting> | undefined;
  for (const candidate of candidates) {
    const codec = candidate.option === 'AI_INFRA_NETWORK_ENV' ? compatibleModeCodec : ModeSettingCodec;
    const decided = decideFrom<ModeSetting>(codec, [candidate]);
    if (isLeft(decided)) return decided;
    winner ??= decided.right;
  }
  if (winner !== undefined) return right(winner);
  if (config?.config.mode !== undefined) return right({ value: config.config.mode, source: { kind: 'config', file: config.file } });
  return right({ value: defaultSettings.mode, source: { kind: 'default' } });
}

function decideHarbor(layers: Layers, config: LoadedConfig | undefined): Either<ConfigError, Sourced<HarborLocation> | undefined> {
  const fromConfig = config?.config.harbor === undefined ? undefined : { value: config.config.harbor, source: { kind: 'config', file: config.file } as const };
  return pipe(
    decideFrom(HarborCodec, [...flagCandidate('--harbor', layers.flags.harbor), ...variableCandidates(layers, settingVariables.harbor)]),
    map((decided) => decided ?? fromConfig),
  );
}

/** A flag-only setting: the flag, else the config file, else the default. */
function flagOrConfig<A>(codec: t.Decoder<unknown, A>, option: string, raw: string | undefined, fromConfig: A | undefined, fallback: A): Either<ConfigError, A> {
  return pipe(
    decideFrom(codec, flagCandidate(option, raw)),
    map((decided) => decided?.value ?? fromConfig ?? fallback),
  );
}

function decideConcurrency(raw: string | number | undefined, fromConfig: number | undefined): Either<ConfigError, number> {
  if (raw === undefined) return right(fromConfig ?? defaultSettings.concurrency);
  const text = String(raw).trim();
  // Digits only: Number() would accept '0x10', '1e3' and ' ', and parseInt would read '4abc' as 4.
  if (!/^[1-9][0-9]*$/.test(text) || !Number.isSafeInteger(Number(text))) {
    return left({
      _tag: 'InvalidOption',
      option: '--concurrency',
      value: String(raw),
      message: 'expected a positive integer (how many engine processes run at once)',
      source: { kind: 'flag', name: '--concurrency' },
    });
  }
  return right(Number(text));
}

function decideFormat(flags: CliFlags, fromConfig: OutputFormat | undefined): Either<ConfigError, OutputFormat> {
  if (flags.json === true && flags.format !== undefined && flags.format !== 'json') {
    return left({
      _tag: 'InvalidOption',
      option: '--json',
      value: 'true',
      message: `--json means --format json, and --format says ${quoteExcerpt(flags.format)}: give one of them`,
    });
  }
  return flagOrConfig(FormatCodec, '--format', flags.json === true ? 'json' : flags.format, fromConfig, defaultSettings.format);
}

/** A duration: the flag, else the variable (environment, then `.env`), else the config file, else the default. */
function decideDuration(layers: Layers, flag: string, raw: string | undefined, variables: readonly string[], fromConfig: number | undefined, fallback: number): Either<ConfigError, number> {
  return pipe(
    decideFrom(DurationCodec, [...flagCandidate(flag, raw), ...variableCandidates(layers, variables)]),
    map((decided) => decided?.value ?? fromConfig ?? fallback),
  );
}

const listOfFlag = (value: readonly string[] | string | undefined): readonly string[] =>
  value === undefined ? [] : typeof value === 'string' ? [value] : value;

/** Every setting the levels decide, each validated at every level it is given (see `decideFrom`). */
const decideAll = (layers: Layers, config: LoadedConfig | undefined, cwd: string) => {
  const { flags } = layers;
  const fromConfig: ConfigFile = config?.config ?? {};
  const mirrorsFrom = flags.mirrorsFrom === undefined ? undefined : resolve(cwd, flags.mirrorsFrom);
  // In this order, so a command line with several bad values reports the same one first every time.
  return pipe(
    TE.Do,
    TE.bind('mode', () => TE.fromEither(decideMode(layers, config))),
    TE.bind('harbor', () => TE.fromEither(decideHarbor(layers, config))),
    TE.bind('engine', () => TE.fromEither(decideFrom(EngineCodec, [...flagCandidate('--engine', flags.engine), ...variableCandidates(layers, settingVariables.engine)]))),
    TE.bind('transport', () =>
      TE.fromEither(decideFrom(TransportCodec, [...flagCandidate('--transport', flags.transport), ...variableCandidates(layers, settingVariables.transport)])),
    ),
    TE.bind('harborLayout', () =>
      TE.fromEither(flagOrConfig(HarborLayoutSettingCodec, '--harbor-layout', flags.harborLayout, fromConfig.harborLayout, defaultSettings.harborLayout)),
    ),
    TE.bind('fromFile', () => (mirrorsFrom === undefined ? TE.right(undefined) : () => readRegistriesConf(mirrorsFrom))),
    TE.bind('mirrors', ({ harbor, harborLayout, fromFile }) =>
      TE.fromEither(decideMirrors({ levels: mirrorLevels(layers, config, mirrorsFrom, fromFile), harbor, harborLayout })),
    ),
    TE.bind('onConflict', () =>
      TE.fromEither(flagOrConfig(ConflictPolicySettingCodec, '--on-conflict', flags.onConflict, fromConfig.onConflict, defaultSettings.onConflict)),
    ),
    TE.bind('concurrency', () => TE.fromEither(decideConcurrency(flags.concurrency, fromConfig.concurrency))),
    TE.bind('format', () => TE.fromEither(decideFormat(flags, fromConfig.format))),
    TE.bind('engineTimeoutMs', () =>
      TE.fromEither(decideDuration(layers, '--timeout', flags.timeout, settingVariables.engineTimeout, fromConfig.engineTimeout, defaultSettings.engineTimeoutMs)),
    ),
    TE.bind('lockTimeoutMs', () =>
      TE.fromEither(decideDuration(layers, '--lock-timeout', flags.lockTimeout, settingVariables.lockTimeout, fromConfig.lockTimeout, defaultSettings.lockTimeoutMs)),
    ),
  );
};

/** What `decideAll` decides. */
type Decided = ReturnType<typeof decideAll> extends TE.TaskEither<ConfigError, infer A> ? A : never;

/** The mirror rules as each level writes them, highest first: `--mirror`, `--mirrors-from`, IMGALIAS_MIRRORS (environment, then `.env`), the config file. */
const mirrorLevels = (
  layers: Layers,
  config: LoadedConfig | undefined,
  mirrorsFrom: string | undefined,
  fromFile: RegistriesConfRules | undefined,
): readonly MirrorLevel[] => [
  { _tag: 'Written', option: '--mirror', values: listOfFlag(layers.flags.mirror), source: { kind: 'flag', name: '--mirror' } },
  ...(fromFile === undefined || mirrorsFrom === undefined
    ? []
    : [{ _tag: 'Read', option: '--mirrors-from', file: mirrorsFrom, rules: fromFile.rules, source: { kind: 'flag', name: '--mirrors-from' } } as const]),
  ...variableCandidates(layers, settingVariables.mirrors).map(
    (candidate): MirrorLevel => ({ _tag: 'Written', option: candidate.option, values: splitMirrorList(candidate.raw), source: candidate.source }),
  ),
  ...(config?.config.mirrors === undefined ? [] : [{ _tag: 'Config', file: config.file, entries: config.config.mirrors } as const]),
];

/** The settings loader itself; the package exports it through `SettingsLoader.ts`, which imports this module on first use. */
export async function loadSettings(input: {
  flags: CliFlags;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
}): Promise<Either<ConfigError, Settings>> {
  const { flags, env } = input;
  const cwd = resolve(input.cwd);
  return pipe(
    TE.Do,
    TE.bind('config', () => () => loadConfigFile(flags.config, cwd, listOfFlag(flags.from))),
    TE.bind('dotenv', () => () => readDotEnv(join(cwd, '.env'))),
    TE.bind('decided', ({ config, dotenv }) => decideAll({ flags, env, dotenv }, config, cwd)),
    TE.map(({ config, dotenv, decided }) => settingsOf({ flags, env, cwd, config, dotenv, decided })),
    // Last, so every value is decided and has its source: a refusal names where the value came from.
    TE.chainEitherK((settings) => pipe(settingsPolicy(settings), map((policy): Settings => ({ ...settings, policy })))),
    TE.chain((settings) => () => checkEngineFlags(settings)),
  )();
}

/**
 * `--host` and `--context` against each other and the engine, by the engine adapter's own rule
 * (`checkEngineTarget`), loaded only when one of them is given.
 */
async function checkEngineFlags(settings: Settings): Promise<Either<ConfigError, Settings>> {
  const { engineHost: host, engineContext: context, engine } = settings;
  if (host === undefined && context === undefined) return right(settings);
  const { checkEngineTarget, describeEngineOptionsError } = await import('@imgalias/adapter-docker');
  const checked = checkEngineTarget({ engine, ...(host === undefined ? {} : { host }), ...(context === undefined ? {} : { context }) });
  if (checked._tag === 'Right') return right(settings);
  const e = checked.left;
  const option = e._tag === 'HostUnsupported' || (e._tag === 'InvalidValue' && e.option === 'host') ? '--host' : '--context';
  return left({
    _tag: 'InvalidOption',
    option,
    value: option === '--host' ? (host ?? '') : (context ?? ''),
    message: describeEngineOptionsError(e),
    // Two flags that contradict each other have no one source.
    ...(e._tag === 'HostAndContext' ? {} : { source: { kind: 'flag', name: option } }),
  });
}

/** The decided values and the plain ones (paths, lists, booleans) as `Settings`. */
function settingsOf(input: {
  readonly flags: CliFlags;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly config: (LoadedConfig & { readonly foundFrom?: string }) | undefined;
  readonly dotenv: DotEnvFile | undefined;
  readonly decided: Decided;
}): Omit<Settings, 'policy'> {
  const { flags, env, cwd, config, dotenv, decided } = input;
  const { mode, harbor, engine, transport, harborLayout, fromFile, mirrors, onConflict, concurrency, format, engineTimeoutMs, lockTimeoutMs } = decided;
  const layers: Layers = { flags, env, dotenv };
  const fromConfig: ConfigFile = config?.config ?? {};
  const configDir = config === undefined ? cwd : dirname(config.file);

  const from = [
    ...listOfFlag(flags.from).map((path) => resolve(cwd, path)),
    ...(fromConfig.from ?? []).map((path) => resolve(configDir, path)),
  ];
  const snapshotFile =
    flags.snapshot !== undefined ? resolve(cwd, flags.snapshot) : fromConfig.snapshot !== undefined ? resolve(configDir, fromConfig.snapshot) : undefined;

  // Compose semantics: a variable set in the process environment wins over the same name in .env.
  // fromEntries defines own properties, so a variable named __proto__ is a variable, not a prototype.
  const mergedEnv: Record<string, string> = Object.fromEntries([
    ...Object.entries(dotenv?.values ?? {}),
    ...Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  ]);

  const probes = { ...defaultSettings.probes, ...(fromConfig.probes ?? {}) };
  const prefetch = { ...defaultSettings.prefetch, ...(fromConfig.prefetch ?? {}) };

  // Where each remaining setting came from: the first candidate wins (every candidate was checked above).
  const configLevel: SettingSource | undefined = config === undefined ? undefined : { kind: 'config', file: config.file };
  const levelOf = (candidates: readonly Candidate[], inConfig: unknown): SettingSource =>
    candidates[0]?.source ?? (inConfig !== undefined && configLevel !== undefined ? configLevel : { kind: 'default' });
  const flagLevel = (name: string, raw: unknown): Candidate[] => (raw === undefined ? [] : flagCandidate(name, String(raw)));
  const sources: SettingSources = {
    harborLayout: levelOf(flagLevel('--harbor-layout', flags.harborLayout), fromConfig.harborLayout),
    shortNames: levelOf(flagLevel('--short-names', flags.shortNames), fromConfig.shortNames),
    onConflict: levelOf(flagLevel('--on-conflict', flags.onConflict), fromConfig.onConflict),
    engine: levelOf([...flagLevel('--engine', flags.engine), ...variableCandidates(layers, settingVariables.engine)], fromConfig.engine),
    transport: levelOf([...flagLevel('--transport', flags.transport), ...variableCandidates(layers, settingVariables.transport)], fromConfig.transport),
    concurrency: levelOf(flagLevel('--concurrency', flags.concurrency), fromConfig.concurrency),
    engineTimeout: levelOf([...flagLevel('--timeout', flags.timeout), ...variableCandidates(layers, settingVariables.engineTimeout)], fromConfig.engineTimeout),
    lockTimeout: levelOf([...flagLevel('--lock-timeout', flags.lockTimeout), ...variableCandidates(layers, settingVariables.lockTimeout)], fromConfig.lockTimeout),
    includeBuilt: levelOf(flagLevel('--include-built', flags.includeBuilt), fromConfig.includeBuilt),
    format: levelOf(flagLevel(flags.json === true ? '--json' : '--format', flags.json === true ? 'json' : flags.format), fromConfig.format),
  };

  return {
    mode,
    ...(harbor === undefined ? {} : { harbor }),
    harborLayout,
    mirrors,
    mirrorNotes: fromFile?.notes ?? [],
    shortNames: flags.shortNames ?? fromConfig.shortNames ?? defaultSettings.shortNames,
    onConflict,
    engine: engine?.value ?? fromConfig.engine ?? defaultSettings.engine,
    ...(flags.host === undefined ? {} : { engineHost: flags.host }),
    ...(flags.context === undefined ? {} : { engineContext: flags.context }),
    transport: transport?.value ?? fromConfig.transport ?? defaultSettings.transport,
    verbose: flags.verbose ?? false,
    concurrency,
    engineTimeoutMs,
    lockTimeoutMs,
    images: fromConfig.images ?? [],
    from: [...new Set(from)],
    exclude: [...new Set([...listOfFlag(flags.exclude), ...(fromConfig.exclude ?? [])])],
    includeBuilt: flags.includeBuilt ?? fromConfig.includeBuilt ?? defaultSettings.includeBuilt,
    buildArgs: fromConfig.buildArgs ?? {},
    env: mergedEnv,
    probes,
    prefetch,
    format,
    formatSource: flags.json === true || flags.format !== undefined ? 'flag' : fromConfig.format !== undefined ? 'config' : 'default',
    quiet: flags.quiet ?? false,
    // Only `--no-color` is meaningful: commander gives a negatable option a default of true, which must not force colour.
    color: flags.color === false ? false : undefined,
    ...(snapshotFile === undefined ? {} : { snapshotFile }),
    ...(config === undefined ? {} : { configFile: config.file }),
    ...(config?.foundFrom === undefined ? {} : { configFoundFrom: config.foundFrom }),
    sources,
  };
}
