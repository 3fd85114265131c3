/**
 * Private container engines for integration and end-to-end tests.
 *
 * Every engine lives in its own short temp directory (`/tmp/imga.XXXXXX`): a dockerd with its own socket, data
 * and state, or a Podman store with its own config files. Nothing here ever talks to /var/run/docker.sock or
 * the default Podman store. Suites stop what they start, by pid, in `afterAll` (registered by `requireEngine`).
 *
 * Usage in a test file (ESM jest allows top-level await):
 *
 * ```ts
 * const docker = await requireEngine('docker', startDockerd);
 * (docker ? describe : describe.skip)('on docker', () => {
 *   test('...', async () => {
 *     await importImage(docker!, ['localhost/redis:7-alpine']);
 *     await execa('docker', ['image', 'ls'], { env: docker!.env }); // env extends process.env
 *     const store = createEngineStore({ engine: 'docker', env: docker!.env }); // so do engine options
 *   });
 * });
 * ```
 *
 * The shell scripts behind this (`scripts/engines/dockerd.sh`, `scripts/engines/podman-store.sh`) can be used
 * on their own, for benchmarks and by hand.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll } from '@jest/globals';

const scriptsDir = fileURLToPath(new URL('../scripts/engines/', import.meta.url));

interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a program with an argument array (never a shell string); rejects with its stderr on failure. */
const run = (command: string, args: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): Promise<RunResult> =>
  new Promise((resolve, reject) => {
    execFile(
      command,
      [...args],
      { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024, timeout: 120_000 },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`${command} ${args.join(' ')} failed: ${String(stderr).trim() || error.message}`));
        } else {
          resolve({ stdout: String(stdout), stderr: String(stderr) });
        }
      },
    );
  });

/** Parses the `NAME=VALUE` lines the engine scripts print. */
const parseEnvLines = (text: string): Record<string, string> => {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return env;
};

/** Short on purpose: a unix socket path must stay under ~108 bytes, and os.tmpdir() may be long. */
const makeEngineDir = (): Promise<string> => mkdtemp('/tmp/imga.');

/**
 * If the test process dies without running afterAll, do not leave a daemon behind. Synchronous on purpose:
 * only synchronous work runs in an 'exit' handler.
 */
