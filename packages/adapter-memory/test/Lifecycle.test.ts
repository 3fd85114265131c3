import { describe, expect, test } from '@jest/globals';
import type { PullCandidate, PullEvent, PullRequest, PublishEntry, Snapshot, UntagAction, UntagResult } from '@imgalias/core';
import { createMemoryStore } from '@imgalias/adapter-memory';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const ORIGIN: PullCandidate = { source: 'origin', reference: 'docker.io/library/redis:7', registry: 'docker.io', reason: 'external-origin' };
const MIRROR: PullCandidate = {
  source: 'mirror',
  reference: 'mirror.corp/hub/library/redis:7',
  registry: 'mirror.corp',
  tagAs: 'docker.io/library/redis:7',
  reason: 'external-mirror',
};
const request = (candidates: readonly PullCandidate[], family = 'docker.io/library/redis:7'): PullRequest => ({ _tag: 'Pull', family, lookedFor: [family], candidates });
const empty: Snapshot = { version: 1, images: [] };

const unwrap = async <A>(result: Promise<{ _tag: 'Left'; left: unknown } | { _tag: 'Right'; right: A }>): Promise<A> => {
  const either = await result;
  if (either._tag === 'Left') throw new Error(`expected Right, got ${JSON.stringify(either.left)}`);
  return either.right;
};

describe('createMemoryStore pull', () => {
  test('takes the first candidate the registry has, names it and its tagAs, and reports each step', async () => {
    const store = createMemoryStore({ snapshot: empty, registry: { 'mirror.corp/hub/library/redis:7': A } });
    const events: PullEvent[] = [];
    const results = await unwrap(store.pull([request([ORIGIN, MIRROR])], { onProgress: (event) => events.push(event) }));
    expect(results).toEqual([
      {
        _tag: 'Pulled',
        family: 'docker.io/library/redis:7',
        candidate: MIRROR,
        attempts: 1,
        tried: [
          {
            candidate: ORIGIN,
            attempts: 1,
            permanent: true,
            error: { _tag: 'Registry', error: { _tag: 'ManifestUnknown', reference: ORIGIN.reference, status: 404 }, engine: expect.objectContaining({ _tag: 'CommandFailed' }) },
          },
        ],
      },
    ]);
    expect(events.map((event) => event._tag)).toEqual(['Attempt', 'GiveUp', 'Attempt', 'Done']);
    expect(await unwrap(store.snapshot())).toEqual({ version: 1, images: [{ id: A, names: ['mirror.corp/hub/library/redis:7', 'docker.io/library/redis:7'] }] });
  });

  test('a family no candidate of which the registry has fails; a pulled name moves off its old image', async () => {
    const store = createMemoryStore({ snapshot: { version: 1, images: [{ id: B, names: ['redis:7'] }] }, registry: { 'redis:7': A } });
    const results = await unwrap(store.pull([request([ORIGIN]), request([MIRROR], 'docker.io/library/nginx:1')]));
    expect(results.map((result) => result._tag)).toEqual(['Pulled', 'PullFailed']);
    expect(await unwrap(store.snapshot())).toEqual({ version: 1, images: [{ id: B, names: [] }, { id: A, names: ['docker.io/library/redis:7'] }] });
  });

  test('an aborted signal starts nothing further: the rest is NotStarted', async () => {
    const stop = new AbortController();
    const store = createMemoryStore({ snapshot: empty, registry: { 'redis:7': A } });
    const results = await unwrap(
      store.pull([request([ORIGIN]), request([ORIGIN], 'docker.io/library/other:1')], { signal: stop.signal, onProgress: (event) => (event._tag === 'Done' ? stop.abort() : undefined) }),
    );
    expect(results.map((result) => result._tag)).toEqual(['Pulled', 'NotStarted']);
  });
});

