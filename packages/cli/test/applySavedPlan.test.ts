// `imgalias apply --plan FILE`: a reviewed plan applied exactly, in-process against a fake `docker` whose store is
// a file (so what was tagged, and that nothing was, is on record) or against a saved snapshot.
import { describe, expect, test } from '@jest/globals';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PlanCodec, decode } from '@imgalias/core';
import { ExitCode } from '../src/ExitCode.js';
import { tempDirs } from '../../../test-support/tempDirs.js';
import { fakeDockerHost } from './support/fakeDocker.js';
import type { FakeDockerHost } from './support/fakeDocker.js';
import { runInProcess } from './support/runInProcess.js';

const tempDir = tempDirs('imgalias-saved-plan-');

const id = (n: number): string => `sha256:${String(n).repeat(64)}`;
const store = { 'localhost/team/img0:1': id(1), 'localhost/team/img1:1': id(2), 'localhost/team/img2:1': id(3) };

type Setup = FakeDockerHost;

const setUp = async (): Promise<Setup> => fakeDockerHost(await tempDir(), { names: store });

const imgalias = (argv: readonly string[], setup: Pick<Setup, 'cwd' | 'env'>, stdin?: string) =>
  runInProcess(argv, { cwd: setup.cwd, env: setup.env, ...(stdin === undefined ? {} : { stdin }) });

/** `imgalias plan --json ARGS > plan.json`, as a reviewer would have it. */
const savePlan = async (setup: Setup, args: readonly string[] = []): Promise<string> => {
  const planned = await imgalias(['plan', '--json', ...args], setup);
  expect(planned.exitCode).toBe(ExitCode.ok);
  await writeFile(path.join(setup.cwd, 'plan.json'), planned.stdout);
  return planned.stdout;
};

interface ReportJson {
  readonly summary: Readonly<Record<string, number>>;
  readonly results: readonly { readonly _tag: string; readonly action: { readonly target: string }; readonly reason?: { readonly _tag: string; readonly name: string } }[];
}

