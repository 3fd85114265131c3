import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from '@jest/globals';

/**
 * A maker of fresh temp directories named `<prefix>XXXXXX` that are all removed when the test file ends.
 * Call it at the top level of a test file (or of a support module a test file imports), where `afterAll`
 * registers for that file.
 *
 * @example
 * const tempDir = tempDirs('imgalias-cli-');
 * test('...', async () => { const cwd = await tempDir(); ... });
 */
export function tempDirs(prefix: string): () => Promise<string> {
  const made: string[] = [];
  afterAll(async () => {
    await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return async () => {
    const dir = await mkdtemp(path.join(tmpdir(), prefix));
    made.push(dir);
    return dir;
  };
}
