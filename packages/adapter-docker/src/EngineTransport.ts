import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import type { EngineKind, Snapshot, StoreError } from '@imgalias/core';
import type { DockerEndpoint } from './DockerEndpoint.js';
import { endpointOfHost, resolveDockerEndpoint } from './DockerEndpoint.js';
import type { EngineApiClient, InspectedImage, RequestEvent } from './EngineApi.js';
import { createEngineApiClient } from './EngineApi.js';
import type { EngineRunner } from './EngineRunner.js';
import { imageListArgs, parseImageList, podmanInspectArgs } from './ImageList.js';

/** Which way the store talks to the engine: its CLI (one process per call) or Docker's Engine API socket. */
export type TransportKind = 'cli' | 'api';

/** What the caller asks for: `auto` takes the API when it can reach the daemon with it, else the CLI. */
export type TransportChoice = TransportKind | 'auto';

/** Which transport ran, and why, for `--verbose` and the apply report. */
export interface TransportInfo {
  readonly kind: TransportKind;
  /** One line: `docker CLI` or `Docker Engine API at unix:///run/docker.sock`, with the reason for a fallback. */
  readonly description: string;
}

/**
 * How the image store reaches an engine, independent of the transport: read the whole store, read one name,
 * give an image more names. Names are spelled in the engine's dialect. The store decides what to do; the
 * transport only does it.
 */
export interface EngineTransport {
  info(): TransportInfo;
  list(): Promise<Either<StoreError, Snapshot>>;
  /** `signal`: aborting it cancels the engine process in flight (an interrupted apply); the API's calls are short. */
  inspect(name: string, signal?: AbortSignal): Promise<Either<StoreError, InspectedImage | undefined>>;
  /**
   * Gives `source` every name in `targets`. `source` is what the engine looks the image up by: the store passes
   * the planned image's `sha256:` id (a name would be followed wherever another process moved it). `podman tag
   * SOURCE T1 T2 ...` does it in one process; docker's CLI and the API take one target per call, run here one
   * after another.
   */
  tag(source: string, targets: readonly string[], signal?: AbortSignal): Promise<Either<StoreError, void>>;
  /** True when `tag` with several targets costs one call, so grouping actions by source pays. */
  readonly multiTarget: boolean;
  /** Releases kept-alive connections. */
  close(): void;
}

const sequentially = async (
  targets: readonly string[],
  one: (target: string) => Promise<Either<StoreError, void>>,
): Promise<Either<StoreError, void>> => {
  for (const target of targets) {
    const done = await one(target);
    if (done._tag === 'Left') return done;
  }
  return right(undefined);
};

/**
 * Go's collector setting for `podman tag`. Podman 4.3's storage re-indexes every name of the image for each name
 * the tag adds, so a tag of many names on one image is bound by allocation, and at Go's default (`GOGC=100`: a
 * collection whenever the heap doubles a live heap of a few MiB) the collector takes about a third of the
 * process's CPU. `GOGC=400` collects when the heap reaches five times the live heap, for a larger peak RSS
 * (docs/performance.md has the figures). A `GOGC` the caller's environment sets wins.
 */
const podmanTagEnv = (env: Readonly<Record<string, string>>): Readonly<Record<string, string>> =>
  env.GOGC === undefined ? { GOGC: '400' } : {};

/** The engine's CLI through a runner: `image ls`, `image inspect`, `tag`. */
export const createCliTransport = (runner: EngineRunner, note?: string): EngineTransport => {
  const engine = runner.engine;
  const info: TransportInfo = { kind: 'cli', description: `${runner.command} CLI${note === undefined ? '' : ` (${note})`}` };
  return {
    info: () => info,
    multiTarget: engine === 'podman',
    list: async () => {
      const listed = await runner.run(imageListArgs(engine));
      return listed._tag === 'Left' ? listed : parseImageList(engine, listed.right.stdout);
    },
    inspect: async (name, signal) => {
      const args = engine === 'podman' ? podmanInspectArgs(name) : ['image', 'ls', '--all', '--no-trunc', '--digests', '--format', '{{json .}}', name];
      const listed = await runner.run(engine === 'nerdctl' ? args.filter((arg) => arg !== '--all') : args, signal === undefined ? {} : { signal });
      if (listed._tag === 'Left') return listed;
      const parsed = parseImageList(engine, listed.right.stdout);
      if (parsed._tag === 'Left') return parsed;
      const image = parsed.right.images[0];
      return right(image === undefined ? undefined : { id: image.id, names: image.names, digests: image.digests ?? [] });
    },
    tag: async (source, targets, signal) => {
      const runOptions = signal === undefined ? {} : { signal };
      if (engine === 'podman') {
        const ran = await runner.run(['tag', source, ...targets], { ...runOptions, extraEnv: podmanTagEnv(runner.env) });
        return ran._tag === 'Left' ? ran : right(undefined);
      }
      return sequentially(targets, async (target) => {
        const ran = await runner.run(['tag', source, target], runOptions);
        return ran._tag === 'Left' ? ran : right(undefined);
      });
    },
    close: () => undefined,
  };
};

