import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import type { Plan, TagAction } from '@imgalias/core';
import { createEngineStore, resolveDockerEndpoint } from '../src/index.js';
import type { ExecEvent, ExecOutcome } from '../src/index.js';
import { fakeEngine } from './fakeExec.js';

const id = (n: number): string => `sha256:${String(n).repeat(64).slice(0, 64)}`;
const tagAction = (source: string, target: string, imageId: string): TagAction => ({
  _tag: 'Tag',
  source,
  target,
  imageId,
  family: target,
  role: 'origin',
  reason: 'missing-name',
});
const planOf = (...actions: TagAction[]): Plan => ({ version: 1, mode: 'internal', actions, findings: [] });

describe('resolveDockerEndpoint finds the daemon the way the docker CLI does', () => {
  const files = (entries: Record<string, string>) => (file: string) => entries[file];
  const metaOf = (configDir: string, name: string): string =>
    path.join(configDir, 'contexts', 'meta', createHash('sha256').update(name).digest('hex'), 'meta.json');

  test.each([
    ['unix socket', { DOCKER_HOST: 'unix:///tmp/d/docker.sock' }, { _tag: 'Unix', socketPath: '/tmp/d/docker.sock' }],
    ['tcp with a port', { DOCKER_HOST: 'tcp://127.0.0.1:2399' }, { _tag: 'Tcp', hostname: '127.0.0.1', port: 2399 }],
    ['tcp without a port is 2375', { DOCKER_HOST: 'tcp://127.0.0.1' }, { _tag: 'Tcp', hostname: '127.0.0.1', port: 2375 }],
    ['tcp over TLS is left to the CLI', { DOCKER_HOST: 'tcp://127.0.0.1:2376', DOCKER_TLS_VERIFY: '1' }, { _tag: 'CliOnly', reason: 'the daemon is reached over TLS' }],
    ['ssh is left to the CLI', { DOCKER_HOST: 'ssh://me@build-host' }, { _tag: 'CliOnly', reason: 'ssh:// is not spoken by the API transport' }],
    ['no DOCKER_HOST and no context: the default socket', { HOME: '/nonexistent-home' }, { _tag: 'Unix', socketPath: '/var/run/docker.sock' }],
  ])('%s', (_name, env, expected) => {
    expect(resolveDockerEndpoint({ env, readFile: () => undefined, exists: () => false })).toMatchObject(expected);
  });

  test('DOCKER_HOST wins over DOCKER_CONTEXT and the config file, as in the docker CLI', () => {
    const env = { DOCKER_HOST: 'unix:///tmp/host.sock', DOCKER_CONTEXT: 'remote', DOCKER_CONFIG: '/cfg' };
    expect(resolveDockerEndpoint({ env, readFile: () => undefined, exists: () => false })).toMatchObject({ socketPath: '/tmp/host.sock' });
  });

  test('DOCKER_CONTEXT names a context whose meta.json gives the host', () => {
    const env = { DOCKER_CONTEXT: 'builder', DOCKER_CONFIG: '/cfg' };
    const readFile = files({ [metaOf('/cfg', 'builder')]: JSON.stringify({ Name: 'builder', Endpoints: { docker: { Host: 'unix:///tmp/builder.sock' } } }) });
    expect(resolveDockerEndpoint({ env, readFile, exists: () => false })).toMatchObject({ _tag: 'Unix', socketPath: '/tmp/builder.sock' });
  });

  test('the config file\'s currentContext is used when no variable names one; a context with TLS is left to the CLI', () => {
    const env = { HOME: '/home/me' };
    const configDir = '/home/me/.docker';
    const readFile = files({
      [path.join(configDir, 'config.json')]: JSON.stringify({ currentContext: 'secure' }),
      [metaOf(configDir, 'secure')]: JSON.stringify({ Endpoints: { docker: { Host: 'tcp://127.0.0.1:2376' } } }),
    });
    const tlsDir = path.join(configDir, 'contexts', 'tls', createHash('sha256').update('secure').digest('hex'), 'docker');
    expect(resolveDockerEndpoint({ env, readFile, exists: () => false })).toMatchObject({ _tag: 'Tcp', port: 2376 });
    expect(resolveDockerEndpoint({ env, readFile, exists: (file) => file === tlsDir })).toMatchObject({ _tag: 'CliOnly', reason: 'the daemon is reached over TLS' });
  });

  test('a context that cannot be read is left to the CLI, which reports it in its own words', () => {
    const env = { DOCKER_CONTEXT: 'gone', DOCKER_CONFIG: '/cfg' };
    expect(resolveDockerEndpoint({ env, readFile: () => undefined, exists: () => false })).toMatchObject({ _tag: 'CliOnly' });
  });
});

