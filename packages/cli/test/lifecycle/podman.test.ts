/**
 * prefetch on Podman: the same internal-mode contract as on Docker (pull only the Harbor copy, from the
 * registry alone; retry while it is down), against a private Podman store. The registry is the loopback one
 * from test-support; the store's own registries.conf marks it insecure (never a global config).
 */
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PodmanStore } from '../../../../test-support/engines.js';
import { createPodmanStore, engineCli, importImage, requireEngine } from '../../../../test-support/engines.js';
import type { TestRegistry } from '../../../../test-support/registry.js';
import { manifestRequests, requireRegistry } from '../../../../test-support/registry.js';
import type { TcpProxy } from '../../../../test-support/tcpProxy.js';
import { startTcpProxy } from '../../../../test-support/tcpProxy.js';
import { ExitCode } from '../../src/ExitCode.js';
import type { Run } from './support.js';
import { imgalias, pullsIn, recordingEngine } from './support.js';

jest.setTimeout(120_000);

const registry = await requireRegistry();
// "The registry is down, then back" is this proxy in front of it, switched on events, never a stopped process
// raced against sleeps (see test-support/tcpProxy.ts). The store trusts it over plain HTTP like the registry.
const proxy = registry === undefined ? undefined : await startTcpProxy({ upstreamPort: registry.port });
afterAll(() => proxy?.close());
const podman =
  registry === undefined || proxy === undefined
    ? undefined
    : await requireEngine('podman', () => createPodmanStore({ insecureRegistries: [registry.host, proxy.host] }));

/** `name -> id` for every name in the store. */
const namesIn = async (engine: PodmanStore): Promise<Map<string, string>> => {
  const rows = JSON.parse(await engineCli(engine, ['images', '--format', 'json'])) as { Id: string; Names?: string[] }[];
  return new Map(rows.flatMap((row) => (row.Names ?? []).map((name) => [name, `sha256:${row.Id}`] as const)));
};

(podman && registry ? describe : describe.skip)('prefetch on Podman with a registry playing Harbor', () => {
  const engine = podman as PodmanStore;
  const harbor = registry as TestRegistry;
  const flaky = proxy as TcpProxy;
  const H = (name: string): string => `${harbor.harbor}/${name}`;
  let cwd: string;
  let env: Record<string, string>;
  let calls: () => Promise<readonly string[]>;

  beforeAll(async () => {
    cwd = await mkdtemp(path.join(tmpdir(), 'imgalias-lifecycle-podman-'));
    // podman.env's PATH starts with the store's isolating wrapper; the recorder goes in front of it.
    const recorder = await recordingEngine(cwd, 'podman', engine.env['PATH'] ?? '');
    calls = recorder.calls;
    env = { ...engine.env, PATH: `${recorder.bin}:${engine.env['PATH'] ?? ''}` };
  });
  afterAll(() => rm(cwd, { recursive: true, force: true }));

  const seedHarbor = async (name: string): Promise<string> => {
    const id = await importImage(engine, [H(name)]);
    await engineCli(engine, ['push', H(name)]);
    await engineCli(engine, ['image', 'rm', H(name)]);
    return id;
  };

  /** A failed run's own words, in the test log: the assertions below only say that the exit code differed. */
  const logUnexpected = (run: Run): void => {
    if (run.exitCode !== ExitCode.ok) console.info(`exit ${run.exitCode}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`);
  };

  test('internal prefetch pulls only the Harbor copy, then gives it the docker.io and localhost/ names', async () => {
    await seedHarbor('redis:7-alpine');
    const logBefore = (await harbor.requests()).length;
    const callsBefore = (await calls()).length;
    const run = await imgalias(['prefetch', '--engine', 'podman', '--mode', 'internal', '--harbor', harbor.harbor, 'redis:7-alpine'], { cwd, env });
    logUnexpected(run);
    expect({ exitCode: run.exitCode, stderr: run.stderr }).toEqual({ exitCode: ExitCode.ok, stderr: expect.not.stringMatching(/gave up/) });
    expect(pullsIn((await calls()).slice(callsBefore))).toEqual([H('redis:7-alpine')]);
    const seen = (await harbor.requests()).slice(logBefore);
    expect(manifestRequests(seen, 'aihpc/redis').length).toBeGreaterThanOrEqual(1);
    expect(seen.every((r) => r.path === '/v2/' || r.path.startsWith('/v2/aihpc/redis/'))).toBe(true);

    const names = await namesIn(engine);
    const id = names.get(H('redis:7-alpine'));
    expect(id).toBeDefined();
    expect(names.get('docker.io/library/redis:7-alpine')).toBe(id);
    expect(names.get('localhost/redis:7-alpine')).toBe(id);
  });

  test('a pull that fails while the registry is down succeeds once it is back', async () => {
    await seedHarbor('minio/minio:latest');
    // Podman retries a failed connection itself inside one pull (3 times, 1 s apart in 4.3). The proxy stays
    // down until imgalias reports that its first `podman pull` failed as a whole, so imgalias's own retry is
    // what recovers, however long podman's inner retries take.
    const viaProxy = `${flaky.host}/aihpc`;
    const P = (name: string): string => `${viaProxy}/${name}`;
    flaky.setMode('refuse');
    const refusedBefore = flaky.counts().refuse;
    const callsBefore = (await calls()).length;
    const run = await imgalias(
      ['prefetch', '--engine', 'podman', '--mode', 'internal', '--harbor', viaProxy, '--attempts', '6', '--retry-delay', '400', 'minio/minio'],
      {
        cwd,
        env,
        onStderr: (chunk) => {
          if (/^attempt 1\/6 of .* failed; retrying in/m.test(chunk)) flaky.setMode('pass');
        },
      },
    );
    flaky.setMode('pass');
    logUnexpected(run);
    expect({ exitCode: run.exitCode, stderr: run.stderr }).toEqual({
      exitCode: ExitCode.ok,
      stderr: expect.stringMatching(/attempt 1\/6 of .* failed; retrying in .*cannot reach/),
    });
    expect(pullsIn((await calls()).slice(callsBefore))).toEqual([P('minio/minio:latest'), P('minio/minio:latest')]);
    expect(run.stdout).toContain(`from ${P('minio/minio:latest')} (attempt 2)`);
    expect(flaky.counts().refuse - refusedBefore).toBeGreaterThanOrEqual(1);
    expect((await namesIn(engine)).has(P('minio/minio:latest'))).toBe(true);
    console.info(`podman registry-restart prefetch: ${flaky.counts().refuse - refusedBefore} connections refused, ${Math.round(run.ms)} ms`);
  });

  test('a missing image fails at once, without retries', async () => {
    const callsBefore = (await calls()).length;
    const run = await imgalias(
      ['prefetch', '--engine', 'podman', '--mode', 'internal', '--harbor', harbor.harbor, '--attempts', '4', '--retry-delay', '20000', 'nothere:1'],
      { cwd, env },
    );
    expect(run.exitCode).toBe(ExitCode.findings);
    expect(pullsIn((await calls()).slice(callsBefore))).toEqual([H('nothere:1')]);
    expect(run.stderr).toContain('(permanent error, not retried)');
    // No backoff was slept: the first delay would have been at least 10 s.
    expect(run.ms).toBeLessThan(10_000);
  });
});
