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

/** A hint for the commonest causes of a refused command, keyed on the engine's own words. */
const commandHint = (message: string): string => {
  if (/no such image|image not known|not found: not found/i.test(message)) {
    return 'The source name is no longer in the store: take a new snapshot and plan again.';
  }
  if (/invalid reference format|repository name must be lowercase/i.test(message)) {
    return 'The name is not a valid image reference; fix it where it was requested (config, Dockerfile, compose file).';
  }
  if (/plan again/i.test(message)) return '';
  return 'Check the engine\'s message above; the other actions were still applied.';
};

/**
 * One readable sentence (or two) for a store error: what happened, the engine's own message, and what to do.
 *
 * @example
 * describeStoreError({ _tag: 'EngineUnreachable', engine: 'docker', message: 'Cannot connect to the Docker daemon at unix:///x.sock. Is the docker daemon running?' })
 * // 'docker engine is not reachable: Cannot connect to ... Start the daemon, or point DOCKER_HOST or DOCKER_CONTEXT at a running one.'
 */
export const describeStoreError = (e: StoreError): string => {
  switch (e._tag) {
    case 'EngineMissing':
      return `${e.engine}: the program \`${e.command}\` was not found (${e.message}). ${installHint(e.engine)}, or choose another engine.`;
    case 'EngineUnreachable':
      return `${e.engine} engine is not reachable: ${asSentence(e.message)} Start the daemon, or point ${hostVariables(e.engine)} at a running one.`;
    case 'CommandFailed': {
      const status = e.exitCode === null ? 'was not run' : `failed with exit status ${e.exitCode}`;
      const hint = commandHint(e.message);
      return `${e.engine} ${e.args.join(' ')} ${status}: ${e.message}${hint ? ` ${hint}` : ''}`;
    }
    case 'Timeout':
      return `${e.engine} ${e.args.join(' ')} did not finish within ${formatDuration(e.timeoutMs)} and was stopped. The engine answered but is slow (overloaded, or busy with another client); retry, or raise the engine timeout (imgalias: --timeout, config engineTimeout, IMGALIAS_ENGINE_TIMEOUT).`;
    case 'Cancelled':
      return `${e.engine} ${e.args.join(' ')} was cancelled by an interrupt before it reported back; it may or may not have taken effect. Rerun to finish.`;
    case 'UnexpectedOutput':
      return `could not read ${e.engine}'s answer: ${e.message}. Is this a ${e.engine} version imgalias supports (docker >= 20.10, podman >= 4)?`;
  }
};
