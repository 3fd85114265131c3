import { describe, expect, test } from '@jest/globals';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ExitCode } from '../src/ExitCode.js';
import { runInProcess } from './support/runInProcess.js';
import { tempDirs } from '../../../test-support/tempDirs.js';

const tempDir = tempDirs('imgalias-conventions-');

async function workDir(files: Readonly<Record<string, string>> = {}): Promise<string> {
  const dir = await tempDir();
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  return dir;
}

describe('imgalias help COMMAND', () => {
  test('prints the same help as COMMAND --help and exits 0', async () => {
    const dir = await workDir();
    const viaHelp = await runInProcess(['help', 'clean'], { cwd: dir });
    const viaFlag = await runInProcess(['clean', '--help'], { cwd: dir });
    expect(viaHelp.exitCode).toBe(ExitCode.ok);
    expect(viaHelp.stdout).toContain('Usage: imgalias clean');
    expect(viaHelp.stdout).toBe(viaFlag.stdout);
  });
});

describe('option errors carry the imgalias COMMAND: prefix', () => {
  test.each([
    [['plan', '--bogus'], "imgalias plan: unknown option '--bogus'"],
    [['check', '--mode', 'sideways'], "imgalias check: option '--mode <mode>' argument 'sideways' is invalid"],
    [['--bogus'], "imgalias: unknown option '--bogus'"],
  ])('%j', async (argv, start) => {
    const result = await runInProcess(argv, { cwd: await workDir() });
    expect(result.exitCode).toBe(ExitCode.usage);
    expect(result.stderr.startsWith(start)).toBe(true);
  });
});

describe('scan conventions', () => {
  const project = { 'compose.yaml': 'services:\n  app:\n    build: .\n    image: team/app:1\n', Dockerfile: 'FROM redis:7\n' };

  test('--quiet drops notes and keeps the images and the summary', async () => {
    const dir = await workDir(project);
    const loud = await runInProcess(['scan'], { cwd: dir });
    const quiet = await runInProcess(['scan', '--quiet'], { cwd: dir });
    expect(loud.stdout).toContain('note     compose.yaml:4: service app builds');
    expect(quiet.stdout).not.toContain('note');
    expect(quiet.stdout).toContain('redis:7  Dockerfile:1');
    expect(quiet.exitCode).toBe(ExitCode.ok);
  });

  test('--help does not mention a --from option scan does not have', async () => {
    const result = await runInProcess(['scan', '--help'], { cwd: await workDir() });
    expect(result.stdout).not.toContain('--from');
  });

  test('a missing path names the argument, not --from', async () => {
    const result = await runInProcess(['scan', 'nope'], { cwd: await workDir() });
    expect(result.exitCode).toBe(ExitCode.usage);
    expect(result.stderr).toBe('imgalias scan: no such file or directory to scan: nope. Check the PATH arguments; nothing was changed.\n');
  });
});

const id = (c: string) => `sha256:${c.repeat(64)}`;
const snapshot = JSON.stringify({
  version: 1,
  images: [
    { id: id('1'), names: ['localhost/redis:7'] },
    { id: id('2'), names: ['harbor.corp.local/proj/nginx:1', 'nginx:1'] },
  ],
});
const internal = ['--mode', 'internal', '--harbor', 'harbor.corp.local/proj'];

