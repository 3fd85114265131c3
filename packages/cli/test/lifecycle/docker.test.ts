/**
 * prefetch, publish and clean end to end: the CLI in-process against a private Docker Engine and a private
 * registry on 127.0.0.1 playing Harbor at 127.0.0.1:PORT/aihpc. Every engine process the CLI starts goes
 * through a recording `docker` first on PATH, so the tests can count pulls and see what they named.
 */
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DockerEngine } from '../../../../test-support/engines.js';
import { engineCli, importImage, requireEngine, startDockerd } from '../../../../test-support/engines.js';
import type { TestRegistry } from '../../../../test-support/registry.js';
import { manifestRequests, requireRegistry } from '../../../../test-support/registry.js';
import type { TcpProxy } from '../../../../test-support/tcpProxy.js';
import { startTcpProxy } from '../../../../test-support/tcpProxy.js';
import { ExitCode } from '../../src/ExitCode.js';
import { concurrentWriter, imgalias, pullsIn, recordingEngine } from './support.js';

jest.setTimeout(120_000);

const docker = await requireEngine('docker', startDockerd);
const registry = docker === undefined ? undefined : await requireRegistry();
// "The registry is down, then back" is this proxy in front of it, switched on events, never a stopped process
// raced against sleeps: see test-support/tcpProxy.ts.
const proxy = registry === undefined ? undefined : await startTcpProxy({ upstreamPort: registry.port });
afterAll(() => proxy?.close());

/** Names in the engine, one `name id` line each, for assertions. */
const namesIn = async (engine: DockerEngine): Promise<Map<string, string>> => {
  const out = await engineCli(engine, ['image', 'ls', '--no-trunc', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}']);
  return new Map(
    out
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('<none>'))
      .map((line) => line.split(' ') as [string, string]),
  );
};

