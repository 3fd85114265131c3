import type { EngineKind, StoreError } from '@imgalias/core';
import type { ExecOutcome } from './Exec.js';

// What each engine prints when its daemon or service cannot be reached. The exit status alone (1, or 125 for
// podman) does not tell "daemon down" from "tag refused", so the engine's own words are the only signal; the
// list is kept short and specific so a refused tag is never mistaken for an unreachable engine.
const unreachablePatterns: readonly RegExp[] = [
  /Cannot connect to the Docker daemon/i,
  /error during connect/i,
  /permission denied while trying to connect to the Docker daemon/i,
  /context "[^"]*" does not exist/i,
  /Cannot connect to Podman/i,
  /unable to connect to Podman/i,
  /unable to create connection/i,
  /cannot access containerd socket/i,
  /failed to dial "[^"]*"/i,
  /dial unix [^:]+: connect: (connection refused|no such file or directory)/i,
];

/**
 * The last three non-empty lines of an engine's stderr (else stdout): the engine's own message, without progress
 * noise. This is the `message` a `StoreError` carries; render's one-line form of a whole error is another thing.
 */
export const tailEngineOutput = (stderr: string, stdout = ''): string => {
  const text = stderr.trim() || stdout.trim();
  const lines = text.split('\n').map((line) => line.trim()).filter((line) => line.length > 0);
  return lines.slice(-3).join('\n');
};

export interface FailureContext {
  readonly engine: EngineKind;
  /** The program that was run (`docker`, `/usr/bin/podman`). */
  readonly command: string;
  /** The arguments after any global ones (`tag`, source, target): what a user would retype. */
  readonly args: readonly string[];
  readonly timeoutMs: number;
}

/**
 * Converts a failed process into a `StoreError`, keeping the engine's own message. Returns undefined for
 * success (exit 0).
 */
export const toStoreError = (outcome: ExecOutcome, context: FailureContext): StoreError | undefined => {
  const { engine, command, args, timeoutMs } = context;
  switch (outcome._tag) {
    case 'Exited': {
      if (outcome.exitCode === 0) return undefined;
      const message = tailEngineOutput(outcome.stderr, outcome.stdout) || `exited with status ${outcome.exitCode}`;
      if (unreachablePatterns.some((pattern) => pattern.test(message))) {
        return { _tag: 'EngineUnreachable', engine, message };
      }
      return { _tag: 'CommandFailed', engine, args, exitCode: outcome.exitCode, message };
    }
    case 'SpawnFailed':
      if (outcome.code === 'ENOENT') return { _tag: 'EngineMissing', engine, command, message: outcome.message };
      return { _tag: 'CommandFailed', engine, args, exitCode: null, message: `${outcome.code}: ${outcome.message}` };
    case 'TimedOut':
      return { _tag: 'Timeout', engine, args, timeoutMs };
    case 'Cancelled':
      return { _tag: 'Cancelled', engine, args };
    case 'Signalled':
      return {
        _tag: 'CommandFailed',
        engine,
        args,
        exitCode: null,
        message: tailEngineOutput(outcome.stderr, outcome.stdout) || `killed by ${outcome.signal}`,
      };
  }
};

const hostVariables = (engine: EngineKind): string =>
  engine === 'podman' ? 'CONTAINER_HOST (or drop it to use the local store)' : engine === 'nerdctl' ? 'CONTAINERD_ADDRESS' : 'DOCKER_HOST or DOCKER_CONTEXT';

