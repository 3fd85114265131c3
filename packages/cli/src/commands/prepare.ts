import type { Either } from 'fp-ts/lib/Either.js';
import { isLeft, left, right } from 'fp-ts/lib/Either.js';
import type { AliasPolicy, ImageStore, Snapshot } from '@imgalias/core';
import { excludeImages, familiarName, familiesInSnapshot, parseReference } from '@imgalias/core';
import type { Discovery } from '@imgalias/discover';
import { describeDiscoveryFinding, isInformationalFinding } from '@imgalias/discover';
import type { ModeResolution, Settings } from '@imgalias/project';
import { discoverProjectImages, missingPaths, policyOf, problemsOf, projectFilesHere, refusedFiles } from '@imgalias/project';
import type { CliError } from '../CliError.js';
import { CliError as E } from '../CliError.js';
import type { Output } from '../Output.js';
import type { CommandContext } from './Command.js';

/** Which families a command works on besides the ones named on the command line and in the config. */
export type FamilyScope =
  /** `plan`, `apply`, `check`: the images asked for; every family in the store when none are. */
  | 'requested-or-store'
  /** `fix`: every family in the store plus every image the project uses (the current directory by default). */
  | 'store-and-project';

/** Everything a planning command has once the store is read; nothing has been changed yet. */
export interface Prepared {
  readonly settings: Settings;
  readonly output: Output;
  readonly store: ImageStore;
  readonly snapshot: Snapshot;
  readonly resolution: ModeResolution;
  readonly policy: AliasPolicy;
  /** What the planner is asked for: arguments, config `images`, discovered images, store families. */
  readonly images: readonly string[];
  /** Present when project files were scanned. */
  readonly discovery?: Discovery;
  /** Dockerfiles and compose files in the working directory that were not read (no `--from`, no config `from`). */
  readonly unreadProjectFiles: readonly string[];
  /** Discovery findings that mean an image could not be determined; they make the command exit 1. */
  readonly discoveryProblems: number;
}

/**
 * Reads the project files under `paths` for every command that uses them (the planning commands here, the
 * registry commands in registryAccess.ts), so all refuse the same inputs: a missing path or a refused file
 * (a FIFO, a device, an oversized file) exits 2. Discovery findings go to stderr whatever the format, so
 * stdout stays one plan or report.
 */
export async function readProject(
  context: CommandContext,
  settings: Settings,
  output: Output,
  paths: readonly string[],
): Promise<Either<CliError, Discovery>> {
  const discovery = await discoverProjectImages({
    cwd: context.io.cwd,
    paths,
    buildArgs: settings.buildArgs,
    env: context.io.env,
    includeBuilt: settings.includeBuilt,
  });
  const missing = missingPaths(discovery);
  if (missing.length > 0) return left(E.pathNotFound(missing));
  const refused = refusedFiles(discovery);
  if (refused.length > 0) return left(E.refusedFiles(refused));
  for (const finding of discovery.findings) {
    const line = `${isInformationalFinding(finding) ? 'note' : 'warning'}: ${describeDiscoveryFinding(finding)}`;
    if (isInformationalFinding(finding)) output.note(line);
    else output.error(line);
  }
  return right(discovery);
}

/**
 * The steps `plan`, `apply`, `check` and `fix` share, in the order that keeps promises: image arguments are
 * checked before anything runs (a bad one exits 2 with nothing changed and no engine called), then project
 * files are read, then the store (a missing engine exits 3), then the mode is resolved.
 */
export async function prepare(options: {
  readonly context: CommandContext;
  readonly settings: Settings;
  readonly operands: readonly string[];
  readonly scope: FamilyScope;
}): Promise<Either<CliError, Prepared>> {
  const { context, settings, operands, scope } = options;
  const output = context.output(settings);

  const invalid = [...operands, ...settings.images].flatMap((input) => {
    const parsed = parseReference(input);
    return isLeft(parsed) ? [{ input, error: parsed.left }] : [];
  });
  if (invalid.length > 0) return left(E.invalidImages(invalid));

  const paths = scope === 'store-and-project' && settings.from.length === 0 ? [context.io.cwd] : settings.from;
  let discovery: Discovery | undefined;
  if (paths.length > 0) {
    const read = await readProject(context, settings, output, paths);
    if (isLeft(read)) return read;
    discovery = read.right;
  }

  const store = await context.openStore(settings);
  if (isLeft(store)) return store;
  const snapshot = await store.right.snapshot();
  if (isLeft(snapshot)) return left(E.store(snapshot.left));

  const resolution = await context.resolveMode(settings);
  const policy = policyOf(settings, resolution.mode);
  const requested = [...operands, ...settings.images, ...(discovery?.images.map((image) => image.reference) ?? [])];
  // With nothing named anywhere, the store itself says which families there are (like `fix`).
  const namedNothing = operands.length === 0 && settings.images.length === 0 && paths.length === 0;
  const fromStore = scope === 'store-and-project' || namedNothing ? familiesInSnapshot(snapshot.right, policy) : [];

  // Images the project leaves out on purpose (`exclude`, `--exclude`), wherever they were named.
  const chosen = excludeImages({ images: [...new Set([...requested, ...fromStore])], exclude: settings.exclude, policy });
  const excludedFamilies = new Map(chosen.excluded.map((excluded) => [excluded.family, excluded.glob]));
  for (const [family, glob] of excludedFamilies) output.note(`note: ${familiarName(family)} left out: it matches exclude ${glob}`);

  return right({
    settings,
    output,
    store: store.right,
    snapshot: snapshot.right,
    resolution,
    policy,
    images: chosen.images,
    ...(discovery === undefined ? {} : { discovery }),
    discoveryProblems: discovery === undefined ? 0 : problemsOf(discovery).length,
    unreadProjectFiles: paths.length === 0 ? await projectFilesHere(context.io.cwd) : [],
  });
}
