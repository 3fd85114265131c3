import { describe, expect, test } from '@jest/globals';
import { defaultPolicy, planAliases } from '@imgalias/core';
import type { ActionResult, EngineKind, Plan, TagAction } from '@imgalias/core';
import { createEngineStore } from '../src/index.js';
import type { ExecEvent, ExecOutcome } from '../src/index.js';
import { fakeEngine } from './fakeExec.js';
import type { FakeImage } from './fakeExec.js';

const id = (n: number): string => `sha256:${String(n).repeat(64).slice(0, 64)}`;
const env = { PATH: '/usr/bin' };

const action = (source: string, target: string, imageId: string, extra: Partial<TagAction> = {}): TagAction => ({
  _tag: 'Tag',
  source,
  target,
  imageId,
  family: target,
  role: 'origin',
  reason: 'missing-name',
  ...extra,
});

const planOf = (...actions: TagAction[]): Plan => ({ version: 1, mode: 'internal', actions, findings: [] });

const storeOn = (engine: EngineKind, images: readonly FakeImage[], extra: { override?: (args: readonly string[]) => ExecOutcome | undefined; delayMs?: number } = {}) => {
  const fake = fakeEngine({ engine, images, ...extra });
  const events: ExecEvent[] = [];
  const store = createEngineStore({ engine, env, exec: fake.exec, onExec: (event) => events.push(event) });
  const tags = (): string[][] => events.filter((e) => e.args[0] === 'tag').map((e) => [...e.args]);
  return { fake, store, events, tags };
};

const field: readonly FakeImage[] = [
  { id: id(1), names: ['localhost/redis:7-alpine'] },
  { id: id(2), names: ['localhost/minio/minio:latest'] },
  { id: id(3), names: ['localhost/osixia/openldap:stable'] },
];
const fieldImages = ['redis:7-alpine', 'minio/minio:latest', 'osixia/openldap:stable'];

describe('snapshot', () => {
  test('is one process, in the engine\'s words, mapped to a Snapshot', async () => {
    const { store, events } = storeOn('docker', field);
    const snapshot = await store.snapshot();
    expect(events.map((e) => e.args)).toEqual([['image', 'ls', '--all', '--no-trunc', '--digests', '--format', '{{json .}}']]);
    expect(snapshot).toEqual({
      _tag: 'Right',
      right: {
        version: 1,
        images: [
          { id: id(1), names: ['localhost/redis:7-alpine'] },
          { id: id(2), names: ['localhost/minio/minio:latest'] },
          { id: id(3), names: ['localhost/osixia/openldap:stable'] },
        ],
      },
    });
  });

  test('global args come first, the env and command are passed as given', async () => {
    const fake = fakeEngine({ engine: 'podman', images: field, globalArgCount: 2 });
    const store = createEngineStore({ engine: 'podman', command: '/opt/podman', env: { CONTAINER_HOST: 'unix:///tmp/p.sock' }, globalArgs: ['--root', '/tmp/r'], exec: fake.exec, timeoutMs: 1234 });
    await store.snapshot();
    expect(fake.calls).toEqual([
      { command: '/opt/podman', args: ['--root', '/tmp/r', 'images', '--all', '--format', 'json'], env: { CONTAINER_HOST: 'unix:///tmp/p.sock' }, timeoutMs: 1234 },
    ]);
  });

  test('an unreachable daemon is an EngineUnreachable value, not a throw', async () => {
    const message = 'Cannot connect to the Docker daemon at unix:///tmp/none.sock. Is the docker daemon running?';
    const { store } = storeOn('docker', [], { override: () => ({ _tag: 'Exited', exitCode: 1, stdout: '', stderr: message }) });
    expect(await store.snapshot()).toEqual({ _tag: 'Left', left: { _tag: 'EngineUnreachable', engine: 'docker', message } });
  });
});

