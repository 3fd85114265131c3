import type { Command } from 'commander';
import { Option } from 'commander';
import { HARBOR_LAYOUTS } from '@imgalias/core';

/*
 * The options commands share, in groups, so every command spells and documents an option the same way and its
 * --help lists only what it uses. Values stay raw strings here: loadSettings validates them once, with the
 * source named in the error, whatever level (flag, env, .env, config) they came from.
 */

/** `--config FILE` */
export const withConfigOption = (command: Command): Command =>
  command.option('--config <file>', 'read settings from FILE instead of imgalias.config.{json,yaml,yml} or package.json');

/** `--mode`, its synonym `--network`, and the Harbor location and layout. */
export const withModeOptions = (command: Command, options: { readonly mirrorHelp?: string } = {}): Command =>
  command
    .addOption(
      new Option('--mode <mode>', 'network mode; auto probes the public registry').choices(['external', 'internal', 'auto']),
    )
    .addOption(
      new Option('--network <mode>', 'same as --mode (the name the shell build script used)').choices([
        'external',
        'internal',
        'auto',
      ]),
    )
    .option('--harbor <location>', 'Harbor project, HOST[:PORT]/PROJECT (e.g. harbor.corp.local/proj): the * mirror rule')
    .option(
      '--mirror <rule>',
      options.mirrorHelp ??
        'Harbor location for one origin registry, ORIGIN=HOST[:PORT]/PROJECT[@LAYOUT][+from=STAGING[@LAYOUT]] (e.g. quay.io=harbor.corp.local/quay@proxy-cache; +from= names a staging registry sync copies from; repeatable)',
      collect,
    )
    .option('--mirrors-from <file>', "read mirror rules from Podman's registries.conf (v2 TOML)");

/** The planner's policy beyond the mode. */
export const withPolicyOptions = (command: Command): Command =>
  command
    .addOption(
      new Option('--harbor-layout <layout>', 'how a Harbor path is derived from the origin').choices([...HARBOR_LAYOUTS]),
    )
    .option('--short-names', 'also keep short names of namespaced images (openldap:stable)')
    .addOption(
      new Option('--on-conflict <policy>', 'a name pointing at another image: report it, or retarget it').choices([
        'report',
        'retarget',
      ]),
    );

/** Which engine to talk to, or a saved snapshot instead of any engine. */
export const withStoreOptions = (command: Command, options: { readonly snapshot: boolean }): Command => {
  command.addOption(new Option('--engine <engine>', 'container engine CLI to run').choices(['docker', 'podman', 'nerdctl']));
  command.addOption(
    new Option('--transport <transport>', 'the Engine API socket (docker; podman: CONTAINER_HOST), the CLI, or auto (the API when it can)').choices(['auto', 'cli', 'api']),
  );
  command.option('--timeout <duration>', 'how long one engine process may take, e.g. 90s or 2m (default 30s)');
  return options.snapshot
    ? command.option('--snapshot <file>', 'use a snapshot saved by `imgalias snapshot` instead of the engine')
    : command;
};

/** How many `tag` (or pull, push) processes run at once; a command whose default differs says so. */
export const withConcurrencyOption = (
  command: Command,
  description = 'how many engine processes run at once (default 4)',
): Command => command.option('--concurrency <n>', description);

const collect = (value: string, previous: readonly string[] | undefined): readonly string[] => [...(previous ?? []), value];

/**
 * `--from PATH`, repeatable: add the images that Dockerfiles and compose files under PATH use. Not a variadic
 * option on purpose: `--from . redis:7` would swallow the image argument as a second path.
 */
export const withFromOption = (command: Command): Command =>
  withIncludeBuiltOption(
    command.option('--from <path>', 'also use the images that Dockerfiles and compose files under PATH use (repeatable)', collect),
  ).option(
    '--exclude <glob>',
    'leave out images whose canonical name matches GLOB, e.g. docker.io/library/redis:* or nvcr.io/** (repeatable)',
    collect,
  );

/** `--include-built`: a compose service with `build:` names the project's own image, skipped unless asked for. */
export const withIncludeBuiltOption = (command: Command): Command =>
  command.option('--include-built', 'also use the images that compose services build themselves');

/** `--format` and its shorthand `--json`, limited to the formats the command can print. */
export const withFormatOptions = (command: Command, formats: readonly string[]): Command =>
  command
    .addOption(new Option('--format <format>', 'output format').choices([...formats]))
    .option('--json', 'same as --format json');

/** `--quiet` and `--no-color`. */
export const withDisplayOptions = (command: Command): Command =>
  command
    .option('--quiet', 'print only results and errors')
    .option('--verbose', 'also say how the engine is reached')
    .option('--no-color', 'never colour the output (NO_COLOR works too)');

/** `--lock-timeout`: how long `apply` and `fix` wait while another imgalias applies to the same engine. */
export const withLockOption = (command: Command): Command =>
  command.option('--lock-timeout <duration>', 'how long to wait while another imgalias applies to the same engine (default 2m)');
