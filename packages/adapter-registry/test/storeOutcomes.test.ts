import { describe, expect, it } from '@jest/globals';
import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import type { Plan, Snapshot, TagAction } from '@imgalias/core';
import type { CopyReport, ManifestHead, RegistryError, RegistryImages } from '../src/index.js';
import { createRegistryStore } from '../src/index.js';

const digest = (c: string): string => `sha256:${c.repeat(64)}`;
const head = (c: string): ManifestHead => ({ digest: digest(c), mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 100 });

/** A registry in memory: names to manifests; `copy` answers with `copyAnswer` and records what it was asked. */
const fakeImages = (held: Record<string, string>, copyAnswer?: RegistryError) => {
  const copies: string[] = [];
  const images: RegistryImages = {
    head: async (name) => right(held[name] === undefined ? undefined : head(held[name] as string)),
    read: async () => left({ _tag: 'Unreachable', registry: 'unused', message: 'not used here' }),
    platforms: async () => right([]),
    copy: async (request) => {
      copies.push(`${request.source} -> ${request.target}`);
      if (copyAnswer !== undefined) return left(copyAnswer);
      held[request.target] = held[request.source] as string;
      const copied = digest(held[request.source] as string);
      return right({ source: request.source, target: request.target, digest: copied, sourceDigest: copied, shape: 'origin', outcome: 'copied', manifestsWritten: 1, blobsUploaded: 0, blobsMounted: 0, blobsPresent: 0, bytesUploaded: 0 } satisfies CopyReport);
    },
    copyMany: async (requests) => Promise.all(requests.map((r) => images.copy(r))),
  };
  return { images, copies };
};

const SRC = 'harbor.test/proj/app:1';
const tag = (source: string, target: string): TagAction => ({ _tag: 'Tag', source, target, imageId: digest('a'), family: 'docker.io/library/app:1', role: 'harbor', reason: 'missing-name' });
const planOf = (...actions: TagAction[]): Plan => ({ version: 1, mode: 'internal', actions, findings: [] });

describe('the registry store reports what it will not do as refusals, and what the registry failed as RequestFailed', () => {
  it('a target it may not write, or was not given, is Refused (NotWritable) and nothing is asked of the registry', async () => {
    const { images, copies } = fakeImages({ [SRC]: 'a' });
    const store = createRegistryStore({
      images,
      names: [
        { name: SRC, at: SRC, writable: true },
        { name: 'docker.io/library/app:1', at: 'harbor.test/proj/library/app:1', writable: false },
      ],
    });
    const plan = planOf(tag(SRC, 'docker.io/library/app:1'), tag(SRC, 'harbor.test/proj/elsewhere:1'));
    const report = rightOf(await store.apply(plan));
    expect(report.results).toEqual([
      { _tag: 'Refused', action: plan.actions[0], reason: { _tag: 'NotWritable', name: 'docker.io/library/app:1' } },
      { _tag: 'Refused', action: plan.actions[1], reason: { _tag: 'NotWritable', name: 'harbor.test/proj/elsewhere:1' } },
    ]);
    expect(copies).toEqual([]);
  });

  it('a source the store does not hold (a plan made from another snapshot) is Refused (NotHeld)', async () => {
    const { images, copies } = fakeImages({});
    const store = createRegistryStore({ images, names: [{ name: 'harbor.test/proj/dst:1', at: 'harbor.test/proj/dst:1', writable: true }] });
    const elsewhere: Snapshot = { version: 1, images: [{ id: digest('a'), names: ['other.test/app:1'] }] };
    const plan = planOf(tag('other.test/app:1', 'harbor.test/proj/dst:1'));
    const report = rightOf(await store.apply(plan, { current: elsewhere }));
    expect(report.results).toEqual([{ _tag: 'Refused', action: plan.actions[0], reason: { _tag: 'NotHeld', name: 'other.test/app:1' } }]);
    expect(copies).toEqual([]);
  });

  it('a copy the registry answered with an error is Failed with RequestFailed: the HTTP status and the registry\'s words', async () => {
    const denied: RegistryError = { _tag: 'HttpStatus', registry: 'harbor.test', method: 'PUT', path: '/v2/proj/dst/manifests/1', status: 403, codes: [{ code: 'DENIED', message: 'no push' }] };
    const { images, copies } = fakeImages({ [SRC]: 'a' }, denied);
    const store = createRegistryStore({ images, names: [{ name: SRC, at: SRC, writable: true }, { name: 'harbor.test/proj/dst:1', at: 'harbor.test/proj/dst:1', writable: true }] });
    const plan = planOf(tag(SRC, 'harbor.test/proj/dst:1'));
    const report = rightOf(await store.apply(plan));
    expect(copies).toEqual([`${SRC} -> harbor.test/proj/dst:1`]);
    expect(report.results).toEqual([
      {
        _tag: 'Failed',
        action: plan.actions[0],
        error: { _tag: 'RequestFailed', engine: 'docker', args: ['copy', SRC, 'harbor.test/proj/dst:1'], status: 403, message: expect.stringMatching(/^harbor.test answered 403 to PUT .*DENIED.*not allowed/) },
      },
    ]);
  });
});

