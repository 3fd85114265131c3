import { describe, expect, test } from '@jest/globals';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PlanCodec, decode } from '@imgalias/core';
import { run } from '../src/main.js';
import { ExitCode } from '../src/ExitCode.js';
import { captureStream, runInProcess } from './support/runInProcess.js';
import { tempDirs } from '../../../test-support/tempDirs.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const id = (c: string) => `sha256:${c.repeat(64)}`;

const tempDir = tempDirs('imgalias-cli-');

async function workDir(files: Readonly<Record<string, string>> = {}): Promise<string> {
  const dir = await tempDir();
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  return dir;
}

const snapshotOf = (images: readonly { id: string; names: readonly string[] }[]) => JSON.stringify({ version: 1, images });
const onlyLocalhost = snapshotOf(Array.from({ length: 7 }, (_, i) => ({ id: id(String(i)), names: [`localhost/team/img${i}:1`] })));

describe('plan', () => {
  test('--json prints a plan the core codec decodes, with the mode it was made in', async () => {
    const result = await runInProcess(['plan', '--snapshot', 'field-snapshot.json', '--from', 'project', '--json', '--network', 'internal'], {
      cwd: fixtures,
    });
    expect(result.exitCode).toBe(ExitCode.findings);
    const plan = decode(PlanCodec, JSON.parse(result.stdout));
    expect(plan._tag).toBe('Right');
    if (plan._tag === 'Right') {
      expect(plan.right.mode).toBe('internal');
      expect(plan.right.actions.map((action) => action.target)).toContain('docker.io/library/redis:7.2-alpine');
    }
  });

  test('without images, arguments, config or --from: every family in the store', async () => {
    const dir = await workDir({ 'snapshot.json': onlyLocalhost });
    const result = await runInProcess(['plan', '--snapshot', 'snapshot.json'], { cwd: dir });
    expect(result.exitCode).toBe(ExitCode.ok);
    expect(result.stdout).toMatch(/^7 to tag, 0 conflicts, 0 missing$/m);
  });

  test('config `images` are planned too, and checked like arguments', async () => {
    const dir = await workDir({ 'snapshot.json': onlyLocalhost, 'imgalias.config.json': JSON.stringify({ images: ['team/img1:1', 'nginx:1'] }) });
    const result = await runInProcess(['plan', '--snapshot', 'snapshot.json', '--json'], { cwd: dir });
    const plan = JSON.parse(result.stdout) as { actions: { target: string }[]; findings: { _tag: string; family: string }[] };
    expect(plan.actions.map((action) => action.target)).toEqual(['docker.io/team/img1:1']);
    expect(plan.findings).toEqual([expect.objectContaining({ _tag: 'Missing', family: 'docker.io/library/nginx:1' })]);
    expect(result.exitCode).toBe(ExitCode.findings);
  });

  test('a discovery problem (an unresolved variable) is a warning on stderr and exit 1', async () => {
    const dir = await workDir({ 'snapshot.json': onlyLocalhost, 'Dockerfile': 'FROM team/img1:${TAG}\n' });
    const result = await runInProcess(['plan', '--snapshot', 'snapshot.json', '--from', '.'], { cwd: dir });
    expect(result.exitCode).toBe(ExitCode.findings);
    expect(result.stderr).toMatch(/^warning: Dockerfile:1: /m);
    expect(result.stdout).toMatch(/^nothing to do$/m);
  });

  test('missing images get a hint on stderr, and --quiet drops it', async () => {
    const dir = await workDir({ 'snapshot.json': onlyLocalhost });
    const loud = await runInProcess(['plan', '--snapshot', 'snapshot.json', 'nginx:1', '--mode', 'internal'], { cwd: dir });
    expect(loud.stderr).toContain('in internal mode only Harbor may supply it, but no Harbor is configured');
    const quiet = await runInProcess(['plan', '--snapshot', 'snapshot.json', 'nginx:1', '--mode', 'internal', '--quiet'], { cwd: dir });
    expect(quiet.stderr).toBe('');
    expect(quiet.stdout).toBe(loud.stdout);
  });

  test("a config file's format is a preference: commands that cannot print it print text; --format is a demand", async () => {
    const dir = await workDir({ 'snapshot.json': onlyLocalhost, 'imgalias.config.yaml': 'format: shell\n' });
    const plan = await runInProcess(['plan', '--snapshot', 'snapshot.json'], { cwd: dir });
    expect(plan.exitCode).toBe(ExitCode.ok);
    expect(plan.stdout).toMatch(/^set -eu$/m);
    const check = await runInProcess(['check', '--snapshot', 'snapshot.json'], { cwd: dir });
    expect(check.stderr).not.toContain('cannot print');
    expect(check.stdout).toMatch(/^incomplete {2}/m);
    const demanded = await runInProcess(['check', '--snapshot', 'snapshot.json', '--format', 'shell'], { cwd: dir });
    expect(demanded.exitCode).toBe(ExitCode.usage);
    expect(demanded.stderr).toContain("argument 'shell' is invalid");
  });
});

