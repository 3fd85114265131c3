import { describe, expect, test } from '@jest/globals';
import { fc, test as propTest } from '@fast-check/jest';
import type { CleanPlan, CleanPlanInput } from '@imgalias/core';
import { CleanPlanCodec, decode, describeCleanFinding, describeCleanRefusal, planClean } from '@imgalias/core';
import { indexSnapshot } from '@imgalias/core/internal';
import { HARBOR, rules, store } from './builders.js';

const REDIS = 'docker.io/library/redis:7-alpine';
const L_REDIS = 'localhost/redis:7-alpine';
const H_REDIS = '127.0.0.1:5000/aihpc/redis:7-alpine';
const MINIO = 'docker.io/minio/minio:latest';

const untag = (name: string, imageId: string, family: string, role: 'origin' | 'localhost' | 'harbor' | 'short' | 'localhost-short') =>
  ({ _tag: 'Untag', name, imageId, family, role }) as const;

describe('planClean', () => {
  test.each<[string, CleanPlanInput, CleanPlan]>([
    [
      'untags the local names and keeps the Harbor copy; other families are not touched',
      {
        snapshot: store(['sha256:1', 'redis:7-alpine', L_REDIS, H_REDIS], ['sha256:2', 'minio/minio:latest', 'localhost/minio/minio:latest']),
        images: ['redis:7-alpine'],
        policy: rules({ harbor: HARBOR }),
        includeHarbor: false,
        containers: [],
      },
      {
        version: 1,
        actions: [untag(REDIS, 'sha256:1', REDIS, 'origin'), untag(L_REDIS, 'sha256:1', REDIS, 'localhost')],
        kept: [{ family: REDIS, name: H_REDIS, imageId: 'sha256:1', reason: 'harbor-copy' }],
        refusals: [],
        findings: [],
      },
    ],
    [
      '--include-harbor removes the local Harbor name too (never anything in the registry)',
      {
        snapshot: store(['sha256:1', 'redis:7-alpine', L_REDIS, H_REDIS]),
        images: [H_REDIS],
        policy: rules({ harbor: HARBOR }),
        includeHarbor: true,
        containers: [],
      },
      {
        version: 1,
        actions: [untag(H_REDIS, 'sha256:1', REDIS, 'harbor'), untag(REDIS, 'sha256:1', REDIS, 'origin'), untag(L_REDIS, 'sha256:1', REDIS, 'localhost')],
        kept: [],
        refusals: [],
        findings: [],
      },
    ],
    [
      'short names are family members when enabled, and are untagged with the rest',
      {
        snapshot: store(['sha256:3', 'osixia/openldap:stable', 'openldap:stable', 'localhost/openldap:stable']),
        images: ['osixia/openldap:stable'],
        policy: rules({ shortNames: true }),
        includeHarbor: false,
        containers: [],
      },
      {
        version: 1,
        actions: [
          untag('docker.io/library/openldap:stable', 'sha256:3', 'docker.io/osixia/openldap:stable', 'short'),
          untag('docker.io/osixia/openldap:stable', 'sha256:3', 'docker.io/osixia/openldap:stable', 'origin'),
          untag('localhost/openldap:stable', 'sha256:3', 'docker.io/osixia/openldap:stable', 'localhost-short'),
        ],
        kept: [],
        refusals: [],
        findings: [],
      },
    ],
    [
      'a name outside the family on the image: refused, with the names, nothing of the family untagged',
      {
        snapshot: store(['sha256:1', 'redis:7-alpine', L_REDIS, 'myapp/base:1']),
        images: ['redis:7-alpine'],
        policy: rules(),
        includeHarbor: false,
        containers: [],
      },
      {
        version: 1,
        actions: [],
        kept: [],
        refusals: [{ _tag: 'SharedImage', family: REDIS, imageId: 'sha256:1', names: ['docker.io/myapp/base:1'] }],
        findings: [],
      },
    ],
    [
      'two families on one image cleaned together: allowed',
      {
        snapshot: store(['sha256:1', 'redis:7-alpine', 'redis:7']),
        images: ['redis:7-alpine', 'redis:7'],
        policy: rules(),
        includeHarbor: false,
        containers: [],
      },
      {
        version: 1,
        actions: [untag('docker.io/library/redis:7', 'sha256:1', 'docker.io/library/redis:7', 'origin'), untag(REDIS, 'sha256:1', REDIS, 'origin')],
        kept: [],
        refusals: [],
        findings: [],
      },
    ],
    [
      'refusing one family keeps its names on a shared image, so the other family is refused too',
      {
        snapshot: store(['sha256:1', 'redis:7-alpine', 'redis:7'], ['sha256:2', 'localhost/redis:7', 'myapp:1']),
        images: ['redis:7-alpine', 'redis:7'],
        policy: rules(),
        includeHarbor: false,
        containers: [],
      },
      {
        version: 1,
        actions: [],
        kept: [],
        refusals: [
          { _tag: 'SharedImage', family: 'docker.io/library/redis:7', imageId: 'sha256:2', names: ['docker.io/library/myapp:1'] },
          { _tag: 'SharedImage', family: REDIS, imageId: 'sha256:1', names: ['docker.io/library/redis:7'] },
        ],
        findings: [],
      },
    ],
    [
      'a container created from the image (running or not): refused, with the container',
      {
        snapshot: store(['sha256:1', 'redis:7-alpine', H_REDIS], ['sha256:2', 'minio/minio:latest']),
        images: ['redis:7-alpine', 'minio/minio'],
        policy: rules({ harbor: HARBOR }),
        includeHarbor: false,
        containers: [
          { id: 'c2', imageId: 'sha256:1' },
          { id: 'c1', name: 'cache', imageId: 'sha256:1' },
          { id: 'c3', name: 'other', imageId: 'sha256:7' },
        ],
      },
      {
        version: 1,
        actions: [untag(MINIO, 'sha256:2', MINIO, 'origin')],
        kept: [{ family: REDIS, name: H_REDIS, imageId: 'sha256:1', reason: 'harbor-copy' }],
        refusals: [
          {
            _tag: 'InUse',
            family: REDIS,
            imageId: 'sha256:1',
            containers: [
              { id: 'c1', name: 'cache', imageId: 'sha256:1' },
              { id: 'c2', imageId: 'sha256:1' },
            ],
          },
        ],
        findings: [],
      },
    ],
    [
      'names of one family on two images (a conflict): both images are checked; the absent family is a finding',
      {
        snapshot: store(['sha256:1', 'redis:7-alpine'], ['sha256:2', L_REDIS]),
        images: ['redis:7-alpine', 'postgres:16', 'Bad', `redis@sha256:${'a'.repeat(64)}`],
        policy: rules(),
        includeHarbor: false,
        containers: [],
      },
      {
        version: 1,
        actions: [untag(REDIS, 'sha256:1', REDIS, 'origin'), untag(L_REDIS, 'sha256:2', REDIS, 'localhost')],
        kept: [],
        refusals: [],
        findings: [
          { _tag: 'NotPresent', family: 'docker.io/library/postgres:16' },
          { _tag: 'DigestReference', reference: `docker.io/library/redis@sha256:${'a'.repeat(64)}` },
          { _tag: 'InvalidRequest', input: 'Bad', error: { _tag: 'NameContainsUppercase', input: 'Bad' } },
        ],
      },
    ],
    [
      'only the Harbor copy present: kept, nothing to untag, not a finding',
      { snapshot: store(['sha256:1', H_REDIS]), images: ['redis:7-alpine'], policy: rules({ harbor: HARBOR }), includeHarbor: false, containers: [] },
      { version: 1, actions: [], kept: [{ family: REDIS, name: H_REDIS, imageId: 'sha256:1', reason: 'harbor-copy' }], refusals: [], findings: [] },
    ],
  ])('%s', (_name, input, expected) => {
    const plan = planClean(input);
    expect(plan).toEqual(expected);
    expect(decode(CleanPlanCodec, JSON.parse(JSON.stringify(plan)))).toEqual({ _tag: 'Right', right: expected });
  });

  test('refusals and findings read as sentences naming what is in the way', () => {
    expect(
      describeCleanRefusal({ _tag: 'SharedImage', family: REDIS, imageId: 'sha256:1', names: ['docker.io/myapp/base:1'] }),
    ).toMatch(/^redis:7-alpine was not cleaned: image sha256:1 also carries myapp\/base:1, outside this family/);
    expect(
      describeCleanRefusal({ _tag: 'InUse', family: REDIS, imageId: 'sha256:1', containers: [{ id: 'c1', name: 'cache', imageId: 'sha256:1' }] }),
    ).toMatch(/used by container cache; remove it first/);
    expect(
      describeCleanRefusal({
        _tag: 'InUse',
        family: REDIS,
        imageId: 'sha256:1',
        containers: [{ id: '0123456789abcdef', imageId: 'sha256:1' }, { id: 'c2', name: 'b', imageId: 'sha256:1' }],
      }),
    ).toMatch(/used by containers 0123456789ab, b; remove them first/);
    expect(describeCleanFinding({ _tag: 'NotPresent', family: REDIS })).toBe('redis:7-alpine has no name in the image store; nothing to clean.');
    expect(describeCleanFinding({ _tag: 'DigestReference', reference: REDIS })).toMatch(/digest/);
  });
});

