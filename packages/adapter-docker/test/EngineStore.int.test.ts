// The engine store against real engines: a private dockerd and a private Podman store per test file
// (test-support/engines.ts). Outside CI a missing engine skips its suite; in CI it fails the file.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { defaultPolicy, planAliases } from '@imgalias/core';
import { canonicalTagName, spellReference } from '@imgalias/core/internal';
import type { AliasPolicy, EngineKind, Plan, Snapshot, TagAction } from '@imgalias/core';
import { createMemoryStore } from '@imgalias/adapter-memory';
import { createEngineStore } from '../src/index.js';
import type { EngineStore, ExecEvent, RequestEvent, TransportKind } from '../src/index.js';
import { createPodmanStore, engineCli, importImage, requireEngine, startDockerd } from '../../../test-support/engines.js';
import type { TestEngine } from '../../../test-support/engines.js';

const internal: AliasPolicy = { ...defaultPolicy, mode: 'internal' };

/** The images one build host in the field had lost their names for: only `localhost/` twins survived. */
const field = [
  'redis:7-alpine',
  'minio/minio:latest',
  'redis/redisinsight:latest',
  'osixia/phpldapadmin:latest',
  'osixia/openldap:stable',
  'tcp-proxy:latest',
];

interface Counted {
  readonly store: EngineStore;
  /** Every call the store made, processes and Engine API requests alike. */
  readonly events: (ExecEvent | RequestEvent)[];
  /** Names tagged: one per `tag` argument after the source, one per API tag request. */
  readonly tags: () => number;
  /** Calls that tagged: processes or requests. */
  readonly tagCalls: () => number;
  /** The target names given to the engine, in call order. */
  readonly taggedNames: () => readonly string[];
}

const isTagCall = (event: ExecEvent | RequestEvent): boolean => ('args' in event ? event.args[0] === 'tag' : /\/tag\?/.test(event.path));

const storeFor = (engine: TestEngine, transport: TransportKind, options: { concurrency?: number; onCall?: (event: ExecEvent | RequestEvent) => void } = {}): Counted => {
  const events: (ExecEvent | RequestEvent)[] = [];
  const record = (event: ExecEvent | RequestEvent): void => {
    events.push(event);
    options.onCall?.(event);
  };
  const store = createEngineStore({
    engine: engine.kind,
    env: engine.env,
    globalArgs: engine.kind === 'podman' ? engine.globalArgs : [],
    transport,
    onExec: record,
    onRequest: record,
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
  });
  const namesOf = (event: ExecEvent | RequestEvent): readonly string[] => {
    if ('args' in event) return event.args.slice(2);
    const query = new URLSearchParams(event.path.slice(event.path.indexOf('?') + 1));
    return [`${query.get('repo') ?? ''}:${query.get('tag') ?? ''}`];
  };
  const tagged = (event: ExecEvent | RequestEvent): number => namesOf(event).length;
  return {
    store,
    events,
    taggedNames: () => events.filter(isTagCall).flatMap(namesOf),
    tags: () => events.filter(isTagCall).reduce((sum, event) => sum + tagged(event), 0),
    tagCalls: () => events.filter(isTagCall).length,
  };
};

const snapshotOf = async (store: EngineStore): Promise<Snapshot> => {
  const result = await store.snapshot();
  if (result._tag === 'Left') throw new Error(`snapshot failed: ${JSON.stringify(result.left)}`);
  return result.right;
};

/** Which image a name points at, asked of the engine itself rather than of the adapter under test. */
const imageIdOf = async (engine: TestEngine, name: string): Promise<string> => {
  const id = (await engineCli(engine, ['image', 'inspect', '--format', '{{.Id}}', spellReference(name, engine.kind)])).trim();
  return id.startsWith('sha256:') ? id : `sha256:${id}`;
};

/** A snapshot as a comparable value: each image id with its canonical tag names, whatever the spelling. */
const canonicalState = (snapshot: Snapshot): Record<string, string[]> => {
  const state: Record<string, string[]> = {};
  for (const image of snapshot.images) {
    const names = image.names
      .map((name) => canonicalTagName(name))
      .flatMap((key) => (key._tag === 'Right' && key.right !== undefined ? [key.right] : []))
      .sort();
    if (names.length > 0) state[image.id] = names;
  }
  return state;
};

