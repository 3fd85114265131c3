import { describe, expect, test } from '@jest/globals';
import { left, right } from 'fp-ts/lib/Either.js';
import type { PublishEntry, UntagAction } from '@imgalias/core';
import {
  createEngineRunner,
  createEngineStore,
  enginePlatform,
  inspectPlatforms,
  listContainers,
  platformMatches,
  pushImages,
} from '../../src/index.js';
import { fail, ok, scripted } from './scripted.js';

const ID = `sha256:${'1'.repeat(64)}`;
const DIGEST = `sha256:${'d'.repeat(64)}`;
const ENTRY: PublishEntry = { _tag: 'Publish', family: 'docker.io/library/redis:7', source: 'docker.io/library/redis:7', imageId: ID, target: '127.0.0.1:5000/aihpc/redis:7' };

describe('pushImages', () => {
  test('a target that is not an image reference is refused: neither registry nor engine is asked', async () => {
    const engine = scripted(() => ok());
    let probed = 0;
    const bad: PublishEntry = { ...ENTRY, target: 'Harbor/Not Valid' };
    const result = await pushImages({
      runner: createEngineRunner({ engine: 'docker', exec: engine.exec }),
      entries: [bad],
      localDigests: () => [],
      probe: async () => {
        probed += 1;
        return right({ digest: DIGEST });
      },
    });
    expect(result).toEqual(right([{ _tag: 'Refused', entry: bad, reason: { _tag: 'InvalidName', name: 'Harbor/Not Valid', error: expect.objectContaining({ input: 'Harbor/Not Valid' }) } }]));
    expect(engine.calls).toEqual([]);
    expect(probed).toBe(0);
  });

  test('skips an image whose manifest digest the registry already has', async () => {
    const engine = scripted(() => ok());
    const result = await pushImages({
      runner: createEngineRunner({ engine: 'docker', exec: engine.exec }),
      entries: [ENTRY],
      localDigests: () => [`127.0.0.1:5000/aihpc/redis@${DIGEST}`],
      probe: async () => right({ digest: DIGEST }),
    });
    expect(result).toEqual(right([{ _tag: 'Skipped', entry: ENTRY, digest: DIGEST }]));
    expect(engine.calls).toEqual([]);
  });

  test('pushes when the registry has another digest or none, and reports the digest after the push', async () => {
    const engine = scripted(() => ok());
    let asked = 0;
    const result = await pushImages({
      runner: createEngineRunner({ engine: 'docker', exec: engine.exec }),
      entries: [ENTRY],
      localDigests: () => [],
      probe: async (r) => (asked++ === 0 ? left({ _tag: 'ManifestUnknown', reference: r.path, status: 404 }) : right({ digest: DIGEST })),
    });
    expect(result).toEqual(right([{ _tag: 'Pushed', entry: ENTRY, digest: DIGEST }]));
    expect(engine.calls).toEqual([['push', '127.0.0.1:5000/aihpc/redis:7']]);
  });

  test('a refused push is a failed result; an unreachable engine is Left', async () => {
    const refused = scripted(() => fail('denied: requested access to the resource is denied'));
    const result = await pushImages({
      runner: createEngineRunner({ engine: 'docker', exec: refused.exec }),
      entries: [ENTRY],
      localDigests: () => [],
      probe: async () => right({}),
    });
    expect(result._tag === 'Right' && result.right[0]?._tag).toBe('PushFailed');
    const down = scripted(() => fail('Cannot connect to the Docker daemon at unix:///x'));
    const gone = await pushImages({ runner: createEngineRunner({ engine: 'docker', exec: down.exec }), entries: [ENTRY, ENTRY], localDigests: () => [], probe: async () => right({}), concurrency: 1 });
    expect(gone._tag === 'Left' && gone.left._tag).toBe('EngineUnreachable');
    expect(down.calls.length).toBe(1);
  });
});

/** A docker image list row, as `image ls --format '{{json .}}'` prints it. */
const row = (repository: string, tag: string, id: string): string => JSON.stringify({ ID: id, Repository: repository, Tag: tag, Digest: '<none>' });

