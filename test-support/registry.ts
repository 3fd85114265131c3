/**
 * A private registry on 127.0.0.1 that plays Harbor in the lifecycle tests.
 *
 * It runs Debian's `docker-registry` (distribution 2.8) through `scripts/engines/registry.sh`, with its config,
 * data and log under one temp directory. It can be stopped and started again on the same port and data
 * directory, which the "registry was down, then came back" retry test needs. Its access log is parsed so a test
 * can prove which requests reached it (and that nothing else was asked).
 *
 * Outside CI a missing `docker-registry` is a skip with a reason; in CI (`CI=true`) it is an error.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll } from '@jest/globals';

const run = promisify(execFile);
const script = resolve(dirname(fileURLToPath(import.meta.url)), '../scripts/engines/registry.sh');

/** One line of the registry's access log. */
export interface RegistryRequest {
  readonly method: string;
  /** request path, e.g. `/v2/aihpc/redis/manifests/7-alpine` */
  readonly path: string;
  readonly status: number;
  readonly userAgent: string;
}

export interface TestRegistry {
  /** the temp directory holding config.yml, data/, registry.log and pid */
  readonly dir: string;
  readonly port: number;
  /** `127.0.0.1:PORT`: the registry part of an image name */
  readonly host: string;
  /** `127.0.0.1:PORT/aihpc`: the Harbor location the tests configure */
  readonly harbor: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Every request the registry has logged since it was first started (survives restarts). */
  requests(): Promise<readonly RegistryRequest[]>;
  /** Stop the registry and delete its directory. */
  dispose(): Promise<void>;
}

/** How a test registry authenticates and whether it serves TLS (files made by the test, e.g. with openssl). */
export interface RegistrySecurity {
  /** htpasswd basic auth: the path of a file with bcrypt lines (`htpasswd -B`). */
  readonly htpasswd?: string;
  /** bearer tokens from a token server (test-support/tokenServer.ts): distribution's `auth: token:` section. */
  readonly token?: { readonly realm: string; readonly service: string; readonly issuer: string; readonly rootCertBundle: string };
  /** serve HTTPS with this certificate and key (PEM files). */
  readonly tls?: { readonly certificate: string; readonly key: string };
}

export type RegistryStart =
  | { readonly _tag: 'Started'; readonly registry: TestRegistry }
  | { readonly _tag: 'Unavailable'; readonly reason: string };

/** A free TCP port on 127.0.0.1, chosen by the kernel. */
export async function freeLoopbackPort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => ok(port));
    });
  });
}

// The common log format line the registry writes for each request:
// 127.0.0.1 - - [29/Nov/2026:06:59:04 +0000] "GET /v2/ HTTP/1.1" 200 2 "" "curl/7.88.1"
const accessLine = /^\S+ \S+ \S+ \[[^\]]*\] "([A-Z]+) (\S+) [^"]*" (\d{3}) \S+ "[^"]*" "([^"]*)"$/;

export function parseAccessLog(text: string): readonly RegistryRequest[] {
  return text.split('\n').flatMap((line) => {
    const m = accessLine.exec(line.trim());
    return m ? [{ method: m[1]!, path: m[2]!, status: Number(m[3]), userAgent: m[4]! }] : [];
  });
}

/** Manifest requests for one repository (`aihpc/redis`), the ones a pull or a push-skip check makes. */
export function manifestRequests(requests: readonly RegistryRequest[], repository?: string): readonly RegistryRequest[] {
  return requests.filter((r) => {
    const m = /^\/v2\/(.+)\/manifests\/[^/]+$/.exec(r.path);
    return m !== null && (repository === undefined || m[1] === repository);
  });
}

// JSON strings are valid YAML scalars: paths and URLs are written quoted, never spliced in raw.
const yamlString = (value: string): string => JSON.stringify(value);