const engineSuite = (kind: EngineKind, engine: TestEngine | undefined, transport: TransportKind): void => {
  (engine ? describe : describe.skip)(`EngineStore on a real ${kind} through its ${transport === 'api' ? 'Engine API' : 'CLI'}`, () => {
    const e = engine as TestEngine;
    const storeOf = (options: Parameters<typeof storeFor>[2] = {}): Counted => storeFor(e, transport, options);
    // Each transport runs the same scenarios on the same engine, starting from an empty store.
    beforeAll(async () => {
      const ids = (await engineCli(e, ['image', 'ls', '--all', '--quiet'])).split('\n').filter((id) => id !== '');
      if (ids.length > 0) await engineCli(e, ['rmi', '--force', ...new Set(ids)]);
    }, 120_000);

    test('the field scenario converges in one apply; the next plan is empty and its apply runs no tag', async () => {
      const ids: Record<string, string> = {};
      for (const image of field) ids[image] = await importImage(e, [`localhost/${image.replace(/^library\//, '')}`]);
      const { store, tags, events } = storeOf();

      const before = await snapshotOf(store);
      expect(events).toHaveLength(1);
      const plan = planAliases({ snapshot: before, images: field, policy: internal });
      expect(plan.actions.map((a) => a.target).sort()).toEqual([
        'docker.io/library/redis:7-alpine',
        'docker.io/library/tcp-proxy:latest',
        'docker.io/minio/minio:latest',
        'docker.io/osixia/openldap:stable',
        'docker.io/osixia/phpldapadmin:latest',
        'docker.io/redis/redisinsight:latest',
      ]);

      const report = await store.apply(plan);
      if (report._tag === 'Left') throw new Error(JSON.stringify(report.left));
      expect(report.right.results.map((r) => r._tag)).toEqual(Array(6).fill('Applied'));
      expect(report.right.verified).toBe(true);
      expect(tags()).toBe(6);
      for (const image of field) expect(await imageIdOf(e, `docker.io/${image.includes('/') ? image : `library/${image}`}`)).toBe(ids[image]);

      const again = planAliases({ snapshot: report.right.after, images: field, policy: internal });
      expect(again.actions).toEqual([]);
      const second = storeOf();
      const secondReport = await second.store.apply(again);
      expect(secondReport).toMatchObject({ _tag: 'Right', right: { results: [], verified: true } });
      expect(second.tags()).toBe(0);
      expect(second.events).toHaveLength(1);
    }, 120_000);

    test('a conflict is reported, the conflicting name keeps its image, and the rest is applied', async () => {
      const mine = await importImage(e, ['localhost/conflict-app:1']);
      const theirs = await importImage(e, [spellReference('docker.io/library/conflict-app:1', e.kind)]);
      const other = await importImage(e, ['localhost/conflict-other:1']);
      const { store, tags } = storeOf();
      const plan = planAliases({ snapshot: await snapshotOf(store), images: ['conflict-app:1', 'conflict-other:1'], policy: internal });
      expect(plan.findings).toContainEqual(
        expect.objectContaining({ _tag: 'Conflict', name: 'docker.io/library/conflict-app:1', imageId: theirs, expectedImageId: mine }),
      );
      expect(plan.actions.map((a) => a.target)).toEqual(['docker.io/library/conflict-other:1']);

      const report = await store.apply(plan);
      expect(report).toMatchObject({ _tag: 'Right', right: { verified: true } });
      expect(tags()).toBe(1);
      expect(await imageIdOf(e, 'docker.io/library/conflict-app:1')).toBe(theirs);
      expect(await imageIdOf(e, 'localhost/conflict-app:1')).toBe(mine);
      expect(await imageIdOf(e, 'docker.io/library/conflict-other:1')).toBe(other);
    }, 120_000);

    test('the dry-run store and the real store end in the same state for the same plan', async () => {
      await importImage(e, ['localhost/same-a:1']);
      await importImage(e, ['localhost/same-b/b:2', spellReference('docker.io/same-b/b:2', e.kind)]);
      await importImage(e, ['localhost/same-c:3']);
      await importImage(e, [spellReference('docker.io/library/same-c:3', e.kind)]);
      const { store } = storeOf();
      const before = await snapshotOf(store);
      const plan = planAliases({ snapshot: before, images: ['same-a:1', 'same-b/b:2', 'same-c:3', 'same-d:4'], policy: internal });
      expect(plan.actions.length).toBeGreaterThan(0);
      expect(plan.findings.map((f) => f._tag).sort()).toEqual(['Conflict', 'Missing']);

      const dry = await createMemoryStore({ snapshot: before, engine: e.kind }).apply(plan);
      const real = await store.apply(plan);
      if (dry._tag === 'Left' || real._tag === 'Left') throw new Error('apply failed');
      expect(canonicalState(real.right.after)).toEqual(canonicalState(dry.right.after));
      expect(real.right.results.map((r) => r._tag)).toEqual(dry.right.results.map((r) => r._tag));
      expect(real.right.verified).toBe(dry.right.verified);
    }, 120_000);

    test('an invalid name never reaches the engine; the valid action beside it runs', async () => {
      const id = await importImage(e, ['localhost/valid-one:1']);
      const counted = storeOf();
      const { store, tags } = counted;
      const base: Omit<TagAction, 'source' | 'target'> = { _tag: 'Tag', imageId: id, family: 'x', role: 'origin', reason: 'missing-name' };
      const plan: Plan = {
        version: 1,
        mode: 'internal',
        findings: [],
        actions: [
          { ...base, source: 'localhost/valid-one:1', target: 'docker.io/library/Invalid-One:1' },
          { ...base, source: 'localhost/valid-one:1', target: 'docker.io/library/valid-one:1' },
        ],
      };
      const report = await store.apply(plan);
      expect(tags()).toBe(1);
      const { taggedNames } = counted;
      expect(taggedNames()).toEqual([spellReference('docker.io/library/valid-one:1', e.kind)]);
      expect(report).toMatchObject({
        _tag: 'Right',
        right: {
          results: [
            { _tag: 'Refused', reason: { _tag: 'InvalidName', name: 'docker.io/library/Invalid-One:1', error: { _tag: 'NameContainsUppercase' } } },
            { _tag: 'Applied' },
          ],
          verified: false,
        },
      });
    }, 120_000);

    test('names that share a source: podman tags them in one process, docker in one call per name', async () => {
      const id = await importImage(e, ['localhost/shared-source:1']);
      const { store, tagCalls, tags } = storeOf();
      const base: Omit<TagAction, 'target'> = { _tag: 'Tag', source: 'localhost/shared-source:1', imageId: id, family: 'x', role: 'origin', reason: 'missing-name' };
      const targets = ['docker.io/library/shared-source:1', 'docker.io/library/shared-copy:1', 'docker.io/library/shared-copy:2'];
      const report = await store.apply({ version: 1, mode: 'internal', findings: [], actions: targets.map((target) => ({ ...base, target })) });
      expect(report).toMatchObject({ _tag: 'Right', right: { results: [{ _tag: 'Applied' }, { _tag: 'Applied' }, { _tag: 'Applied' }], verified: true } });
      expect(tags()).toBe(3);
      expect(tagCalls()).toBe(kind === 'podman' ? 1 : 3);
      for (const target of targets) expect(await imageIdOf(e, target)).toBe(id);
    }, 120_000);

    test('a writer that moves the source name between the snapshot and the tag does not move the targets: they get the planned image', async () => {
      const planned = await importImage(e, ['localhost/moved-source:1']);
      const other = await importImage(e, ['localhost/moved-other:1']);
      const source = spellReference('localhost/moved-source:1', e.kind);
      const before = await snapshotOf(storeOf().store);
      let moved = false;
      // The writer moves the source name onto another image as soon as the adapter's re-read of the targets
      // ends (onExec/onRequest fire synchronously then), so the move lands before any tag call starts.
      const writer = storeOf({
        onCall: (event) => {
          if (moved || isTagCall(event)) return;
          moved = true;
          execFileSync(e.kind, ['tag', other, source], { env: { ...process.env, ...e.env } });
        },
      });
      const base: Omit<TagAction, 'target'> = { _tag: 'Tag', source: 'localhost/moved-source:1', imageId: planned, family: 'x', role: 'origin', reason: 'missing-name' };
      // Two targets: podman re-reads them with one listing and tags both in one process.
      const targets = ['docker.io/library/moved-source:1', 'docker.io/library/moved-copy:1'];
      const plan: Plan = { version: 1, mode: 'internal', findings: [], actions: targets.map((target) => ({ ...base, target })) };
      const report = await writer.store.apply(plan, { current: before });
      expect(moved).toBe(true);
      expect(report).toMatchObject({ _tag: 'Right', right: { results: [{ _tag: 'Applied' }, { _tag: 'Applied' }], verified: true, mismatches: [] } });
      for (const target of targets) expect(await imageIdOf(e, target)).toBe(planned);
      // The writer's own change stays: imgalias never touches the source name.
      expect(await imageIdOf(e, 'localhost/moved-source:1')).toBe(other);
    }, 120_000);

    test('a tag the engine refuses ends Failed with the engine\'s own message', async () => {
      const id = await importImage(e, ['localhost/refused:1']);
      const source = spellReference('localhost/refused:1', e.kind);
      const target = spellReference('docker.io/library/refused:1', e.kind);
      let removed = false;
      // The source disappears right after the adapter's guard read and before its tag runs (onExec fires
      // synchronously when the read ends), so the engine itself has to refuse.
      const { store } = storeOf({
        onCall: (event) => {
          if (removed || isTagCall(event)) return;
          removed = true;
          execFileSync(e.kind, ['rmi', source], { env: { ...process.env, ...e.env } });
        },
      });
      const plan: Plan = {
        version: 1,
        mode: 'internal',
        findings: [],
        actions: [{ _tag: 'Tag', source: 'localhost/refused:1', target: 'docker.io/library/refused:1', imageId: id, family: 'x', role: 'origin', reason: 'missing-name' }],
      };
      const report = await store.apply(plan);
      expect(removed).toBe(true);
      expect(report).toMatchObject({
        _tag: 'Right',
        right: {
          // The CLI's refusal has an exit status; the Engine API's is an HTTP answer (no program ran).
          results: [
            {
              _tag: 'Failed',
              error:
                // The tag names the planned image by id; the engine says that image is gone.
                transport === 'api'
                  ? { _tag: 'RequestFailed', status: 404, args: ['tag', id, target], message: expect.stringMatching(/No such image|image not known/) }
                  : { _tag: 'CommandFailed', args: ['tag', id, target], exitCode: expect.any(Number), message: expect.stringMatching(/No such image|image not known/) },
            },
          ],
          verified: false,
        },
      });
    }, 120_000);
  });
};

