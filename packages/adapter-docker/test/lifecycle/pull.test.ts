import { describe, expect, test } from '@jest/globals';
import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import type { ImageReference, PullCandidate, PullEntry } from '@imgalias/core';
import { freeLoopbackPort } from '../../../../test-support/registry.js';
import type { ManifestProbeError, PullEvent } from '@imgalias/core';
import type { ManifestHead } from '../../src/index.js';
import { backoffDelay, createEngineRunner, describePullError, pullImages } from '../../src/index.js';
import { fail, ok, scripted } from './scripted.js';

const HARBOR: PullCandidate = { source: 'harbor', reference: '127.0.0.1:5000/aihpc/redis:7', registry: '127.0.0.1:5000', reason: 'internal-harbor-only' };
const ORIGIN: PullCandidate = { source: 'origin', reference: 'docker.io/library/redis:7', registry: 'docker.io', reason: 'external-origin' };
const MIRROR: PullCandidate = {
  source: 'mirror',
  reference: 'mirror.corp/hub/library/redis:7',
  registry: 'mirror.corp',
  tagAs: 'docker.io/library/redis:7',
  reason: 'external-mirror',
};
const entry = (candidates: readonly PullCandidate[], family = 'docker.io/library/redis:7'): Extract<PullEntry, { _tag: 'Pull' }> => ({
  _tag: 'Pull',
  family,
  lookedFor: [family],
  candidates,
});

type Probe = (reference: ImageReference) => Promise<Either<ManifestProbeError, ManifestHead>>;
const exists: Probe = async () => right({ digest: 'sha256:1' });
const unknown: Probe = async (r) => left({ _tag: 'ManifestUnknown', reference: `${r.domain}/${r.path}`, status: 404 });
const down: Probe = async (r) => left({ _tag: 'RegistryUnreachable', reference: `${r.domain}/${r.path}`, url: 'http://x', message: 'ECONNREFUSED' });

const recordSleeps = () => {
  const slept: number[] = [];
  return { slept, sleep: async (ms: number) => void slept.push(ms) };
};

describe('backoffDelay', () => {
  test.each([
    // attempt, random, expected: half of min(max, base*2^(n-1)) fixed, the other half scaled by random
    [1, 0, 500],
    [1, 1, 1000],
    [2, 0.5, 1500],
    [3, 0.5, 3000],
    [6, 1, 30_000], // 32 s capped at 30 s
    [10, 0, 15_000],
  ])('attempt %i with random %f waits %i ms (base 1 s, max 30 s)', (attempt, random, expected) => {
    expect(backoffDelay({ attempt, baseDelayMs: 1000, maxDelayMs: 30_000, random: () => random })).toBe(expected);
  });

  test('a random number outside [0, 1] cannot push the delay out of its range', () => {
    expect(backoffDelay({ attempt: 1, baseDelayMs: 1000, maxDelayMs: 30_000, random: () => 7 })).toBe(1000);
    expect(backoffDelay({ attempt: 1, baseDelayMs: 1000, maxDelayMs: 30_000, random: () => -1 })).toBe(500);
  });
});