describe('image ids', () => {
  test('plan and check print an image id the same way: the algorithm and 12 digits', async () => {
    const full = `sha256:${'0123456789abcdef'.repeat(4)}`;
    const dir = await workDir({ 'snapshot.json': snapshotOf([{ id: full, names: ['localhost/team/app:1'] }]) });
    const ids = (text: string) => [...new Set(text.match(/sha256:[0-9a-f]+/g) ?? [])];
    const plan = await runInProcess(['plan', '--snapshot', 'snapshot.json', 'team/app:1'], { cwd: dir });
    const check = await runInProcess(['check', '--snapshot', 'snapshot.json', 'team/app:1'], { cwd: dir });
    expect(plan.stdout).toContain('localhost/team/app:1');
    expect(check.stdout).toContain('localhost/team/app:1');
    expect(ids(plan.stdout)).toEqual(['sha256:0123456789ab']);
    expect(ids(check.stdout)).toEqual(ids(plan.stdout));
  });
});

describe('colour', () => {
  const runWithTerminal = async (argv: readonly string[], env: Record<string, string>, cwd: string) => {
    const stdout = captureStream(true);
    const stderr = captureStream(true);
    const exitCode = await run(argv, { stdout, stderr, env, cwd });
    return { exitCode, stdout: stdout.text() };
  };
  const ESC = String.fromCharCode(27);

  test('on a terminal only, and never with --no-color or NO_COLOR', async () => {
    const dir = await workDir({ 'snapshot.json': onlyLocalhost });
    const args = ['plan', '--snapshot', 'snapshot.json'];
    expect((await runWithTerminal(args, {}, dir)).stdout).toContain(ESC);
    expect((await runWithTerminal([...args, '--no-color'], {}, dir)).stdout).not.toContain(ESC);
    expect((await runWithTerminal(args, { NO_COLOR: '1' }, dir)).stdout).not.toContain(ESC);
    expect((await runInProcess(args, { cwd: dir })).stdout).not.toContain(ESC);
  });

  test('apply on a terminal with more than five actions shows progress, then the full report', async () => {
    const dir = await workDir({ 'snapshot.json': onlyLocalhost });
    const result = await runWithTerminal(['apply', '--snapshot', 'snapshot.json', '--no-color'], {}, dir);
    expect(result.exitCode).toBe(ExitCode.ok);
    expect(result.stdout).toContain('Tagging 7 names');
    expect(result.stdout).toMatch(/^7 tagged, 0 conflicts, 0 failed$/m);
  });
});