const docker = await requireEngine('docker', startDockerd);
const podman = await requireEngine('podman', createPodmanStore);
engineSuite('docker', docker, 'cli');
engineSuite('docker', docker, 'api');
engineSuite('podman', podman, 'cli');

(docker ? describe : describe.skip)('the two docker transports', () => {
  test('read the same snapshot of the same store: names, digest-less images and ids alike', async () => {
    const e = docker as TestEngine;
    await importImage(e, ['localhost/both-ways:1', 'docker.io/library/both-ways:1', 'harbor.corp.local/proj/both-ways:1']);
    await importImage(e, ['localhost/both-ways-other:2']);
    const viaCli = await snapshotOf(storeFor(e, 'cli').store);
    const viaApi = await snapshotOf(storeFor(e, 'api').store);
    expect(viaApi).toEqual(viaCli);
    expect(viaApi.images.some((image) => image.names.includes('harbor.corp.local/proj/both-ways:1'))).toBe(true);
  }, 120_000);

  test('the store says which transport ran, in transport() and in the apply report', async () => {
    const e = docker as TestEngine;
    const api = storeFor(e, 'api').store;
    const report = await api.apply({ version: 1, mode: 'internal', actions: [], findings: [] });
    expect(report).toMatchObject({ _tag: 'Right', right: { via: `Docker Engine API at ${e.env['DOCKER_HOST'] ?? ''}` } });
    expect(api.transport().kind).toBe('api');
    const cli = storeFor(e, 'cli').store;
    expect(await cli.apply({ version: 1, mode: 'internal', actions: [], findings: [] })).toMatchObject({ _tag: 'Right', right: { via: 'docker CLI' } });
  }, 120_000);
});

