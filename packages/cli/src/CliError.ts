import type { ReferenceError, StoreError } from '@imgalias/core';
import type { LockError } from '@imgalias/adapter-docker';
import type { ConfigError, PlanFileError, ProjectError } from '@imgalias/project/internal';
import { describeProjectError } from '@imgalias/project/internal';
import { ExitCode } from './ExitCode.js';

/**
 * Everything that stops a command before it has a result, as data. Commands return these; `action` in
 * Command.ts prints the description and exits with `exitCodeOf`.
 */
export type CliError =
  | { readonly _tag: 'Config'; readonly error: ConfigError }
  | { readonly _tag: 'InvalidImages'; readonly images: readonly { readonly input: string; readonly error: ReferenceError }[] }
  | { readonly _tag: 'SnapshotFileUnreadable'; readonly file: string; readonly message: string }
  | { readonly _tag: 'SnapshotFileInvalid'; readonly file: string; readonly errors: readonly string[] }
  /** `apply --plan FILE`: the saved plan cannot be read, is not a plan, or has a version this build does not know. */
  | PlanFileError
  | { readonly _tag: 'Store'; readonly error: StoreError }
  | { readonly _tag: 'Lock'; readonly error: LockError }
  /** `givenAs`: how the paths were given, so the message names the right thing to correct. */
  | { readonly _tag: 'PathNotFound'; readonly paths: readonly string[]; readonly givenAs: 'argument' | 'from' }
  | { readonly _tag: 'RefusedFiles'; readonly files: readonly { readonly file: string; readonly detail: string }[] }
  | { readonly _tag: 'Usage'; readonly message: string };

export const CliError = {
  config: (error: ConfigError): CliError => ({ _tag: 'Config', error }),
  invalidImages: (images: readonly { readonly input: string; readonly error: ReferenceError }[]): CliError => ({
    _tag: 'InvalidImages',
    images,
  }),
  snapshotFileUnreadable: (file: string, message: string): CliError => ({ _tag: 'SnapshotFileUnreadable', file, message }),
  snapshotFileInvalid: (file: string, errors: readonly string[]): CliError => ({ _tag: 'SnapshotFileInvalid', file, errors }),
  store: (error: StoreError): CliError => ({ _tag: 'Store', error }),
  lock: (error: LockError): CliError => ({ _tag: 'Lock', error }),
  pathNotFound: (paths: readonly string[], givenAs: 'argument' | 'from' = 'from'): CliError => ({ _tag: 'PathNotFound', paths, givenAs }),
  refusedFiles: (files: readonly { readonly file: string; readonly detail: string }[]): CliError => ({ _tag: 'RefusedFiles', files }),
  usage: (message: string): CliError => ({ _tag: 'Usage', message }),
};

/**
 * A project job's error as the CLI reports it: the same data, so the same message and exit code as when the
 * command did the work itself. Paths that do not exist were given with `--from` (or the config's `from`).
 */
export const fromProjectError = (e: ProjectError): CliError => (e._tag === 'PathNotFound' ? { ...e, givenAs: 'from' } : e);

/** The message printed for an error: what failed, for what, and what to do next. */
export function describeCliError(e: CliError): string {
  switch (e._tag) {
    // The CLI names its own flags where the library names its options; every other message is the project's.
    case 'PathNotFound':
      return e.givenAs === 'argument'
        ? `no such file or directory to scan: ${e.paths.join(', ')}. Check the PATH arguments; nothing was changed.`
        : `no such file or directory to scan: ${e.paths.join(', ')}. Check the --from paths (or \`from\` in the config file); nothing was changed.`;
    case 'RefusedFiles':
      return [
        ...e.files.map(({ file, detail }) => `${file}: not read: ${detail}`),
        'Nothing was changed. Replace these with regular files within the limits, or leave them out of --from.',
      ].join('\n');
    case 'Usage':
      return e.message;
    default:
      return describeProjectError(e);
  }
}

/** Which exit code an error ends the process with. */
export function exitCodeOf(e: CliError): ExitCode {
  switch (e._tag) {
    case 'Store':
      // A slow engine answered, just not in time: a finding that names --timeout, not "engine unavailable".
      if (e.error._tag === 'Timeout') return ExitCode.findings;
      // Only an interrupt cancels a store read; the signal decides the code.
      if (e.error._tag === 'Cancelled') return ExitCode.sigint;
      // The command could not read or change the store at all: the engine is missing, down or misbehaving.
      return ExitCode.engine;
    case 'Lock':
      return e.error._tag === 'LockUnavailable' ? ExitCode.usage : e.error._tag === 'LockInterrupted' ? ExitCode.sigint : ExitCode.findings;
    case 'Config':
    case 'InvalidImages':
    case 'SnapshotFileUnreadable':
    case 'SnapshotFileInvalid':
    case 'PlanFileUnreadable':
    case 'PlanFileInvalid':
    case 'PlanFileVersion':
    case 'PathNotFound':
    case 'RefusedFiles':
    case 'Usage':
      return ExitCode.usage;
  }
}
