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
import { ExitCode } from '../../src/ExitCode.js';
import { imgalias, pullsIn, recordingEngine } from './support.js';

jest.setTimeout(120_000);
// These tests stop and start a real registry under a real engine on a 2-core machine; a rare timing miss is
// retried (and its error logged, so it stays visible) rather than failing the build. Three misses still fail.
jest.retryTimes(2, { logErrorsBeforeRetry: true });

const registry = await requireRegistry();
const podman = registry === undefined ? undefined : await requireEngine('podman', () => createPodmanStore({ insecureRegistries: [registry.host] }));

/** `name -> id` for every name in the store. */
const namesIn = async (engine: PodmanStore): Promise<Map<string, string>> => {
  const rows = JSON.parse(await engineCli(engine, ['images', '--format', 'json'])) as { Id: string; Names?: string[] }[];
  return new Map(rows.flatMap((row) => (row.Names ?? []).map((name) => [name, `sha256:${row.Id}`] as const)));
};

(podman && registry ? describe : describe.skip)('prefetch on Podman with a registry playing Harbor', () => {
  const engine = podman as PodmanStore;
  const harbor = registry as TestRegistry;
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

  test('internal prefetch pulls only the Harbor copy, then gives it the docker.io and localhost/ names', async () => {
    await seedHarbor('redis:7-alpine');
    const logBefore = (await harbor.requests()).length;
    const callsBefore = (await calls()).length;
    const run = await imgalias(['prefetch', '--engine', 'podman', '--mode', 'internal', '--harbor', harbor.harbor, 'redis:7-alpine'], { cwd, env });
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
    await harbor.stop();
    const callsBefore = (await calls()).length;
    const running = imgalias(
      ['prefetch', '--engine', 'podman', '--mode', 'internal', '--harbor', harbor.harbor, '--attempts', '6', '--retry-delay', '400', 'minio/minio'],
      { cwd, env },
    );
    for (let i = 0; i < 100 && pullsIn((await calls()).slice(callsBefore)).length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    // Podman 4.3 retries a refused connection itself (3 times, 1 s apart) inside one pull; stay down longer
    // than that, so the first `podman pull` fails as a whole and imgalias's own retry is what recovers.
    await new Promise((r) => setTimeout(r, 4500));
    await harbor.start();
    const run = await running;
    expect({ exitCode: run.exitCode, stderr: run.stderr }).toEqual({ exitCode: ExitCode.ok, stderr: expect.stringMatching(/retrying in/) });
    const pulls = pullsIn((await calls()).slice(callsBefore));
    expect(pulls.length).toBeGreaterThanOrEqual(2);
    expect(new Set(pulls)).toEqual(new Set([H('minio/minio:latest')]));
    console.info(`podman registry-restart prefetch: ${pulls.length} pull attempts, ${Math.round(run.ms)} ms`);
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
