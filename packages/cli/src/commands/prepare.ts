import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import type { ImageLifecycle, ImageStore } from '@imgalias/core';
import { familiarName } from '@imgalias/core';
import type { Discovery } from '@imgalias/discover';
import { describeDiscoveryFinding, isInformationalFinding } from '@imgalias/discover';
import type { PreparedProject, ProjectEvent, Settings } from '@imgalias/project/internal';
import { prepareProject, readProjectFiles } from '@imgalias/project/internal';
import type { CliError } from '../CliError.js';
import { fromProjectError } from '../CliError.js';
import type { Output } from '../Output.js';
import type { CommandContext } from './Command.js';
import { engineReachedNote } from './Command.js';

/** Everything a planning command has once the store is read; nothing has been changed yet. */
export interface Prepared extends Omit<PreparedProject<ImageStore & ImageLifecycle>, 'discoveryProblems'> {
  readonly output: Output;
  /** Discovery findings that mean an image could not be determined; they make the command exit 1. */
  readonly discoveryProblems: number;
}

/**
 * How a command tells a project job's progress: discovery findings and excluded families on stderr whatever the
 * format (stdout stays one plan or report), and with `--verbose` how the engine was reached. Events a command
 * shows in its own way (the apply's progress) go to `also`.
 */
export const reportProgress =
  (output: Output, settings: Settings, also?: (event: ProjectEvent) => void) =>
  (event: ProjectEvent): void => {
    switch (event._tag) {
      case 'DiscoveryFinding': {
        const informational = isInformationalFinding(event.finding);
        const line = `${informational ? 'note' : 'warning'}: ${describeDiscoveryFinding(event.finding)}`;
        if (informational) output.note(line);
        else output.error(line);
        return;
      }
      case 'Excluded':
        output.note(`note: ${familiarName(event.family)} left out: it matches exclude ${event.glob}`);
        return;
      case 'EngineReached':
        if (settings.verbose) output.note(engineReachedNote(settings, event.description));
        return;
      default:
        also?.(event);
    }
  };

/** The parts of a job's options every command passes the same way. */
export const jobOptions = (context: CommandContext, settings: Settings, output: Output, also?: (event: ProjectEvent) => void) => ({
  cwd: context.io.cwd,
  env: context.io.env,
  settings,
  onProgress: reportProgress(output, settings, also),
  ...(context.io.fetch === undefined ? {} : { fetch: context.io.fetch }),
});

/**
 * Reads the project files under `paths` for every command that uses them (the planning commands through
 * @imgalias/project, the registry commands in registryAccess.ts), so all refuse the same inputs: a missing path
 * or a refused file (a FIFO, a device, an oversized file) exits 2.
 */
export async function readProject(
  context: CommandContext,
  settings: Settings,
  output: Output,
  paths: readonly string[],
): Promise<Either<CliError, Discovery>> {
  const read = await readProjectFiles({ cwd: context.io.cwd, paths, settings, env: context.io.env, onProgress: reportProgress(output, settings) });
  return read._tag === 'Left' ? left(fromProjectError(read.left)) : read;
}

/**
 * The steps `plan`, `apply`, `check`, `fix` and the lifecycle commands share (`prepareProject`): image arguments
 * are checked before anything runs (a bad one exits 2 with nothing changed and no engine called), then project
 * files are read, then the store (a missing engine exits 3), then the mode is resolved.
 */
export async function prepare(options: {
  readonly context: CommandContext;
  readonly settings: Settings;
  readonly operands: readonly string[];
}): Promise<Either<CliError, Prepared>> {
  const { context, settings, operands } = options;
  const output = context.output(settings);
  // The lifecycle commands work on the images named, or every family in the store when none are (`fix`'s wider
  // scope is the project job's own: `fixProject`).
  const prepared = await prepareProject({ ...jobOptions(context, settings, output), images: operands, scope: 'requested-or-store' });
  if (prepared._tag === 'Left') return left(fromProjectError(prepared.left));
  return right({ ...prepared.right, output, discoveryProblems: prepared.right.discoveryProblems.length });
}
