// `fix --registry` interrupted (SIGINT, SIGTERM) and under a concurrent writer, and `check --registry` under a
// signal, against a real docker-registry on 127.0.0.1 playing Harbor behind a fault proxy that holds one chosen
// request. The signal is sent, or the other writer writes, once the proxy reports that request arrived: an event,
// not a sleep. `--concurrency 1` orders the tags, so the first is done before the second starts.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { execa } from 'execa';
import type { FaultProxy, RequestMatch } from '../../../../test-support/faultProxy.js';
import { startFaultProxy } from '../../../../test-support/faultProxy.js';
import type { TestRegistry } from '../../../../test-support/registry.js';
import { requireRegistry } from '../../../../test-support/registry.js';
import { getManifest, pushImage } from '../../../../test-support/registryImages.js';
import { ExitCode } from '../../src/ExitCode.js';
import { imgalias as inProcess, testInterrupt } from '../lifecycle/support.js';
import { binPath, deadDockerHost, ensureBuilt, imgalias, tempDir } from './support/cli.js';

jest.setTimeout(120_000);
// The process-level tests run the program users run.
beforeAll(ensureBuilt, 600_000);

const registry = await requireRegistry({ project: 'proj' });
const proxy = registry === undefined ? undefined : await startFaultProxy(registry.port);
afterAll(() => proxy?.close());
// What a held request waits for: nothing, ever. The client's interrupt is what ends it.
const never = new Promise<never>(() => undefined);

/** A request of the registry API under `/v2/NS/REPO/...` whose rest of the path matches `rest`. */
const request = (method: string, repo: string, rest: string): RequestMatch => ({ method, path: new RegExp(`^/v2/${repo}/${rest}`) });

/** The built bin as its own process (so a real signal reaches it), in `dir`, with only the environment given. */
const spawnBin = (dir: string, args: readonly string[], env: Readonly<Record<string, string>>) =>
  execa(process.execPath, [binPath, ...args], {
    cwd: dir,
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dir, NO_COLOR: '1', ...env },
    extendEnv: false,
    reject: false,
    timeout: 110_000,
  });

