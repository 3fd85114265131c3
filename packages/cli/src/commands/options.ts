import { HARBOR_LAYOUTS } from '@imgalias/core';

/*
 * Every option of every command, declared once as data, so each command spells and documents an option the
 * same way and its --help lists only what it uses. Values stay as typed here: `loadSettings` (in
 * @imgalias/project) validates them once, with the source named in the error, whatever level (flag,
 * environment, .env, config) they came from.
 */

/** One command-line option: commander's flags string, its help, and how its values are read. */
export interface OptionSpec {
  /** `--name`, `--name <value>` or `--no-name`, as commander reads them. */
  readonly flags: string;
  readonly description: string;
  /** The only values accepted; commander refuses others (exit 2) before any command runs. */
  readonly choices?: readonly string[];
  /** Given more than once, the values collect in a list (`--from a --from b`). */
  readonly repeatable?: boolean;
}

const MODES = ['external', 'internal', 'auto'];

export const option = {
  config: { flags: '--config <file>', description: 'read settings from FILE instead of imgalias.config.{json,yaml,yml} or package.json' },
  mode: { flags: '--mode <mode>', description: 'network mode; auto probes the public registry', choices: MODES },
  network: { flags: '--network <mode>', description: 'same as --mode (the name the shell build script used)', choices: MODES },
  harbor: { flags: '--harbor <location>', description: 'Harbor project, HOST[:PORT]/PROJECT (e.g. harbor.corp.local/proj): the * mirror rule' },
  mirror: {
    flags: '--mirror <rule>',
    description:
      'Harbor location for one origin registry, ORIGIN=HOST[:PORT]/PROJECT[@LAYOUT][+from=STAGING[@LAYOUT]] (e.g. quay.io=harbor.corp.local/quay@proxy-cache; +from= names a staging registry sync copies from; repeatable)',
    repeatable: true,
  },
  mirrorsFrom: { flags: '--mirrors-from <file>', description: "read mirror rules from Podman's registries.conf (v2 TOML)" },
  harborLayout: { flags: '--harbor-layout <layout>', description: 'how a Harbor path is derived from the origin', choices: [...HARBOR_LAYOUTS] },
  shortNames: { flags: '--short-names', description: 'also keep short names of namespaced images (openldap:stable)' },
  onConflict: {
    flags: '--on-conflict <policy>',
    description: 'a name pointing at another image: report it, or retarget it',
    choices: ['report', 'retarget'],
  },
  engine: { flags: '--engine <engine>', description: 'container engine CLI to run', choices: ['docker', 'podman', 'nerdctl'] },
  host: {
    flags: '--host <address>',
    description: "the engine's daemon, e.g. unix:///run/docker.sock or tcp://127.0.0.1:2375 (docker -H, podman --url; default: DOCKER_HOST, CONTAINER_HOST)",
  },
  context: { flags: '--context <name>', description: 'the docker context to use, as docker --context (not with --host; docker only)' },
  transport: {
    flags: '--transport <transport>',
    description: 'the Engine API socket (docker; podman: CONTAINER_HOST), the CLI, or auto (the API when it can)',
    choices: ['auto', 'cli', 'api'],
  },
  timeout: { flags: '--timeout <duration>', description: 'how long one engine process may take, e.g. 90s or 2m (default 30s)' },
  snapshot: { flags: '--snapshot <file>', description: 'use a snapshot saved by `imgalias snapshot` instead of the engine' },
  concurrency: { flags: '--concurrency <n>', description: 'how many engine processes run at once (default 4)' },
  lockTimeout: {
    flags: '--lock-timeout <duration>',
    description: 'how long to wait while another imgalias applies to the same engine (default 2m)',
  },
  // Not a variadic option on purpose: `--from . redis:7` would swallow the image argument as a second path.
  from: {
    flags: '--from <path>',
    description: 'also use the images that Dockerfiles and compose files under PATH use (repeatable)',
    repeatable: true,
  },
  includeBuilt: { flags: '--include-built', description: 'also use the images that compose services build themselves' },
  exclude: {
    flags: '--exclude <glob>',
    description: 'leave out images whose canonical name matches GLOB, e.g. docker.io/library/redis:* or nvcr.io/** (repeatable)',
    repeatable: true,
  },
  platform: { flags: '--platform <list>', description: 'platforms every image must serve, e.g. linux/amd64,linux/arm64 (default: every platform)' },
  registryAuth: {
    flags: '--registry-auth <file>',
    description: "docker's config.json to read credentials from (default: $DOCKER_CONFIG/config.json, ~/.docker/config.json)",
  },
  insecureRegistry: {
    flags: '--insecure-registry <host>',
    description: 'allow plain HTTP or an unverified certificate for HOST[:PORT] (repeatable; loopback needs none)',
    repeatable: true,
  },
  caFile: { flags: '--ca-file <file>', description: 'also trust the CA certificates (PEM) in FILE for HTTPS registries' },
  dryRun: { flags: '--dry-run', description: 'print the plan (as plan does) and tag nothing' },
  json: { flags: '--json', description: 'same as --format json' },
  quiet: { flags: '--quiet', description: 'print only results and errors' },
  verbose: { flags: '--verbose', description: 'also say how the engine is reached' },
  noColor: { flags: '--no-color', description: 'never colour the output (NO_COLOR works too)' },
} as const satisfies Record<string, OptionSpec>;

/** The options that travel together, in the order --help lists them. */
export const group = {
  /** `--mode`, its synonym `--network`, and the Harbor location and mirror rules. */
  mode: [option.mode, option.network, option.harbor, option.mirror, option.mirrorsFrom],
  /** The planner's policy beyond the mode. */
  policy: [option.harborLayout, option.shortNames, option.onConflict],
  /** Which engine to talk to and how. */
  engine: [option.engine, option.host, option.context, option.transport, option.timeout],
  /** Which engine to talk to, or a saved snapshot instead of any engine. */
  store: [option.engine, option.host, option.context, option.transport, option.timeout, option.snapshot],
  /** The project's images: `--from PATH` (repeatable), `--include-built`, `--exclude GLOB`. */
  from: [option.from, option.includeBuilt, option.exclude],
  /** How a registry is reached (check --registry, sync). */
  registry: [option.platform, option.registryAuth, option.insecureRegistry, option.caFile],
  /** `--quiet`, `--verbose` and `--no-color`. */
  display: [option.quiet, option.verbose, option.noColor],
} as const satisfies Record<string, readonly OptionSpec[]>;

/** `--format`, limited to the formats the command can print, and its shorthand `--json`. */
export const formatOptions = (formats: readonly string[]): readonly OptionSpec[] => [
  { flags: '--format <format>', description: 'output format', choices: formats },
  option.json,
];

/** An option with another help text for one command (what `--concurrency` bounds, what `--platform` means). */
export const describedAs = (spec: OptionSpec, description: string): OptionSpec => ({ ...spec, description });