describe('untagImages', () => {
  const action = (name: string, imageId = ID): UntagAction => ({ _tag: 'Untag', name, imageId, family: 'docker.io/library/redis:7', role: 'origin' });

  test('removes each name with `image rm NAME`, never by id, never forced; a name that moved is not touched', async () => {
    const other = `sha256:${'2'.repeat(64)}`;
    const engine = scripted((args) => (args[0] === 'image' && args[1] === 'ls' ? ok([row('redis', '7', ID), row('localhost/redis', '7', other)].join('\n')) : ok()));
    const store = createEngineStore({ engine: 'docker', exec: engine.exec });
    const results = await store.untag([action('docker.io/library/redis:7'), action('localhost/redis:7'), action('docker.io/library/gone:1')]);
    expect(engine.calls.filter((c) => c[1] === 'rm')).toEqual([['image', 'rm', 'redis:7']]);
    // A stale plan is refused as data: nothing ran, so there is no engine error to report.
    expect(results).toEqual(
      right([
        { _tag: 'Untagged', action: action('docker.io/library/redis:7') },
        { _tag: 'Refused', action: action('localhost/redis:7'), reason: { _tag: 'Moved', name: 'localhost/redis:7', planned: ID, found: other } },
        { _tag: 'Refused', action: action('docker.io/library/gone:1'), reason: { _tag: 'Gone', name: 'docker.io/library/gone:1' } },
      ]),
    );
  });

  test('podman names are spelled in full; an engine refusal is a failed result; an empty plan runs nothing', async () => {
    const engine = scripted((args) => (args[0] === 'images' ? ok(`image\t${'1'.repeat(64)}\tdocker.io/library/redis:7\t\t`) : fail('image is in use by a container')));
    const store = createEngineStore({ engine: 'podman', exec: engine.exec });
    const results = await store.untag([action('docker.io/library/redis:7')]);
    expect(engine.calls.at(-1)).toEqual(['image', 'rm', 'docker.io/library/redis:7']);
    expect(results._tag === 'Right' && results.right[0]?._tag).toBe('UntagFailed');
    const none = scripted(() => ok());
    expect(await createEngineStore({ engine: 'docker', exec: none.exec }).untag([])).toEqual(right([]));
    expect(none.calls).toEqual([]);
  });

  test('an unreachable engine is Left', async () => {
    const engine = scripted(() => fail('Cannot connect to the Docker daemon at unix:///x'));
    const result = await createEngineStore({ engine: 'docker', exec: engine.exec }).untag([action('docker.io/library/redis:7')]);
    expect(result._tag === 'Left' && result.left._tag).toBe('EngineUnreachable');
  });
});