describe('apply --plan FILE', () => {
  test('applies exactly the saved plan: its tags and no others, whatever the config and project files now name', async () => {
    const setup = await setUp();
    await savePlan(setup, ['team/img0:1', 'team/img1:1']);
    // After the review: a config and a Dockerfile that name the third image too. A saved plan plans nothing.
    await writeFile(path.join(setup.cwd, 'imgalias.config.json'), JSON.stringify({ images: ['team/img2:1'], from: ['.'] }));
    await writeFile(path.join(setup.cwd, 'Dockerfile'), 'FROM team/img2:1\n');
    const result = await imgalias(['apply', '--plan', 'plan.json'], setup);
    expect(result.exitCode).toBe(ExitCode.ok);
    expect(result.stdout).toMatch(/^tagged +localhost\/team\/img0:1 -> team\/img0:1 {2}\(sha256:111111111111\)$/m);
    expect(result.stdout).toMatch(/^tagged +localhost\/team\/img1:1 -> team\/img1:1 {2}\(sha256:222222222222\)$/m);
    expect(result.stdout).toContain('verified: every planned name now points at its planned image');
    expect(result.stdout).toMatch(/^2 tagged, 0 conflicts, 0 failed$/m);
    // Two tags run at once (--concurrency): the order they reach the engine in is theirs.
    expect([...(await setup.fake.tags())].sort()).toEqual([`${id(1)} team/img0:1`, `${id(2)} team/img1:1`]);
  });

  test('- reads the plan from standard input', async () => {
    const setup = await setUp();
    const plan = await savePlan(setup, ['team/img2:1']);
    const result = await imgalias(['apply', '--plan', '-', '--json'], setup, plan);
    expect(result.exitCode).toBe(ExitCode.ok);
    expect((JSON.parse(result.stdout) as ReportJson).summary['tagged']).toBe(1);
    expect(await setup.fake.tags()).toEqual([`${id(3)} team/img2:1`]);
  });

  test('a stale plan: a target now held by another image and a source gone are refused with their reason, the rest applied, exit 1', async () => {
    const setup = await setUp();
    await savePlan(setup);
    // Since the review: team/img1:1 was given to another image, and localhost/team/img2:1 was removed.
    await setup.fake.setName('team/img1:1', id(4));
    await rm(path.join(setup.fake.dir, 'names', encodeURIComponent('localhost/team/img2:1')));

    const json = await imgalias(['apply', '--plan', 'plan.json', '--json'], setup);
    expect(json.exitCode).toBe(ExitCode.findings);
    const report = JSON.parse(json.stdout) as ReportJson;
    expect(report.results.map((r) => [r._tag, r.action.target, r.reason?._tag])).toEqual([
      ['Applied', 'docker.io/team/img0:1', undefined],
      ['Refused', 'docker.io/team/img1:1', 'Occupied'],
      ['Refused', 'docker.io/team/img2:1', 'Gone'],
    ]);
    expect(report.summary).toMatchObject({ tagged: 1, refused: 2, failed: 0 });
    expect(await setup.fake.tags()).toEqual([`${id(1)} team/img0:1`]);
    expect((await setup.fake.names())['team/img1:1']).toBe(id(4));
    expect((await setup.fake.names())['team/img2:1']).toBeUndefined();

    // Again, as text: the refusals as `refused` lines and in the summary; the one tag already made is not made again.
    const text = await imgalias(['apply', '--plan', 'plan.json'], setup);
    expect(text.exitCode).toBe(ExitCode.findings);
    expect(text.stdout).toMatch(/^refused +localhost\/team\/img1:1 -> team\/img1:1 {2}\(sha256:222222222222: not run: docker\.io\/team\/img1:1 now points at sha256:4{64} and the plan does not say to move it/m);
    expect(text.stdout).toMatch(/^refused +localhost\/team\/img2:1 -> team\/img2:1 {2}\(sha256:333333333333: not run: localhost\/team\/img2:1 is no longer in the store/m);
    expect(text.stdout).toMatch(/^1 tagged, 0 conflicts, 0 failed, 2 refused$/m);
    // The refusal explains the mismatch: no other process is blamed for it.
    expect(text.stderr).not.toContain('Another process changed');
    expect(await setup.fake.tags()).toEqual([`${id(1)} team/img0:1`]);
  });

  test.each([
    ['a file that is not there', 'nope.json', undefined, /^imgalias apply: cannot read plan file nope\.json: no such file\. Nothing was changed/],
    ['not JSON', 'broken.json', '{"version": 1,', /^imgalias apply: plan file broken\.json is not an imgalias plan \(what `imgalias plan --json` prints\): not JSON: /],
    [
      'not a plan',
      'bad.json',
      JSON.stringify({ version: 1, mode: 'external', actions: [{ _tag: 'Tag', source: 'a:1', target: 'b:1', imageId: 42, family: 'b:1', role: 'origin', reason: 'missing-name' }], findings: [] }),
      /^imgalias apply: plan file bad\.json is not an imgalias plan \(what `imgalias plan --json` prints\): actions\[0\]\.imageId: expected string, got 42\. Nothing was changed\.\n$/,
    ],
    ['a snapshot instead of a plan', 'snap.json', JSON.stringify({ version: 1, images: [] }), /^imgalias apply: plan file snap\.json is not an imgalias plan .*: mode: /],
    [
      'a version this build does not know',
      'v2.json',
      JSON.stringify({ version: 2, mode: 'external', actions: [], findings: [] }),
      /^imgalias apply: plan file v2\.json is plan version 2, which this imgalias does not know \(it reads version 1\)/,
    ],
    ['standard input that is not JSON', '-', undefined, /^imgalias apply: the plan on standard input is not an imgalias plan .*: not JSON: /],
  ] as const)('%s: exit 2, one line naming it, nothing changed', async (_, file, text, message) => {
    const setup = await setUp();
    if (file !== '-' && text !== undefined) await writeFile(path.join(setup.cwd, file), text);
    const result = await imgalias(['apply', '--plan', file], setup, file === '-' ? 'redis:7\n' : undefined);
    expect(result.exitCode).toBe(ExitCode.usage);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(await setup.fake.tags()).toEqual([]);
    expect(await setup.fake.names()).toEqual(store);
  });

  test.each([
    [['team/img0:1'], 'IMAGE arguments'],
    [['--from', '.'], '--from'],
    [['--include-built'], '--include-built'],
    [['--exclude', 'docker.io/**'], '--exclude'],
    [['--mode', 'internal'], '--mode'],
    [['--network', 'external'], '--network'],
    [['--harbor', 'harbor.corp.local/proj'], '--harbor'],
    [['--mirror', 'quay.io=harbor.corp.local/quay'], '--mirror'],
    [['--mirrors-from', 'registries.conf'], '--mirrors-from'],
    [['--harbor-layout', 'flatten'], '--harbor-layout'],
    [['--short-names'], '--short-names'],
    [['--on-conflict', 'retarget'], '--on-conflict'],
  ] as const)('with %j, which the saved plan fixes: a usage error naming it, nothing changed', async (args, named) => {
    const setup = await setUp();
    await savePlan(setup);
    const result = await imgalias(['apply', '--plan', 'plan.json', ...args], setup);
    expect(result.exitCode).toBe(ExitCode.usage);
    expect(result.stderr).toBe(
      `imgalias apply: --plan already fixes the images and the policy (the saved plan is applied exactly as reviewed): leave out ${named}. Nothing was changed.\n`,
    );
    expect(await setup.fake.tags()).toEqual([]);
  });

  test('--dry-run prints the plan as read and tags nothing', async () => {
    const setup = await setUp();
    const saved = await savePlan(setup);
    const json = await imgalias(['apply', '--plan', 'plan.json', '--dry-run', '--json'], setup);
    expect(json.exitCode).toBe(ExitCode.ok);
    expect(decode(PlanCodec, JSON.parse(json.stdout))).toEqual(decode(PlanCodec, JSON.parse(saved)));
    const text = await imgalias(['apply', '--plan', 'plan.json', '--dry-run'], setup);
    expect(text.stdout).toMatch(/^3 to tag, 0 conflicts, 0 missing$/m);
    expect(text.stderr).toContain('dry run: nothing was tagged');
    expect(await setup.fake.tags()).toEqual([]);
  });

  test("the plan's findings are carried to the report and the exit code, against a saved snapshot", async () => {
    const cwd = await tempDir();
    const snapshot = JSON.stringify({ version: 1, images: Object.entries(store).map(([name, image]) => ({ id: image, names: [name] })) });
    await writeFile(path.join(cwd, 'snapshot.json'), snapshot);
    const planned = await imgalias(['plan', '--snapshot', 'snapshot.json', '--json', 'team/img0:1', 'nginx:1'], { cwd, env: {} });
    expect(planned.exitCode).toBe(ExitCode.findings);
    await writeFile(path.join(cwd, 'plan.json'), planned.stdout);
    const result = await imgalias(['apply', '--plan', 'plan.json', '--snapshot', 'snapshot.json', '--json'], { cwd, env: {} });
    expect(result.exitCode).toBe(ExitCode.findings);
    expect((JSON.parse(result.stdout) as ReportJson).summary).toMatchObject({ tagged: 1, missing: 1, refused: 0 });
    const text = await imgalias(['apply', '--plan', 'plan.json', '--snapshot', 'snapshot.json'], { cwd, env: {} });
    expect(text.stdout).toMatch(/^missing +nginx:1 /m);
    expect(await readFile(path.join(cwd, 'snapshot.json'), 'utf8')).toBe(snapshot);
  });
});