describe('pullImages', () => {
  test('a transient failure is retried with backoff until the pull works', async () => {
    const engine = scripted((args, n) => (args[0] === 'pull' && n < 2 ? fail('Error response from daemon: Get "http://127.0.0.1:5000/v2/": EOF') : ok()));
    const { slept, sleep } = recordSleeps();
    const events: PullEvent['_tag'][] = [];
    const result = await pullImages({
      runner: createEngineRunner({ engine: 'docker', exec: engine.exec }),
      entries: [entry([HARBOR])],
      attempts: 5,
      baseDelayMs: 100,
      random: () => 0.5,
      sleep,
      probe: exists,
      onProgress: (e) => events.push(e._tag),
    });
    expect(result).toEqual(right([{ _tag: 'Pulled', family: 'docker.io/library/redis:7', candidate: HARBOR, attempts: 3, tried: [] }]));
    expect(engine.calls).toEqual([
      ['pull', '127.0.0.1:5000/aihpc/redis:7'],
      ['pull', '127.0.0.1:5000/aihpc/redis:7'],
      ['pull', '127.0.0.1:5000/aihpc/redis:7'],
    ]);
    expect(slept).toEqual([75, 150]);
    expect(events).toEqual(['Attempt', 'Retry', 'Attempt', 'Retry', 'Attempt', 'Done']);
  });

  test('a permanent error (manifest unknown) is not retried: the next candidate is tried at once, and a mirror pull is tagged', async () => {
    const engine = scripted((args) => (args[0] === 'pull' && args[1] === 'redis:7' ? fail('manifest unknown') : ok()));
    const { slept, sleep } = recordSleeps();
    const result = await pullImages({
      runner: createEngineRunner({ engine: 'docker', exec: engine.exec }),
      entries: [entry([ORIGIN, MIRROR])],
      attempts: 4,
      baseDelayMs: 100,
      sleep,
      probe: async (r) => (r.domain === 'docker.io' ? unknown(r) : exists(r)),
    });
    expect(engine.calls).toEqual([
      ['pull', 'redis:7'],
      ['pull', 'mirror.corp/hub/library/redis:7'],
      ['tag', 'mirror.corp/hub/library/redis:7', 'redis:7'],
    ]);
    expect(slept).toEqual([]);
    expect(result._tag === 'Right' && result.right[0]).toEqual({
      _tag: 'Pulled',
      family: 'docker.io/library/redis:7',
      candidate: MIRROR,
      attempts: 1,
      tried: [
        {
          candidate: ORIGIN,
          attempts: 1,
          permanent: true,
          error: {
            _tag: 'Registry',
            error: { _tag: 'ManifestUnknown', reference: 'docker.io/library/redis', status: 404 },
            engine: { _tag: 'CommandFailed', engine: 'docker', args: ['pull', 'redis:7'], exitCode: 1, message: 'manifest unknown' },
          },
        },
      ],
    });
  });

  test('an unreachable registry is transient: every attempt is used, then the pull fails', async () => {
    const engine = scripted(() => fail('dial tcp 127.0.0.1:5000: connect: connection refused'));
    const { slept, sleep } = recordSleeps();
    const result = await pullImages({
      runner: createEngineRunner({ engine: 'podman', exec: engine.exec }),
      entries: [entry([HARBOR])],
      attempts: 3,
      baseDelayMs: 1000,
      random: () => 0,
      sleep,
      probe: down,
    });
    expect(engine.calls.length).toBe(3);
    expect(slept).toEqual([500, 1000]);
    expect(result._tag === 'Right' && result.right[0]?._tag).toBe('PullFailed');
    const failure = result._tag === 'Right' && result.right[0]?._tag === 'PullFailed' ? result.right[0].tried[0] : undefined;
    expect(failure?.attempts).toBe(3);
    expect(failure?.permanent).toBe(false);
    expect(describePullError(failure!.error)).toMatch(/cannot reach http:\/\/x \(ECONNREFUSED\).*connection refused/);
  });

  test('a candidate that is not an image reference is refused without asking the engine, not retried, and the next is tried', async () => {
    const engine = scripted(() => ok());
    const bad: PullCandidate = { ...ORIGIN, reference: 'not a reference!' };
    const { slept, sleep } = recordSleeps();
    const result = await pullImages({ runner: createEngineRunner({ engine: 'docker', exec: engine.exec }), entries: [entry([bad, HARBOR])], attempts: 3, baseDelayMs: 100, sleep, probe: exists });
    const refusal = { _tag: 'Refused', reason: { _tag: 'InvalidName', name: 'not a reference!', error: { _tag: 'InvalidFormat', input: 'not a reference!' } } } as const;
    expect(result).toEqual(
      right([{ _tag: 'Pulled', family: 'docker.io/library/redis:7', candidate: HARBOR, attempts: 1, tried: [{ candidate: bad, attempts: 1, error: refusal, permanent: true }] }]),
    );
    expect(engine.calls).toEqual([['pull', '127.0.0.1:5000/aihpc/redis:7']]);
    expect(slept).toEqual([]);
    expect(describePullError(refusal)).toMatch(/^not pulled: invalid reference format/);
  });

  test('podman is given fully qualified names; --platform is passed through', async () => {
    const engine = scripted(() => ok());
    await pullImages({
      runner: createEngineRunner({ engine: 'podman', exec: engine.exec }),
      entries: [entry([ORIGIN])],
      attempts: 1,
      baseDelayMs: 0,
      platform: 'linux/arm64',
      probe: exists,
    });
    expect(engine.calls).toEqual([['pull', '--platform', 'linux/arm64', 'docker.io/library/redis:7']]);
  });

  test('an unreachable engine stops everything: Left, and no new pulls start', async () => {
    const engine = scripted(() => fail('Cannot connect to the Docker daemon at unix:///x.sock. Is the docker daemon running?'), 5);
    const result = await pullImages({
      runner: createEngineRunner({ engine: 'docker', exec: engine.exec }),
      entries: [entry([HARBOR], 'a'), entry([HARBOR], 'b'), entry([HARBOR], 'c'), entry([HARBOR], 'd')],
      attempts: 3,
      baseDelayMs: 0,
      concurrency: 1,
      probe: exists,
    });
    expect(result._tag).toBe('Left');
    expect(result._tag === 'Left' && result.left._tag).toBe('EngineUnreachable');
    expect(engine.calls.length).toBe(1);
  });

  test('a failed tag after a mirror pull fails the candidate; a missing engine is fatal there too', async () => {
    const refused = scripted((args) => (args[0] === 'tag' ? fail('refusing to tag') : ok()));
    const result = await pullImages({ runner: createEngineRunner({ engine: 'docker', exec: refused.exec }), entries: [entry([MIRROR])], attempts: 1, baseDelayMs: 0, probe: exists });
    expect(result._tag === 'Right' && result.right[0]?._tag).toBe('PullFailed');
    const missing = scripted((args) => (args[0] === 'tag' ? { _tag: 'SpawnFailed', code: 'ENOENT', message: 'spawn docker ENOENT' } : ok()));
    const gone = await pullImages({ runner: createEngineRunner({ engine: 'docker', exec: missing.exec }), entries: [entry([MIRROR])], attempts: 2, baseDelayMs: 0, probe: exists });
    expect(gone._tag === 'Left' && gone.left._tag).toBe('EngineMissing');
  });

  test('at most `concurrency` pulls run at once (default 3)', async () => {
    const engine = scripted(() => ok(), 20);
    const entries = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((f) => entry([HARBOR], f));
    const result = await pullImages({ runner: createEngineRunner({ engine: 'docker', exec: engine.exec }), entries, attempts: 1, baseDelayMs: 0, probe: exists });
    expect(engine.maxInFlight()).toBe(3);
    expect(result._tag === 'Right' && result.right.map((r) => r.family)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    const two = scripted(() => ok(), 20);
    await pullImages({ runner: createEngineRunner({ engine: 'docker', exec: two.exec }), entries, attempts: 1, baseDelayMs: 0, concurrency: 2, probe: exists });
    expect(two.maxInFlight()).toBe(2);
  });

  test('without an injected probe, the registry is asked with HEAD (here a loopback port nobody listens on)', async () => {
    const port = await freeLoopbackPort();
    const engine = scripted(() => fail('connection refused'));
    const result = await pullImages({
      runner: createEngineRunner({ engine: 'docker', exec: engine.exec }),
      entries: [entry([{ ...HARBOR, reference: `127.0.0.1:${port}/aihpc/redis:7`, registry: `127.0.0.1:${port}` }])],
      attempts: 1,
      baseDelayMs: 0,
    });
    const failure = result._tag === 'Right' && result.right[0]?._tag === 'PullFailed' ? result.right[0].tried[0] : undefined;
    expect(failure?.error).toMatchObject({
      _tag: 'Registry',
      error: { _tag: 'RegistryUnreachable', url: `http://127.0.0.1:${port}/v2/aihpc/redis/manifests/7`, message: 'ECONNREFUSED' },
    });
  });
});