describe('choosing a transport', () => {
  const made: string[] = [];
  afterAll(async () => {
    await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })));
  });
  const deadSocket = async (): Promise<string> => {
    const dir = await mkdtemp(path.join(tmpdir(), 'imgalias-transport-'));
    made.push(dir);
    return path.join(dir, 'nobody-listens.sock');
  };

  test('auto: when the Engine API socket does not answer, the CLI runs instead and the report says so', async () => {
    const fake = fakeEngine({ engine: 'docker', images: [{ id: id(1), names: ['localhost/redis:7-alpine'] }] });
    const socket = await deadSocket();
    const store = createEngineStore({ engine: 'docker', env: { DOCKER_HOST: `unix://${socket}` }, exec: fake.exec, transport: 'auto' });
    const snapshot = await store.snapshot();
    expect(snapshot).toMatchObject({ _tag: 'Right', right: { images: [{ id: id(1) }] } });
    expect(store.transport()).toEqual({ kind: 'cli', description: `docker CLI (the Engine API at unix://${socket} did not answer)` });
    expect(fake.verbs()).toEqual(['image']);
  });

  test('api: a socket nobody listens on is EngineUnreachable, and no process runs', async () => {
    const fake = fakeEngine({ engine: 'docker', images: [] });
    const socket = await deadSocket();
    const store = createEngineStore({ engine: 'docker', env: { DOCKER_HOST: `unix://${socket}` }, exec: fake.exec, transport: 'api' });
    expect(await store.snapshot()).toMatchObject({ _tag: 'Left', left: { _tag: 'EngineUnreachable', message: expect.stringContaining(socket) } });
    expect(fake.calls).toHaveLength(0);
  });

  test('api: an endpoint it cannot speak (ssh) or another engine is an error naming --transport cli', async () => {
    const ssh = createEngineStore({ engine: 'docker', env: { DOCKER_HOST: 'ssh://me@host' }, transport: 'api' });
    expect(await ssh.snapshot()).toMatchObject({ _tag: 'Left', left: { _tag: 'EngineUnreachable', message: expect.stringContaining('--transport cli') } });
    const podman = createEngineStore({ engine: 'podman', env: { CONTAINER_HOST: undefined }, transport: 'api' });
    expect(await podman.snapshot()).toMatchObject({ _tag: 'Left', left: { message: expect.stringContaining('CONTAINER_HOST: not set (podman runs without a service)') } });
    const podmanOverTcp = createEngineStore({ engine: 'podman', env: { CONTAINER_HOST: 'tcp://127.0.0.1:8888' }, transport: 'api' });
    expect(await podmanOverTcp.snapshot()).toMatchObject({ _tag: 'Left', left: { message: expect.stringContaining("only a podman service's unix socket") } });
    const nerdctl = createEngineStore({ engine: 'nerdctl', env: {}, transport: 'api' });
    expect(await nerdctl.snapshot()).toMatchObject({ _tag: 'Left', left: { message: expect.stringContaining('nerdctl is driven through its CLI') } });
  });

  test('auto for podman: CONTAINER_HOST naming a socket nobody listens on falls back to the podman CLI and says so', async () => {
    const fake = fakeEngine({ engine: 'podman', images: [{ id: id(1), names: ['localhost/redis:7-alpine'] }] });
    const socket = await deadSocket();
    const store = createEngineStore({ engine: 'podman', env: { CONTAINER_HOST: `unix://${socket}` }, exec: fake.exec, transport: 'auto' });
    expect(await store.snapshot()).toMatchObject({ _tag: 'Right', right: { images: [{ id: id(1) }] } });
    expect(store.transport()).toEqual({ kind: 'cli', description: `podman CLI (the Engine API at unix://${socket} did not answer)` });
    const unset = createEngineStore({ engine: 'podman', env: { CONTAINER_HOST: undefined }, exec: fake.exec, transport: 'auto' });
    expect(await unset.snapshot()).toMatchObject({ _tag: 'Right' });
    expect(unset.transport().description).toBe('podman CLI (the Engine API transport is not used: CONTAINER_HOST: not set (podman runs without a service))');
  });

  test('auto with ssh:// or global CLI arguments uses the CLI and says why', async () => {
    const fake = fakeEngine({ engine: 'docker', images: [] });
    const ssh = createEngineStore({ engine: 'docker', env: { DOCKER_HOST: 'ssh://me@host' }, exec: fake.exec, transport: 'auto' });
    expect(await ssh.snapshot()).toMatchObject({ _tag: 'Right' });
    expect(ssh.transport().description).toBe('docker CLI (the Engine API transport is not used: ssh://me@host: ssh:// is not spoken by the API transport)');
    const contextFake = fakeEngine({ engine: 'docker', images: [], globalArgCount: 2 });
    const withContext = createEngineStore({ engine: 'docker', env: { DOCKER_HOST: 'unix:///tmp/x.sock' }, globalArgs: ['--context', 'x'], exec: contextFake.exec, transport: 'auto' });
    expect(await withContext.snapshot()).toMatchObject({ _tag: 'Right' });
    expect(withContext.transport().kind).toBe('cli');
  });
});

