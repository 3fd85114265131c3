import { createHash } from 'node:crypto';
import { lstat, mkdir, open, readFile, unlink } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import type { EngineOptions } from './EngineRunner.js';
import { engineEnvironment } from './EngineEnvironment.js';

/**
 * An advisory lock that serialises the apply phase of imgalias processes on one engine. Two processes tagging
 * the same store at once do not corrupt it, but each plans from what it read before the other wrote, and on
 * podman four at once overload the store until one times out. The lock is a file created with O_EXCL under
 * the user's runtime directory, holding the owner's pid; a file left by a process that no longer runs (on
 * this host) is taken over. It is advisory: other programs that tag images do not take it, which is why
 * `apply` still re-reads each target before tagging it.
 */

/** Who holds a lock, as its file says. */
export interface LockHolder {
  readonly pid: number;
  readonly hostname: string;
  /** The engine endpoint the lock is for, for people reading the file. */
  readonly endpoint: string;
  /** ISO time it was taken. */
  readonly since: string;
}

export type LockError =
  | { readonly _tag: 'LockTimeout'; readonly file: string; readonly waitedMs: number; readonly holder?: LockHolder }
  | { readonly _tag: 'LockUnavailable'; readonly file: string; readonly message: string }
  | { readonly _tag: 'LockInterrupted'; readonly file: string };

export interface ApplyLock {
  readonly file: string;
  /** Removes the lock file, if it is still ours. */
  release(): Promise<void>;
}

export interface AcquireApplyLockOptions {
  /** The engine whose apply phase is serialised: its endpoint names the lock. */
  readonly engine: Pick<EngineOptions, 'engine' | 'env' | 'globalArgs' | 'host' | 'context'>;
  /** How long to wait for another holder before giving up. */
  readonly timeoutMs: number;
  /** Default `lockDirectory` of the engine environment (`engineEnvironment(engine)`). */
  readonly dir?: string;
  /** Called once, when the lock is held by another process and this one starts to wait. */
  readonly onWait?: (holder: LockHolder | undefined, file: string) => void;
  /** Called when a lock file left by a process that is gone was taken over. */
  readonly onStale?: (holder: LockHolder, file: string) => void;
  /** Aborting it ends the wait with `LockInterrupted`. */
  readonly signal?: AbortSignal;
  /** How often a waiting process looks again. Default 100 ms. */
  readonly pollMs?: number;
}

const defaultDockerHost = 'unix:///var/run/docker.sock';

/**
 * The engine endpoint as the engine environment names it (`engineEnvironment`: `process.env` with the options'
 * `env`, `host` and `context` laid over it): what makes two processes talk to the same store.
 *
 * @example
 * applyLockEndpoint({ engine: 'docker', host: 'unix:///tmp/d.sock' }) // 'docker unix:///tmp/d.sock'
 */
export const applyLockEndpoint = (engine: Pick<EngineOptions, 'engine' | 'env' | 'globalArgs' | 'host' | 'context'>): string => {
  const env = engineEnvironment(engine);
  const set = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value === '' ? undefined : value;
  };
  const global = (engine.globalArgs ?? []).join(' ');
  switch (engine.engine) {
    case 'docker':
      return `docker ${set('DOCKER_HOST') ?? (set('DOCKER_CONTEXT') === undefined ? defaultDockerHost : `context ${set('DOCKER_CONTEXT')}`)}`;
    case 'podman':
      // A local podman is its storage: the storage config and --root/--runroot say which one.
      return set('CONTAINER_HOST') !== undefined
        ? `podman ${set('CONTAINER_HOST')}`
        : `podman local ${[set('CONTAINERS_STORAGE_CONF'), global].filter((x) => x !== undefined && x !== '').join(' ')}`.trim();
    case 'nerdctl':
      return `nerdctl ${set('CONTAINERD_ADDRESS') ?? '/run/containerd/containerd.sock'} ${set('CONTAINERD_NAMESPACE') ?? 'default'} ${global}`.trim();
  }
};

/**
 * Where lock files live: `$XDG_RUNTIME_DIR/imgalias` (per user, cleared at logout), else `imgalias-UID` under
 * the system's temp directory.
 */
export const lockDirectory = (env: Readonly<Record<string, string | undefined>>): string => {
  const runtime = env['XDG_RUNTIME_DIR'];
  if (runtime !== undefined && runtime !== '') return join(runtime, 'imgalias');
  return join(tmpdir(), `imgalias-${typeof process.getuid === 'function' ? process.getuid() : 'user'}`);
};

