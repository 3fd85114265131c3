import { describe, expect, test } from '@jest/globals';
import { planAliases } from '@imgalias/core';
import type { ActionResult, ImageStore, Plan, Snapshot, TagAction } from '@imgalias/core';
import { createMemoryStore } from '@imgalias/adapter-memory';
import { ids, images, policy, snapshot } from '../../../test-support/fieldScenario.js';

const unwrap = async <A>(result: Promise<{ _tag: 'Left'; left: unknown } | { _tag: 'Right'; right: A }>): Promise<A> => {
  const either = await result;
  if (either._tag === 'Left') throw new Error(`expected Right, got ${JSON.stringify(either.left)}`);
  return either.right;
};

const namesOf = (snap: Snapshot, id: string): readonly string[] => snap.images.find((image) => image.id === id)?.names ?? [];

/** The caller's code path: read, plan, apply. Exactly what the CLI runs against a real engine. */
const converge = async (store: ImageStore) => {
  const before = await unwrap(store.snapshot());
  const plan = planAliases({ snapshot: before, images, policy });
  return { plan, report: await unwrap(store.apply(plan)) };
};

describe('createMemoryStore', () => {
  test('the field scenario converges in one apply and verifies', async () => {
    const store = createMemoryStore({ snapshot });
    const { plan, report } = await converge(store);
    expect(plan.actions).toHaveLength(6);
    expect(report.results.map((result) => result._tag)).toEqual(Array(6).fill('Applied'));
    expect(report.verified).toBe(true);
    expect(await unwrap(store.snapshot())).toEqual(report.after);
  });

  test('a second plan is empty and a second apply changes nothing', async () => {
    const store = createMemoryStore({ snapshot });
    const first = await converge(store);
    const second = await converge(store);
    expect(second.plan.actions).toEqual([]);
    expect(second.report.results).toEqual([]);
    expect(second.report.after).toEqual(first.report.after);
    expect(second.report.verified).toBe(true);
  });

  test('a conflicting name still points at its old image afterwards', async () => {
    const store = createMemoryStore({ snapshot });
    const { plan, report } = await converge(store);
    expect(plan.findings.some((finding) => finding._tag === 'Conflict')).toBe(true);
    expect(namesOf(report.after, ids.nginxHub).map(String)).toEqual(
      expect.arrayContaining([expect.stringMatching(/(^|\/)nginx:1\.27$/)]),
    );
    expect(namesOf(report.after, ids.nginxLocal)).not.toContainEqual(expect.stringMatching(/^(docker\.io\/library\/)?nginx:1\.27$/));
  });

  test('the input snapshot is not mutated', async () => {
    const copy = structuredClone(snapshot);
    await converge(createMemoryStore({ snapshot }));
    expect(snapshot).toEqual(copy);
  });

  test('an action whose source vanished is refused without running; the others apply; not verified', async () => {
    const plan = planAliases({ snapshot, images, policy });
    const withoutTcpProxy: Snapshot = { ...snapshot, images: snapshot.images.filter((image) => image.id !== ids.tcpProxy) };
    const seen: ActionResult[] = [];
    const report = await unwrap(
      createMemoryStore({ snapshot: withoutTcpProxy }).apply(plan, { onProgress: (event) => seen.push(event.result) }),
    );
    expect(report.results.filter((result) => result._tag === 'Failed')).toEqual([]);
    expect(report.results.filter((result) => result._tag === 'Refused')).toEqual([
      {
        _tag: 'Refused',
        action: expect.objectContaining({ target: 'docker.io/library/tcp-proxy:1.2' }),
        reason: { _tag: 'Gone', name: 'localhost/tcp-proxy:1.2' },
      },
    ]);
    expect(report.results.filter((result) => result._tag === 'Applied')).toHaveLength(5);
    expect(seen).toEqual(report.results);
    expect(report.verified).toBe(false);
  });

  const redisAction = (overrides: Partial<TagAction> = {}): TagAction => ({
    _tag: 'Tag',
    source: 'localhost/redis:7-alpine',
    target: 'docker.io/library/redis:7-alpine',
    imageId: ids.redis,
    family: 'docker.io/library/redis:7-alpine',
    role: 'origin',
    reason: 'missing-name',
    ...overrides,
  });
  const planOf = (...actions: TagAction[]): Plan => ({ version: 1, mode: 'internal', actions, findings: [] });
  const other = 'sha256:' + 'e'.repeat(64);

  test('a stale plan (the source now names another image) is refused, not applied blind', async () => {
    const moved: Snapshot = {
      version: 1,
      images: [{ id: ids.redis, names: [] }, { id: other, names: ['localhost/redis:7-alpine'] }],
    };
    const report = await unwrap(createMemoryStore({ snapshot: moved }).apply(planOf(redisAction())));
    expect(report.results[0]).toEqual({ _tag: 'Refused', action: redisAction(), reason: { _tag: 'Moved', name: 'localhost/redis:7-alpine', planned: ids.redis, found: other } });
    expect(report.after).toEqual(moved);
    expect(report.verified).toBe(false);
  });

  test('a target that moved meanwhile is not taken over unless the action is a retarget of exactly that image', async () => {
    const taken: Snapshot = {
      version: 1,
      images: [{ id: ids.redis, names: ['localhost/redis:7-alpine'] }, { id: other, names: ['redis:7-alpine'] }],
    };
    const refused = await unwrap(createMemoryStore({ snapshot: taken }).apply(planOf(redisAction())));
    expect(refused.results[0]).toEqual({ _tag: 'Refused', action: redisAction(), reason: { _tag: 'Occupied', name: 'docker.io/library/redis:7-alpine', found: other } });
    expect(namesOf(refused.after, other)).toEqual(['redis:7-alpine']);

    const wrongReplaces = await unwrap(
      createMemoryStore({ snapshot: taken }).apply(planOf(redisAction({ reason: 'retarget', replaces: ids.minio }))),
    );
    expect(wrongReplaces.results[0]).toMatchObject({ _tag: 'Refused', reason: { _tag: 'Occupied' } });

    const moved = await unwrap(createMemoryStore({ snapshot: taken }).apply(planOf(redisAction({ reason: 'retarget', replaces: other }))));
    expect(moved.results[0]!._tag).toBe('Applied');
    expect(namesOf(moved.after, ids.redis)).toContain('docker.io/library/redis:7-alpine');
    expect(namesOf(moved.after, other)).toEqual([]);
    expect(moved.verified).toBe(true);
  });

  test('a target already on its planned image is applied without change', async () => {
    const done: Snapshot = { version: 1, images: [{ id: ids.redis, names: ['localhost/redis:7-alpine', 'redis:7-alpine'] }] };
    const report = await unwrap(createMemoryStore({ snapshot: done }).apply(planOf(redisAction())));
    expect(report.results).toEqual([{ _tag: 'Applied', action: redisAction() }]);
    expect(report.verified).toBe(true);
  });

  test('only the first of two actions for one target runs', async () => {
    const report = await unwrap(
      createMemoryStore({ snapshot }).apply(planOf(redisAction(), redisAction({ target: 'redis:7-alpine' }))),
    );
    expect(report.results.map((result) => result._tag)).toEqual(['Applied', 'Refused']);
    expect(report.results[1]).toMatchObject({ reason: { _tag: 'DuplicateTarget', name: 'redis:7-alpine' } });
  });

  test('familiar spellings in a hand-written plan apply like canonical ones', async () => {
    const report = await unwrap(createMemoryStore({ snapshot }).apply(planOf(redisAction({ target: 'redis:7-alpine' }))));
    expect(report.results[0]!._tag).toBe('Applied');
    expect(namesOf(report.after, ids.redis)).toContain('docker.io/library/redis:7-alpine');
    expect(report.verified).toBe(true);
  });

  test('an invalid name in a plan never reaches the store', async () => {
    const report = await unwrap(createMemoryStore({ snapshot }).apply(planOf(redisAction({ target: 'Redis:BAD' }))));
    expect(report.results[0]).toMatchObject({ _tag: 'Refused', reason: { _tag: 'InvalidName', name: 'Redis:BAD' } });
    expect(report.after).toEqual(snapshot);
  });

  test('a digest target is refused', async () => {
    const report = await unwrap(
      createMemoryStore({ snapshot }).apply(planOf(redisAction({ target: `docker.io/library/redis@${ids.redis}` }))),
    );
    expect(report.results[0]).toMatchObject({ _tag: 'Refused', reason: { _tag: 'DigestTarget', name: `docker.io/library/redis@${ids.redis}` } });
    expect(report.after).toEqual(snapshot);
  });

  test('Podman-style bare hex ids verify against sha256: ids in the plan', async () => {
    const bare: Snapshot = { version: 1, images: [{ id: ids.redis.slice('sha256:'.length), names: ['localhost/redis:7-alpine'] }] };
    const report = await unwrap(createMemoryStore({ snapshot: bare, engine: 'podman' }).apply(planOf(redisAction())));
    expect(report.results[0]!._tag).toBe('Applied');
    expect(report.verified).toBe(true);
  });

  test('reports its engine (docker by default)', () => {
    expect(createMemoryStore({ snapshot }).engine).toBe('docker');
    expect(createMemoryStore({ snapshot, engine: 'nerdctl' }).engine).toBe('nerdctl');
  });
});
