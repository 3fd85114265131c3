import { beforeAll, describe, expect, test } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createPodmanStore, engineCli, importImage, requireEngine } from '../../../../test-support/engines.js';
import { ensureBuilt, imgalias, tempDir } from './support/cli.js';

const podman = await requireEngine('podman', () => createPodmanStore());

beforeAll(ensureBuilt, 600_000);

const emptyNote = 'note: the podman image store read back empty';

(podman === undefined ? describe.skip : describe)('a Podman store that reads back empty', () => {
  const run = async (args: readonly string[]) => imgalias([...args, '--engine', 'podman'], { cwd: await tempDir(), env: { ...podman!.env } });

  test('ordinary missing images get no empty-store note', async () => {
    await importImage(podman!, ['docker.io/library/redis:7']);
    const result = await run(['plan', 'redis:7', 'minio/minio:latest']);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/^missing\s+minio\/minio:latest/m);
    expect(result.stderr).not.toContain('read back empty');
  }, 120_000);

  test('a damaged images.json: podman lists [] with success, and imgalias says the store read back empty', async () => {
    // What a crash mid-write or a full disk leaves: podman then answers `[]`, exit 0, as if the store were empty.
    await writeFile(path.join(podman!.dir, 'root', 'vfs-images', 'images.json'), '{"truncated');
    expect(JSON.parse(await engineCli(podman!, ['images', '--format', 'json']))).toEqual([]);
    for (const command of ['plan', 'check', 'apply']) {
      const result = await run([command, 'redis:7']);
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain(emptyNote);
      expect(result.stderr).toContain('images.json');
    }
  }, 120_000);
});

describe('a --snapshot file with no images', () => {
  test('says the snapshot lists no image, not only that the image is missing', async () => {
    const cwd = await tempDir();
    await writeFile(path.join(cwd, 'empty.json'), JSON.stringify({ version: 1, images: [] }));
    const result = await imgalias(['plan', '--snapshot', 'empty.json', 'redis:7'], { cwd });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('note: the snapshot file');
    expect(result.stderr).toContain('lists no image at all');
  }, 60_000);
});
