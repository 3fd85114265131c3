import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import type { EngineKind, StoreError } from '@imgalias/core';
import type { Exec, ExecOutcome } from './Exec.js';
import { execaExec } from './Exec.js';
import type { EngineEnv, EngineOptionsError } from './EngineEnvironment.js';
import { checkEngineTarget, describeEngineOptionsError, engineEnvironment } from './EngineEnvironment.js';
import { toStoreError } from './StoreError.js';

/** Reported after every engine process ends, so callers can log, time or count them (tests count `tag`s). */
export interface ExecEvent {
  readonly engine: EngineKind;
  readonly command: string;
  /** The global arguments the runner put first (`--root ...`), kept apart so `args[0]` is the verb. */
  readonly globalArgs: readonly string[];
  readonly args: readonly string[];
  /** Variables this process ran with on top of the runner's `env` (`GOGC` for `podman tag`); usually empty. */
  readonly extraEnv: Readonly<Record<string, string>>;
  readonly outcome: ExecOutcome;
  readonly durationMs: number;
}

/** How to reach one engine. Shared by the image store and by any other verb (pull, push) built on the runner. */
export interface EngineOptions {
  /** Which CLI dialect to speak. Chosen by the caller, never guessed from the environment. */
  readonly engine: EngineKind;
  /** The program to run. Default: the engine's name, looked up on the PATH engine processes get. */
  readonly command?: string;
  /**
   * Variables laid over `process.env` (read once, when the runner or store is made) for engine processes: a
   * name here adds to or overrides the process's own, and a name set to `undefined` is removed, e.g.
   * `{ DOCKER_CONTEXT: undefined }`. The engine CLI reads DOCKER_HOST, DOCKER_CONTEXT and CONTAINER_HOST from
   * the result, and the Engine API transport resolves its address from the same result
   * (`engineEnvironment` computes it).
   */
  readonly env?: EngineEnv;
  /**
   * The daemon's address, as docker's `--host` (`DOCKER_HOST`) or podman's `--url` (`CONTAINER_HOST`) take it:
   * `unix:///run/docker.sock`, `tcp://127.0.0.1:2375`, `ssh://me@host`. It wins over `env`. Not with `context`,
   * not for nerdctl.
   */
  readonly host?: string;
  /**
   * A docker context name, as docker's `--context` takes it; it wins over DOCKER_HOST and DOCKER_CONTEXT in
   * `env`, and the Engine API transport reads the context's address from the docker config directory. Docker
   * only; not with `host`.
   */
  readonly context?: string;
  /** Put before every verb, e.g. podman's `--root`/`--runroot`. Any global argument keeps the store on the CLI. */
  readonly globalArgs?: readonly string[];
  /** Per process. Default 30 000 ms. */
  readonly timeoutMs?: number;
  /** Default: execa. Unit tests inject a fake. */
  readonly exec?: Exec;
  /** Called after each process ends. */
  readonly onExec?: (event: ExecEvent) => void;
}

export interface EngineOutput {
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs one engine's CLI with fixed options; every failure comes back as a `StoreError` value. */
export interface EngineRunner {
  readonly engine: EngineKind;
  readonly command: string;
  /** The complete environment its processes run with (`engineEnvironment` of its options). */
  readonly env: Readonly<Record<string, string>>;
  run(args: readonly string[], options?: RunOptions): Promise<Either<StoreError, EngineOutput>>;
}

/** What one `run` may change for its process alone. */
export interface RunOptions {
  /** The process is killed after this long (the outcome is `TimedOut`). Default: the runner's `timeoutMs`. */
  readonly timeoutMs?: number;
  /** Aborting it ends the process (the outcome is `Cancelled`): an interrupted run. */
  readonly signal?: AbortSignal;
  /** Variables laid over the runner's `env` for this process only. */
  readonly extraEnv?: Readonly<Record<string, string>>;
}

export const defaultTimeoutMs = 30_000;

/** Contradictory engine options, as the error every call returns: nothing was run. */
export const refusedEngineOptions = (error: EngineOptionsError): StoreError => ({
  _tag: 'EngineUnreachable',
  engine: error.engine,
  message: `the engine options were refused and nothing was run: ${describeEngineOptionsError(error)}`,
});

/**
 * Options that contradict each other (`checkEngineTarget`) make every `run` an `EngineUnreachable` error value
 * saying why, and no process starts.
 *
 * @example
 * const docker = createEngineRunner({ engine: 'docker', host: 'unix:///tmp/d.sock' });
 * const version = await docker.run(['version', '--format', '{{.Server.Version}}']);
 */
export const createEngineRunner = (options: EngineOptions): EngineRunner => {
  const engine = options.engine;
  const command = options.command ?? engine;
  const globalArgs = options.globalArgs ?? [];
  const exec = options.exec ?? execaExec;
  const checked = checkEngineTarget(options);
  const env = engineEnvironment(options);
  return {
    engine,
    command,
    env,
    run: async (args, runOptions = {}) => {
      if (checked._tag === 'Left') return left(refusedEngineOptions(checked.left));
      const timeoutMs = runOptions.timeoutMs ?? options.timeoutMs ?? defaultTimeoutMs;
      const extraEnv = runOptions.extraEnv;
      const started = performance.now();
      const outcome = await exec({
        command,
        args: [...globalArgs, ...args],
        env: extraEnv === undefined ? env : { ...env, ...extraEnv },
        timeoutMs,
        ...(runOptions.signal === undefined ? {} : { cancelSignal: runOptions.signal }),
      });
      options.onExec?.({ engine, command, globalArgs, args, extraEnv: extraEnv ?? {}, outcome, durationMs: performance.now() - started });
      const error = toStoreError(outcome, { engine, command, args, timeoutMs });
      if (error !== undefined) return left(error);
      // toStoreError returns undefined only for a zero exit, so the outcome is `Exited` here.
      const exited = outcome as Extract<ExecOutcome, { _tag: 'Exited' }>;
      return right({ stdout: exited.stdout, stderr: exited.stderr });
    },
  };
};