const killOnExit = (pid: number): (() => void) => {
  const handler = (): void => {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  process.once('exit', handler);
  return () => process.removeListener('exit', handler);
};

/** A private Docker Engine. `env` holds only the overrides; spread it over `process.env` for child processes. */
export interface DockerEngine {
  readonly kind: 'docker';
  readonly dir: string;
  /** `unix:///tmp/imga.XXXXXX/docker.sock` */
  readonly host: string;
  /**
   * `DOCKER_HOST` pointing at this daemon, `DOCKER_CONTEXT` blanked (DOCKER_HOST wins anyway) and
   * `DOCKER_CONFIG` under the engine dir, so the user's contexts and credential helpers are never consulted.
   */
  readonly env: Readonly<Record<string, string>>;
  readonly pid: number;
  /** Stops exactly this daemon (by pid) and removes its directory. Idempotent. */
  stop(): Promise<void>;
}

/** Starts a private dockerd (vfs storage, no networking) via `scripts/engines/dockerd.sh`. */
export const startDockerd = async (): Promise<DockerEngine> => {
  const dir = await makeEngineDir();
  const script = `${scriptsDir}dockerd.sh`;
  try {
    await run(script, ['start', dir]);
  } catch (error) {
    await run(script, ['stop', dir]).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const pid = Number((await readFile(`${dir}/pid`, 'utf8')).trim());
  const forget = killOnExit(pid);
  const host = `unix://${dir}/docker.sock`;
  await mkdir(`${dir}/config`, { recursive: true });
  let stopped = false;
  return {
    kind: 'docker',
    dir,
    host,
    pid,
    env: { DOCKER_HOST: host, DOCKER_CONTEXT: '', DOCKER_CONFIG: `${dir}/config` },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await run(script, ['stop', dir]);
      forget();
      await rm(dir, { recursive: true, force: true });
    },
  };
};

/** A private Podman store. Podman has no daemon: the store is config files and a `podman` wrapper under `dir`. */
export interface PodmanStore {
  readonly kind: 'podman';
  readonly dir: string;
  /**
   * Enough on its own to isolate a plain `podman` call: CONTAINERS_STORAGE_CONF, CONTAINERS_CONF,
   * CONTAINERS_REGISTRIES_CONF, XDG_RUNTIME_DIR, TMPDIR, HOME and a PATH whose first entry is the wrapper
   * (see scripts/engines/podman-store.sh), with CONTAINER_HOST and CONTAINER_CONNECTION unset (`undefined`):
   * either, even empty, sends podman to a remote service, and the test guard (engineGuard.mjs) sets
   * CONTAINER_HOST to a dead socket. Engine options take it as it is (they add to `process.env`); spread it over
   * `process.env` for other child processes (Node leaves out a variable whose value is `undefined`).
   */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The same storage settings as global flags, for callers that pass flags rather than environment. */
  readonly globalArgs: readonly string[];
  /** Removes the store's directory. Idempotent. */
  cleanup(): Promise<void>;
}

export interface PodmanStoreOptions {
  /** `host:port` registries podman may use without TLS (the loopback test registry). */
  readonly insecureRegistries?: readonly string[];
}

/** Creates a private Podman store via `scripts/engines/podman-store.sh`. */
export const createPodmanStore = async (options: PodmanStoreOptions = {}): Promise<PodmanStore> => {
  const dir = await makeEngineDir();
  const script = `${scriptsDir}podman-store.sh`;
  let printed: RunResult;
  try {
    printed = await run(script, ['create', dir], { IMGALIAS_INSECURE_REGISTRIES: (options.insecureRegistries ?? []).join(' ') });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const env = { ...parseEnvLines(printed.stdout), CONTAINER_HOST: undefined, CONTAINER_CONNECTION: undefined };
  try {
    // Prove the store works before handing it out, so a broken podman fails here with its own message.
    await run('podman', ['images', '--format', 'json'], env);
  } catch (error) {
    await run(script, ['remove', dir]).catch(() => rm(dir, { recursive: true, force: true }));
    throw error;
  }
  let removed = false;
  return {
    kind: 'podman',
    dir,
    env,
    globalArgs: [
      `--root=${dir}/root`,
      `--runroot=${dir}/run`,
      '--storage-driver=vfs',
      '--cgroup-manager=cgroupfs',
      '--events-backend=file',
      `--tmpdir=${dir}/tmp`,
    ],
    cleanup: async () => {
      if (removed) return;
      removed = true;
      await run(script, ['remove', dir]);
    },
  };
};

export type TestEngine = DockerEngine | PodmanStore;

let importCounter = 0;

/**
 * Creates a tiny image (one file, unique content per call, so every call yields a new image id) with
 * `docker import` / `podman import`, then gives it every name in `names`, spelled as the engine's CLI reads
 * them (podman reads `redis:7-alpine` as `localhost/redis:7-alpine`; write `docker.io/library/redis:7-alpine`
 * for the Docker Hub name there). Returns the image id as the engine prints it (`sha256:...`).
 */
export const importImage = async (engine: TestEngine, names: readonly string[]): Promise<string> => {
  importCounter += 1;
  const work = `${engine.dir}/import-${process.pid}-${importCounter}`;
  await mkdir(`${work}/rootfs`, { recursive: true });
  await writeFile(`${work}/rootfs/id`, `${randomBytes(16).toString('hex')} ${importCounter}\n`);
  await run('tar', ['-C', `${work}/rootfs`, '-cf', `${work}/rootfs.tar`, 'id']);
  const command = engine.kind;
  const [first, ...rest] = names;
  const imported = await run(command, ['import', `${work}/rootfs.tar`, ...(first === undefined ? [] : [first])], engine.env);
  // podman prints progress on stderr and the id last on stdout; docker prints only the id.
  const id = imported.stdout.trim().split('\n').pop() ?? '';
  for (const name of rest) {
    await run(command, ['tag', id, name], engine.env);
  }
  await rm(work, { recursive: true, force: true });
  return id;
};

/** Runs the engine's own CLI against the private engine (for assertions and setup); returns stdout. */
export const engineCli = async (engine: TestEngine, args: readonly string[]): Promise<string> =>
  (await run(engine.kind, args, engine.env)).stdout;

const teardown = (engine: TestEngine): Promise<void> => (engine.kind === 'docker' ? engine.stop() : engine.cleanup());

/**
 * Starts an engine for one test file and registers its teardown in `afterAll`. When it cannot start, the
 * suite is skipped with a message on a developer machine, but in CI (`CI=true`) this throws, failing the
 * file: an integration suite must never pass silently in CI because its engine was missing.
 *
 * Call it at the top level of the test file (`await requireEngine(...)`), then use
 * `(engine ? describe : describe.skip)(...)`.
 */
export const requireEngine = async <E extends TestEngine>(name: string, start: () => Promise<E>): Promise<E | undefined> => {
  let engine: E;
  try {
    engine = await start();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (process.env['CI'] === 'true') {
      throw new Error(`${name} engine could not start in CI, failing instead of skipping: ${reason}`);
    }
    console.warn(`Skipping ${name} integration tests: the engine could not start here.\n${reason}`);
    return undefined;
  }
  afterAll(() => teardown(engine), 120_000);
  return engine;
};