(docker ? describe : describe.skip)('naming the daemon: host and context options', () => {
  // The test process's own DOCKER_HOST is the guard's dead socket (jest.config.js): only the option reaches
  // the private daemon, through either transport.
  const namesOf = (snapshot: Snapshot): readonly string[] => snapshot.images.flatMap((image) => image.names);

  test.each<TransportKind>(['cli', 'api'])('host: the daemon at that address, whatever DOCKER_HOST says (%s)', async (transport) => {
    const e = docker as Extract<TestEngine, { kind: 'docker' }>;
    await importImage(e, [`localhost/by-host-${transport}:1`]);
    const store = createEngineStore({ engine: 'docker', env: { DOCKER_CONFIG: e.env['DOCKER_CONFIG'] }, host: e.host, transport });
    expect(namesOf(await snapshotOf(store))).toContain(`localhost/by-host-${transport}:1`);
    expect(store.transport().kind).toBe(transport);
    store.close();
  }, 120_000);

  test.each<TransportKind>(['cli', 'api'])('context: the daemon a docker context names, read as docker --context reads it (%s)', async (transport) => {
    const e = docker as Extract<TestEngine, { kind: 'docker' }>;
    const config = e.env['DOCKER_CONFIG'] as string;
    const contextName = `imgalias-test-${transport}`;
    await engineCli(e, ['context', 'create', contextName, '--docker', `host=${e.host}`]);
    await importImage(e, [`localhost/by-context-${transport}:1`]);
    const store = createEngineStore({ engine: 'docker', env: { DOCKER_CONFIG: config }, context: contextName, transport });
    expect(namesOf(await snapshotOf(store))).toContain(`localhost/by-context-${transport}:1`);
    expect(store.transport().description).toBe(transport === 'api' ? `Docker Engine API at ${e.host}` : 'docker CLI');
    store.close();
  }, 120_000);

  test('contradictory options are refused before anything runs', async () => {
    const e = docker as Extract<TestEngine, { kind: 'docker' }>;
    const processes: ExecEvent[] = [];
    const store = createEngineStore({ engine: 'docker', host: e.host, context: 'imgalias-test-cli', onExec: (event) => processes.push(event) });
    expect(await store.snapshot()).toMatchObject({ _tag: 'Left', left: { _tag: 'EngineUnreachable', message: expect.stringContaining('are both set') } });
    expect(processes).toEqual([]);
  });
});

