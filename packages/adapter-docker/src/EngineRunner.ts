import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import type { EngineKind, StoreError } from '@imgalias/core';
import type { Exec, ExecOutcome } from './Exec.js';
import { execaExec } from './Exec.js';
import { toStoreError } from './StoreError.js';

/** Reported after every engine process ends, so callers can log, time or count them (tests count `tag`s). */
export interface ExecEvent {
  readonly engine: EngineKind;
  readonly command: string;
  /** The global arguments the runner put first (`--root ...`), kept apart so `args[0]` is the verb. */
  readonly globalArgs: readonly string[];
  readonly args: readonly string[];
  readonly outcome: ExecOutcome;
  readonly durationMs: number;
}

/** How to reach one engine. Shared by the image store and by any other verb (pull, push) built on the runner. */
export interface EngineOptions {
  /** Which CLI dialect to speak. Chosen by the caller, never guessed from the environment. */
  readonly engine: EngineKind;
  /** The program to run. Default: the engine's name, looked up on the PATH of `env`. */
  readonly command?: string;
  /**
   * The complete environment for engine processes (not merged with anything). Default: `process.env`. This is
   * where DOCKER_HOST, DOCKER_CONTEXT and CONTAINER_HOST are read from, by the engine CLI itself.
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Put before every verb, e.g. podman's `--root`/`--runroot` or docker's `--context`. */
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
  run(args: readonly string[], options?: { readonly timeoutMs?: number; readonly signal?: AbortSignal }): Promise<Either<StoreError, EngineOutput>>;
}

export const defaultTimeoutMs = 30_000;

/**
 * @example
 * const docker = createEngineRunner({ engine: 'docker', env: { ...process.env, DOCKER_HOST: 'unix:///tmp/d.sock' } });
 * const version = await docker.run(['version', '--format', '{{.Server.Version}}']);
 */
export const createEngineRunner = (options: EngineOptions): EngineRunner => {
  const engine = options.engine;
  const command = options.command ?? engine;
  const globalArgs = options.globalArgs ?? [];
  const exec = options.exec ?? execaExec;
  const env = options.env ?? process.env;
  return {
    engine,
    command,
    run: async (args, runOptions = {}) => {
      const timeoutMs = runOptions.timeoutMs ?? options.timeoutMs ?? defaultTimeoutMs;
      const started = performance.now();
      const outcome = await exec({
        command,
        args: [...globalArgs, ...args],
        env,
        timeoutMs,
        ...(runOptions.signal === undefined ? {} : { cancelSignal: runOptions.signal }),
      });
      options.onExec?.({ engine, command, globalArgs, args, outcome, durationMs: performance.now() - started });
      const error = toStoreError(outcome, { engine, command, args, timeoutMs });
      if (error !== undefined) return left(error);
      // toStoreError returns undefined only for a zero exit, so the outcome is `Exited` here.
      const exited = outcome as Extract<ExecOutcome, { _tag: 'Exited' }>;
      return right({ stdout: exited.stdout, stderr: exited.stderr });
    },
  };
};
