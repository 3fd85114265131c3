// The apply lock and the concurrent-writer rules, end to end through the CLI in-process, against a fake `docker`
// whose store is a file: every ordering here is forced by events (a line printed, a lock released), not by time.
import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { acquireApplyLock, applyLockEndpoint, lockDirectory, lockFileFor } from '@imgalias/adapter-docker';
import type { CliIO } from '../src/commands/Command.js';
import { ExitCode } from '../src/ExitCode.js';
import { run } from '../src/main.js';
import { tempDirs } from '../../../test-support/tempDirs.js';
import { fakeDockerHost } from './support/fakeDocker.js';
import type { FakeDockerHost } from './support/fakeDocker.js';
import { captureStream } from './support/runInProcess.js';

const tempDir = tempDirs('imgalias-lock-');

const id = (n: number): string => `sha256:${String(n).repeat(64)}`;
const store = { 'localhost/team/img0:1': id(1), 'localhost/team/img1:1': id(2), 'localhost/team/img2:1': id(3) };

type Setup = FakeDockerHost;

const setUp = async (): Promise<Setup> => fakeDockerHost(await tempDir(), { names: store });

/** `imgalias ARGS` in-process; `onStderr` sees each chunk as it is written. */
const imgalias = async (argv: readonly string[], setup: Setup, onStderr: (chunk: string) => void = () => undefined) => {
  const stdout = captureStream();
  const captured = captureStream();
  const stderr = { ...captured, write: (chunk: string) => (onStderr(chunk), captured.write(chunk)) };
  const io: CliIO = { stdout, stderr, cwd: setup.cwd, env: setup.env };
  const exitCode = await run(argv, io);
  return { exitCode, stdout: stdout.text(), stderr: captured.text() };
};

const holdLock = async (setup: Setup) => {
  const lock = await acquireApplyLock({ engine: { engine: 'docker', env: setup.env }, timeoutMs: 1000 });
  if (lock._tag === 'Left') throw new Error('the test could not take the lock');
  return lock.right;
};

describe('the apply lock', () => {
  test('is keyed by the engine endpoint, under XDG_RUNTIME_DIR', () => {
    const env = { XDG_RUNTIME_DIR: '/run/user/1000', DOCKER_HOST: 'unix:///tmp/a.sock' };
    expect(applyLockEndpoint({ engine: 'docker', env })).toBe('docker unix:///tmp/a.sock');
    expect(applyLockEndpoint({ engine: 'docker', env: { DOCKER_HOST: undefined, DOCKER_CONTEXT: undefined } })).toBe('docker unix:///var/run/docker.sock');
    // Keyed on the environment the engine gets: this process's, then the options' env, host and context.
    expect(applyLockEndpoint({ engine: 'docker', env, host: 'unix:///tmp/h.sock' })).toBe('docker unix:///tmp/h.sock');
    expect(applyLockEndpoint({ engine: 'docker', env, context: 'ci' })).toBe('docker context ci');
    expect(applyLockEndpoint({ engine: 'podman', host: 'unix:///tmp/p.sock' })).toBe('podman unix:///tmp/p.sock');
    expect(applyLockEndpoint({ engine: 'podman', env: { CONTAINERS_STORAGE_CONF: '/s/storage.conf', CONTAINER_HOST: undefined }, globalArgs: ['--root', '/r'] })).toBe(
      'podman local /s/storage.conf --root /r',
    );
    expect(lockDirectory(env)).toBe('/run/user/1000/imgalias');
    expect(lockFileFor('/d', 'docker unix:///tmp/a.sock')).not.toBe(lockFileFor('/d', 'docker unix:///tmp/b.sock'));
  });

  test('an apply waits while another holds it, then plans again from a fresh read', async () => {
    const setup = await setUp();
    const lock = await holdLock(setup);
    const result = await imgalias(['apply', '--concurrency', '1'], setup, (chunk) => {
      if (!chunk.startsWith('waiting for')) return;
      // While this apply waits, the holder finishes its own work (it tagged img0), then lets go.
      void setup.fake.setName('team/img0:1', id(1)).then(() => lock.release());
    });
    expect(result.stderr).toContain(`waiting for imgalias process ${process.pid} to finish applying to this engine`);
    expect(result.exitCode).toBe(ExitCode.ok);
    // Planned from the store as the holder left it: img0 was already done, so only two tags ran.
    expect(await setup.fake.tags()).toEqual([`${id(2)} team/img1:1`, `${id(3)} team/img2:1`]);
  });

  test('concurrent applies on one engine run one after the other, and the second finds nothing left to do', async () => {
    const setup = await setUp();
    const lock = await holdLock(setup);
    let waiting = 0;
    const onStderr = (chunk: string): void => {
      // Both are waiting: let them go; one takes the lock, the other waits for it.
      if (chunk.startsWith('waiting for') && ++waiting === 2) void lock.release();
    };
    const [a, b] = await Promise.all([imgalias(['apply'], setup, onStderr), imgalias(['apply'], setup, onStderr)]);
    expect([a, b].map((r) => (r.exitCode === ExitCode.ok ? "ok" : `${r.exitCode}\n${r.stdout}\n${r.stderr}`))).toEqual(["ok", "ok"]);
    expect((await setup.fake.tags()).length).toBe(3);
    expect([a.stdout, b.stdout].filter((out) => /^3 tagged/m.test(out))).toHaveLength(1);
    expect([a.stdout, b.stdout].filter((out) => /^0 tagged/m.test(out))).toHaveLength(1);
  });

  test('a bounded wait: past --lock-timeout, a message naming the holder and the setting, exit 1, nothing tagged', async () => {
    const setup = await setUp();
    const lock = await holdLock(setup);
    const result = await imgalias(['apply', '--lock-timeout', '200ms'], setup);
    await lock.release();
    expect(result.exitCode).toBe(ExitCode.findings);
    expect(result.stderr).toMatch(new RegExp(`imgalias process ${process.pid} .* is applying to the same engine and still held its lock after 0\\.\\d s`));
    expect(result.stderr).toContain('--lock-timeout (config lockTimeout, IMGALIAS_LOCK_TIMEOUT)');
    expect(await setup.fake.tags()).toEqual([]);
  });

  test('a lock left by a process that is gone is taken over', async () => {
    const setup = await setUp();
    const gone = spawnSync('true').pid;
    const endpoint = applyLockEndpoint({ engine: 'docker', env: setup.env });
    const dir = lockDirectory(setup.env);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const { hostname } = await import('node:os');
    await writeFile(lockFileFor(dir, endpoint), JSON.stringify({ pid: gone, hostname: hostname(), endpoint, since: 'earlier' }));
    const result = await imgalias(['apply'], setup);
    expect(result.exitCode).toBe(ExitCode.ok);
    expect(result.stderr).toContain(`process ${gone}, which held it, is gone`);
    expect((await setup.fake.tags()).length).toBe(3);
  });
});

