import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import type { EngineKind } from '@imgalias/core';

/** Environment variables by name. In engine options a name set to `undefined` is unset for the engine. */
export type EngineEnv = Readonly<Record<string, string | undefined>>;

/** What decides which daemon or store an engine process reaches. */
export interface EngineTarget {
  readonly engine: EngineKind;
  /** Laid over `process.env`; a name set to `undefined` is removed. */
  readonly env?: EngineEnv;
  /** The daemon's address: docker's `DOCKER_HOST` (`-H`), podman's `CONTAINER_HOST` (`--url`). */
  readonly host?: string;
  /** A docker context name (docker's `--context`). */
  readonly context?: string;
}

/** Engine options that contradict each other or name nothing: refused before any process runs. */
export type EngineOptionsError =
  | { readonly _tag: 'HostAndContext'; readonly engine: EngineKind; readonly host: string; readonly context: string }
  | { readonly _tag: 'ContextUnsupported'; readonly engine: EngineKind; readonly context: string }
  | { readonly _tag: 'HostUnsupported'; readonly engine: EngineKind; readonly host: string }
  | { readonly _tag: 'InvalidValue'; readonly engine: EngineKind; readonly option: 'host' | 'context'; readonly value: string };

// An empty value would silently mean "the default daemon", and a control character cannot be in an environment
// variable (a NUL makes spawning throw) or in a name a person meant.
const invalid = (value: string): boolean =>
  value.trim() === '' || [...value].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f);

/**
 * Checks `host` and `context`: at most one of them, `context` for docker only (podman names its services
 * `connections`, reached with `host`), `host` for docker and podman (nerdctl's containerd address is
 * `CONTAINERD_ADDRESS` in `env`), neither empty nor holding control characters.
 *
 * @example
 * checkEngineTarget({ engine: 'podman', context: 'remote' }); // left({ _tag: 'ContextUnsupported', ... })
 */
export const checkEngineTarget = <T extends EngineTarget>(options: T): Either<EngineOptionsError, T> => {
  const { engine, host, context } = options;
  if (host !== undefined && context !== undefined) return left({ _tag: 'HostAndContext', engine, host, context });
  if (host !== undefined && invalid(host)) return left({ _tag: 'InvalidValue', engine, option: 'host', value: host });
  if (context !== undefined && invalid(context)) return left({ _tag: 'InvalidValue', engine, option: 'context', value: context });
  if (context !== undefined && engine !== 'docker') return left({ _tag: 'ContextUnsupported', engine, context });
  if (host !== undefined && engine === 'nerdctl') return left({ _tag: 'HostUnsupported', engine, host });
  return right(options);
};

const shown = (value: string): string => JSON.stringify(value);

/**
 * What is wrong with the engine options and what to give instead, in one sentence.
 *
 * @example
 * describeEngineOptionsError({ _tag: 'ContextUnsupported', engine: 'podman', context: 'remote' });
 * // 'podman has no contexts (context "remote"): docker contexts are docker's; give podman the service address as host (CONTAINER_HOST) instead.'
 */
export const describeEngineOptionsError = (e: EngineOptionsError): string => {
  switch (e._tag) {
    case 'HostAndContext':
      return `host ${shown(e.host)} and context ${shown(e.context)} are both set, and each names the daemon on its own (docker refuses --host with --context too): give one of them.`;
    case 'ContextUnsupported':
      return `${e.engine} has no contexts (context ${shown(e.context)}): docker contexts are docker's; give ${e.engine} the service address as host${e.engine === 'podman' ? ' (CONTAINER_HOST)' : ''} instead.`;
    case 'HostUnsupported':
      return `nerdctl does not take a host (${shown(e.host)}): it reaches containerd at CONTAINERD_ADDRESS; set that in the engine environment instead.`;
    case 'InvalidValue':
      return `the ${e.option} ${shown(e.value)} is ${e.value.trim() === '' ? 'empty' : 'not printable'}: give ${e.option === 'host' ? 'the daemon address, e.g. unix:///run/docker.sock or tcp://127.0.0.1:2375' : 'the name of a docker context (docker context ls)'}, or leave it out for the default.`;
  }
};

/** The variables `host` and `context` stand for, per engine: one of them is set and the others unset. */
const targetVariables = (options: EngineTarget): EngineEnv => {
  if (options.context !== undefined) return { DOCKER_CONTEXT: options.context, DOCKER_HOST: undefined };
  if (options.host === undefined) return {};
  return options.engine === 'podman' ? { CONTAINER_HOST: options.host, CONTAINER_CONNECTION: undefined } : { DOCKER_HOST: options.host, DOCKER_CONTEXT: undefined };
};

/**
 * The complete environment an engine's processes run with, which is also the one the Engine API transport
 * resolves its address from and the apply lock is keyed on: `base` (default `process.env`), then `env` over it
 * (a name set to `undefined` is removed, e.g. `{ DOCKER_CONTEXT: undefined }`), then the variables `host` or
 * `context` stand for (docker: `DOCKER_HOST`, or `DOCKER_CONTEXT` with `DOCKER_HOST` removed, as `--host` and
 * `--context` win over both; podman: `CONTAINER_HOST`).
 *
 * @example
 * engineEnvironment({ engine: 'docker', env: { DOCKER_CONTEXT: undefined }, host: 'unix:///tmp/d.sock' }, { PATH: '/usr/bin', DOCKER_CONTEXT: 'prod' });
 * // { PATH: '/usr/bin', DOCKER_HOST: 'unix:///tmp/d.sock' }
 */
export const engineEnvironment = (options: EngineTarget, base: EngineEnv = process.env): Readonly<Record<string, string>> => {
  const merged: Record<string, string | undefined> = { ...base, ...options.env, ...targetVariables(options) };
  const complete: Record<string, string> = {};
  for (const [name, value] of Object.entries(merged)) if (value !== undefined) complete[name] = value;
  return complete;
};