/** `30 s`, `1.5 s`, `250 ms`: a timeout as a person reads it. */
const formatDuration = (ms: number): string => (ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`);

/** The engine's own message as a sentence: its final punctuation kept, a full stop added only when it has none. */
const asSentence = (message: string): string => (/[.?!]$/.test(message.trimEnd()) ? message.trimEnd() : `${message.trimEnd()}.`);

const installHint = (engine: EngineKind): string =>
  engine === 'docker'
    ? 'Install the Docker CLI and engine (Debian: apt-get install docker.io)'
    : engine === 'podman'
      ? 'Install Podman (Debian: apt-get install podman)'
      : 'Install nerdctl and containerd';

/**
 * The store operation an error came from. Each gets its own next step: a failed read of the store (`snapshot`;
 * also what an apply that ends `Left` failed at, before or after tagging) stops there, a failed tag left the
 * plan's other actions applied, a failed push or untag left the other images alone.
 */
export type StoreOperation = 'snapshot' | 'apply' | 'pull' | 'push' | 'untag';

/** What happened to the rest of the operation, and what to do next, when the engine or API said no. */
const nextStep: Record<StoreOperation, string> = {
  snapshot: 'The store could not be read, so nothing more was done; check the message above, then run again.',
  apply: 'Check the message above; the other actions were still applied, so run again once it is fixed.',
  pull: 'Nothing was pulled for this image; check that the name exists and that the registry is reachable and lets you pull, then run again.',
  push: 'This image was not pushed (the others still were); check that the registry is reachable and lets you push to it (docker login), then run again.',
  untag: 'This name was left in place (the others were still removed); check the message above, then run clean again.',
};

/** The same for an image the engine does not have. */
const noSuchImage: Record<StoreOperation, string> = {
  snapshot: 'The store could not be read, so nothing more was done; run again.',
  apply: 'The planned image is no longer in the store (another process removed it since the snapshot): take a new snapshot and plan again.',
  pull: 'The registry has no image by this name: check the name and tag, or the mirror rule that made it.',
  push: 'The image to push is no longer in the store: run publish again, which plans from the store as it is.',
  untag: 'The name is already gone; nothing is left to remove.',
};

/** A hint for the commonest causes of a refused command or request, keyed on the engine's own words. */
const commandHint = (message: string, operation: StoreOperation | undefined): string => {
  if (/no such image|image not known|not found: not found/i.test(message)) {
    return operation === undefined ? noSuchImage.apply : noSuchImage[operation];
  }
  if (/invalid reference format|repository name must be lowercase/i.test(message)) {
    return 'The name is not a valid image reference; fix it where it was requested (config, Dockerfile, compose file).';
  }
  return operation === undefined ? 'Check the message above.' : nextStep[operation];
};

/**
 * One readable sentence (or two) for a store error: what happened, the engine's own message, and what to do.
 * Give the `operation` it came from (`snapshot`, `apply`, `pull`, `push`, `untag`) for a next step that fits
 * it: a failed snapshot stops the run there, a failed tag left the plan's other actions applied.
 *
 * @example
 * describeStoreError({ _tag: 'EngineUnreachable', engine: 'docker', message: 'Cannot connect to the Docker daemon at unix:///x.sock. Is the docker daemon running?' })
 * // 'docker engine is not reachable: Cannot connect to ... Start the daemon, or point DOCKER_HOST or DOCKER_CONTEXT at a running one.'
 * describeStoreError({ _tag: 'CommandFailed', engine: 'docker', args: ['image', 'ls'], exitCode: 1, message: 'error' }, 'snapshot')
 * // 'docker image ls failed with exit status 1: error. The store could not be read, so nothing more was done; check the message above, then run again.'
 */
export const describeStoreError = (e: StoreError, operation?: StoreOperation): string => {
  switch (e._tag) {
    case 'EngineMissing':
      return `${e.engine}: the program \`${e.command}\` was not found (${e.message}). ${installHint(e.engine)}, or choose another engine.`;
    case 'EngineUnreachable':
      return `${e.engine} engine is not reachable: ${asSentence(e.message)} Start the daemon, or point ${hostVariables(e.engine)} at a running one.`;
    case 'CommandFailed': {
      // No exit status: the program could not be started, or a signal killed it.
      const status = e.exitCode === null ? 'ended without an exit status' : `failed with exit status ${e.exitCode}`;
      return `${e.engine} ${e.args.join(' ')} ${status}: ${asSentence(e.message)} ${commandHint(e.message, operation)}`;
    }
    case 'RequestFailed': {
      const status = e.status === undefined ? 'failed' : `was answered with HTTP ${e.status}`;
      return `${e.engine} ${e.args.join(' ')} ${status}: ${asSentence(e.message)} ${commandHint(e.message, operation)}`;
    }
    case 'Timeout':
      return `${e.engine} ${e.args.join(' ')} did not finish within ${formatDuration(e.timeoutMs)} and was stopped. The engine answered but is slow (overloaded, or busy with another client); retry, or raise the engine timeout (imgalias: --timeout, config engineTimeout, IMGALIAS_ENGINE_TIMEOUT).`;
    case 'Cancelled':
      return operation === 'snapshot'
        ? `${e.engine} ${e.args.join(' ')} was cancelled by an interrupt; nothing more was done.`
        : `${e.engine} ${e.args.join(' ')} was cancelled by an interrupt before it reported back; it may or may not have taken effect. Rerun to finish.`;
    case 'UnexpectedOutput':
      return `could not read ${e.engine}'s answer: ${e.message}. Is this a ${e.engine} version imgalias supports (docker >= 20.10, podman >= 4)?`;
  }
};