/** The lock file for one engine endpoint in `dir`. */
export const lockFileFor = (dir: string, endpoint: string): string =>
  join(dir, `apply-${createHash('sha256').update(endpoint).digest('hex').slice(0, 16)}.lock`);

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const readHolder = async (file: string): Promise<LockHolder | undefined> => {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<LockHolder>;
    return typeof parsed.pid === 'number' && typeof parsed.hostname === 'string'
      ? { pid: parsed.pid, hostname: parsed.hostname, endpoint: String(parsed.endpoint ?? ''), since: String(parsed.since ?? '') }
      : undefined;
  } catch {
    // Missing (released meanwhile) or half-written (its owner is writing it now): not known yet.
    return undefined;
  }
};

/** The directory must be ours and private: a lock directory another user controls could be used to block us. */
const prepareDirectory = async (dir: string): Promise<string | undefined> => {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const info = await lstat(dir);
    if (!info.isDirectory()) return `${dir} is not a directory`;
    if (typeof process.getuid === 'function' && info.uid !== process.getuid()) return `${dir} belongs to another user`;
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
};

const delay = (ms: number, signal: AbortSignal | undefined): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/**
 * Takes the apply lock for an engine, waiting up to `timeoutMs` for another imgalias process to release it.
 *
 * @example
 * const lock = await acquireApplyLock({ engine: { engine: 'docker' }, timeoutMs: 120_000 });
 * if (lock._tag === 'Right') try { await store.apply(plan); } finally { await lock.right.release(); }
 */
export const acquireApplyLock = async (options: AcquireApplyLockOptions): Promise<Either<LockError, ApplyLock>> => {
  const dir = options.dir ?? lockDirectory(engineEnvironment(options.engine));
  const endpoint = applyLockEndpoint(options.engine);
  const file = lockFileFor(dir, endpoint);
  const problem = await prepareDirectory(dir);
  if (problem !== undefined) return left({ _tag: 'LockUnavailable', file, message: problem });

  const mine: LockHolder = { pid: process.pid, hostname: hostname(), endpoint, since: new Date().toISOString() };
  const content = `${JSON.stringify(mine)}\n`;
  const started = performance.now();
  let waiting = false;
  for (;;) {
    if (options.signal?.aborted === true) return left({ _tag: 'LockInterrupted', file });
    try {
      const handle = await open(file, 'wx', 0o600);
      try {
        await handle.writeFile(content);
      } finally {
        await handle.close();
      }
      return right({
        file,
        release: async () => {
          // Only our own file: after a takeover by another process (we were presumed dead), it is theirs.
          if ((await readFile(file, 'utf8').catch(() => '')) === content) await unlink(file).catch(() => undefined);
        },
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        return left({ _tag: 'LockUnavailable', file, message: (error as Error).message });
      }
    }
    const holder = await readHolder(file);
    if (holder !== undefined && holder.hostname === mine.hostname && !isAlive(holder.pid)) {
      // Left by a process that is gone (killed, crashed): take it over. If two waiters race here, only one
      // of them creates the file next; the other sees EEXIST and waits on.
      if ((await readHolder(file))?.pid === holder.pid) await unlink(file).catch(() => undefined);
      options.onStale?.(holder, file);
      continue;
    }
    const waitedMs = performance.now() - started;
    if (waitedMs >= options.timeoutMs) {
      return left({ _tag: 'LockTimeout', file, waitedMs: Math.round(waitedMs), ...(holder === undefined ? {} : { holder }) });
    }
    if (!waiting) {
      waiting = true;
      options.onWait?.(holder, file);
    }
    await delay(Math.min(options.pollMs ?? 100, Math.max(1, options.timeoutMs - waitedMs)), options.signal);
  }
};

/** What went wrong with the lock, and what to do. */
export const describeLockError = (e: LockError): string => {
  switch (e._tag) {
    case 'LockTimeout': {
      const who = e.holder === undefined ? 'another imgalias process' : `imgalias process ${e.holder.pid} (since ${e.holder.since})`;
      return `${who} is applying to the same engine and still held its lock after ${Math.round(e.waitedMs / 100) / 10} s (${e.file}). Nothing was changed. Wait for it and run again, or wait longer with --lock-timeout (config lockTimeout, IMGALIAS_LOCK_TIMEOUT); if no such process runs, delete the file.`;
    }
    case 'LockUnavailable':
      return `cannot take the apply lock ${e.file}: ${e.message}. Set XDG_RUNTIME_DIR to a private directory of yours.`;
    case 'LockInterrupted':
      return `interrupted while waiting for the apply lock ${e.file}; nothing was changed.`;
  }
};