/**
 * Docker's Engine API over the daemon's socket, or Podman's Docker-compatible service (`engine: 'podman'`).
 * Podman's service loses names when two tag requests run at once (each rewrites the name list it read, as two
 * `podman tag` processes do), so for podman the transport sends one tag request at a time, and groups an image's
 * names into one `tag` call like the podman CLI (its re-reads are then one listing per image).
 */
export const createApiTransport = (client: EngineApiClient, endpoint: DockerEndpoint, engine: 'docker' | 'podman' = 'docker'): EngineTransport => {
  const info: TransportInfo = { kind: 'api', description: `${engine === 'podman' ? 'Podman service API' : 'Docker Engine API'} at ${endpoint.host}` };
  let tagging: Promise<unknown> = Promise.resolve();
  const tagOne = (source: string, target: string): Promise<Either<StoreError, void>> => {
    if (engine === 'docker') return client.tagImage(source, target);
    const done = tagging.then(() => client.tagImage(source, target));
    tagging = done;
    return done;
  };
  return {
    info: () => info,
    multiTarget: engine === 'podman',
    list: () => client.listImages(),
    inspect: (name) => client.inspectImage(name),
    tag: (source, targets) => sequentially(targets, (target) => tagOne(source, target)),
    close: () => client.close(),
  };
};

/**
 * `auto`: the API while it reaches the daemon; on the first call that cannot connect, the CLI from then on (it
 * may reach what the API cannot, and it reports a missing program or daemon in the engine's own words).
 */
const withFallback = (api: EngineTransport, cli: () => EngineTransport): EngineTransport => {
  let current = api;
  let fellBack = false;
  const attempt = async <A>(call: (transport: EngineTransport) => Promise<Either<StoreError, A>>): Promise<Either<StoreError, A>> => {
    const result = await call(current);
    if (fellBack || result._tag === 'Right' || result.left._tag !== 'EngineUnreachable') return result;
    fellBack = true;
    current.close();
    current = cli();
    return call(current);
  };
  return {
    info: () => current.info(),
    get multiTarget() {
      return current.multiTarget;
    },
    list: () => attempt((transport) => transport.list()),
    inspect: (name, signal) => attempt((transport) => transport.inspect(name, signal)),
    tag: (source, targets, signal) => attempt((transport) => transport.tag(source, targets, signal)),
    close: () => current.close(),
  };
};

export interface TransportOptions {
  readonly engine: EngineKind;
  readonly choice: TransportChoice;
  readonly runner: EngineRunner;
  /** The complete engine environment (`engineEnvironment`, the runner's `env`): the endpoint is resolved from it. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Global CLI arguments (podman's `--root`, a hand-written `--context`): only the CLI understands them. */
  readonly globalArgs: readonly string[];
  readonly maxSockets: number;
  readonly timeoutMs?: number;
  /** Where the endpoint comes from; default: resolved from `env` and the docker config directory. */
  readonly endpoint?: DockerEndpoint;
  readonly onRequest?: (event: RequestEvent) => void;
}

/**
 * Podman's service socket, from CONTAINER_HOST (what the podman CLI itself reads to talk to a service). Podman
 * is daemonless: without a service on a unix socket there is no API to talk to, and the CLI runs.
 */
const podmanServiceEndpoint = (env: Readonly<Record<string, string | undefined>>): DockerEndpoint => {
  const host = env['CONTAINER_HOST'];
  if (host === undefined || host === '') return { _tag: 'CliOnly', host: 'CONTAINER_HOST', reason: 'not set (podman runs without a service)' };
  const endpoint = endpointOfHost(host, false);
  return endpoint._tag === 'Tcp' ? { _tag: 'CliOnly', host, reason: "only a podman service's unix socket is spoken by the API transport" } : endpoint;
};

/**
 * The transport for a choice. `api` is an error value for nerdctl, for podman without a service socket in
 * CONTAINER_HOST, and for an endpoint the API transport cannot reach; `auto` then quietly uses the CLI and says
 * why in `info()`.
 */
export const selectTransport = (options: TransportOptions): Either<StoreError, EngineTransport> => {
  const cli = (note?: string): EngineTransport => createCliTransport(options.runner, note);
  if (options.choice === 'cli') return right(cli());
  const refuse = (reason: string): Either<StoreError, EngineTransport> =>
    options.choice === 'api'
      ? left({ _tag: 'EngineUnreachable', engine: options.engine, message: `the Engine API transport cannot be used: ${reason}; use --transport cli` })
      : right(cli(`the Engine API transport is not used: ${reason}`));
  if (options.engine === 'nerdctl') return refuse('nerdctl is driven through its CLI');
  if (options.globalArgs.length > 0) return refuse(`global CLI arguments are set (${options.globalArgs.join(' ')})`);
  const endpoint = options.endpoint ?? (options.engine === 'podman' ? podmanServiceEndpoint(options.env) : resolveDockerEndpoint({ env: options.env }));
  if (endpoint._tag === 'CliOnly') return refuse(`${endpoint.host}: ${endpoint.reason}`);
  const engine = options.engine;
  const client = createEngineApiClient({
    endpoint,
    engine,
    maxSockets: options.maxSockets,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.onRequest === undefined ? {} : { onRequest: options.onRequest }),
  });
  const api = createApiTransport(client, endpoint, engine);
  return right(options.choice === 'api' ? api : withFallback(api, () => cli(`the Engine API at ${endpoint.host} did not answer`)));
};
