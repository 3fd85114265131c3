/**
 * `--snapshot FILE` runs the lifecycle commands end to end against the in-memory store: prefetch pulls from the
 * file's `registry`, clean asks the file's `containers`, publish pushes into the registry in memory. The same
 * command code as against an engine (both stores implement the one port); no engine is touched and the file is
 * not changed.
 */
import { describe, expect, test } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExitCode } from '../../src/ExitCode.js';
import { imgalias } from './support.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const cwd = path.join(here, 'fixtures');
const env = {};
const STORE = ['--snapshot', 'store.json'];
const unchanged = async (run: () => Promise<void>): Promise<void> => {
  const before = await readFile(path.join(cwd, 'store.json'), 'utf8');
  await run();
  expect(await readFile(path.join(cwd, 'store.json'), 'utf8')).toBe(before);
};

describe('imgalias prefetch --snapshot', () => {
  test('pulls what the registry has (origin first, then the mirror), tags the aliases, reports the rest as failed', async () => {
    await unchanged(async () => {
      const run = await imgalias(['prefetch', ...STORE, '--mode', 'external', '--mirror', 'mirror.corp:5000/hub', 'nginx:1', 'busybox:1', 'alpine:3', 'redis:7-alpine'], { cwd, env });
      expect(run.stdout).toContain('pulled nginx:1 from nginx:1 (attempt 1)');
      expect(run.stdout).toContain('pulled busybox:1 from mirror.corp:5000/hub/library/busybox:1 (attempt 1, after 1 other candidate)');
      expect(run.stdout).toMatch(/failed alpine:3:\n {2}alpine:3: 1 attempt, permanent: .*manifest unknown/);
      // The aliases are applied to the pulled images, in memory, exactly as against an engine.
      expect(run.stdout).toMatch(/tagged +nginx:1 +-> localhost\/nginx:1/);
      expect(run.stdout).toContain('prefetch: 2 pulled, 1 present, 1 failed');
      expect(run.stderr).toContain('no engine was touched and the file was not changed');
      expect(run.exitCode).toBe(ExitCode.findings);
    });
  });

  test('json: every pull result and the alias report', async () => {
    const run = await imgalias(['prefetch', ...STORE, '--mode', 'external', '--format', 'json', 'nginx:1'], { cwd, env });
    expect(run.exitCode).toBe(ExitCode.ok);
    const report = JSON.parse(run.stdout) as { pulls: { _tag: string; family: string }[] };
    expect(report.pulls).toEqual([expect.objectContaining({ _tag: 'Pulled', family: 'docker.io/library/nginx:1' })]);
  });
});

describe('imgalias clean --snapshot', () => {
  test('--apply untags in memory; the file\'s containers keep an image in use; refusals exit 1', async () => {
    await unchanged(async () => {
      const run = await imgalias(['clean', ...STORE, '--apply', 'minio/minio', 'tcp-proxy:1.2'], { cwd, env });
      expect(run.stdout).toContain('untagged localhost/minio/minio:latest');
      expect(run.stdout).toContain('is used by container proxy');
      expect(run.stdout).toContain('clean: 1 untagged, 0 kept, 1 refused, 0 failed');
      expect(run.stderr).not.toContain('containers were not checked');
      expect(run.exitCode).toBe(ExitCode.findings);
    });
  });

  test('--apply of a family nothing blocks exits 0', async () => {
    const run = await imgalias(['clean', ...STORE, '--apply', '--format', 'json', 'minio/minio'], { cwd, env });
    expect(run.exitCode).toBe(ExitCode.ok);
    expect((JSON.parse(run.stdout) as { results: unknown[] }).results).toEqual([expect.objectContaining({ _tag: 'Untagged' })]);
  });

  test('a snapshot file without containers says they were not checked', async () => {
    const run = await imgalias(['clean', '--snapshot', 'snapshot.json', '--apply', 'minio/minio'], { cwd, env });
    expect(run.stderr).toContain('containers were not checked');
    expect(run.stdout).toContain('untagged localhost/minio/minio:latest');
  });
});

describe('imgalias publish --snapshot', () => {
  test('tags the Harbor names and pushes them into the registry in memory', async () => {
    const run = await imgalias(['publish', ...STORE, '--harbor', 'harbor.corp.local/proj', 'minio/minio'], { cwd, env });
    expect(run.stdout).toContain('pushed harbor.corp.local/proj/minio/minio:latest');
    expect(run.stdout).toContain('publish: 1 pushed, 0 skipped, 0 failed');
    expect(run.exitCode).toBe(ExitCode.ok);
  });
});

describe('the snapshot file\'s extra fields are checked', () => {
  test('a registry that is not a map of names to ids exits 2', async () => {
    const run = await imgalias(['prefetch', '--snapshot', 'bad-registry.json', 'nginx:1'], { cwd, env });
    expect(run.stderr).toMatch(/bad-registry\.json is not a valid imgalias snapshot:\n {2}registry/);
    expect(run.exitCode).toBe(ExitCode.usage);
  });
});