describe('apply', () => {
  test('the field scenario converges: one tag per action, spelled for docker, then verified', async () => {
    const { store, tags, events } = storeOn('docker', field);
    const before = await store.snapshot();
    if (before._tag === 'Left') throw new Error('snapshot failed');
    const plan = planAliases({ snapshot: before.right, images: fieldImages, policy: { ...defaultPolicy, mode: 'internal' } });
    expect(plan.actions).toHaveLength(3);
    events.length = 0;
    const report = await store.apply(plan);
    expect(tags().sort()).toEqual([
      ['tag', 'localhost/minio/minio:latest', 'minio/minio:latest'],
      ['tag', 'localhost/osixia/openldap:stable', 'osixia/openldap:stable'],
      ['tag', 'localhost/redis:7-alpine', 'redis:7-alpine'],
    ]);
    // one read before (stale-plan guard), three tags, one read after
    expect(events.map((e) => e.args[0])).toEqual(['image', 'tag', 'tag', 'tag', 'image']);
    expect(report).toMatchObject({ _tag: 'Right', right: { verified: true } });
    if (report._tag === 'Right') expect(report.right.results.map((r) => r._tag)).toEqual(['Applied', 'Applied', 'Applied']);
  });

  test('given the snapshot the plan was just made from, apply does not read the store again before tagging', async () => {
    const { store, events } = storeOn('docker', field);
    const before = await store.snapshot();
    if (before._tag === 'Left') throw new Error('snapshot failed');
    const plan = planAliases({ snapshot: before.right, images: fieldImages, policy: { ...defaultPolicy, mode: 'internal' } });
    events.length = 0;
    const report = await store.apply(plan, { current: before.right });
    // three tags, then the verifying read: the pre-apply read is the caller's snapshot
    expect(events.map((e) => e.args[0])).toEqual(['tag', 'tag', 'tag', 'image']);
    expect(report).toMatchObject({ _tag: 'Right', right: { verified: true } });
  });

  test('the snapshot a caller passes still guards: an action it shows as stale is not run', async () => {
    const { store, tags } = storeOn('docker', field);
    const current = { version: 1 as const, images: [{ id: id(9), names: ['redis:7-alpine'] }, ...field] };
    const report = await store.apply(planOf(action('localhost/redis:7-alpine', 'redis:7-alpine', id(1))), { current });
    expect(tags()).toEqual([]);
    expect(report).toMatchObject({ _tag: 'Right', right: { results: [{ _tag: 'Failed' }], verified: false } });
  });

  test('podman gets Docker Hub names spelled in full', async () => {
    const { store, tags } = storeOn('podman', field);
    await store.apply(planOf(action('localhost/redis:7-alpine', 'docker.io/library/redis:7-alpine', id(1))));
    expect(tags()).toEqual([['tag', 'localhost/redis:7-alpine', 'docker.io/library/redis:7-alpine']]);
  });

  test('an empty plan runs no tag and reads the store once', async () => {
    const { store, events } = storeOn('docker', field);
    const report = await store.apply(planOf());
    expect(events.map((e) => e.args[0])).toEqual(['image']);
    expect(report).toMatchObject({ _tag: 'Right', right: { results: [], verified: true } });
  });

  test('one refused tag does not stop the others, and the report is not verified', async () => {
    const refusal = 'Error response from daemon: refusing to tag: disk full';
    const { store, tags } = storeOn('docker', field, {
      override: (args) => (args[0] === 'tag' && args[2] === 'minio/minio:latest' ? { _tag: 'Exited', exitCode: 1, stdout: '', stderr: refusal } : undefined),
    });
    const plan = planOf(
      action('localhost/minio/minio:latest', 'docker.io/minio/minio:latest', id(2)),
      action('localhost/redis:7-alpine', 'docker.io/library/redis:7-alpine', id(1)),
    );
    const seen: ActionResult[] = [];
    const report = await store.apply(plan, { onResult: (r) => seen.push(r) });
    expect(tags()).toHaveLength(2);
    expect(report).toEqual({
      _tag: 'Right',
      right: {
        results: [
          { _tag: 'Failed', action: plan.actions[0], error: { _tag: 'CommandFailed', engine: 'docker', args: ['tag', 'localhost/minio/minio:latest', 'minio/minio:latest'], exitCode: 1, message: refusal } },
          { _tag: 'Applied', action: plan.actions[1] },
        ],
        after: expect.anything(),
        verified: false,
        via: 'docker CLI',
      },
    });
    expect(seen).toHaveLength(2);
  });

  test('a timed-out tag ends as Failed with Timeout', async () => {
    const { store } = storeOn('docker', field, { override: (args) => (args[0] === 'tag' ? { _tag: 'TimedOut', stdout: '', stderr: '' } : undefined) });
    const report = await store.apply(planOf(action('localhost/redis:7-alpine', 'docker.io/library/redis:7-alpine', id(1))));
    expect(report).toMatchObject({ _tag: 'Right', right: { results: [{ _tag: 'Failed', error: { _tag: 'Timeout', timeoutMs: 30_000 } }], verified: false } });
  });

  test('an invalid name never reaches the engine', async () => {
    const { store, tags } = storeOn('docker', field);
    const plan = planOf(
      action('localhost/redis:7-alpine', 'Redis:Bad', id(1)),
      action('NOPE//x', 'docker.io/library/redis:7-alpine', id(1)),
    );
    const report = await store.apply(plan);
    expect(tags()).toEqual([]);
    expect(report).toMatchObject({
      _tag: 'Right',
      right: {
        results: [
          { _tag: 'Failed', error: { _tag: 'CommandFailed', exitCode: null, message: expect.stringContaining('invalid reference format') } },
          { _tag: 'Failed', error: { _tag: 'CommandFailed', exitCode: null, message: expect.stringContaining('invalid reference format') } },
        ],
      },
    });
  });

  test('a digest target is refused without running', async () => {
    const { store, tags } = storeOn('docker', field);
    const report = await store.apply(planOf(action('localhost/redis:7-alpine', `docker.io/library/redis@sha256:${'e'.repeat(64)}`, id(1))));
    expect(tags()).toEqual([]);
    expect(report).toMatchObject({ _tag: 'Right', right: { results: [{ _tag: 'Failed', error: { message: expect.stringContaining('never a tag target') } }] } });
  });

  test('a stale plan never moves a name the plan does not say to move', async () => {
    // redis:7-alpine appeared (on another image) after the plan was made
    const { store, tags, fake } = storeOn('docker', [...field, { id: id(9), names: ['redis:7-alpine'] }]);
    const report = await store.apply(planOf(action('localhost/redis:7-alpine', 'docker.io/library/redis:7-alpine', id(1))));
    expect(tags()).toEqual([]);
    expect(fake.names.get('docker.io/library/redis:7-alpine')).toBe(id(9));
    expect(report).toMatchObject({
      _tag: 'Right',
      right: { results: [{ _tag: 'Failed', error: { message: expect.stringContaining(`now points at ${id(9)}`) } }], verified: false },
    });
  });

  test('a stale plan whose source moved is refused too', async () => {
    const { store, tags } = storeOn('docker', field);
    const report = await store.apply(planOf(action('localhost/redis:7-alpine', 'docker.io/library/redis:7-alpine', id(5))));
    expect(tags()).toEqual([]);
    expect(report).toMatchObject({ _tag: 'Right', right: { results: [{ _tag: 'Failed', error: { message: expect.stringContaining('now names') } }] } });
    const gone = await store.apply(planOf(action('localhost/gone:1', 'docker.io/library/gone:1', id(1))));
    expect(gone).toMatchObject({ _tag: 'Right', right: { results: [{ _tag: 'Failed', error: { message: expect.stringContaining('no longer in the store') } }] } });
  });

  test('a retarget runs only when the target still points at the image it replaces', async () => {
    const images = [...field, { id: id(9), names: ['redis:7-alpine'] }];
    const ok = storeOn('docker', images);
    const retarget = action('localhost/redis:7-alpine', 'docker.io/library/redis:7-alpine', id(1), { reason: 'retarget', replaces: id(9) });
    expect(await ok.store.apply(planOf(retarget))).toMatchObject({ _tag: 'Right', right: { verified: true } });
    expect(ok.tags()).toEqual([['tag', 'localhost/redis:7-alpine', 'redis:7-alpine']]);

    const moved = storeOn('docker', images);
    await moved.store.apply(planOf({ ...retarget, replaces: id(8) }));
    expect(moved.tags()).toEqual([]);
    expect(moved.fake.names.get('docker.io/library/redis:7-alpine')).toBe(id(9));
  });

  test('an action already satisfied runs nothing and counts as applied', async () => {
    const { store, tags } = storeOn('docker', [{ id: id(1), names: ['localhost/redis:7-alpine', 'redis:7-alpine'] }]);
    const report = await store.apply(planOf(action('localhost/redis:7-alpine', 'docker.io/library/redis:7-alpine', id(1))));
    expect(tags()).toEqual([]);
    expect(report).toMatchObject({ _tag: 'Right', right: { results: [{ _tag: 'Applied' }], verified: true } });
  });

  test('two actions for one target: only the first runs', async () => {
    const { store, tags } = storeOn('docker', field);
    const report = await store.apply(
      planOf(action('localhost/redis:7-alpine', 'docker.io/library/x:1', id(1)), action('localhost/minio/minio:latest', 'x:1', id(2))),
    );
    expect(tags()).toEqual([['tag', 'localhost/redis:7-alpine', 'x:1']]);
    expect(report).toMatchObject({ _tag: 'Right', right: { results: [{ _tag: 'Applied' }, { _tag: 'Failed', error: { message: expect.stringContaining('more than one action') } }] } });
  });

  test.each([
    [undefined, 4],
    [2, 2],
    [1, 1],
  ])('concurrency %p runs at most %p tags at once', async (concurrency, expected) => {
    const images = Array.from({ length: 12 }, (_, i) => ({ id: id(i % 9), names: [`localhost/app-${i}:1`] }));
    const { store, fake } = storeOn('docker', images, { delayMs: 5 });
    const plan = planOf(...images.map((image, i) => action(`localhost/app-${i}:1`, `docker.io/library/app-${i}:1`, image.id)));
    const report = await store.apply(plan, concurrency === undefined ? {} : { concurrency });
    expect(report).toMatchObject({ _tag: 'Right', right: { verified: true } });
    expect(fake.maxInFlight()).toBe(expected);
  });

  test('an unreachable daemon makes apply an EngineUnreachable value, and no tag runs', async () => {
    const message = 'Cannot connect to the Docker daemon at unix:///tmp/none.sock. Is the docker daemon running?';
    const { store, tags } = storeOn('docker', field, { override: () => ({ _tag: 'Exited', exitCode: 1, stdout: '', stderr: message }) });
    expect(await store.apply(planOf(action('localhost/redis:7-alpine', 'redis:7-alpine', id(1))))).toEqual({
      _tag: 'Left',
      left: { _tag: 'EngineUnreachable', engine: 'docker', message },
    });
    expect(tags()).toEqual([]);
  });

  test('a missing binary makes apply an EngineMissing value', async () => {
    const { store } = storeOn('podman', field, { override: () => ({ _tag: 'SpawnFailed', code: 'ENOENT', message: 'spawn podman ENOENT' }) });
    expect(await store.apply(planOf())).toEqual({
      _tag: 'Left',
      left: { _tag: 'EngineMissing', engine: 'podman', command: 'podman', message: 'spawn podman ENOENT' },
    });
  });

  test('conflict findings in a plan do not stop its actions', async () => {
    const images = [...field, { id: id(9), names: ['minio/minio:latest'] }];
    const { store, tags } = storeOn('docker', images);
    const snapshot = await store.snapshot();
    if (snapshot._tag === 'Left') throw new Error('snapshot failed');
    const plan = planAliases({ snapshot: snapshot.right, images: fieldImages, policy: { ...defaultPolicy, mode: 'internal' } });
    expect(plan.findings.some((f) => f._tag === 'Conflict')).toBe(true);
    const report = await store.apply(plan);
    expect(tags().map((t) => t[2]).sort()).toEqual(['osixia/openldap:stable', 'redis:7-alpine']);
    expect(report).toMatchObject({ _tag: 'Right', right: { verified: true } });
  });
});