describe('one acting convention: --dry-run on every command that changes anything', () => {
  test.each(['apply', 'fix', 'prefetch', 'publish', 'clean'])('%s --help offers --dry-run', async (command) => {
    const result = await runInProcess([command, '--help'], { cwd: await workDir() });
    expect(result.stdout).toMatch(/^ {2}--dry-run /m);
  });

  test('apply --dry-run prints the plan, as plan does, and tags nothing', async () => {
    const dir = await workDir({ 'snapshot.json': snapshot });
    const dry = await runInProcess(['apply', '--dry-run', '--snapshot', 'snapshot.json', 'redis:7'], { cwd: dir });
    const plan = await runInProcess(['plan', '--snapshot', 'snapshot.json', 'redis:7'], { cwd: dir });
    expect(dry.exitCode).toBe(ExitCode.ok);
    expect(dry.stdout).toBe(plan.stdout);
    expect(dry.stderr).toContain('dry run: nothing was tagged');
  });

  test('fix --dry-run --format shell prints the plan as a script; fix without --dry-run refuses shell', async () => {
    const dir = await workDir({ 'snapshot.json': snapshot });
    const dry = await runInProcess(['fix', '--dry-run', '--format', 'shell', '--snapshot', 'snapshot.json'], { cwd: dir });
    expect(dry.stdout.startsWith('#!/bin/sh\n')).toBe(true);
    const acting = await runInProcess(['fix', '--format', 'shell', '--snapshot', 'snapshot.json'], { cwd: dir });
    expect(acting.exitCode).toBe(ExitCode.usage);
  });

  test('clean --apply --dry-run is a usage error; clean with nothing named is one too', async () => {
    const dir = await workDir({ 'snapshot.json': snapshot });
    const both = await runInProcess(['clean', '--apply', '--dry-run', '--snapshot', 'snapshot.json', 'redis:7'], { cwd: dir });
    expect(both.exitCode).toBe(ExitCode.usage);
    expect(both.stderr).toMatch(/^imgalias clean: --apply removes names and --dry-run only prints the plan/);
    const nothing = await runInProcess(['clean', '--snapshot', 'snapshot.json'], { cwd: dir });
    expect(nothing.exitCode).toBe(ExitCode.usage);
    expect(nothing.stderr).toMatch(/IMAGE\.\.\.\) or a project to take them from \(--from PATH\)/);
  });
});

describe('clean --from and unrecoverable families', () => {
  test('--from PATH cleans the families the project uses, as fix reads them', async () => {
    const dir = await workDir({ 'snapshot.json': snapshot, 'app/Dockerfile': 'FROM redis:7\n' });
    const result = await runInProcess(['clean', '--from', 'app', '--snapshot', 'snapshot.json', '--json'], { cwd: dir });
    const plan = JSON.parse(result.stdout) as { actions: { name: string }[] };
    expect(plan.actions.map((action) => action.name)).toEqual(['localhost/redis:7']);
  });

  test('internal mode refuses a family with no Harbor copy, warning once for it; --include-unrecoverable cleans it with a warning', async () => {
    const dir = await workDir({ 'snapshot.json': snapshot });
    const refused = await runInProcess(['clean', ...internal, '--snapshot', 'snapshot.json', 'redis:7', 'nginx:1'], { cwd: dir });
    expect(refused.exitCode).toBe(ExitCode.findings);
    expect(refused.stdout).toContain('untag nginx:1 (origin');
    expect(refused.stdout).not.toContain('untag localhost/redis:7');
    expect(refused.stderr.match(/^warning: redis:7 was not cleaned: .* no Harbor name here/gm)).toHaveLength(1);

    const forced = await runInProcess(['clean', ...internal, '--include-unrecoverable', '--snapshot', 'snapshot.json', 'redis:7'], { cwd: dir });
    expect(forced.exitCode).toBe(ExitCode.ok);
    expect(forced.stdout).toContain('untag localhost/redis:7');
    expect(forced.stderr).toMatch(/^warning: redis:7 has no Harbor name here: once removed, internal mode cannot pull it back/m);
  });
});

describe('exclude: images a project leaves out on purpose', () => {
  const files = {
    'snapshot.json': snapshot,
    'project/Dockerfile': 'FROM redis:7\nCOPY --from=nvcr.io/nvidia/pytorch:24.01-py3 /x /x\n',
  };

  test.each(['plan', 'check'])('config exclude keeps %s green for an image left out on purpose', async (command) => {
    const dir = await workDir({ ...files, 'imgalias.config.json': JSON.stringify({ exclude: ['nvcr.io/**'] }) });
    const result = await runInProcess([command, '--snapshot', 'snapshot.json', '--from', 'project', '--json'], { cwd: dir });
    expect(result.stdout).not.toContain('pytorch');
    expect(result.stderr).toContain('note: nvcr.io/nvidia/pytorch:24.01-py3 left out: it matches exclude nvcr.io/**');
    const without = await runInProcess([command, '--snapshot', 'snapshot.json', '--from', 'project', '--json'], {
      cwd: await workDir(files),
    });
    expect(without.exitCode).toBe(ExitCode.findings);
    expect(without.stdout).toContain('pytorch');
  });

  test.each(['fix', 'prefetch --dry-run', 'publish --dry-run --harbor harbor.corp.local/proj'])('--exclude is honoured by %s', async (command) => {
    const dir = await workDir(files);
    const result = await runInProcess([...command.split(' '), '--snapshot', 'snapshot.json', '--from', 'project', '--exclude', 'nvcr.io/**', '--json'], { cwd: dir });
    expect(result.stdout).not.toContain('pytorch');
    expect(result.stdout).toContain('redis');
    expect(result.stderr).toContain('left out: it matches exclude nvcr.io/**');
  });
});