describe('apply, check and fix against a snapshot (no engine)', () => {
  test('apply converges in memory and says the file was not changed', async () => {
    const dir = await workDir({ 'snapshot.json': onlyLocalhost });
    const applied = await runInProcess(['apply', '--snapshot', 'snapshot.json', '--json'], { cwd: dir });
    expect(applied.exitCode).toBe(ExitCode.ok);
    const report = JSON.parse(applied.stdout) as { verified: boolean; summary: { tagged: number; failed: number } };
    expect(report.verified).toBe(true);
    expect(report.summary).toMatchObject({ tagged: 7, failed: 0 });
    const text = await runInProcess(['apply', '--snapshot', 'snapshot.json'], { cwd: dir });
    expect(text.stderr).toContain('dry run against');
  });

  test('check --json: every family, each name with its image id or null, and a status', async () => {
    const dir = await workDir({
      'snapshot.json': snapshotOf([
        { id: id('a'), names: ['redis:7', 'localhost/redis:7'] },
        { id: id('b'), names: ['localhost/minio/minio:latest'] },
        { id: id('c'), names: ['osixia/openldap:1.5.0'] },
        { id: id('d'), names: ['localhost/osixia/openldap:1.5.0'] },
      ]),
    });
    const result = await runInProcess(['check', '--snapshot', 'snapshot.json', '--json', 'redis:7', 'minio/minio', 'osixia/openldap:1.5.0', 'nginx:1'], { cwd: dir });
    expect(result.exitCode).toBe(ExitCode.findings);
    const report = JSON.parse(result.stdout) as { version: number; mode: string; families: { origin: string; status: string; members: { role: string; name: string; imageId: string | null }[] }[] };
    expect(report.version).toBe(1);
    expect(report.mode).toBe('external');
    expect(report.families.map((family) => [family.origin, family.status])).toEqual([
      ['docker.io/library/redis:7', 'complete'],
      ['docker.io/minio/minio:latest', 'incomplete'],
      ['docker.io/osixia/openldap:1.5.0', 'conflict'],
      ['docker.io/library/nginx:1', 'missing'],
    ]);
    expect(report.families[1]?.members).toEqual([
      { role: 'origin', name: 'docker.io/minio/minio:latest', imageId: null },
      { role: 'localhost', name: 'localhost/minio/minio:latest', imageId: id('b') },
    ]);
  });

  test('fix takes the store families and the project files of the current directory', async () => {
    const dir = await workDir({ 'snapshot.json': onlyLocalhost, 'compose.yaml': 'services:\n  web:\n    image: nginx:1\n' });
    const result = await runInProcess(['fix', '--snapshot', 'snapshot.json', '--json'], { cwd: dir });
    expect(result.exitCode).toBe(ExitCode.findings); // nginx:1 is used by compose.yaml but not in the store
    expect(JSON.parse(result.stdout).summary).toMatchObject({ tagged: 7, failed: 0 });
    expect(result.stderr).toBe('');
    const text = await runInProcess(['fix', '--snapshot', 'snapshot.json'], { cwd: dir });
    expect(text.stdout).toMatch(/^missing\s+nginx:1 /m);
  });
});

describe('scan and mode', () => {
  test('scan: text with sources and a summary; a Dockerfile variable nobody sets is a finding (exit 1)', async () => {
    const dir = await workDir({ 'Dockerfile': 'ARG TAG\nFROM redis:${TAG}\nFROM node:20-alpine\n' });
    const result = await runInProcess(['scan'], { cwd: dir });
    expect(result.exitCode).toBe(ExitCode.findings);
    expect(result.stdout).toMatch(/^node:20-alpine {2}Dockerfile:3$/m);
    expect(result.stdout).toMatch(/^finding {2}Dockerfile:2: /m);
    expect(result.stdout).toMatch(/^1 image in 1 file, 1 finding$/m);
  });

  test('scan: build args from the config file resolve it', async () => {
    const dir = await workDir({ 'Dockerfile': 'ARG TAG\nFROM redis:${TAG}\n', 'imgalias.config.json': JSON.stringify({ buildArgs: { TAG: '7' } }) });
    const result = await runInProcess(['scan', '--json'], { cwd: dir });
    expect(result.exitCode).toBe(ExitCode.ok);
    expect(JSON.parse(result.stdout)).toEqual({
      images: [{ reference: 'docker.io/library/redis:7', sources: [{ file: 'Dockerfile', line: 2 }] }],
      findings: [],
    });
  });

  test('scan: compose variables come from the .env next to the scanned directory, the environment winning', async () => {
    const dir = await workDir({ 'app/compose.yaml': 'services:\n  db:\n    image: redis:${REDIS_TAG}\n', 'app/.env': 'REDIS_TAG=7\n' });
    const fromDotEnv = await runInProcess(['scan', 'app', '--json'], { cwd: dir });
    expect(JSON.parse(fromDotEnv.stdout).images).toEqual([{ reference: 'docker.io/library/redis:7', sources: [{ file: 'app/compose.yaml', line: 3 }] }]);
    const fromEnv = await runInProcess(['scan', 'app', '--json'], { cwd: dir, env: { REDIS_TAG: '6' } });
    expect(JSON.parse(fromEnv.stdout).images[0].reference).toBe('docker.io/library/redis:6');
  });

  test('scan: a path that does not exist is a usage error', async () => {
    const result = await runInProcess(['scan', 'nope'], { cwd: await workDir() });
    expect(result.exitCode).toBe(ExitCode.usage);
    expect(result.stderr).toContain('no such file or directory to scan: nope');
  });

  test('mode: the default is external, a flag says so', async () => {
    const dir = await workDir();
    expect((await runInProcess(['mode'], { cwd: dir })).stdout).toBe('external (default)\n');
    expect((await runInProcess(['mode', '--network', 'internal'], { cwd: dir })).stdout).toBe('internal (from --network)\n');
    expect(JSON.parse((await runInProcess(['mode', '--json', '--mode', 'internal'], { cwd: dir })).stdout)).toEqual({
      mode: 'internal',
      source: { kind: 'flag', name: '--mode' },
      config: null,
    });
  });
});

