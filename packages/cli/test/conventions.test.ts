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
