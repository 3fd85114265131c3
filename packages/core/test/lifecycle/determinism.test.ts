import { describe, expect, test } from '@jest/globals';
import { fc, test as propTest } from '@fast-check/jest';
import type { Snapshot } from '@imgalias/core';
import { CleanPlanCodec, planClean, planPrefetch, planPublish, PublishPlanCodec, PullPlanCodec } from '@imgalias/core';
import { HARBOR, HUB_ONLY, rules, store } from './builders.js';

// Requests and snapshot names with at least two findings of every kind, so ordering within a kind is exercised.
const D1 = `redis@sha256:${'1'.repeat(64)}`;
const D2 = `minio@sha256:${'2'.repeat(64)}`;
const REQUESTS = ['Bad1', 'Bad2', D1, D2, 'quay.io/a/one:1', 'quay.io/a/two:1', 'absent/one:1', 'absent/two:1', 'redis:7', 'minio/minio:1', 'myapp:1'];
const SNAPSHOT: Snapshot = store(
  ['sha256:1', 'redis:7', 'Bad:Snap1', '127.0.0.1:5000/aihpc/minio/minio:1'],
  ['sha256:2', 'minio/minio:1', 'Bad:Snap2', '127.0.0.1:5000/aihpc/redis:7', 'myapp:1'],
);

const reversed = (s: Snapshot): Snapshot => ({ version: 1, images: [...s.images].reverse().map((i) => ({ ...i, names: [...i.names].reverse() })) });

describe('lifecycle plans do not depend on the order of requests or of the snapshot', () => {
  test('prefetch, publish and clean, with two findings of every kind', () => {
    const policy = rules({ mirrors: HUB_ONLY, mode: 'internal' });
    const variants = [REQUESTS, [...REQUESTS].reverse()].flatMap((images) => [SNAPSHOT, reversed(SNAPSHOT)].map((snapshot) => ({ images, snapshot })));
    const pulls = variants.map((v) => planPrefetch({ ...v, policy, mirrors: ['m.corp/x', 'Bad Mirror', 'also bad'] }));
    const publishes = variants.map((v) => planPublish({ ...v, policy }));
    const cleans = variants.map((v) => planClean({ ...v, policy, includeHarbor: false, containers: [] }));
    for (const plans of [pulls, publishes, cleans]) for (const plan of plans) expect(plan).toEqual(plans[0]);
    expect(pulls[0]?.findings.map((f) => f._tag)).toEqual([
      'NoPullSource', 'NoPullSource', 'InvalidMirror', 'InvalidMirror', 'DigestReference', 'DigestReference',
      'InvalidRequest', 'InvalidRequest', 'InvalidSnapshotName', 'InvalidSnapshotName',
    ]);
    expect(publishes[0]?.findings.map((f) => f._tag)).toEqual([
      'Conflict', 'Conflict', 'Missing', 'Missing', 'NoHarborCopy', 'NoHarborCopy', 'DigestReference', 'DigestReference',
      'InvalidRequest', 'InvalidRequest', 'InvalidSnapshotName', 'InvalidSnapshotName',
    ]);
    expect(cleans[0]?.findings.map((f) => f._tag)).toEqual([
      'NotPresent', 'NotPresent', 'NotPresent', 'NotPresent', 'DigestReference', 'DigestReference',
      'InvalidRequest', 'InvalidRequest', 'InvalidSnapshotName', 'InvalidSnapshotName',
    ]);
    // The codecs recognise and encode what the planners produce.
    expect(PullPlanCodec.is(pulls[0])).toBe(true);
    expect(PublishPlanCodec.is(publishes[0])).toBe(true);
    expect(CleanPlanCodec.is(cleans[0])).toBe(true);
    expect(PullPlanCodec.encode(pulls[0]!)).toEqual(pulls[0]);
    expect(CleanPlanCodec.is({ ...cleans[0], refusals: [{ _tag: 'Nope' }] })).toBe(false);
  });
});

const pool = ['redis:7', 'localhost/redis:7', '127.0.0.1:5000/aihpc/redis:7', 'minio/minio:1', 'localhost/minio/minio:1', 'myapp:1', 'quay.io/a/b:1'];
const inputArb = fc.record({
  snapshot: fc
    .array(fc.tuple(fc.integer({ min: 1, max: 4 }), fc.subarray(pool)), { maxLength: 4 })
    .map((images) => ({ version: 1 as const, images: images.map(([id, names]) => ({ id: `sha256:${id}`, names })) })),
  images: fc.subarray([...pool, 'absent:1']),
  mode: fc.constantFrom('external' as const, 'internal' as const),
  onConflict: fc.constantFrom('report' as const, 'retarget' as const),
});

describe('lifecycle plan laws', () => {
  propTest.prop([inputArb])('determinism: shuffled requests and snapshot give the same three plans', ({ snapshot, images, mode, onConflict }) => {
    const policy = rules({ harbor: HARBOR, mode, onConflict });
    const a = { snapshot, images };
    const b = { snapshot: reversed(snapshot), images: [...images].reverse() };
    expect(planPrefetch({ ...b, policy, mirrors: [] })).toEqual(planPrefetch({ ...a, policy, mirrors: [] }));
    expect(planPublish({ ...b, policy })).toEqual(planPublish({ ...a, policy }));
    expect(planClean({ ...b, policy, includeHarbor: true, containers: [] })).toEqual(planClean({ ...a, policy, includeHarbor: true, containers: [] }));
  });

  propTest.prop([inputArb])('publish: every entry pushes the family Harbor name, and tags it only when the name is not already on the image', ({ snapshot, images, mode, onConflict }) => {
    const plan = planPublish({ snapshot, images, policy: rules({ harbor: HARBOR, mode, onConflict }) });
    for (const entry of plan.entries) {
      expect(entry.target.startsWith('127.0.0.1:5000/aihpc/')).toBe(true);
      if (entry.tag !== undefined) {
        expect(entry.tag).toMatchObject({ source: entry.source, target: entry.target, imageId: entry.imageId, role: 'harbor' });
        expect(entry.tag.reason === 'retarget').toBe(entry.tag.replaces !== undefined);
        if (entry.tag.reason === 'retarget') expect(onConflict).toBe('retarget');
      }
    }
  });
});