describe('plan and check without --from where a project is', () => {
  test.each(['plan', 'check'])('%s says in one note line that the project here was not read', async (command) => {
    const dir = await workDir({ 'snapshot.json': snapshot, Dockerfile: 'FROM redis:7\n', 'compose.yaml': 'services: {}\n' });
    const result = await runInProcess([command, '--snapshot', 'snapshot.json'], { cwd: dir });
    const notes = result.stderr.split('\n').filter((line) => line.includes('not the project here'));
    expect(notes).toEqual([
      `note: ${command} covers the image store and the images named, not the project here (Dockerfile, compose.yaml): add --from . to include its images (fix reads them by default).`,
    ]);
    const withFrom = await runInProcess([command, '--snapshot', 'snapshot.json', '--from', '.'], { cwd: dir });
    expect(withFrom.stderr).not.toContain('not the project here');
  });

  test('no note in a directory without project files, nor with --quiet', async () => {
    const empty = await runInProcess(['plan', '--snapshot', 'snapshot.json'], { cwd: await workDir({ 'snapshot.json': snapshot }) });
    expect(empty.stderr).not.toContain('not the project here');
    const dir = await workDir({ 'snapshot.json': snapshot, Dockerfile: 'FROM redis:7\n' });
    const quiet = await runInProcess(['plan', '--quiet', '--snapshot', 'snapshot.json'], { cwd: dir });
    expect(quiet.stderr).not.toContain('not the project here');
  });
});

describe('the config file is searched from the --from directory when the working directory has none', () => {
  test('plan --from aiplat one level up uses aiplat\'s config, and --verbose says which file', async () => {
    const dir = await workDir({
      'snapshot.json': snapshot,
      'aiplat/imgalias.config.json': JSON.stringify({ buildArgs: { TAG: '7' } }),
      'aiplat/Dockerfile': 'ARG TAG=6\nFROM redis:${TAG}\n',
    });
    const result = await runInProcess(['plan', '--verbose', '--from', 'aiplat', '--snapshot', 'snapshot.json', '--json'], { cwd: dir });
    const plan = JSON.parse(result.stdout) as { actions: { target: string }[] };
    expect(plan.actions.map((action) => action.target)).toEqual(['docker.io/library/redis:7']);
    expect(result.stderr).toContain(
      `config: ${path.join(dir, 'aiplat', 'imgalias.config.json')} (found from --from ${path.join(dir, 'aiplat')}; the working directory has none)`,
    );
  });

  test('a config in the working directory wins; mode names the file on stderr and in --json', async () => {
    const dir = await workDir({
      'imgalias.config.json': JSON.stringify({ mode: 'external' }),
      'aiplat/imgalias.config.json': JSON.stringify({ mode: 'internal' }),
    });
    const text = await runInProcess(['mode', '--from', 'aiplat'], { cwd: dir });
    expect(text.stdout).toBe(`external (from config: ${path.join(dir, 'imgalias.config.json')})\n`);
    expect(text.stderr).toBe(`config: ${path.join(dir, 'imgalias.config.json')}\n`);
    const json = await runInProcess(['mode', '--json'], { cwd: path.join(dir, 'aiplat') });
    expect((JSON.parse(json.stdout) as { config: string }).config).toBe(path.join(dir, 'aiplat', 'imgalias.config.json'));
  });
});