describe('the registry store interrupted: its requests cancelled by the signal the caller aborts', () => {
  const DST = (n: number): string => `harbor.test/proj/dst${n}:1`;
  const names = [{ name: SRC, at: SRC, writable: true }, ...[1, 2, 3].map((n) => ({ name: DST(n), at: DST(n), writable: true }))];
  const current: Snapshot = { version: 1, images: [{ id: digest('a'), names: [SRC] }] };
  const plan = planOf(tag(SRC, DST(1)), tag(SRC, DST(2)), tag(SRC, DST(3)));

  it('a copy cancelled in flight is Failed with Cancelled, as an engine process is; later ones are NotStarted; `after` models what was applied', async () => {
    const controller = new AbortController();
    const { images, copies } = fakeImages({ [SRC]: 'a' });
    // The interrupt arrives while the second copy runs: the client ends it `Cancelled` (started).
    const interrupted: RegistryImages = {
      ...images,
      copy: async (request) => {
        if (copies.length === 0) return images.copy(request);
        copies.push(`${request.source} -> ${request.target}`);
        controller.abort('SIGINT');
        return left({ _tag: 'Cancelled', started: true });
      },
    };
    const store = createRegistryStore({ images: interrupted, names });
    const report = rightOf(await store.apply(plan, { current, concurrency: 1, signal: controller.signal }));
    expect(report.results).toEqual([
      { _tag: 'Applied', action: plan.actions[0] },
      { _tag: 'Failed', action: plan.actions[1], error: { _tag: 'Cancelled', engine: 'docker', args: ['copy', SRC, DST(2)] } },
      { _tag: 'NotStarted', action: plan.actions[2] },
    ]);
    expect(copies).toEqual([`${SRC} -> ${DST(1)}`, `${SRC} -> ${DST(2)}`]);
    expect(report).toMatchObject({ interrupted: true, verified: false, mismatches: [] });
    // Not read back (the user asked to stop): the snapshot with the applied tag modelled.
    expect(report.after).toEqual({ version: 1, images: [{ id: digest('a'), names: [DST(1), SRC].sort() }] });
  });

  it('an action whose first request the cancelled client never sent is NotStarted, not Failed', async () => {
    const controller = new AbortController();
    const { images, copies } = fakeImages({ [SRC]: 'a' });
    // The interrupt arrives as the action's re-read of its target is about to go: the client sends nothing.
    const refusing: RegistryImages = {
      ...images,
      head: async () => {
        controller.abort('SIGTERM');
        return left({ _tag: 'Cancelled', started: false });
      },
    };
    const store = createRegistryStore({ images: refusing, names });
    const report = rightOf(await store.apply(planOf(tag(SRC, DST(1))), { current, signal: controller.signal }));
    expect(report.results).toEqual([{ _tag: 'NotStarted', action: plan.actions[0] }]);
    expect(report.interrupted).toBe(true);
    expect(copies).toEqual([]);
  });
});

/** The Right of an Either, or a failed test. */
const rightOf = <A>(either: Either<unknown, A>): A => {
  if (either._tag === 'Left') throw new Error(`expected Right, got ${JSON.stringify(either.left)}`);
  return either.right;
};