describe('engines that cannot be used give values, not crashes', () => {
  test('docker: a socket nobody listens on is EngineUnreachable, for snapshot and apply', async () => {
    const store = createEngineStore({ engine: 'docker', host: 'unix:///tmp/imgalias-nobody-listens.sock' });
    const message = expect.stringContaining('Cannot connect to the Docker daemon at unix:///tmp/imgalias-nobody-listens.sock');
    expect(await store.snapshot()).toEqual({ _tag: 'Left', left: { _tag: 'EngineUnreachable', engine: 'docker', message } });
    expect(await store.apply({ version: 1, mode: 'internal', actions: [], findings: [] })).toEqual({
      _tag: 'Left',
      left: { _tag: 'EngineUnreachable', engine: 'docker', message },
    });
  }, 60_000);

  (podman ? test : test.skip)('podman: a CONTAINER_HOST nobody listens on is EngineUnreachable', async () => {
    const store = createEngineStore({ engine: 'podman', host: 'unix:///tmp/imgalias-nobody-listens.sock' });
    expect(await store.snapshot()).toEqual({
      _tag: 'Left',
      left: { _tag: 'EngineUnreachable', engine: 'podman', message: expect.stringContaining('/tmp/imgalias-nobody-listens.sock') },
    });
  }, 60_000);

  test('a missing binary is EngineMissing', async () => {
    const store = createEngineStore({ engine: 'docker', command: 'imgalias-no-such-docker' });
    expect(await store.snapshot()).toMatchObject({ _tag: 'Left', left: { _tag: 'EngineMissing', command: 'imgalias-no-such-docker' } });
  });
});
