// SIGINT and SIGTERM during apply, on the built program: the signal is sent once the first result line is
// printed and the next tag is known to be running (events, not sleeps), against a fake `docker` that blocks
// every tag after the first until it is killed.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { watch } from 'node:fs';
import { access, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { createFakeDocker, fakeDockerHost } from '../support/fakeDocker.js';
import { binPath, ensureBuilt, tempDir } from './support/cli.js';

beforeAll(ensureBuilt, 600_000);

const id = (n: number): string => `sha256:${String(n).repeat(64)}`;

/** Resolves once `file` exists: a watch on its directory, checked once first in case it is already there. */
const fileAppears = (file: string): Promise<void> =>
  new Promise((resolve) => {
    const watcher = watch(path.dirname(file), () => void access(file).then(done, () => undefined));
    function done(): void {
      watcher.close();
      resolve();
    }
    void access(file).then(done, () => undefined);
  });

describe('apply interrupted', () => {
  test.each([
    ['SIGINT', 130, []],
    ['SIGTERM', 143, []],
    // A saved plan (`apply --plan FILE`) is applied by the same machinery, so it stops the same way.
    ['SIGINT', 130, ['--plan', 'plan.json']],
  ] as const)('by %s: stops starting tags, cancels the one running, prints what was done, exits %d (apply %j)', async (signal, code, args) => {
    const dir = await tempDir();
    const host = await fakeDockerHost(dir, {
      names: { 'localhost/team/img0:1': id(1), 'localhost/team/img1:1': id(2), 'localhost/team/img2:1': id(3) },
      blockTagsAfter: 1,
    });
    const fake = host.fake;
    const env = { ...host.env, NO_COLOR: '1' };
    if (args.length > 0) {
      const planned = await execa(process.execPath, [binPath, 'plan', '--json'], { cwd: dir, env, extendEnv: false, reject: false, timeout: 60_000 });
      await writeFile(path.join(dir, 'plan.json'), String(planned.stdout));
    }
    const child = execa(process.execPath, [binPath, 'apply', '--concurrency', '1', ...args], {
      cwd: dir,
      env,
      extendEnv: false,
      reject: false,
      timeout: 60_000,
    });
    // Event 1: the first result is on record (printed as it completed). Event 2: the second tag is running.
    let stderr = '';
    const firstResult = new Promise<void>((resolve) =>
      child.stderr?.on('data', (chunk: Buffer) => {
        stderr += String(chunk);
        if (/^tagged /m.test(stderr)) resolve();
      }),
    );
    const blockedPid = path.join(fake.dir, 'blocked.pid');
    await Promise.all([firstResult, fileAppears(blockedPid)]);
    child.kill(signal);
    const result = await child;

    expect(result.exitCode).toBe(code);
    expect(result.stdout).toMatch(/^tagged +localhost\/team\/img0:1 -> team\/img0:1/m);
    expect(result.stdout).toMatch(/^failed +localhost\/team\/img1:1 -> team\/img1:1 .*cancelled by an interrupt; it may or may not have taken effect/m);
    expect(result.stdout).toMatch(/^not run +localhost\/team\/img2:1 -> team\/img2:1 .*interrupted before it started/m);
    expect(result.stdout).toContain('interrupted: the store was not read back; run the same command again to finish');
    expect(result.stdout).toMatch(/^1 tagged, 0 conflicts, 1 failed, 1 not started$/m);
    expect(result.stderr).toContain(`imgalias: interrupted by ${signal}: 1 of 3 tagged, 1 not started. Run the same command again to finish.`);
    // The blocked engine process was cancelled (it records the SIGTERM that ends it; the wait fails the test by
    // its timeout if that never comes), not left behind; the third tag never started.
    await fileAppears(path.join(fake.dir, 'cancelled'));
    expect(await fake.tags()).toEqual([`${id(1)} team/img0:1`, `${id(2)} team/img1:1`]);
  }, 60_000);

  test('outside apply, a signal ends the program at once, as by default', async () => {
    const dir = await tempDir();
    const fake = await createFakeDocker(path.join(dir, 'engine'), { names: {} });
    // A listing that never answers: the program is inside `check`, which has no partial report to give.
    await writeFile(path.join(fake.bin, 'docker'), `#!/bin/sh\necho $$ > '${fake.dir}/blocked.pid'\nexec sleep 600\n`);
    const child = execa(process.execPath, [binPath, 'check', 'redis:7'], {
      cwd: dir,
      env: { PATH: `${fake.bin}:${process.env['PATH'] ?? ''}`, HOME: dir, DOCKER_HOST: `unix://${dir}/fake.sock` },
      extendEnv: false,
      reject: false,
      timeout: 60_000,
    });
    const blockedPid = path.join(fake.dir, 'blocked.pid');
    await fileAppears(blockedPid);
    child.kill('SIGINT');
    const result = await child;
    expect(result.signal).toBe('SIGINT');
    // Its engine process is its own child: end it here (the test started it, through the program).
    process.kill(Number(await readFile(blockedPid, 'utf8')), 'SIGTERM');
  }, 60_000);
});
