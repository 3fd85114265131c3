// The registry as an ImageStore, against real Debian docker-registry instances on 127.0.0.1: the alias planner's
// snapshot is the registry's names by manifest digest, and a plan's tags are registry copies.
import { afterAll, describe, expect, it, jest } from '@jest/globals';
import type { Plan, TagAction } from '@imgalias/core';
import { defaultPolicy, planAliases } from '@imgalias/core';
import { requireRegistry } from '../../../test-support/registry.js';
import { createRegistryClient, createRegistryImages, createRegistryStore } from '../src/index.js';
import { getManifest, pushImage } from '../../../test-support/registryImages.js';

jest.setTimeout(60_000);

const a = await requireRegistry();
const client = createRegistryClient();
const images = createRegistryImages({ client });

const right = <T>(e: { _tag: 'Left'; left: unknown } | { _tag: 'Right'; right: T }): T => {
  if (e._tag === 'Left') throw new Error(JSON.stringify(e.left));
  return e.right;
};

(a ? describe : describe.skip)('a registry as the image store', () => {
  const base = `http://${a?.host}`;

  it('snapshot: each name read once, grouped by manifest digest; absent names are left out', async () => {
    const pushed = await pushImage({ base, repo: 'snap/app', tag: '1', seed: 'store-snap' });
    right(await images.copy({ source: `${a!.host}/snap/app:1`, target: `${a!.host}/snap/copy:1` }));
    const other = await pushImage({ base, repo: 'snap/other', tag: '1', seed: 'store-snap-other' });
    const store = createRegistryStore({
      images,
      names: [
        { name: `${a!.host}/snap/app:1`, at: `${a!.host}/snap/app:1`, writable: true },
        { name: `${a!.host}/snap/copy:1`, at: `${a!.host}/snap/copy:1`, writable: true },
        { name: 'docker.io/library/other:1', at: `${a!.host}/snap/other:1`, writable: false },
        { name: `${a!.host}/snap/absent:1`, at: `${a!.host}/snap/absent:1`, writable: true },
      ],
    });
    expect(right(await store.snapshot())).toEqual({
      version: 1,
      images: [
        { id: pushed.digest, names: [`${a!.host}/snap/app:1`, `${a!.host}/snap/copy:1`] },
        { id: other.digest, names: ['docker.io/library/other:1'] },
      ].sort((x, y) => (x.id < y.id ? -1 : 1)),
    });
  });

  it('the alias planner over the store: a Harbor name missing under the new layout is tagged from the old layout by mounting', async () => {
    const old = await pushImage({ base, repo: 'mig/library/redis', tag: '7', seed: 'store-migrate' });
    const policy = { ...defaultPolicy, mode: 'internal' as const, harborTags: true, mirrors: [{ origin: '*', location: { registry: a!.host, project: 'mig' }, layout: 'path' as const }] };
    const store = createRegistryStore({
      images,
      names: [
        { name: `${a!.host}/mig/redis:7`, at: `${a!.host}/mig/redis:7`, writable: true },
        { name: 'docker.io/library/redis:7', at: `${a!.host}/mig/library/redis:7`, writable: false },
      ],
    });
    const before = right(await store.snapshot());
    const plan = planAliases({ snapshot: before, images: ['redis:7'], policy });
    const harborTags = { ...plan, actions: plan.actions.filter((action) => action.role === 'harbor') };
    expect(harborTags.actions).toEqual([
      expect.objectContaining({ _tag: 'Tag', source: 'docker.io/library/redis:7', target: `${a!.host}/mig/redis:7`, imageId: old.digest, role: 'harbor' }),
    ]);
    const logBefore = (await a!.requests()).length;
    const report = right(await store.apply(harborTags, { current: before }));
    expect(report.results.map((r) => r._tag)).toEqual(['Applied']);
    expect(report.verified).toBe(true);
    expect(report.after.images).toEqual([{ id: old.digest, names: [`${a!.host}/mig/redis:7`, 'docker.io/library/redis:7'] }]);
    expect((await getManifest(base, 'mig/redis', '7')).bytes.equals(old.bytes)).toBe(true);
    const log = (await a!.requests()).slice(logBefore);
    expect(log.filter((r) => r.method === 'POST' && r.path.startsWith('/v2/mig/redis/blobs/uploads/?mount=') && r.status === 201)).toHaveLength(4);
    // Converged: planning again finds nothing to tag.
    expect(planAliases({ snapshot: right(await store.snapshot()), images: ['redis:7'], policy }).actions.filter((x) => x.role === 'harbor')).toEqual([]);
  });

  it('refuses a tag to a name it may not write, and leaves a target another process set meanwhile alone', async () => {
    const src = await pushImage({ base, repo: 'guard/src', tag: '1', seed: 'store-guard' });
    const intruder = await pushImage({ base, repo: 'guard/intruder', tag: '1', seed: 'store-intruder' });
    const store = createRegistryStore({
      images,
      names: [
        { name: `${a!.host}/guard/src:1`, at: `${a!.host}/guard/src:1`, writable: true },
        { name: `${a!.host}/guard/dst:1`, at: `${a!.host}/guard/dst:1`, writable: true },
        { name: 'docker.io/library/guard:1', at: `${a!.host}/guard/ro:1`, writable: false },
      ],
    });
    const before = right(await store.snapshot());
    const tag = (target: string): TagAction => ({ _tag: 'Tag', source: `${a!.host}/guard/src:1`, target, imageId: src.digest, family: 'docker.io/library/guard:1', role: 'harbor', reason: 'missing-name' });
    const plan: Plan = { version: 1, mode: 'internal', actions: [tag('docker.io/library/guard:1'), tag(`${a!.host}/guard/dst:1`)], findings: [] };
    // Another process names the target after the snapshot was read.
    right(await images.copy({ source: `${a!.host}/guard/intruder:1`, target: `${a!.host}/guard/dst:1` }));
    const report = right(await store.apply(plan, { current: before }));
    expect(report.results[0]).toEqual({ _tag: 'Refused', action: plan.actions[0], reason: { _tag: 'NotWritable', name: 'docker.io/library/guard:1' } });
    expect(report.results[1]).toEqual({ _tag: 'ChangedUnderUs', action: plan.actions[1], found: intruder.digest });
    expect((await getManifest(base, 'guard/dst', '1')).digest).toBe(intruder.digest);
    expect((await getManifest(base, 'guard/ro', '1')).status).toBe(404);
    expect(report.verified).toBe(false);
  });
});

afterAll(() => client.close());