(docker && registry ? describe : describe.skip)('image lifecycle on Docker Engine with a registry playing Harbor', () => {
  const engine = docker as DockerEngine;
  const harbor = registry as TestRegistry;
  const flaky = proxy as TcpProxy;
  let cwd: string;
  let env: Record<string, string>;
  let calls: () => Promise<readonly string[]>;
  const H = (name: string): string => `${harbor.harbor}/${name}`;
  const internal = (): string[] => ['--mode', 'internal', '--harbor', harbor.harbor];

  /** An image that exists only in Harbor: imported, pushed, then every local name removed. */
  const seedHarbor = async (name: string): Promise<string> => {
    const id = await importImage(engine, [H(name)]);
    await engineCli(engine, ['push', H(name)]);
    await engineCli(engine, ['image', 'rm', H(name)]);
    return id;
  };

  beforeAll(async () => {
    cwd = await mkdtemp(path.join(tmpdir(), 'imgalias-lifecycle-'));
    const recorder = await recordingEngine(cwd, 'docker', process.env['PATH'] ?? '');
    calls = recorder.calls;
    env = { PATH: `${recorder.bin}:${process.env['PATH'] ?? ''}`, HOME: cwd, ...engine.env };
  });
  afterAll(() => rm(cwd, { recursive: true, force: true }));

  test('internal prefetch pulls only the Harbor copy, from the registry alone, then aliases it', async () => {
    const id = await seedHarbor('redis:7-alpine');
    const logBefore = (await harbor.requests()).length;
    const callsBefore = (await calls()).length;

    const dry = await imgalias(['prefetch', '--dry-run', '--json', ...internal(), 'redis:7-alpine'], { cwd, env });
    expect(dry.exitCode).toBe(ExitCode.ok);
    const plan = JSON.parse(dry.stdout) as { entries: { candidates: { registry: string; reference: string }[] }[] };
    expect(plan.entries.flatMap((e) => e.candidates.map((c) => c.registry))).toEqual([harbor.host]);

    const run = await imgalias(['prefetch', ...internal(), 'redis:7-alpine'], { cwd, env });
    expect(run.stderr).not.toMatch(/failed|gave up/);
    expect(run.exitCode).toBe(ExitCode.ok);
    expect(run.stdout).toContain(`pulled redis:7-alpine from ${H('redis:7-alpine')} (attempt 1)`);
    expect(run.stdout).toMatch(/prefetch: 1 pulled, 0 present, 0 failed/);

    // Every pull the CLI ran named the Harbor copy, once; and the registry saw the manifest asked for.
    expect(pullsIn((await calls()).slice(callsBefore))).toEqual([H('redis:7-alpine')]);
    const seen = (await harbor.requests()).slice(logBefore);
    expect(manifestRequests(seen, 'aihpc/redis').length).toBeGreaterThanOrEqual(1);
    expect(seen.every((r) => r.path === '/v2/' || r.path.startsWith('/v2/aihpc/redis/'))).toBe(true);

    // The names the project uses now exist, all on the pulled image.
    const names = await namesIn(engine);
    expect(names.get('redis:7-alpine')).toBe(id);
    expect(names.get('localhost/redis:7-alpine')).toBe(id);
    expect(names.get(H('redis:7-alpine'))).toBe(id);

    // A second prefetch has nothing to pull; its JSON report says so.
    const again = await imgalias(['prefetch', '--json', ...internal(), 'redis:7-alpine'], { cwd, env });
    expect(again.exitCode).toBe(ExitCode.ok);
    const report = JSON.parse(again.stdout) as { plan: { entries: { _tag: string; name: string }[] }; pulls: unknown[] };
    expect(report.pulls).toEqual([]);
    expect(report.plan.entries).toEqual([expect.objectContaining({ _tag: 'Present', name: H('redis:7-alpine') })]);
  });

  test('a pull that fails while the registry is down succeeds once it is back, within the retry budget', async () => {
    await seedHarbor('minio/minio:latest');
    // The same registry, reached through the proxy: down until imgalias reports its first attempt failed (the
    // engine's own retries inside that pull included), then up before the backoff sleep ends.
    const viaProxy = `${flaky.host}/aihpc`;
    const P = (name: string): string => `${viaProxy}/${name}`;
    flaky.setMode('refuse');
    const refusedBefore = flaky.counts().refuse;
    const callsBefore = (await calls()).length;
    const run = await imgalias(['prefetch', '--mode', 'internal', '--harbor', viaProxy, '--attempts', '6', '--retry-delay', '400', 'minio/minio'], {
      cwd,
      env,
      onStderr: (chunk) => {
        if (/^attempt 1\/6 of .* failed; retrying in/m.test(chunk)) flaky.setMode('pass');
      },
    });
    flaky.setMode('pass');

    expect(run.exitCode).toBe(ExitCode.ok);
    expect(run.stderr).toMatch(/attempt 1\/6 of .*minio\/minio:latest failed; retrying in \d+\.\d s: .*cannot reach/);
    // Exactly one failed attempt, then the pull that worked: nothing here depends on how fast anything ran.
    expect(pullsIn((await calls()).slice(callsBefore))).toEqual([P('minio/minio:latest'), P('minio/minio:latest')]);
    expect(run.stdout).toContain(`from ${P('minio/minio:latest')} (attempt 2)`);
    expect(flaky.counts().refuse - refusedBefore).toBeGreaterThanOrEqual(1);
    expect((await namesIn(engine)).has('minio/minio:latest')).toBe(true);
    console.info(`registry-restart prefetch: ${flaky.counts().refuse - refusedBefore} connections refused, ${Math.round(run.ms)} ms`);
  });

  test('on a terminal, pulls show a progress display instead of progress lines; the report is the same', async () => {
    await seedHarbor('busybox:1.36');
    const run = await imgalias(['prefetch', ...internal(), 'busybox:1.36'], { cwd, env, terminal: true });
    expect(run.exitCode).toBe(ExitCode.ok);
    expect(run.stdout).toMatch(/Pull(ing|ed) 1 image/);
    expect(run.stderr).not.toMatch(/^pulling /m);
    expect(run.stdout).toMatch(/prefetch: 1 pulled, 0 present, 0 failed/);
  });

  test('a missing image fails at once, without retries', async () => {
    const callsBefore = (await calls()).length;
    const run = await imgalias(['prefetch', ...internal(), '--attempts', '5', '--retry-delay', '20000', 'nothere:1'], { cwd, env });
    expect(run.exitCode).toBe(ExitCode.findings);
    expect(pullsIn((await calls()).slice(callsBefore))).toEqual([H('nothere:1')]);
    expect(run.stdout).toMatch(/failed nothere:1:\n.*1 attempt, permanent: .*no such image \(HTTP 404, manifest unknown\)/);
    expect(run.stderr).toContain('(permanent error, not retried)');
    // No backoff was slept: the first delay would have been at least 10 s (half of 20 s, plus jitter).
    expect(run.ms).toBeLessThan(10_000);
  });

  test('publish tags and pushes once, then skips because Harbor has the same digest', async () => {
    const id = await importImage(engine, ['docker.io/osixia/openldap:stable']);
    const puts = async (): Promise<number> =>
      manifestRequests(await harbor.requests(), 'aihpc/osixia/openldap').filter((r) => r.method === 'PUT').length;
    expect(await puts()).toBe(0);

    const dry = await imgalias(['publish', '--dry-run', '--harbor', harbor.harbor, 'osixia/openldap:stable'], { cwd, env });
    expect(dry.exitCode).toBe(ExitCode.ok);
    expect(dry.stdout).toContain(`osixia/openldap:stable: tag osixia/openldap:stable as ${H('osixia/openldap:stable')}, then push`);
    expect(await puts()).toBe(0);

    const first = await imgalias(['publish', '--harbor', harbor.harbor, 'osixia/openldap:stable'], { cwd, env });
    expect(first.exitCode).toBe(ExitCode.ok);
    expect(first.stdout).toMatch(/publish: 1 pushed, 0 skipped, 0 failed/);
    expect(await puts()).toBe(1);
    expect((await namesIn(engine)).get(H('osixia/openldap:stable'))).toBe(id);

    const second = await imgalias(['publish', '--harbor', harbor.harbor, 'osixia/openldap:stable'], { cwd, env });
    expect(second.exitCode).toBe(ExitCode.ok);
    expect(second.stdout).toMatch(/skipped .*osixia\/openldap:stable: the registry already has it \(sha256:[0-9a-f]{64}\)/);
    expect(second.stdout).toMatch(/publish: 0 pushed, 1 skipped, 0 failed/);
    expect(await puts()).toBe(1);
    expect(pullsIn(await calls()).filter((p) => p.includes('openldap'))).toEqual([]);
  });

  test('clean untags one family, keeps its Harbor copy and every other family; check is then clean for the others', async () => {
    // redis (origin, localhost/, Harbor copy) comes from the first test; complete the other families too.
    const fix = await imgalias(['apply', '--harbor', harbor.harbor, 'minio/minio', 'osixia/openldap:stable'], { cwd, env });
    expect(fix.exitCode).toBe(ExitCode.ok);
    const before = await namesIn(engine);
    const redisId = before.get('redis:7-alpine');
    expect(redisId).toBeDefined();

    const dry = await imgalias(['clean', '--harbor', harbor.harbor, 'redis:7-alpine'], { cwd, env });
    expect(dry.exitCode).toBe(ExitCode.ok);
    expect(dry.stdout).toContain('untag redis:7-alpine (origin');
    expect(dry.stdout).toContain('untag localhost/redis:7-alpine (localhost');
    expect(dry.stdout).toContain(`keep ${H('redis:7-alpine')} (Harbor copy`);
    expect(await namesIn(engine)).toEqual(before);

    // --verbose wraps the store to say how the engine was reached; the lifecycle verbs still reach the engine.
    const applied = await imgalias(['clean', '--apply', '--verbose', '--harbor', harbor.harbor, 'redis:7-alpine'], { cwd, env });
    expect(applied.exitCode).toBe(ExitCode.ok);
    expect(applied.stderr).toContain('docker engine reached through the');
    expect(applied.stdout).toMatch(/clean: 2 untagged, 1 kept, 0 refused, 0 failed/);
    const rmCalls = (await calls()).filter((c) => c.includes('image rm'));
    expect(rmCalls.every((c) => !/(-f|--force)\b/.test(c) && !/sha256:/.test(c))).toBe(true);

    const after = await namesIn(engine);
    expect(after.has('redis:7-alpine')).toBe(false);
    expect(after.has('localhost/redis:7-alpine')).toBe(false);
    expect(after.get(H('redis:7-alpine'))).toBe(redisId);
    for (const [name, id] of before) if (!name.includes('redis')) expect(after.get(name)).toBe(id);

    const check = await imgalias(['check', '--harbor', harbor.harbor, 'minio/minio', 'osixia/openldap:stable'], { cwd, env });
    expect(check.stdout).not.toMatch(/redis/);
    expect({ code: check.exitCode, out: check.stdout }).toEqual({ code: ExitCode.ok, out: expect.stringMatching(/minio/) });
  });

  test('the architecture guard reports an image built for another platform, with the platform it has', async () => {
    // Images made by `docker import` are built for the engine's own platform.
    const own = (await engineCli(engine, ['version', '--format', '{{.Server.Os}}/{{.Server.Arch}}'])).trim();
    const other = own === 'linux/arm64' ? 'linux/amd64' : 'linux/arm64';
    const ok = await imgalias(['prefetch', '--platform', 'engine', 'minio/minio'], { cwd, env });
    expect(ok.exitCode).toBe(ExitCode.ok);
    expect(ok.stdout).toMatch(/prefetch: 0 pulled, 1 present, 0 failed, 0 wrong platform/);
    const wrong = await imgalias(['prefetch', '--dry-run', '--platform', other, 'minio/minio'], { cwd, env });
    expect(wrong.exitCode).toBe(ExitCode.findings);
    expect(wrong.stderr).toMatch(new RegExp(`platform: minio/minio:latest is built for ${own}, not ${other} \\(image sha256:[0-9a-f]{12}\\)`));
  });

  test('clean only ever touches the images named on its command line, not the config file\'s', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'imgalias-clean-config-'));
    await writeFile(path.join(dir, 'imgalias.config.json'), JSON.stringify({ images: ['minio/minio', 'osixia/openldap:stable'] }));
    await importImage(engine, ['docker.io/library/throwaway:1']);
    const before = await namesIn(engine);
    const run = await imgalias(['clean', '--apply', 'throwaway:1'], { cwd: dir, env });
    expect(run.exitCode).toBe(ExitCode.ok);
    expect(run.stdout).toMatch(/clean: 1 untagged, 0 kept, 0 refused, 0 failed/);
    const after = await namesIn(engine);
    expect(after.has('throwaway:1')).toBe(false);
    for (const [name, id] of before) if (name !== 'throwaway:1') expect(after.get(name)).toBe(id);
    await rm(dir, { recursive: true, force: true });
  });

  test('clean refuses, naming the container, when a container uses the image; nothing is removed', async () => {
    await engineCli(engine, ['container', 'create', '--name', 'uses-minio', 'minio/minio:latest', 'true']);
    const before = await namesIn(engine);
    const run = await imgalias(['clean', '--apply', 'minio/minio'], { cwd, env });
    expect(run.exitCode).toBe(ExitCode.findings);
    expect(run.stdout).toMatch(/refused: minio\/minio:latest was not cleaned: image sha256:[0-9a-f]+ is used by container uses-minio/);
    expect(await namesIn(engine)).toEqual(before);
    await engineCli(engine, ['container', 'rm', 'uses-minio']);
  });

  test('clean refuses a name another process moved or removed after planning: a refused line each, nothing removed, exit 1', async () => {
    // The family's two names, and the image another process points one of them at while clean runs.
    const planned = await importImage(engine, ['docker.io/library/raced:1', 'localhost/raced:1']);
    const other = await importImage(engine, ['docker.io/library/raced-other:1']);
    // That other process writes when clean lists containers: after clean planned, before it removes anything.
    const writer = await concurrentWriter(cwd, 'docker', env['PATH'] ?? '', {
      on: 'ps',
      commands: [
        ['tag', 'raced-other:1', 'raced:1'],
        ['image', 'rm', 'localhost/raced:1'],
      ],
    });
    const run = await imgalias(['clean', '--apply', '--mode', 'external', 'raced:1'], { cwd, env: { ...env, PATH: `${writer.bin}:${env['PATH'] ?? ''}` } });

    expect(await writer.wrote()).toBe(true);
    expect(run.exitCode).toBe(ExitCode.findings);
    expect(run.stdout).toContain(`refused raced:1: not removed: docker.io/library/raced:1 now names ${other}, not the planned ${planned}; plan again`);
    expect(run.stdout).toContain('refused localhost/raced:1: not removed: localhost/raced:1 is no longer in the store; take a new snapshot and plan again');
    expect(run.stdout).toMatch(/^clean: 0 untagged, 0 kept, 2 refused, 0 failed$/m);
    // The moved name was left as the other process made it.
    const names = await namesIn(engine);
    expect(names.get('raced:1')).toBe(other);
    expect(names.get('raced-other:1')).toBe(other);
  });
});
