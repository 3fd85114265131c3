import type * as NodeHttp from 'node:http';
import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import { normaliseImageId } from '@imgalias/core/internal';
import type { Snapshot, SnapshotImage, StoreError } from '@imgalias/core';
import type { DockerEndpoint } from './DockerEndpoint.js';

/** One image as the Engine API describes it: its id and every name and digest, as `docker inspect` spells them. */
export interface InspectedImage {
  readonly id: string;
  readonly names: readonly string[];
  readonly digests: readonly string[];
}

/**
 * The Docker Engine API over its socket: the three calls the image store needs. Every failure is a `StoreError`
 * value; `args` in it are the equivalent CLI arguments, so messages read the same whichever transport ran.
 */
export interface EngineApiClient {
  /** `GET /images/json?all=1&digests=1`: the whole store, like `docker image ls --all --digests`. */
  listImages(): Promise<Either<StoreError, Snapshot>>;
  /** `GET /images/{name}/json`; `undefined` when no image has that name. */
  inspectImage(name: string): Promise<Either<StoreError, InspectedImage | undefined>>;
  /** `POST /images/{source}/tag?repo=&tag=`: what `docker tag SOURCE TARGET` does, without the process. `source`: a name or a `sha256:` id. */
  tagImage(source: string, target: string): Promise<Either<StoreError, void>>;
  /** Closes the kept-alive connections (they are unreferenced, so an idle client never holds a process open). */
  close(): void;
}

/** Reported after every Engine API request ends (like `ExecEvent` for processes): tests count tags with it. */
export interface RequestEvent {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  /** The HTTP status, or `undefined` when no answer came (no daemon, timeout). */
  readonly status: number | undefined;
  readonly durationMs: number;
}

export interface EngineApiOptions {
  readonly endpoint: Extract<DockerEndpoint, { _tag: 'Unix' | 'Tcp' }>;
  /**
   * Who answers: a Docker daemon (default) or Podman's Docker-compatible service (`podman system service`).
   * Podman 4.3 answers an image list that asks for `digests` with an empty body, so its list leaves that out
   * (it lists `RepoDigests` anyway); errors name the engine. Podman reads a short name as `localhost/...`:
   * spell names for it canonically (`spellReference(name, 'podman')`).
   */
  readonly engine?: 'docker' | 'podman';
  /** Connections kept open and used at once. Default 4. */
  readonly maxSockets?: number;
  /** Per request. Default 30 000 ms. */
  readonly timeoutMs?: number;
  /** Called after each request ends. */
  readonly onRequest?: (event: RequestEvent) => void;
}

interface Response {
  readonly status: number;
  readonly body: string;
}

type Failure = { readonly _tag: 'Connect'; readonly code: string; readonly message: string } | { readonly _tag: 'TimedOut' };

// Errors that mean no daemon answers at this address (as opposed to a daemon that refused a request).
const connectCodes = new Set(['ENOENT', 'ECONNREFUSED', 'EACCES', 'EPERM', 'ECONNRESET', 'EHOSTUNREACH', 'ENOTSOCK', 'ENOTFOUND', 'EADDRNOTAVAIL']);

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const strings = (value: unknown): readonly string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

/** Image names in a URL path: each segment escaped, the slashes kept (the daemon routes `/images/{name:.*}`). */
const pathOfName = (name: string): string => name.split('/').map(encodeURIComponent).join('/');

/** `repo:tag` split at the tag's colon (the last one after the last slash: `host:5000/x` has no tag colon). */
const splitTag = (name: string): { readonly repo: string; readonly tag: string } => {
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? { repo: name.slice(0, colon), tag: name.slice(colon + 1) } : { repo: name, tag: 'latest' };
};

const none = (name: string): boolean => name.includes('<none>');

const toImage = (row: Record<string, unknown>, id: string): SnapshotImage => {
  const names = [...new Set(strings(row['RepoTags']).filter((name) => !none(name)))].sort();
  const digests = [...new Set(strings(row['RepoDigests']).filter((name) => !none(name)))].sort();
  return digests.length > 0 ? { id, names, digests } : { id, names };
};

/**
 * A client for one daemon, built on node:http with a keep-alive agent (see docs/adapters.md for why not undici
 * or dockerode).
 *
 * @example
 * const api = createEngineApiClient({ endpoint: { _tag: 'Unix', host: 'unix:///tmp/d.sock', socketPath: '/tmp/d.sock' } });
 * const snapshot = await api.listImages();
 */
