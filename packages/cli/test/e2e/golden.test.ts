import { beforeAll, describe, expect, test } from '@jest/globals';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { deadDockerHost, ensureBuilt, fixturesDir, imgalias, tempDir } from './support/cli.js';

const goldenDir = path.join(fixturesDir, '../golden');

/**
 * Compares output with a committed file; `UPDATE_GOLDEN=1` rewrites the file instead, for a reviewer to read
 * in the diff. A missing golden file fails rather than being created silently.
 */
async function expectGolden(name: string, actual: string): Promise<void> {
  const file = path.join(goldenDir, name);
  if (process.env['UPDATE_GOLDEN'] === '1') {
    await mkdir(goldenDir, { recursive: true });
    await writeFile(file, actual);
    return;
  }
  if (!existsSync(file)) throw new Error(`golden file ${name} is missing; run with UPDATE_GOLDEN=1 to create it`);
  expect(actual).toBe(await readFile(file, 'utf8'));
}

beforeAll(ensureBuilt, 600_000);

// Planning from a saved snapshot needs no engine: PATH has no docker and DOCKER_HOST points nowhere, so any
// attempt to reach one would fail the command.
describe('plan --snapshot, rendered (golden files)', () => {
  const run = async (args: readonly string[]) => {
    const dir = await tempDir();
    const emptyBin = path.join(dir, 'empty-bin');
    await mkdir(emptyBin);
    return imgalias(args, { cwd: fixturesDir, env: { PATH: emptyBin, DOCKER_HOST: deadDockerHost(dir) } });
  };
  const base = ['plan', '--snapshot', 'field-snapshot.json', '--from', 'project', 'nginx:1.27-alpine'];

  test.each([
    ['text', 'plan-external.txt'],
    ['json', 'plan-external.json'],
    ['markdown', 'plan-external.md'],
    ['shell', 'plan-external.sh'],
  ])('--format %s matches %s', async (format, golden) => {
    const result = await run([...base, '--format', format]);
    // The snapshot has a conflict and nginx is nowhere: findings, so exit 1.
    expect(result.exitCode).toBe(1);
    await expectGolden(golden, result.stdout);
  }, 60_000);

  test('internal mode with a Harbor project, text (and the hint naming the Harbor copy to pull)', async () => {
    const result = await run([...base, '--mode', 'internal', '--harbor', 'harbor.corp.local/proj']);
    expect(result.exitCode).toBe(1);
    await expectGolden('plan-internal.txt', result.stdout);
    expect(result.stderr).toContain(
      'nginx:1.27-alpine is not in the store: pull its Harbor copy (docker pull harbor.corp.local/proj/nginx:1.27-alpine) or run `imgalias prefetch nginx:1.27-alpine`',
    );
  }, 60_000);

  test('--json is --format json, and the output decodes as a plan', async () => {
    const json = await run([...base, '--json']);
    const format = await run([...base, '--format', 'json']);
    expect(json.stdout).toBe(format.stdout);
    const plan = JSON.parse(json.stdout) as { version: number; mode: string; actions: unknown[]; findings: { _tag: string }[] };
    expect(plan.version).toBe(1);
    expect(plan.mode).toBe('external');
    expect(plan.findings.map((finding) => finding._tag).sort()).toEqual(['Conflict', 'Missing']);
  }, 60_000);

  test('check against the snapshot, text', async () => {
    const result = await run(['check', '--snapshot', 'field-snapshot.json', '--from', 'project']);
    expect(result.exitCode).toBe(1);
    await expectGolden('check-external.txt', result.stdout);
  }, 60_000);
});