describe('snapshot files', () => {
  test.each([
    ['not JSON at all', '{ version: 1', 'not JSON'],
    ['JSON that is not a snapshot', JSON.stringify({ version: 2, images: [{ id: 1 }] }), 'images[0].id'],
  ])('%s: exit 2, naming the file and what is wrong', async (_name, text, message) => {
    const dir = await workDir({ 'snapshot.json': text });
    const result = await runInProcess(['check', '--snapshot', 'snapshot.json'], { cwd: dir });
    expect(result.exitCode).toBe(ExitCode.usage);
    expect(result.stderr).toContain(`snapshot file ${path.join(dir, 'snapshot.json')} is not a valid imgalias snapshot`);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('imgalias snapshot > FILE');
  });
});

describe('the engine', () => {
  test('--host names the daemon over DOCKER_HOST; --host with --context, or --context for podman, is exit 2 before anything runs', async () => {
    const dir = await workDir();
    const socket = path.join(dir, 'nobody-listens.sock');
    const named = await runInProcess(['check', 'redis:7', '--host', `unix://${socket}`], { cwd: dir });
    expect(named.exitCode).toBe(ExitCode.engine);
    expect(named.stderr).toContain(socket);
    // No engine on this PATH: had anything run, it would be exit 3 (the program was not found).
    const both = await runInProcess(['check', 'redis:7', '--host', `unix://${socket}`, '--context', 'ci'], { cwd: dir, env: { PATH: dir } });
    expect(both.exitCode).toBe(ExitCode.usage);
    expect(both.stderr).toContain('imgalias check: invalid --context "ci": host ');
    expect(both.stderr).toContain('are both set');
    const podman = await runInProcess(['snapshot', '--engine', 'podman', '--context', 'ci'], { cwd: dir, env: { PATH: dir } });
    expect(podman.exitCode).toBe(ExitCode.usage);
    expect(podman.stderr).toContain('podman has no contexts');
  });

  test('missing from PATH: exit 3 with the adapter message, after settings and arguments were checked', async () => {
    const dir = await workDir();
    const missing = await runInProcess(['check', 'redis:7'], { cwd: dir, env: { PATH: dir } });
    expect(missing.exitCode).toBe(ExitCode.engine);
    expect(missing.stderr).toContain('imgalias check: docker: the program `docker` was not found');
    const invalid = await runInProcess(['check', 'Redis:7'], { cwd: dir, env: { PATH: dir } });
    expect(invalid.exitCode).toBe(ExitCode.usage);
  });

  test('snapshot without an engine: exit 3', async () => {
    const dir = await workDir();
    const result = await runInProcess(['snapshot', '--engine', 'podman'], { cwd: dir, env: { PATH: dir } });
    expect(result.exitCode).toBe(ExitCode.engine);
    expect(result.stdout).toBe('');
  });
});