describe('createMemoryStore push', () => {
  const entry: PublishEntry = { _tag: 'Publish', family: 'docker.io/library/redis:7', source: 'docker.io/library/redis:7', imageId: A, target: 'harbor.corp/p/redis:7' };

  test('records each push in the registry; a second push of the same image is skipped; a missing name fails', async () => {
    const store = createMemoryStore({ snapshot: { version: 1, images: [{ id: A, names: ['harbor.corp/p/redis:7'] }] } });
    const missing: PublishEntry = { ...entry, target: 'harbor.corp/p/gone:1' };
    expect((await unwrap(store.push([entry, missing]))).map((r) => r._tag)).toEqual(['Pushed', 'PushFailed']);
    expect(store.registry()).toEqual({ 'harbor.corp/p/redis:7': A });
    expect(await unwrap(store.push([entry]))).toEqual([{ _tag: 'Skipped', entry, digest: A }]);
    // Pushed images can be pulled back.
    const back = createMemoryStore({ snapshot: empty, registry: store.registry() });
    const harbor: PullCandidate = { source: 'harbor', reference: 'harbor.corp/p/redis:7', registry: 'harbor.corp', reason: 'internal-harbor-only' };
    expect((await unwrap(back.pull([request([harbor])])))[0]?._tag).toBe('Pulled');
  });
});

describe('createMemoryStore untag, containers, platforms', () => {
  const action = (name: string, imageId = A): UntagAction => ({ _tag: 'Untag', name, imageId, family: 'docker.io/library/redis:7', role: 'origin' });

  test('removes names; the last name deletes the image; a stale action is refused with its reason', async () => {
    const store = createMemoryStore({ snapshot: { version: 1, images: [{ id: A, names: ['redis:7', 'localhost/redis:7'] }, { id: B, names: ['nginx:1'] }] } });
    const seen: UntagResult[] = [];
    const results = await unwrap(
      store.untag([action('docker.io/library/redis:7'), action('nginx:1'), action('localhost/redis:7'), action('docker.io/library/gone:1')], { onProgress: (e) => seen.push(e.result) }),
    );
    expect(results).toEqual([
      { _tag: 'Untagged', action: action('docker.io/library/redis:7') },
      { _tag: 'Refused', action: action('nginx:1'), reason: { _tag: 'Moved', name: 'nginx:1', planned: A, found: B } },
      { _tag: 'Untagged', action: action('localhost/redis:7') },
      { _tag: 'Refused', action: action('docker.io/library/gone:1'), reason: { _tag: 'Gone', name: 'docker.io/library/gone:1' } },
    ]);
    expect(seen).toEqual(results);
    expect(await unwrap(store.snapshot())).toEqual({ version: 1, images: [{ id: B, names: ['nginx:1'] }] });
  });

  test('the last name of an image a container uses is not removed, as an engine refuses without --force', async () => {
    const containers = [{ id: 'c1', imageId: A }];
    const store = createMemoryStore({ snapshot: { version: 1, images: [{ id: A, names: ['redis:7'] }] }, containers });
    const [result] = await unwrap(store.untag([action('redis:7')]));
    expect(result).toMatchObject({ _tag: 'UntagFailed', error: { _tag: 'CommandFailed', exitCode: 1, message: expect.stringContaining('container c1 is using') } });
    expect(await unwrap(store.containers())).toEqual(containers);
    expect(await unwrap(createMemoryStore({ snapshot: empty }).containers())).toBeUndefined();
  });

  test('an aborted signal leaves the rest NotStarted', async () => {
    const stop = new AbortController();
    const store = createMemoryStore({ snapshot: { version: 1, images: [{ id: A, names: ['redis:7', 'localhost/redis:7'] }] } });
    const results = await unwrap(store.untag([action('redis:7'), action('localhost/redis:7')], { signal: stop.signal, onProgress: () => stop.abort() }));
    expect(results.map((r) => r._tag)).toEqual(['Untagged', 'NotStarted']);
    expect(await unwrap(store.snapshot())).toEqual({ version: 1, images: [{ id: A, names: ['localhost/redis:7'] }] });
  });

  test('platforms come from the options', async () => {
    const store = createMemoryStore({ snapshot: empty, platform: 'linux/arm64', platforms: { [A]: 'linux/amd64' } });
    expect(await unwrap(store.platform())).toBe('linux/arm64');
    expect(await unwrap(store.imagePlatforms([A, B]))).toEqual([{ imageId: A, platform: 'linux/amd64' }]);
    expect(await unwrap(createMemoryStore({ snapshot: empty }).platform())).toBe('linux/amd64');
  });
});