const pool = ['redis:7', 'localhost/redis:7', '127.0.0.1:5000/aihpc/redis:7', 'minio/minio:1', 'localhost/minio/minio:1', 'myapp:1'];
const inputArb = fc.record({
  snapshot: fc
    .array(fc.tuple(fc.integer({ min: 1, max: 4 }), fc.subarray(pool)), { maxLength: 4 })
    .map((images) => ({ version: 1 as const, images: images.map(([id, names]) => ({ id: `sha256:${id}`, names })) })),
  images: fc.subarray(['redis:7', 'minio/minio:1', 'myapp:1']),
  includeHarbor: fc.boolean(),
  containers: fc.array(fc.record({ id: fc.constantFrom('c1', 'c2'), imageId: fc.constantFrom('sha256:1', 'sha256:2') }), { maxLength: 2 }),
});

describe('planClean laws', () => {
  propTest.prop([inputArb])('safety: an image loses names only when every name it keeps is a kept Harbor copy, and no container uses it', (input) => {
    const plan = planClean({ ...input, policy: rules({ harbor: HARBOR }) });
    const { imageIdByName } = indexSnapshot(input.snapshot);
    const removed = new Set(plan.actions.map((a) => a.name));
    const kept = new Set(plan.kept.map((k) => k.name));
    for (const imageId of new Set(plan.actions.map((a) => a.imageId))) {
      const staying = [...imageIdByName].filter(([name, id]) => id === imageId && !removed.has(name)).map(([name]) => name);
      expect(staying.filter((name) => !kept.has(name))).toEqual([]);
      expect(input.containers.some((c) => c.imageId === imageId)).toBe(false);
    }
    // Every untag names a name the store has, on the image the plan says: never an id, never a guess.
    for (const action of plan.actions) expect(imageIdByName.get(action.name)).toBe(action.imageId);
    if (!input.includeHarbor) expect(plan.actions.some((a) => a.role === 'harbor')).toBe(false);
  });
});

