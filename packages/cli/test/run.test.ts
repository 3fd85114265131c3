import { describe, expect, test } from '@jest/globals';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExitCode } from '../src/ExitCode.js';
import { runInProcess } from './support/runInProcess.js';
import { tempDirs } from '../../../test-support/tempDirs.js';

const tmp = tempDirs('imgalias-cli-');

describe('the imgalias program', () => {
  test('--help lists every command and the exit codes, and exits 0', async () => {
    const result = await runInProcess(['--help'], { cwd: await tmp() });
    expect(result.exitCode).toBe(ExitCode.ok);
    for (const command of ['plan', 'apply', 'check', 'fix', 'scan', 'snapshot', 'mode']) {
      expect(result.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
    expect(result.stdout).toContain('Exit codes:');
    expect(result.stdout).toContain('3    the container engine is missing or unreachable');
    expect(result.stdout).toContain('130  interrupted (143: terminated) during apply');
  });

  test.each(['plan', 'apply', 'check', 'fix', 'scan', 'snapshot', 'mode'])('%s --help ends with the exit codes', async (command) => {
    const result = await runInProcess([command, '--help'], { cwd: await tmp() });
    expect(result.exitCode).toBe(ExitCode.ok);
    expect(result.stdout).toContain(`Usage: imgalias ${command}`);
    expect(result.stdout.trimEnd().endsWith('130  interrupted (143: terminated) during apply, fix, prefetch, publish, clean --apply or sync;\n       the report says what was done, what was cancelled and what did not run: rerun to finish')).toBe(true);
  });

  test('--version prints a version and exits 0', async () => {
    const result = await runInProcess(['--version'], { cwd: await tmp() });
    expect(result.exitCode).toBe(ExitCode.ok);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  test.each([
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['plan', '--frobnicate'], /unknown option '--frobnicate'/],
    [['plan', '--mode', 'intranet'], /argument 'intranet' is invalid/],
    [['plan', '--network', 'intranet'], /argument 'intranet' is invalid/],
    [['fix', 'redis:7'], /too many arguments/],
    [['scan', '--format', 'shell'], /argument 'shell' is invalid/],
    [[], /Usage: imgalias/],
  ])('%j is a usage error: exit 2 with the reason on stderr', async (argv, message) => {
    const result = await runInProcess(argv, { cwd: await tmp() });
    expect(result.exitCode).toBe(ExitCode.usage);
    expect(result.stderr + result.stdout).toMatch(message);
  });
});

describe('images that compose services build themselves', () => {
  const project = fileURLToPath(new URL('../../../examples/field-project', import.meta.url));

  test('are a note by default and an image with --include-built', async () => {
    const plain = await runInProcess(['scan', project, '--json'], { cwd: await tmp() });
    const included = await runInProcess(['scan', project, '--json', '--include-built'], { cwd: await tmp() });
    const references = (stdout: string): string[] =>
      (JSON.parse(stdout) as { images: { reference: string }[] }).images.map((image) => image.reference);
    expect(references(plain.stdout)).not.toContain('docker.io/field-project/app:dev');
    expect(references(included.stdout)).toContain('docker.io/field-project/app:dev');
    expect(references(included.stdout)).toHaveLength(references(plain.stdout).length + 1);
  });
});

describe('plan --prefetch', () => {
  const snapshot = fileURLToPath(new URL('../../../examples/field-project/snapshot.json', import.meta.url));
  const internal = ['--snapshot', snapshot, '--mode', 'internal', '--harbor', 'harbor.corp.local/aihpc', '--json'];

  test('prints the same pull plan as prefetch --dry-run, and changes nothing', async () => {
    const cwd = await tmp();
    const viaPlan = await runInProcess(['plan', '--prefetch', 'busybox:1.36', 'redis:7.2-alpine', ...internal], { cwd });
    const viaPrefetch = await runInProcess(['prefetch', '--dry-run', 'busybox:1.36', 'redis:7.2-alpine', ...internal], { cwd });
    expect(viaPlan).toEqual(viaPrefetch);
    const pullPlan = JSON.parse(viaPlan.stdout) as {
      mode: string;
      entries: { _tag: string; family: string; candidates?: { source: string; reference: string }[] }[];
    };
    expect(pullPlan.mode).toBe('internal');
    // busybox is not in the store: it is pulled from Harbor and nowhere else; redis is there under its localhost/ name.
    expect(pullPlan.entries.map((entry) => [entry._tag, entry.family, entry.candidates?.map((c) => [c.source, c.reference])])).toEqual([
      ['Pull', 'docker.io/library/busybox:1.36', [['harbor', 'harbor.corp.local/aihpc/busybox:1.36']]],
      ['Present', 'docker.io/library/redis:7.2-alpine', undefined],
    ]);
  });
});

describe('compose variables', () => {
  test("each compose file reads the .env beside it, and the process environment wins over it", async () => {
    const cwd = await tmp();
    const { mkdir, writeFile } = await import('node:fs/promises');
    for (const [dir, tag] of [['a', '9'], ['b', '10']] as const) {
      await mkdir(path.join(cwd, dir));
      await writeFile(path.join(cwd, dir, 'compose.yaml'), 'services:\n  x:\n    image: alpine:${T}\n');
      await writeFile(path.join(cwd, dir, '.env'), `T=${tag}\n`);
    }
    const scan = await runInProcess(['scan', '--json'], { cwd });
    expect(scan.exitCode).toBe(ExitCode.ok);
    const references = (stdout: string): string[] =>
      (JSON.parse(stdout) as { images: { reference: string }[] }).images.map((image) => image.reference);
    expect(references(scan.stdout)).toEqual(['docker.io/library/alpine:10', 'docker.io/library/alpine:9']);
    const overridden = await runInProcess(['scan', '--json'], { cwd, env: { T: '11' } });
    expect(references(overridden.stdout)).toEqual(['docker.io/library/alpine:11']);
  });
});