describe('listContainers', () => {
  test('docker: ids from ps, image ids from one inspect (ps shows the name the container was run with)', async () => {
    const engine = scripted((args) =>
      args[0] === 'ps' ? ok('c1\nc2\n') : ok(`c1\t${ID}\t/cache\nc2\t${'3'.repeat(64)}\t\n`),
    );
    const result = await listContainers(createEngineRunner({ engine: 'docker', exec: engine.exec }));
    expect(result).toEqual(right([{ id: 'c1', name: 'cache', imageId: ID }, { id: 'c2', imageId: `sha256:${'3'.repeat(64)}` }]));
    expect(engine.calls).toEqual([
      ['ps', '--all', '--quiet', '--no-trunc'],
      ['container', 'inspect', '--format', '{{.Id}}\t{{.Image}}\t{{.Name}}', 'c1', 'c2'],
    ]);
  });

  test('docker with no containers runs one process', async () => {
    const engine = scripted(() => ok(''));
    expect(await listContainers(createEngineRunner({ engine: 'docker', exec: engine.exec }))).toEqual(right([]));
    expect(engine.calls.length).toBe(1);
  });

  test('podman: one ps --format json with ImageID', async () => {
    const engine = scripted(() => ok(JSON.stringify([{ Id: 'p1', ImageID: '1'.repeat(64), Names: ['web'] }, { Id: 'p2', ImageID: '1'.repeat(64) }])));
    expect(await listContainers(createEngineRunner({ engine: 'podman', exec: engine.exec }))).toEqual(
      right([{ id: 'p1', name: 'web', imageId: ID }, { id: 'p2', imageId: ID }]),
    );
  });

  test.each([
    ['podman', 'not json'],
    ['podman', '{}'],
    ['podman', '[{"Id":"x"}]'],
  ] as const)('%s output %s is unexpected output, not a crash', async (engineKind, stdout) => {
    const engine = scripted(() => ok(stdout));
    const result = await listContainers(createEngineRunner({ engine: engineKind, exec: engine.exec }));
    expect(result._tag === 'Left' && result.left._tag).toBe('UnexpectedOutput');
  });

  test('docker: an unreadable inspect line is unexpected output; a failing ps is passed on', async () => {
    const bad = scripted((args) => (args[0] === 'ps' ? ok('c1') : ok('garbage')));
    const result = await listContainers(createEngineRunner({ engine: 'docker', exec: bad.exec }));
    expect(result._tag === 'Left' && result.left._tag).toBe('UnexpectedOutput');
    const down = scripted(() => fail('Cannot connect to the Docker daemon at unix:///x'));
    const gone = await listContainers(createEngineRunner({ engine: 'docker', exec: down.exec }));
    expect(gone._tag === 'Left' && gone.left._tag).toBe('EngineUnreachable');
  });
});

describe('platforms', () => {
  test('inspectPlatforms reads os/arch[/variant] for each image, in one call', async () => {
    const engine = scripted(() =>
      ok(JSON.stringify([{ Id: ID, Os: 'linux', Architecture: 'arm64', Variant: 'v8' }, { Id: '2'.repeat(64), Os: 'linux', Architecture: 'amd64' }, { Id: 'x' }])),
    );
    const result = await inspectPlatforms(createEngineRunner({ engine: 'podman', exec: engine.exec }), [ID, 'sha256:2']);
    expect(result).toEqual(right([{ imageId: ID, platform: 'linux/arm64/v8' }, { imageId: `sha256:${'2'.repeat(64)}`, platform: 'linux/amd64' }]));
    expect(engine.calls).toEqual([['image', 'inspect', ID, 'sha256:2']]);
    expect(await inspectPlatforms(createEngineRunner({ engine: 'docker', exec: engine.exec }), [])).toEqual(right([]));
    const bad = scripted(() => ok('{'));
    expect((await inspectPlatforms(createEngineRunner({ engine: 'docker', exec: bad.exec }), [ID]))._tag).toBe('Left');
  });

  test('enginePlatform asks the engine (docker: the server; podman: itself)', async () => {
    const docker = scripted(() => ok('linux/amd64\n'));
    expect(await enginePlatform(createEngineRunner({ engine: 'docker', exec: docker.exec }))).toEqual(right('linux/amd64'));
    expect(docker.calls).toEqual([['version', '--format', '{{.Server.Os}}/{{.Server.Arch}}']]);
    const podman = scripted(() => ok('linux/arm64'));
    expect(await enginePlatform(createEngineRunner({ engine: 'podman', exec: podman.exec }))).toEqual(right('linux/arm64'));
    expect(podman.calls).toEqual([['version', '--format', '{{.Client.OsArch}}']]);
    const odd = scripted(() => ok('<no value>'));
    expect((await enginePlatform(createEngineRunner({ engine: 'docker', exec: odd.exec })))._tag).toBe('Left');
  });

  test.each([
    ['linux/amd64', 'linux/amd64', true],
    ['linux/arm64', 'linux/arm64/v8', true],
    ['linux/arm64/v8', 'linux/arm64/v8', true],
    ['linux/arm/v7', 'linux/arm/v6', false],
    ['linux/amd64', 'linux/arm64', false],
    ['linux/amd64', 'windows/amd64', false],
  ])('wanted %s, image %s: match %s', (wanted, actual, expected) => {
    expect(platformMatches(wanted, actual)).toBe(expected);
  });
});
