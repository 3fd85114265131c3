import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Either } from 'fp-ts/lib/Either.js';
import { isLeft, left, right } from 'fp-ts/lib/Either.js';
import type { AliasPolicy } from '@imgalias/core';
import { familiarName, parseReference } from '@imgalias/core';
import { excludeImages } from '@imgalias/core/internal';
import type { Platform, RegistryImages } from '@imgalias/adapter-registry';
import type { CliError } from '../CliError.js';
import { CliError as E } from '../CliError.js';
import type { Output } from '../Output.js';
import type { Settings } from '@imgalias/project/internal';
import { policyOf, problemsOf } from '@imgalias/project/internal';
import type { CommandContext, CommandFlags } from './Command.js';
import { readProject } from './prepare.js';



export interface RegistryAccess {
  readonly images: RegistryImages;
  readonly platforms: readonly Platform[];
  close(): Promise<void>;
}

/**
 * Opens the registry adapter for one run: credentials from docker's config.json (and its helpers), the CA
 * file and insecure registries from the flags. The adapter is loaded only by the commands that use it.
 * A bad `--platform` or an unreadable `--ca-file` is a usage error (exit 2) before any registry is asked.
 */
export async function openRegistryAccess(
  context: CommandContext,
  flags: CommandFlags,
  concurrency: number,
  /** Aborting it cancels every registry request in flight and fails the later ones (`Cancelled`). */
  signal?: AbortSignal,
): Promise<Either<CliError, RegistryAccess>> {
  const f = flags;
  const registry = await import('@imgalias/adapter-registry');
  const platforms: Platform[] = [];
  for (const text of (f.platform ?? '').split(',').filter((p) => p.trim() !== '')) {
    const platform = registry.parsePlatform(text);
    if (platform === undefined) return left(E.usage(`invalid --platform ${JSON.stringify(text)}: write OS/ARCH[/VARIANT], e.g. linux/amd64,linux/arm64/v8. Nothing was changed.`));
    platforms.push(platform);
  }
  let ca: string | undefined;
  if (f.caFile !== undefined) {
    try {
      ca = await readFile(f.caFile, 'utf8');
    } catch (e) {
      return left(E.usage(`cannot read --ca-file ${f.caFile}: ${(e as Error).message}. Nothing was changed.`));
    }
    if (!ca.includes('-----BEGIN CERTIFICATE-----')) return left(E.usage(`--ca-file ${f.caFile} holds no PEM certificate. Nothing was changed.`));
  }
  const env = context.io.env;
  const configPath =
    f.registryAuth ?? join(env['DOCKER_CONFIG'] ?? join(env['HOME'] ?? context.io.cwd, '.docker'), 'config.json');
  const client = registry.createRegistryClient({
    credentials: registry.dockerConfigCredentials({ path: configPath }),
    insecure: f.insecureRegistry ?? [],
    ...(ca !== undefined ? { ca } : {}),
    userAgent: 'imgalias',
    ...(signal === undefined ? {} : { signal }),
  });
  return right({
    images: registry.createRegistryImages({ client, concurrency }),
    platforms,
    close: () => client.close(),
  });
}

export interface PreparedImages {
  readonly output: Output;
  readonly policy: AliasPolicy;
  readonly images: readonly string[];
  readonly discoveryProblems: number;
}

/**
 * The images a registry command works on, without reading any engine: the arguments, the config's `images`,
 * and the project's Dockerfiles and compose files (`--from`, the current directory when nothing is named).
 * Invalid image arguments are refused first (exit 2).
 */
export async function prepareImages(context: CommandContext, settings: Settings, operands: readonly string[]): Promise<Either<CliError, PreparedImages>> {
  const output = context.output(settings);
  const invalid = [...operands, ...settings.images].flatMap((input) => {
    const parsed = parseReference(input);
    return isLeft(parsed) ? [{ input, error: parsed.left }] : [];
  });
  if (invalid.length > 0) return left(E.invalidImages(invalid));
  const named = operands.length > 0 || settings.images.length > 0;
  const paths = settings.from.length > 0 ? settings.from : named ? [] : [context.io.cwd];
  let discovered: readonly string[] = [];
  let discoveryProblems = 0;
  if (paths.length > 0) {
    const discovery = await readProject(context, settings, output, paths);
    if (isLeft(discovery)) return discovery;
    discovered = discovery.right.images.map((image) => image.reference);
    discoveryProblems = problemsOf(discovery.right).length;
  }
  const resolution = await context.resolveMode(settings);
  const policy = policyOf(settings, resolution.mode);
  // Images the project leaves out on purpose (`exclude`, `--exclude`), as every other command does.
  const chosen = excludeImages({ images: [...new Set([...operands, ...settings.images, ...discovered])], exclude: settings.exclude, policy });
  const excludedFamilies = new Map(chosen.excluded.map((excluded) => [excluded.family, excluded.glob]));
  for (const [family, glob] of excludedFamilies) output.note(`note: ${familiarName(family)} left out: it matches exclude ${glob}`);
  return right({ output, policy, images: chosen.images, discoveryProblems });
}