export const createEngineApiClient = (options: EngineApiOptions): EngineApiClient => {
  const { endpoint } = options;
  const engine = options.engine ?? 'docker';
  const timeoutMs = options.timeoutMs ?? 30_000;
  // node:http is loaded on the first request, through getBuiltinModule where Node has it (20.16+): an ES import
  // of node:http on Node 22 also loads its bundled undici (for the WebSocket export), a cost on every start-up of
  // a program that bundles this package, whatever command it runs.
  let connection: { readonly http: typeof NodeHttp; readonly agent: NodeHttp.Agent } | undefined;
  const connect = async (): Promise<NonNullable<typeof connection>> => {
    if (connection !== undefined) return connection;
    const http = process.getBuiltinModule?.('node:http') ?? (await import('node:http')).default;
    connection ??= { http, agent: new http.Agent({ keepAlive: true, maxSockets: Math.max(1, options.maxSockets ?? 4) }) };
    return connection;
  };
  // `servername: ''`: otherwise Node's agent derives a TLS server name from the Host header on every plain-HTTP
  // request, and its first isIP() check compiles a large regular expression (3 ms or more of a start-up). TLS is
  // never spoken here (such hosts go through the CLI), so the name is unused.
  const plainHttp = { servername: '' };
  const target = endpoint._tag === 'Unix' ? { ...plainHttp, socketPath: endpoint.socketPath } : { ...plainHttp, host: endpoint.hostname, port: endpoint.port };

  const request = async (method: 'GET' | 'POST', requestPath: string): Promise<Either<Failure, Response>> => {
    const { http, agent } = await connect();
    return new Promise((resolve) => {
      const started = performance.now();
      let settled = false;
      const settle = (result: Either<Failure, Response>): void => {
        if (settled) return;
        settled = true;
        const status = result._tag === 'Right' ? result.right.status : undefined;
        options.onRequest?.({ method, path: requestPath, status, durationMs: performance.now() - started });
        resolve(result);
      };
      const req = http.request({ ...target, agent, method, path: requestPath, headers: { Host: 'docker' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => settle(right({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') })));
        res.on('error', (error: NodeJS.ErrnoException) => settle(left({ _tag: 'Connect', code: error.code ?? 'EIO', message: error.message })));
      });
      req.setTimeout(timeoutMs, () => {
        settle(left({ _tag: 'TimedOut' }));
        req.destroy();
      });
      req.on('error', (error: NodeJS.ErrnoException) => settle(left({ _tag: 'Connect', code: error.code ?? 'EIO', message: error.message })));
      req.end();
    });
  };

  const failure = (failed: Failure, args: readonly string[]): StoreError =>
    failed._tag === 'TimedOut'
      ? { _tag: 'Timeout', engine, args, timeoutMs }
      : connectCodes.has(failed.code)
        ? { _tag: 'EngineUnreachable', engine, message: `Cannot connect to the ${engine === 'podman' ? 'Podman service' : 'Docker daemon'} at ${endpoint.host} (${failed.code})` }
        : { _tag: 'RequestFailed', engine, args, message: `${failed.code}: ${failed.message}` };

  /** The daemon's own words: its JSON `{ "message": ... }`, else the status line. */
  const daemonMessage = (response: Response): string => {
    try {
      const parsed: unknown = JSON.parse(response.body);
      if (isRecord(parsed) && typeof parsed['message'] === 'string') return parsed['message'];
    } catch {
      // not JSON: fall through to the status
    }
    return `the Engine API answered HTTP ${response.status}`;
  };

  // An error answer from the daemon: an HTTP request failed, no program ran, so there is no exit status.
  const refused = (response: Response, args: readonly string[]): StoreError => ({
    _tag: 'RequestFailed',
    engine,
    args,
    status: response.status,
    message: daemonMessage(response),
  });

  const unexpected = (message: string): StoreError => ({ _tag: 'UnexpectedOutput', engine, message });

  return {
    listImages: async () => {
      const args = ['image', 'ls', '--all', '--digests'];
      const answered = await request('GET', engine === 'podman' ? '/images/json?all=1' : '/images/json?all=1&digests=1');
      if (answered._tag === 'Left') return left(failure(answered.left, args));
      if (answered.right.status !== 200) return left(refused(answered.right, args));
      let rows: unknown;
      try {
        rows = JSON.parse(answered.right.body);
      } catch {
        return left(unexpected(`the image list is not JSON: ${answered.right.body.slice(0, 120)}`));
      }
      if (!Array.isArray(rows)) return left(unexpected('the image list is not a JSON array'));
      const byId = new Map<string, SnapshotImage>();
      for (const [index, row] of rows.entries()) {
        const id = isRecord(row) ? row['Id'] : undefined;
        if (!isRecord(row) || typeof id !== 'string' || id === '') return left(unexpected(`image ${index} in the list has no Id`));
        byId.set(normaliseImageId(id), toImage(row, normaliseImageId(id)));
      }
      const images = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      return right({ version: 1, images });
    },

    inspectImage: async (name) => {
      const args = ['image', 'inspect', name];
      const answered = await request('GET', `/images/${pathOfName(name)}/json`);
      if (answered._tag === 'Left') return left(failure(answered.left, args));
      if (answered.right.status === 404) return right(undefined);
      if (answered.right.status !== 200) return left(refused(answered.right, args));
      let row: unknown;
      try {
        row = JSON.parse(answered.right.body);
      } catch {
        return left(unexpected(`the inspection of ${name} is not JSON`));
      }
      const id = isRecord(row) ? row['Id'] : undefined;
      if (!isRecord(row) || typeof id !== 'string') return left(unexpected(`the inspection of ${name} has no Id`));
      const image = toImage(row, normaliseImageId(id));
      return right({ id: image.id, names: image.names, digests: image.digests ?? [] });
    },

    tagImage: async (source, targetName) => {
      const args = ['tag', source, targetName];
      const { repo, tag } = splitTag(targetName);
      const query = new URLSearchParams({ repo, tag }).toString();
      const answered = await request('POST', `/images/${pathOfName(source)}/tag?${query}`);
      if (answered._tag === 'Left') return left(failure(answered.left, args));
      if (answered.right.status !== 201 && answered.right.status !== 200) return left(refused(answered.right, args));
      return right(undefined);
    },

    close: () => connection?.agent.destroy(),
  };
};