describe('planClean in internal mode: images Harbor cannot give back', () => {
  const snapshot = store(['sha256:1', 'redis:7-alpine', L_REDIS], ['sha256:2', 'minio/minio:latest', '127.0.0.1:5000/aihpc/minio/minio:latest']);
  const input = { snapshot, images: ['redis:7-alpine', 'minio/minio:latest'], policy: rules({ mode: 'internal', harbor: HARBOR }), includeHarbor: false, containers: [] };

  test('a family whose image has no Harbor name is refused; one with a Harbor name is cleaned', () => {
    const plan = planClean(input);
    expect(plan.refusals).toEqual([{ _tag: 'Unrecoverable', family: REDIS, imageId: 'sha256:1' }]);
    expect(plan.actions).toEqual([untag(MINIO, 'sha256:2', MINIO, 'origin')]);
    expect(describeCleanRefusal(plan.refusals[0] as CleanPlan['refusals'][number])).toBe(
      'redis:7-alpine was not cleaned: image sha256:1 has no Harbor name here, so internal mode could not pull it back once removed; push it to Harbor first (imgalias publish), or clean with --include-unrecoverable to remove it anyway.',
    );
  });

  test('includeUnrecoverable cleans it, with one warning finding per family', () => {
    const plan = planClean({ ...input, includeUnrecoverable: true });
    expect(plan.refusals).toEqual([]);
    expect(plan.actions.map((a) => a.name)).toEqual([REDIS, MINIO, L_REDIS]);
    expect(plan.findings).toEqual([{ _tag: 'UnrecoverableCleaned', family: REDIS }]);
    expect(decode(CleanPlanCodec, JSON.parse(JSON.stringify(plan)))._tag).toBe('Right');
  });

  test('external mode can pull anything back: nothing is refused for it', () => {
    expect(planClean({ ...input, policy: rules({ mode: 'external', harbor: HARBOR }) }).refusals).toEqual([]);
  });
});