(registry && proxy ? describe : describe.skip)('fix --registry interrupted or raced, against a loopback Harbor behind a proxy', () => {
  const harbor = registry as TestRegistry;
  const front = proxy as FaultProxy;
  const base = () => `http://${harbor.host}`;

  /**
   * A project using a:1, b:1 and c:1, whose Harbor copies sit under the proxy-cache layout of namespace `ns`
   * while the rule wants them under the path layout: three tags (mounts inside the registry), read through the
   * proxy. Returns the working directory, the rule, and the Harbor repositories in the order the tags run.
   */
  const project = async (ns: string) => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'Dockerfile'), 'FROM a:1 AS one\nFROM b:1 AS two\nFROM c:1\n');
    for (const name of ['a', 'b', 'c']) await pushImage({ base: base(), repo: `${ns}/library/${name}`, tag: '1', seed: `${ns}-${name}` });
    const rule = `*=${front.host}/${ns}@path+from=${front.host}/${ns}@proxy-cache`;
    const env = { DOCKER_HOST: deadDockerHost(dir) };
    const dry = await imgalias(['fix', '--registry', '--dry-run', '--json', '--mirror', rule], { cwd: dir, env });
    expect(dry.exitCode).toBe(ExitCode.ok);
    const targets = (JSON.parse(dry.stdout) as { actions: { target: string }[] }).actions.map((a) => a.target);
    expect(targets).toEqual(['a', 'b', 'c'].map((name) => `${front.host}/${ns}/${name}:1`));
    return { dir, rule, env, repos: ['a', 'b', 'c'].map((name) => `${ns}/${name}`) };
  };
  const tagged = async (repo: string): Promise<number> => (await getManifest(base(), repo, '1')).status;

  test('by SIGINT: the first tag done, the one in flight cancelled, the third not started; exit 130; a rerun finishes', async () => {
    const { dir, rule, env, repos } = await project('rint');
    // The second tag's first write (a blob mount into its repository) is held until the interrupt cancels it.
    const held = request('POST', repos[1]!, 'blobs/uploads/');
    front.inject({ _tag: 'Hold', until: never }, held, 1);
    const { interrupt, send } = testInterrupt();
    const run = inProcess(['fix', '--registry', '--concurrency', '1', '--mirror', rule], { cwd: dir, env, interrupt });
    await front.whenSeen(held);
    send('SIGINT');
    const result = await run;

    expect(result.exitCode).toBe(ExitCode.sigint);
    // Each result went to stderr as it completed (off a terminal), as an engine apply's do.
    expect(result.stderr).toMatch(/^tagged +a:1 -> /m);
    expect(result.stdout).toMatch(new RegExp(`^tagged +a:1 -> ${front.host}/rint/a:1 `, 'm'));
    expect(result.stdout).toMatch(/^failed +b:1 -> \S+\/rint\/b:1 .*cancelled by an interrupt; it may or may not have taken effect/m);
    expect(result.stdout).toMatch(/^not run +c:1 -> \S+\/rint\/c:1 .*interrupted before it started/m);
    expect(result.stdout).toContain('interrupted: the store was not read back; run the same command again to finish');
    expect(result.stdout).toMatch(/^1 tagged, 0 conflicts, 1 failed, 1 not started$/m);
    expect(result.stderr).toContain('imgalias: interrupted by SIGINT: 1 of 3 tagged, 1 not started. Run the same command again to finish.');
    // The tag is written last: the cancelled copy left no name, and the third was never asked for.
    expect(await Promise.all(repos.map(tagged))).toEqual([200, 404, 404]);
    expect(front.seen.filter((s) => s.line.startsWith(`POST /v2/${repos[2]}/`) || s.line.startsWith(`PUT /v2/${repos[2]}/`))).toEqual([]);

    const again = await imgalias(['fix', '--registry', '--mirror', rule], { cwd: dir, env });
    expect(again.exitCode).toBe(ExitCode.ok);
    expect(again.stdout).toMatch(/^2 tagged, 0 conflicts, 0 failed$/m);
    expect(await Promise.all(repos.map(tagged))).toEqual([200, 200, 200]);
  });

  test('as a process (dist/bin.js): a real SIGTERM while a tag is in flight, exit 143, the JSON report says so', async () => {
    const { dir, rule, env, repos } = await project('rterm');
    const held = request('POST', repos[1]!, 'blobs/uploads/');
    front.inject({ _tag: 'Hold', until: never }, held, 1);
    const child = spawnBin(dir, ['fix', '--registry', '--json', '--concurrency', '1', '--mirror', rule], env);
    await front.whenSeen(held);
    child.kill('SIGTERM');
    const result = await child;

    expect(result.exitCode).toBe(ExitCode.sigterm);
    const report = JSON.parse(String(result.stdout)) as {
      interrupted: boolean;
      summary: Record<string, number>;
      results: { _tag: string; error?: { _tag: string } }[];
    };
    expect(report.interrupted).toBe(true);
    expect(report.summary).toMatchObject({ tagged: 1, failed: 1, refused: 0, notStarted: 1 });
    expect(report.results.map((r) => r._tag)).toEqual(['Applied', 'Failed', 'NotStarted']);
    expect(report.results[1]!.error!._tag).toBe('Cancelled');
    expect(String(result.stderr)).toContain('imgalias: interrupted by SIGTERM: 1 of 3 tagged, 1 not started. Run the same command again to finish.');
    expect(await Promise.all(repos.map(tagged))).toEqual([200, 404, 404]);
  });

  test('while Harbor is still being read: nothing tagged, exit 130', async () => {
    const { dir, rule, env, repos } = await project('rread');
    // One name of the snapshot's reads is held: the run has not planned yet.
    const held = request('HEAD', repos[2]!, 'manifests/1');
    front.inject({ _tag: 'Hold', until: never }, held, 1);
    const { interrupt, send } = testInterrupt();
    const run = inProcess(['fix', '--registry', '--mirror', rule], { cwd: dir, env, interrupt });
    await front.whenSeen(held);
    send('SIGINT');
    const result = await run;

    expect(result.exitCode).toBe(ExitCode.sigint);
    expect(result.stderr).toContain('imgalias: interrupted by SIGINT before anything was tagged; nothing was changed.');
    expect(result.stdout).toBe('');
    expect(await Promise.all(repos.map(tagged))).toEqual([404, 404, 404]);
  });

  test('a Harbor name another writer sets after the read is left as it set it: changed under us, exit 1', async () => {
    const { dir, rule, env, repos } = await project('rrace');
    // The first tag's manifest write is held; meanwhile another writer points the second tag's target at an image
    // of its own, then the write goes on. The second tag reads its target again before copying.
    let release: () => void = () => undefined;
    const held = request('PUT', repos[0]!, 'manifests/1');
    front.inject({ _tag: 'Hold', until: new Promise<void>((ok) => (release = ok)) }, held, 1);
    const run = imgalias(['fix', '--registry', '--json', '--concurrency', '1', '--mirror', rule], { cwd: dir, env });
    await front.whenSeen(held);
    const theirs = await pushImage({ base: base(), repo: repos[1]!, tag: '1', seed: 'rrace-theirs' });
    release();
    const result = await run;

    expect(result.exitCode).toBe(ExitCode.findings);
    const report = JSON.parse(result.stdout) as { summary: Record<string, number>; results: { _tag: string; found?: string }[] };
    expect(report.summary).toMatchObject({ tagged: 2, changed: 1, refused: 0, failed: 0 });
    expect(report.results.map((r) => r._tag)).toEqual(['Applied', 'ChangedUnderUs', 'Applied']);
    expect(report.results[1]!.found).toBe(theirs.digest);
    expect(result.stderr).toMatch(/^changed +b:1 -> \S+\/rrace\/b:1 .*changed under us: the snapshot had it absent, now it points at sha256:/m);
    expect((await getManifest(base(), repos[1]!, '1')).digest).toBe(theirs.digest);
  });

  test('check --registry only reads: a signal ends it at once, as it ends check', async () => {
    const dir = await tempDir();
    await pushImage({ base: base(), repo: 'rcheck/d', tag: '1', seed: 'rcheck-d' });
    const held = request('HEAD', 'rcheck/d', 'manifests/1');
    front.inject({ _tag: 'Hold', until: never }, held, 1);
    const child = spawnBin(dir, ['check', '--registry', '--harbor', `${front.host}/rcheck`, 'd:1'], { DOCKER_HOST: deadDockerHost(dir) });
    await front.whenSeen(held);
    child.kill('SIGINT');
    const result = await child;
    expect(result.signal).toBe('SIGINT');
    expect(String(result.stdout)).toBe('');
  });
});
