import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { left, right } from 'fp-ts/lib/Either.js';
import { checkEngineTarget, createEngineRunner, createEngineStore, describeEngineOptionsError, engineEnvironment } from '../src/index.js';
import type { EngineOptionsError, EngineTarget } from '../src/index.js';
import { engineGuard, engineGuardUnset } from '../../../test-support/engineGuard.mjs';
import { fakeEngine } from './fakeExec.js';

const base = { PATH: '/usr/bin', HOME: '/home/me', DOCKER_HOST: 'unix:///run/system.sock', DOCKER_CONTEXT: 'prod', CONTAINER_HOST: 'unix:///run/podman.sock', CONTAINER_CONNECTION: 'remote' };

describe('engineEnvironment: the options laid over the process environment', () => {
  test.each<[string, EngineTarget, Record<string, string>]>([
    ['no options: the process environment as it is', { engine: 'docker' }, base],
    [
      'env adds and overrides; a name set to undefined is removed',
      { engine: 'docker', env: { DOCKER_HOST: 'unix:///tmp/mine.sock', HOME: undefined, EXTRA: '1' } },
      { ...base, DOCKER_HOST: 'unix:///tmp/mine.sock', HOME: undefined, EXTRA: '1' } as unknown as Record<string, string>,
    ],
    [
      'docker host: DOCKER_HOST, and DOCKER_CONTEXT removed (the host wins over env too)',
      { engine: 'docker', env: { DOCKER_HOST: 'unix:///tmp/env.sock' }, host: 'tcp://127.0.0.1:2375' },
      { ...base, DOCKER_HOST: 'tcp://127.0.0.1:2375', DOCKER_CONTEXT: undefined } as unknown as Record<string, string>,
    ],
    [
      'docker context: DOCKER_CONTEXT, and DOCKER_HOST removed (as --context wins over it)',
      { engine: 'docker', context: 'ci' },
      { ...base, DOCKER_CONTEXT: 'ci', DOCKER_HOST: undefined } as unknown as Record<string, string>,
    ],
    [
      'podman host: CONTAINER_HOST, and CONTAINER_CONNECTION removed',
      { engine: 'podman', host: 'unix:///tmp/podman.sock' },
      { ...base, CONTAINER_HOST: 'unix:///tmp/podman.sock', CONTAINER_CONNECTION: undefined } as unknown as Record<string, string>,
    ],
  ])('%s', (_name, options, expected) => {
    const result = engineEnvironment(options, base);
    // Removed names are absent, not present with an undefined value: the result is a complete environment.
    expect(result).toEqual(Object.fromEntries(Object.entries(expected).filter(([, value]) => value !== undefined)));
    expect(Object.values(result).every((value) => typeof value === 'string')).toBe(true);
  });

  test('the default base is this process environment', () => {
    const result = engineEnvironment({ engine: 'docker', env: { EXTRA: '1' } });
    expect(result['PATH']).toBe(process.env['PATH']);
    expect(result['EXTRA']).toBe('1');
  });
});

describe('checkEngineTarget refuses contradictions, as values', () => {
  test.each<[string, EngineTarget, EngineOptionsError['_tag'], string]>([
    ['host and context together', { engine: 'docker', host: 'unix:///tmp/d.sock', context: 'ci' }, 'HostAndContext', 'give one of them'],
    ['a context for podman', { engine: 'podman', context: 'remote' }, 'ContextUnsupported', 'podman has no contexts'],
    ['a context for nerdctl', { engine: 'nerdctl', context: 'remote' }, 'ContextUnsupported', 'nerdctl has no contexts'],
    ['a host for nerdctl', { engine: 'nerdctl', host: 'unix:///run/containerd/containerd.sock' }, 'HostUnsupported', 'CONTAINERD_ADDRESS'],
    ['an empty host', { engine: 'docker', host: ' ' }, 'InvalidValue', 'is empty'],
    ['a context with a control character', { engine: 'docker', context: 'ci\nx' }, 'InvalidValue', 'not printable'],
  ])('%s', (_name, options, tag, wording) => {
    const checked = checkEngineTarget(options);
    expect(checked).toMatchObject({ _tag: 'Left', left: { _tag: tag } });
    if (checked._tag === 'Left') expect(describeEngineOptionsError(checked.left)).toContain(wording);
  });

  test.each<[string, EngineTarget]>([
    ['neither', { engine: 'podman' }],
    ['a docker host', { engine: 'docker', host: 'ssh://me@host' }],
    ['a docker context', { engine: 'docker', context: 'ci' }],
    ['a podman host', { engine: 'podman', host: 'unix:///tmp/p.sock' }],
  ])('accepts %s', (_name, options) => {
    expect(checkEngineTarget(options)).toEqual(right(options));
  });

  test('refused options run nothing: the runner and every store call answer with the reason', async () => {
    const fake = fakeEngine({ engine: 'podman', images: [] });
    const options = { engine: 'podman', context: 'remote', exec: fake.exec } as const;
    const expected = left({ _tag: 'EngineUnreachable', engine: 'podman', message: expect.stringContaining('the engine options were refused and nothing was run: podman has no contexts') });
    expect(await createEngineRunner(options).run(['version'])).toEqual(expected);
    const store = createEngineStore({ ...options, transport: 'auto' });
    expect(await store.snapshot()).toEqual(expected);
    expect(await store.apply({ version: 1, mode: 'internal', actions: [], findings: [] })).toEqual(expected);
    expect(await store.containers()).toEqual(expected);
    expect(fake.calls).toEqual([]);
  });
});