describe('podman: one tag process per image', () => {
  const images = [
    { id: id(1), names: ['localhost/redis:7-alpine'] },
    { id: id(2), names: ['localhost/minio/minio:latest'] },
  ];

  test('names of one image share a process even from different sources', async () => {
    const fake = fakeEngine({ engine: 'podman', images: [{ id: id(3), names: ['localhost/a:1', 'localhost/b:1'] }] });
    const events: ExecEvent[] = [];
    const store = createEngineStore({ engine: 'podman', env: {}, exec: fake.exec, onExec: (event) => events.push(event) });
    const report = await store.apply(
      planOf(tagAction('localhost/a:1', 'docker.io/library/a:1', id(3)), tagAction('localhost/b:1', 'docker.io/library/b:1', id(3))),
    );
    expect(report).toMatchObject({ _tag: 'Right', right: { verified: true } });
    expect(events.filter((event) => event.args[0] === 'tag').map((event) => event.args.slice(1))).toEqual([
      [id(3), 'docker.io/library/a:1', 'docker.io/library/b:1'],
    ]);
  });

  test('every name of one image in one `podman tag SOURCE T1 T2 ...`; docker keeps one process per name', async () => {
    const plan = planOf(
      tagAction('localhost/redis:7-alpine', 'docker.io/library/redis:7-alpine', id(1)),
      tagAction('localhost/redis:7-alpine', 'harbor.corp.local/proj/redis:7-alpine', id(1)),
      tagAction('localhost/minio/minio:latest', 'docker.io/minio/minio:latest', id(2)),
    );
    for (const engine of ['podman', 'docker'] as const) {
      const fake = fakeEngine({ engine, images });
      const events: ExecEvent[] = [];
      const store = createEngineStore({ engine, env: {}, exec: fake.exec, onExec: (event) => events.push(event) });
      const report = await store.apply(plan);
      expect(report).toMatchObject({ _tag: 'Right', right: { verified: true } });
      const tags = events.filter((event) => event.args[0] === 'tag').map((event) => event.args.slice(1));
      if (engine === 'podman') {
        // The two sources' processes run side by side; which starts first is not part of the contract.
        expect([...tags].sort((a, b) => String(a[0]).localeCompare(String(b[0])))).toEqual([
          [id(1), 'docker.io/library/redis:7-alpine', 'harbor.corp.local/proj/redis:7-alpine'],
          [id(2), 'docker.io/minio/minio:latest'],
        ]);
      } else {
        expect(tags).toHaveLength(3);
      }
    }
  });

  test('`podman tag` runs with GOGC=400 unless the environment sets GOGC; no other process gets it', async () => {
    const plan = planOf(
      tagAction('localhost/redis:7-alpine', 'docker.io/library/redis:7-alpine', id(1)),
      tagAction('localhost/redis:7-alpine', 'harbor.corp.local/proj/redis:7-alpine', id(1)),
    );
    const gogcOf = async (engine: 'podman' | 'docker', env: Record<string, string | undefined>) => {
      const fake = fakeEngine({ engine, images });
      const events: ExecEvent[] = [];
      const store = createEngineStore({ engine, env, exec: fake.exec, onExec: (event) => events.push(event) });
      expect(await store.apply(plan)).toMatchObject({ _tag: 'Right', right: { verified: true } });
      const verbs = (tag: boolean) => fake.calls.filter((call) => (call.args[0] === 'tag') === tag);
      return {
        tag: verbs(true).map((call) => call.env.GOGC),
        other: [...new Set(verbs(false).map((call) => call.env.GOGC))],
        reported: events.filter((event) => event.args[0] === 'tag').map((event) => event.extraEnv),
      };
    };
    expect(await gogcOf('podman', { GOGC: undefined })).toEqual({ tag: ['400'], other: [undefined], reported: [{ GOGC: '400' }] });
    expect(await gogcOf('podman', { GOGC: '50' })).toEqual({ tag: ['50'], other: ['50'], reported: [{}] });
    expect(await gogcOf('docker', { GOGC: undefined })).toEqual({ tag: [undefined, undefined], other: [undefined], reported: [{}, {}] });
  });

  test('when the grouped tag fails, each name is tried alone so every action gets its own result', async () => {
    const refused = 'harbor.corp.local/proj/redis:7-alpine';
    const override = (args: readonly string[]): ExecOutcome | undefined =>
      args[0] === 'tag' && args.includes(refused) ? { _tag: 'Exited', exitCode: 125, stdout: '', stderr: `Error: tag ${refused}: refused` } : undefined;
    const fake = fakeEngine({ engine: 'podman', images, override });
    const store = createEngineStore({ engine: 'podman', env: {}, exec: fake.exec });
    const plan = planOf(
      tagAction('localhost/redis:7-alpine', 'docker.io/library/redis:7-alpine', id(1)),
      tagAction('localhost/redis:7-alpine', refused, id(1)),
    );
    const report = await store.apply(plan);
    expect(report).toMatchObject({
      _tag: 'Right',
      right: { results: [{ _tag: 'Applied' }, { _tag: 'Failed', error: { _tag: 'CommandFailed', message: expect.stringContaining('refused') } }], verified: false },
    });
    // The group, then each target alone, every call from the planned image's id (never the source name).
    expect(fake.calls.filter((call) => call.args[0] === 'tag').map((call) => call.args.slice(1))).toEqual([
      [id(1), 'docker.io/library/redis:7-alpine', refused],
      [id(1), 'docker.io/library/redis:7-alpine'],
      [id(1), refused],
    ]);
  });
});
