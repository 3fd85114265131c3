import { describe, expect, test } from '@jest/globals';
import path from 'node:path';
import { checkProject, describeProjectError } from '../src/index.js';
import { tempDirs } from '../../../test-support/tempDirs.js';

const tempDir = tempDirs('imgalias-project-engine-');

describe('the host and context options of a job', () => {
  test('host names the daemon the job reaches, over the DOCKER_HOST of the environment', async () => {
    const cwd = await tempDir();
    const socket = path.join(cwd, 'nobody-listens.sock');
    const result = await checkProject({ cwd, env: {}, images: ['redis:7'], host: `unix://${socket}` });
    expect(result).toMatchObject({ _tag: 'Left', left: { _tag: 'Store', error: { _tag: 'EngineUnreachable', message: expect.stringContaining(socket) } } });
  });

  test.each([
    ['host with context', { host: 'unix:///tmp/imgalias-x.sock', context: 'ci' }, 'context', 'are both set'],
    ['a context for podman', { engine: 'podman', context: 'ci' }, 'context', 'podman has no contexts'],
    ['an empty host', { host: '' }, 'host', 'is empty'],
  ] as const)('%s is a settings error, named by its option, and nothing runs', async (_name, options, option, wording) => {
    const cwd = await tempDir();
    const result = await checkProject({ cwd, env: { PATH: cwd }, images: ['redis:7'], ...options });
    expect(result).toMatchObject({ _tag: 'Left', left: { _tag: 'Config', error: { _tag: 'InvalidOption', option } } });
    if (result._tag === 'Left') expect(describeProjectError(result.left)).toContain(wording);
  });
});
