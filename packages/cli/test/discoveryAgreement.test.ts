import { describe, expect, test } from '@jest/globals';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createMemoryStore } from '@imgalias/adapter-memory';
import { discoverImages } from '@imgalias/discover';
import { describeProjectError, planProject } from '@imgalias/project';
import { discoverProjectImages } from '@imgalias/project/internal';
import { ExitCode } from '../src/ExitCode.js';
import { runInProcess } from './support/runInProcess.js';
import { tempDirs } from '../../../test-support/tempDirs.js';

const tempDir = tempDirs('imgalias-agreement-');

/*
 * The library and the CLI must find the same images in the same tree. The case that once differed: a compose
 * file in a subdirectory whose variables come from the `.env` beside it, which only the CLI used to read.
 */
const tree = {
  'Dockerfile': 'ARG BASE=alpine:3.20\nFROM ${BASE}\n',
  'sub/compose.yaml': 'services:\n  cache:\n    image: redis:${REDIS_TAG}\n  db:\n    image: ${DB_IMAGE:-postgres:16}\n',
  'sub/.env': 'REDIS_TAG=7-alpine\n',
};

async function project(): Promise<string> {
  const dir = await tempDir();
  for (const [name, text] of Object.entries(tree)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  return dir;
}

describe('imgalias scan --json and the library agree', () => {
  test('a compose file under sub/ with sub/.env: the same images everywhere', async () => {
    const cwd = await project();
    const scan = await runInProcess(['scan', '--json'], { cwd });
    expect(scan.exitCode).toBe(ExitCode.ok);
    const cli = JSON.parse(scan.stdout) as { images: readonly { reference: string }[] };
    const expected = ['docker.io/library/alpine:3.20', 'docker.io/library/postgres:16', 'docker.io/library/redis:7-alpine'];
    expect(cli.images.map((image) => image.reference)).toEqual(expected);

    // @imgalias/discover on its own (the per-directory .env is read there), @imgalias/project's discovery, and
    // the discovery a planProject run reports: the same document as the CLI's.
    const discover = await discoverImages({ root: cwd, paths: ['.'], buildArgs: new Map(), environment: new Map(), includeBuilt: false });
    expect(discover).toEqual(cli);
    expect(await discoverProjectImages({ cwd, paths: [], buildArgs: {}, env: {}, includeBuilt: false })).toEqual(cli);
    const planned = await planProject({ cwd, env: {}, from: ['.'], store: createMemoryStore({ snapshot: { version: 1, images: [] } }) });
    if (planned._tag === 'Left') throw new Error(describeProjectError(planned.left));
    expect(planned.right.discovery).toEqual(cli);
  });
});