describe('the engine processes and the Engine API see the same environment', () => {
  const made: string[] = [];
  afterAll(async () => {
    await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  test('the CLI gets this process environment with env, host and context over it', async () => {
    const fake = fakeEngine({ engine: 'docker', images: [] });
    const store = createEngineStore({ engine: 'docker', env: { HOME: undefined, EXTRA: '1' }, host: 'unix:///tmp/imgalias-host.sock', exec: fake.exec });
    await store.snapshot();
    const { HOME: _home, DOCKER_CONTEXT: _context, ...inherited } = process.env;
    expect(fake.calls.map((call) => call.env)).toEqual([{ ...inherited, EXTRA: '1', DOCKER_HOST: 'unix:///tmp/imgalias-host.sock' }]);
    expect(store.runner.env).toEqual(fake.calls[0]?.env);
  });

  test('api: the host option is the address the Engine API is asked at', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'imgalias-env-'));
    made.push(dir);
    const socket = path.join(dir, 'nobody-listens.sock');
    const store = createEngineStore({ engine: 'docker', host: `unix://${socket}`, transport: 'api' });
    expect(await store.snapshot()).toMatchObject({ _tag: 'Left', left: { _tag: 'EngineUnreachable', message: expect.stringContaining(socket) } });
  });

  test("api: the context option is read from env's DOCKER_CONFIG, as the docker CLI reads --context", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'imgalias-env-'));
    made.push(dir);
    const socket = path.join(dir, 'context.sock');
    const meta = path.join(dir, 'contexts', 'meta', createHash('sha256').update('ci').digest('hex'));
    await mkdir(meta, { recursive: true });
    await writeFile(path.join(meta, 'meta.json'), JSON.stringify({ Name: 'ci', Endpoints: { docker: { Host: `unix://${socket}` } } }));
    const store = createEngineStore({ engine: 'docker', env: { DOCKER_CONFIG: dir }, context: 'ci', transport: 'api' });
    expect(await store.snapshot()).toMatchObject({ _tag: 'Left', left: { _tag: 'EngineUnreachable', message: expect.stringContaining(socket) } });
    // The same context for the CLI: DOCKER_CONTEXT, and the DOCKER_HOST this test process has is not passed on.
    expect(store.runner.env).toMatchObject({ DOCKER_CONTEXT: 'ci', DOCKER_CONFIG: dir });
    expect(store.runner.env['DOCKER_HOST']).toBeUndefined();
  });
});

describe('the test guard (jest.config.js)', () => {
  test('an engine a test does not name is a socket nobody listens on, never the machine daemon or store', () => {
    const docker = createEngineStore({ engine: 'docker' });
    const podman = createEngineStore({ engine: 'podman' });
    expect(docker.runner.env).toMatchObject({ DOCKER_HOST: engineGuard.DOCKER_HOST });
    for (const name of engineGuardUnset) expect(docker.runner.env[name]).toBeUndefined();
    expect(podman.runner.env).toMatchObject({ CONTAINER_HOST: engineGuard.CONTAINER_HOST });
    expect(podman.runner.env['CONTAINER_CONNECTION']).toBeUndefined();
  });
});
