/**
 * prefetch, publish, clean --apply and sync interrupted, and the apply lock the engine-writing ones take: the CLI
 * in-process against a private Docker Engine and a private registry on 127.0.0.1 playing Harbor. A command is
 * interrupted the way runProcess.ts delivers SIGINT/SIGTERM (its interrupt signal aborts), at an event: the
 * first result line it printed, and (to have something to cancel) a connection held by a stalled proxy. No
 * sleeps: every ordering is forced by `--concurrency 1` and those events.
 */
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { access, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { acquireApplyLock } from '@imgalias/adapter-docker';
import { execa } from 'execa';
import type { DockerEngine } from '../../../../test-support/engines.js';
import { engineCli, importImage, requireEngine, startDockerd } from '../../../../test-support/engines.js';
import type { TestRegistry } from '../../../../test-support/registry.js';
import { requireRegistry } from '../../../../test-support/registry.js';
import { pushImage } from '../../../../test-support/registryImages.js';
import type { TcpProxy } from '../../../../test-support/tcpProxy.js';
import { startTcpProxy } from '../../../../test-support/tcpProxy.js';
import { ExitCode } from '../../src/ExitCode.js';
import { binPath, ensureBuilt } from '../e2e/support/cli.js';
import { imgalias, testInterrupt } from './support.js';

jest.setTimeout(120_000);
// The one process-level test runs the program users run.
beforeAll(ensureBuilt, 600_000);

const docker = await requireEngine('docker', startDockerd);
const registry = docker === undefined ? undefined : await requireRegistry();
// Two proxies in front of the registry: one passes, one holds every connection unanswered (a pull, push or copy
// through it is in flight until it is cancelled). Which is which is decided by their ports (see `sync` below).
const proxies = registry === undefined ? [] : await Promise.all([startTcpProxy({ upstreamPort: registry.port }), startTcpProxy({ upstreamPort: registry.port })]);
afterAll(() => Promise.all(proxies.map((p) => p.close())));

const namesIn = async (engine: DockerEngine): Promise<Set<string>> => {
  const out = await engineCli(engine, ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}']);
  return new Set(out.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('<none>')));
};

/** Resolves at the first chunk written to stderr that matches `pattern`. */
const stderrEvent = (pattern: RegExp): { readonly onStderr: (chunk: string) => void; readonly seen: Promise<void> } => {
  let resolve: () => void = () => undefined;
  const seen = new Promise<void>((ok) => (resolve = ok));
  return { onStderr: (chunk) => (pattern.test(chunk) ? resolve() : undefined), seen };
};