describe('apply under a concurrent writer, through the CLI', () => {
  test('a target named by another process after the snapshot is not moved: reported by name, exit 1', async () => {
    const setup = await setUp();
    // Another process names team/img1:1 while imgalias plans: after its snapshot, before its re-read.
    const result = await imgalias(['apply', '--concurrency', '1'], setup, (chunk) => {
      // Synchronously, inside the CLI's own progress write: done before its next action starts.
      if (chunk.startsWith('tagged') && chunk.includes('team/img0:1')) setup.fake.setNameNow('team/img1:1', id(3));
    });
    expect(result.exitCode).toBe(ExitCode.findings);
    expect((await setup.fake.names())['team/img1:1']).toBe(id(3));
    expect(result.stdout).toMatch(/^changed +localhost\/team\/img1:1 +-> team\/img1:1 {2}\(sha256:222222222222: changed under us: the snapshot had it absent, now it points at sha256:333333333333; left alone, plan again\)$/m);
    expect(result.stdout).toContain('not verified: 1 planned name does not point at the planned image:\n  team/img1:1 points at sha256:333333333333, planned sha256:222222222222');
    expect(result.stdout).toMatch(/^2 tagged, 0 conflicts, 0 failed, 1 changed under us$/m);
    expect(await setup.fake.tags()).not.toContain('localhost/team/img1:1 team/img1:1');
  });
});

describe('--timeout', () => {
  test('a slow engine is a message naming the setting, exit 1, not "engine unavailable"', async () => {
    const setup = await setUp();
    // A docker whose listing never answers: reachable, but slow.
    await writeFile(path.join(setup.fake.bin, 'docker'), '#!/bin/sh\nexec sleep 600\n');
    const result = await imgalias(['apply', '--timeout', '300ms'], setup);
    expect(result.exitCode).toBe(ExitCode.findings);
    expect(result.stderr).toContain('did not finish within 300 ms and was stopped');
    expect(result.stderr).toContain('raise the engine timeout (imgalias: --timeout, config engineTimeout, IMGALIAS_ENGINE_TIMEOUT)');
    expect(result.stderr).not.toMatch(/not reachable/);
  });

  test('the environment and the config file set it too; a bad value is exit 2 naming its source', async () => {
    const setup = await setUp();
    await writeFile(path.join(setup.fake.bin, 'docker'), '#!/bin/sh\nexec sleep 600\n');
    const fromEnv = await imgalias(['apply'], { ...setup, env: { ...setup.env, IMGALIAS_ENGINE_TIMEOUT: '0.3s' } });
    expect(fromEnv.stderr).toContain('did not finish within 300 ms');
    await writeFile(path.join(setup.cwd, 'imgalias.config.json'), JSON.stringify({ engineTimeout: 0.25 }));
    const fromConfig = await imgalias(['apply'], setup);
    expect(fromConfig.stderr).toContain('did not finish within 250 ms');
    const bad = await imgalias(['apply', '--timeout', 'soon'], setup);
    expect(bad.exitCode).toBe(ExitCode.usage);
    expect(bad.stderr).toMatch(/--timeout.*soon.*a duration such as 30s, 2m or 500ms/);
  });
});
