import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Where a Docker daemon's Engine API listens, as the docker CLI would find it, or why only the CLI can reach it.
 *
 * - `Unix`: a socket file (`unix:///run/docker.sock`).
 * - `Tcp`: plain HTTP on a host and port (`tcp://127.0.0.1:2375`).
 * - `CliOnly`: an endpoint the API transport does not speak (ssh://, TLS, npipe, a context it cannot read);
 *   the docker CLI, which resolves it the same way, is used instead.
 */
export type DockerEndpoint =
  | { readonly _tag: 'Unix'; readonly host: string; readonly socketPath: string }
  | { readonly _tag: 'Tcp'; readonly host: string; readonly hostname: string; readonly port: number }
  | { readonly _tag: 'CliOnly'; readonly host: string; readonly reason: string };

/** What resolving an endpoint reads: the environment and files under the docker config directory. */
export interface EndpointSources {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Returns a file's text, or undefined when it does not exist. Default: the real file system. */
  readonly readFile?: (file: string) => string | undefined;
  readonly exists?: (file: string) => boolean;
}

const defaultHost = 'unix:///var/run/docker.sock';

const readIfPresent = (file: string): string | undefined => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const parseJson = (text: string | undefined): Record<string, unknown> | undefined => {
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
};

/** `DOCKER_HOST`-style address to an endpoint; `tls` when the daemon must be spoken to over TLS. */
export const endpointOfHost = (host: string, tls: boolean): DockerEndpoint => {
  if (host.startsWith('unix://')) {
    const socketPath = host.slice('unix://'.length);
    return socketPath === '' ? { _tag: 'CliOnly', host, reason: 'the unix socket path is empty' } : { _tag: 'Unix', host, socketPath };
  }
  if (host.startsWith('tcp://')) {
    if (tls) return { _tag: 'CliOnly', host, reason: 'the daemon is reached over TLS' };
    let url: URL;
    try {
      url = new URL(`http://${host.slice('tcp://'.length)}`);
    } catch {
      return { _tag: 'CliOnly', host, reason: 'the address is not host:port' };
    }
    if (url.pathname !== '/' && url.pathname !== '') return { _tag: 'CliOnly', host, reason: 'the address has a path' };
    const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
    return { _tag: 'Tcp', host, hostname, port: url.port === '' ? 2375 : Number(url.port) };
  }
  const scheme = /^([a-z]+):\/\//.exec(host)?.[1];
  return { _tag: 'CliOnly', host, reason: scheme === undefined ? 'the address has no scheme' : `${scheme}:// is not spoken by the API transport` };
};

/**
 * Resolves the daemon address the way the docker CLI does (without `--host`/`--context` flags): `DOCKER_HOST`
 * (with `DOCKER_TLS_VERIFY`), else the context named by `DOCKER_CONTEXT`, else the config file's
 * `currentContext`, else the default socket. A named context is read from
 * `$DOCKER_CONFIG/contexts/meta/<sha256 of its name>/meta.json`; one with TLS material is left to the CLI.
 *
 * @example
 * resolveDockerEndpoint({ env: { DOCKER_HOST: 'unix:///tmp/d/docker.sock' } });
 * // { _tag: 'Unix', host: 'unix:///tmp/d/docker.sock', socketPath: '/tmp/d/docker.sock' }
 */
export const resolveDockerEndpoint = (sources: EndpointSources): DockerEndpoint => {
  const { env } = sources;
  const readFile = sources.readFile ?? readIfPresent;
  const exists = sources.exists ?? existsSync;
  const tls = (env['DOCKER_TLS_VERIFY'] ?? '') !== '';
  const dockerHost = env['DOCKER_HOST'] ?? '';
  if (dockerHost !== '') return endpointOfHost(dockerHost, tls);

  const configDir = env['DOCKER_CONFIG'] || path.join(env['HOME'] ?? '', '.docker');
  const contextName = env['DOCKER_CONTEXT'] || (() => {
    const current = parseJson(readFile(path.join(configDir, 'config.json')))?.['currentContext'];
    return typeof current === 'string' ? current : '';
  })();
  if (contextName === '' || contextName === 'default') return endpointOfHost(defaultHost, tls);

  const id = createHash('sha256').update(contextName).digest('hex');
  const meta = parseJson(readFile(path.join(configDir, 'contexts', 'meta', id, 'meta.json')));
  const endpoints = meta?.['Endpoints'];
  const docker = isRecord(endpoints) ? endpoints['docker'] : undefined;
  const host = isRecord(docker) ? docker['Host'] : undefined;
  if (typeof host !== 'string' || host === '') {
    return { _tag: 'CliOnly', host: `context ${contextName}`, reason: `the context "${contextName}" could not be read` };
  }
  const contextTls = exists(path.join(configDir, 'contexts', 'tls', id, 'docker'));
  return endpointOfHost(host, contextTls);
};

/** How an endpoint reads in messages: the address the user set, as docker spells it. */
export const describeEndpoint = (endpoint: DockerEndpoint): string => endpoint.host;