(docker && registry ? describe : describe.skip)('interrupted lifecycle commands and their apply lock, on Docker Engine', () => {
  const engine = docker as DockerEngine;
  const harbor = registry as TestRegistry;
  // By port order, so `sync`'s plan (sorted by source name, host first) copies through `pass` first.
  const [pass, stall] = [...proxies].sort((a, b) => (a.host < b.host ? -1 : 1)) as [TcpProxy, TcpProxy];
  let cwd: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    stall.setMode('stall');
    cwd = await mkdtemp(path.join(tmpdir(), 'imgalias-interrupt-'));
    const runtime = path.join(cwd, 'runtime');
    await mkdir(runtime, { mode: 0o700 });
    env = { PATH: process.env['PATH'] ?? '', HOME: cwd, XDG_RUNTIME_DIR: runtime, ...engine.env };
  });
  afterAll(() => rm(cwd, { recursive: true, force: true }));

  /** Docker Hub images' Harbor copies in the registry itself; ghcr.io's through the stalled proxy. */
  const rules = (): string[] => ['--harbor', harbor.harbor, '--mirror', `ghcr.io=${stall.host}/aihpc`];

  const holdLock = async () => {
    const lock = await acquireApplyLock({ engine: { engine: 'docker', env }, timeoutMs: 1000 });
    if (lock._tag === 'Left') throw new Error('the test could not take the lock');
    return lock.right;
  };

  test('prefetch: pulled, cancelled in flight, not started; no alias made; exit 130; the lock released', async () => {
    // Only in Harbor: the Docker Hub image's copy, and the two ghcr.io images' copies at the path the stalled
    // proxy leads to (the same registry behind it).
    const images = ['redis:7-alpine', 'ghcr.io/acme/b:1', 'ghcr.io/acme/c:1'];
    const dry = await imgalias(['prefetch', '--dry-run', '--json', '--mode', 'internal', ...rules(), ...images], { cwd, env });
    expect(dry.exitCode).toBe(ExitCode.ok);
    const planned = (JSON.parse(dry.stdout) as { entries: { family: string; candidates: { reference: string }[] }[] }).entries;
    // The pulls run in this order (--concurrency 1): the one that passes first.
    expect(planned.map((e) => e.family)).toEqual(['docker.io/library/redis:7-alpine', 'ghcr.io/acme/b:1', 'ghcr.io/acme/c:1']);
    for (const entry of planned) {
      const reference = entry.candidates[0]!.reference.replace(stall.host, harbor.host);
      await importImage(engine, [reference]);
      await engineCli(engine, ['push', reference]);
      await engineCli(engine, ['image', 'rm', reference]);
    }
    const stalledBefore = stall.counts().stall;

    const { interrupt, send } = testInterrupt();
    const firstPull = stderrEvent(/^pulled /m);
    const run = imgalias(['prefetch', '--mode', 'internal', '--concurrency', '1', ...rules(), ...images], { cwd, env, interrupt, onStderr: firstPull.onStderr });
    // Event 1: the first pull is on record. Event 2: the second is in flight, held by the proxy.
    await Promise.all([firstPull.seen, stall.seen('stall', stalledBefore + 1)]);
    send('SIGINT');
    const result = await run;

    expect(result.exitCode).toBe(ExitCode.sigint);
    expect(result.stdout).toContain(`pulled redis:7-alpine from ${harbor.harbor}/redis:7-alpine (attempt 1)`);
    expect(result.stdout).toMatch(/^cancelled ghcr\.io\/acme\/b:1: the pull from .* was cancelled by the interrupt; it may or may not have finished$/m);
    expect(result.stdout).toContain('not started ghcr.io/acme/c:1: interrupted');
    expect(result.stdout).toContain('aliases: none made: interrupted before aliasing');
    expect(result.stdout).toMatch(/^prefetch: 1 pulled, 0 present, 0 failed, 1 cancelled, 1 not started$/m);
    expect(result.stderr).toContain('imgalias: interrupted by SIGINT: 1 of 3 pulled, 1 cancelled, 1 not started; no names were aliased. Run the same command again to finish.');
    const names = await namesIn(engine);
    expect(names.has(`${harbor.harbor}/redis:7-alpine`)).toBe(true);
    // No alias was made after the interrupt: the family's own name is not there.
    expect(names.has('redis:7-alpine')).toBe(false);
    // The lock was released: taking it now does not wait.
    await (await holdLock()).release();
  });

  test('prefetch as a process (dist/bin.js): a real SIGTERM after the first result line, exit 143', async () => {
    const images = ['redis:7-alpine', 'ghcr.io/acme/b:1', 'ghcr.io/acme/c:1'];
    // The first image is back to its Harbor copy alone (the test above pulled it): pulled again, then the stall.
    await engineCli(engine, ['image', 'rm', `${harbor.harbor}/redis:7-alpine`]);
    const stalledBefore = stall.counts().stall;
    const child = execa(process.execPath, [binPath, 'prefetch', '--mode', 'internal', '--concurrency', '1', ...rules(), ...images], {
      cwd,
      env: { ...env, NO_COLOR: '1' },
      extendEnv: false,
      reject: false,
      timeout: 110_000,
    });
    let stderr = '';
    const firstPull = new Promise<void>((resolve) =>
      child.stderr?.on('data', (chunk: Buffer) => {
        stderr += String(chunk);
        if (/^pulled /m.test(stderr)) resolve();
      }),
    );
    await Promise.all([firstPull, stall.seen('stall', stalledBefore + 1)]);
    child.kill('SIGTERM');
    const result = await child;

    expect(result.exitCode).toBe(ExitCode.sigterm);
    expect(result.stdout).toMatch(/^cancelled ghcr\.io\/acme\/b:1: /m);
    expect(result.stdout).toMatch(/^prefetch: 1 pulled, 0 present, 0 failed, 1 cancelled, 1 not started$/m);
    expect(result.stderr).toContain('imgalias: interrupted by SIGTERM: 1 of 3 pulled, 1 cancelled, 1 not started; no names were aliased.');
  });

  test('publish: pushed, cancelled in flight, not started; exit 143', async () => {
    await importImage(engine, ['docker.io/library/pubfirst:1']);
    await importImage(engine, ['ghcr.io/acme/p:1']);
    await importImage(engine, ['ghcr.io/acme/q:1']);
    const images = ['pubfirst:1', 'ghcr.io/acme/p:1', 'ghcr.io/acme/q:1'];
    const stalledBefore = stall.counts().stall;

    const { interrupt, send } = testInterrupt();
    const firstPush = stderrEvent(/^pushed /m);
    const run = imgalias(['publish', '--concurrency', '1', ...rules(), ...images], { cwd, env, interrupt, onStderr: firstPush.onStderr });
    await Promise.all([firstPush.seen, stall.seen('stall', stalledBefore + 1)]);
    send('SIGTERM');
    const result = await run;

    expect(result.exitCode).toBe(ExitCode.sigterm);
    expect(result.stdout).toMatch(new RegExp(`^pushed ${harbor.harbor.replace(/\./g, '\\.')}/pubfirst:1`, 'm'));
    expect(result.stdout).toMatch(/^cancelled .*\/acme\/p:1: the push was cancelled by the interrupt; it may or may not have finished$/m);
    expect(result.stdout).toMatch(/^not started .*\/acme\/q:1: interrupted$/m);
    expect(result.stdout).toMatch(/^publish: 1 pushed, 0 skipped, 0 failed, 1 cancelled, 1 not started$/m);
    expect(result.stderr).toContain('imgalias: interrupted by SIGTERM: 1 of 3 pushed, 1 cancelled, 1 not started. Run the same command again to finish.');
  });

  test('clean --apply: untagged, then nothing more starts; exit 130', async () => {
    for (const name of ['cleana:1', 'cleanb:1', 'cleanc:1']) await importImage(engine, [`docker.io/library/${name}`]);
    const { interrupt, send } = testInterrupt();
    // Synchronously, inside the CLI's own progress write: the interrupt is in before the next removal starts.
    const result = await imgalias(['clean', '--apply', '--mode', 'external', 'cleana:1', 'cleanb:1', 'cleanc:1'], {
      cwd,
      env,
      interrupt,
      onStderr: (chunk) => (/^untagged /m.test(chunk) ? send('SIGINT') : undefined),
    });

    expect(result.exitCode).toBe(ExitCode.sigint);
    expect(result.stdout).toContain('untagged cleana:1');
    expect(result.stdout).toContain('not started cleanb:1: interrupted');
    expect(result.stdout).toContain('not started cleanc:1: interrupted');
    expect(result.stdout).toMatch(/^clean: 1 untagged, 0 kept, 0 refused, 0 failed, 2 not started$/m);
    expect(result.stderr).toContain('imgalias: interrupted by SIGINT: 1 of 3 names untagged, 2 not started. Run the same command again to finish.');
    const names = await namesIn(engine);
    expect([...names].filter((n) => n.startsWith('clean')).sort()).toEqual(['cleanb:1', 'cleanc:1']);
  });

  test('sync: copied, cancelled in flight, not started; exit 130; the cancelled copy wrote no tag', async () => {
    const base = `http://${harbor.host}`;
    for (const repo of ['src/sa', 'src/sb', 'src/sc']) await pushImage({ base, repo, tag: '1', seed: repo });
    // The plan is sorted by source name: through `pass` (copied), then through `stall` (in flight, then not started).
    const images = [`${pass.host}/src/sa:1`, `${stall.host}/src/sb:1`, `${stall.host}/src/sc:1`];
    const stalledBefore = stall.counts().stall;
    const { interrupt, send } = testInterrupt();
    const run = imgalias(['sync', '--concurrency', '1', '--harbor', harbor.harbor, ...images], { cwd, env, interrupt });
    // The first copy is done before the second starts (--concurrency 1); the second is held by the proxy.
    await stall.seen('stall', stalledBefore + 1);
    send('SIGINT');
    const result = await run;

    expect(result.exitCode).toBe(ExitCode.sigint);
    expect(result.stdout).toMatch(/^copied .*\/src\/sa:1 /m);
    expect(result.stdout).toMatch(/^cancelled .*\/src\/sb:1: the copy was cancelled by the interrupt/m);
    expect(result.stdout).toMatch(/^not started .*\/src\/sc:1: interrupted$/m);
    expect(result.stdout).toMatch(/^sync: 1 copied, 0 unchanged, 0 failed, 1 cancelled, 1 not started$/m);
    expect(result.stderr).toContain('imgalias: interrupted by SIGINT: 1 of 3 copied or already there, 1 cancelled, 1 not started. Run the same command again to finish.');
    const tagsOf = async (repo: string): Promise<number> => (await fetch(`${base}/v2/${repo}/tags/list`)).status;
    const copied = (/^copied (\S+)/m.exec(result.stdout)?.[1] ?? '').split('/').slice(1).join('/').replace(/:1$/, '');
    expect(await tagsOf(copied)).toBe(200);
    const cancelledTarget = (/^cancelled (\S+):/m.exec(result.stdout)?.[1] ?? '').split('/').slice(1).join('/').replace(/:1$/, '');
    expect(cancelledTarget).not.toBe('');
    expect(await tagsOf(cancelledTarget)).toBe(404);
  });

  describe('the apply lock', () => {
    test('prefetch, publish and clean --apply wait at most --lock-timeout for another holder, then exit 1 naming it; nothing changed', async () => {
      await importImage(engine, ['docker.io/library/locked:1']);
      const before = await namesIn(engine);
      const lock = await holdLock();
      try {
        for (const argv of [
          ['prefetch', '--mode', 'external', 'locked:1'],
          ['publish', '--harbor', harbor.harbor, 'locked:1'],
          ['clean', '--apply', '--mode', 'external', 'locked:1'],
        ]) {
          const result = await imgalias([...argv, '--lock-timeout', '200ms'], { cwd, env });
          expect({ argv, code: result.exitCode }).toEqual({ argv, code: ExitCode.findings });
          expect(result.stderr).toMatch(new RegExp(`imgalias process ${process.pid} .* still held its lock after 0\\.\\d s`));
          expect(result.stderr).toContain('--lock-timeout (config lockTimeout, IMGALIAS_LOCK_TIMEOUT)');
        }
        // Their dry runs change nothing and take no lock.
        const dry = await imgalias(['clean', '--mode', 'external', 'locked:1', '--lock-timeout', '200ms'], { cwd, env });
        expect(dry.exitCode).toBe(ExitCode.ok);
      } finally {
        await lock.release();
      }
      expect(await namesIn(engine)).toEqual(before);
    });

    test('clean --apply waits while another holds it, then runs', async () => {
      await importImage(engine, ['docker.io/library/waited:1']);
      const lock = await holdLock();
      const result = await imgalias(['clean', '--apply', '--mode', 'external', 'waited:1'], {
        cwd,
        env,
        onStderr: (chunk) => (chunk.startsWith('waiting for') ? void lock.release() : undefined),
      });
      expect(result.stderr).toContain(`waiting for imgalias process ${process.pid} to finish applying to this engine`);
      expect(result.exitCode).toBe(ExitCode.ok);
      expect((await namesIn(engine)).has('waited:1')).toBe(false);
    });

    test('a signal while waiting for it ends the command with nothing changed, exit 143', async () => {
      await importImage(engine, ['docker.io/library/waiting:1']);
      const lock = await holdLock();
      const { interrupt, send } = testInterrupt();
      try {
        const result = await imgalias(['clean', '--apply', '--mode', 'external', 'waiting:1'], {
          cwd,
          env,
          interrupt,
          onStderr: (chunk) => (chunk.startsWith('waiting for') ? send('SIGTERM') : undefined),
        });
        expect(result.exitCode).toBe(ExitCode.sigterm);
        expect(result.stderr).toContain('imgalias: interrupted by SIGTERM while waiting for the apply lock; nothing was changed.');
        // The holder's lock file is its own to remove: the interrupted command left it in place.
        await access(lock.file);
      } finally {
        await lock.release();
      }
      expect((await namesIn(engine)).has('waiting:1')).toBe(true);
    });
  });
});