async function writeSecurity(dir: string, security: RegistrySecurity): Promise<void> {
  if (security.tls) {
    await writeFile(
      join(dir, 'tls.yml'),
      `  tls:\n    certificate: ${yamlString(security.tls.certificate)}\n    key: ${yamlString(security.tls.key)}\n`,
    );
  }
  if (security.htpasswd) {
    await writeFile(join(dir, 'auth.yml'), `auth:\n  htpasswd:\n    realm: imgalias-test\n    path: ${yamlString(security.htpasswd)}\n`);
  } else if (security.token) {
    const t = security.token;
    await writeFile(
      join(dir, 'auth.yml'),
      `auth:\n  token:\n    realm: ${yamlString(t.realm)}\n    service: ${yamlString(t.service)}\n    issuer: ${yamlString(t.issuer)}\n    rootcertbundle: ${yamlString(t.rootCertBundle)}\n`,
    );
  }
}

async function hasRegistryBinary(): Promise<boolean> {
  try {
    await run('docker-registry', ['--version']);
    return true;
  } catch {
    return false;
  }
}

/**
 * Start a registry on a free loopback port. Returns `Unavailable` outside CI when `docker-registry` is not
 * installed; throws in CI, where a missing registry is a broken environment, not a reason to skip.
 */
export async function startRegistry(options: { readonly project?: string; readonly security?: RegistrySecurity } = {}): Promise<RegistryStart> {
  if (!(await hasRegistryBinary())) {
    const reason = 'docker-registry is not installed (apt-get install -y docker-registry)';
    if (process.env['CI'] === 'true') throw new Error(`CI: ${reason}`);
    return { _tag: 'Unavailable', reason };
  }
  const dir = await mkdtemp(join(tmpdir(), 'imgalias-registry-'));
  const port = await freeLoopbackPort();
  const host = `127.0.0.1:${port}`;
  await writeSecurity(dir, options.security ?? {});
  // If the test process dies without running afterAll, do not leave the registry behind. Synchronous on
  // purpose (only synchronous work runs in an 'exit' handler); the pid file follows restarts.
  const killOnExit = (): void => {
    try {
      process.kill(Number(readFileSync(join(dir, 'pid'), 'utf8').trim()), 'SIGTERM');
    } catch {
      // not running
    }
  };
  const registry: TestRegistry = {
    dir,
    port,
    host,
    harbor: `${host}/${options.project ?? 'aihpc'}`,
    start: async () => {
      await run('bash', [script, 'start', dir, String(port)]);
    },
    stop: async () => {
      await run('bash', [script, 'stop', dir]);
    },
    requests: async () => parseAccessLog(await readFile(join(dir, 'registry.log'), 'utf8').catch(() => '')),
    dispose: async () => {
      await run('bash', [script, 'stop', dir]).catch(() => undefined);
      process.removeListener('exit', killOnExit);
      await rm(dir, { recursive: true, force: true });
    },
  };
  process.once('exit', killOnExit);
  try {
    await registry.start();
  } catch (e) {
    process.removeListener('exit', killOnExit);
    await rm(dir, { recursive: true, force: true });
    const reason = `the test registry did not start: ${(e as { stderr?: string }).stderr ?? String(e)}`;
    if (process.env['CI'] === 'true') throw new Error(`CI: ${reason}`);
    return { _tag: 'Unavailable', reason };
  }
  return { _tag: 'Started', registry };
}

/**
 * Starts a registry for one test file and registers its disposal in `afterAll`, like `requireEngine` in
 * engines.ts: `undefined` (with a message) when it cannot start on a developer machine, an error in CI.
 *
 * ```ts
 * const registry = await requireRegistry();
 * (registry ? describe : describe.skip)('with a registry', () => { ... });
 * ```
 */
export const requireRegistry = async (options: { readonly project?: string; readonly security?: RegistrySecurity } = {}): Promise<TestRegistry | undefined> => {
  const started = await startRegistry(options);
  if (started._tag === 'Unavailable') {
    console.warn(`Skipping registry tests: ${started.reason}`);
    return undefined;
  }
  afterAll(() => started.registry.dispose(), 60_000);
  return started.registry;
};
