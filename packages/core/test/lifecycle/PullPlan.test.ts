import { describe, expect, test } from '@jest/globals';
import { fc, test as propTest } from '@fast-check/jest';
import type { PullPlan, PullPlanInput } from '@imgalias/core';
import { decode, describePullFinding, planPrefetch, PullPlanCodec } from '@imgalias/core';
import { indexSnapshot, pullsOf } from '@imgalias/core/internal';
import { EMPTY, HARBOR, HUB_ONLY, rules, store } from './builders.js';

const REDIS = 'docker.io/library/redis:7-alpine';
const REDIS_LOOKED_FOR_EXTERNAL = [REDIS, 'localhost/redis:7-alpine'];

describe('planPrefetch', () => {
  test.each<[string, PullPlanInput, PullPlan]>([
    [
      'internal mode pulls the Harbor copy and nothing else',
      { snapshot: EMPTY, images: ['redis:7-alpine'], policy: rules({ mode: 'internal', harbor: HARBOR }), mirrors: ['mirror.corp:5000/hub'] },
      {
        version: 1,
        mode: 'internal',
        entries: [
          {
            _tag: 'Pull',
            family: REDIS,
            lookedFor: ['127.0.0.1:5000/aihpc/redis:7-alpine', 'localhost/redis:7-alpine', REDIS],
            candidates: [
              { source: 'harbor', reference: '127.0.0.1:5000/aihpc/redis:7-alpine', registry: '127.0.0.1:5000', reason: 'internal-harbor-only' },
            ],
          },
        ],
        findings: [],
      },
    ],
    [
      'internal mode without Harbor: nowhere to pull from, a finding and no entry',
      { snapshot: EMPTY, images: ['redis:7-alpine'], policy: rules({ mode: 'internal' }), mirrors: [] },
      {
        version: 1,
        mode: 'internal',
        entries: [],
        findings: [{ _tag: 'NoPullSource', family: REDIS, lookedFor: ['localhost/redis:7-alpine', REDIS], reason: 'no-harbor-configured' }],
      },
    ],
    [
      'internal mode, an origin no mirror rule covers: no Harbor copy, never the public registry',
      { snapshot: EMPTY, images: ['quay.io/keycloak/keycloak:26.0'], policy: rules({ mode: 'internal', mirrors: HUB_ONLY }), mirrors: [] },
      {
        version: 1,
        mode: 'internal',
        entries: [],
        findings: [{ _tag: 'NoPullSource', family: 'quay.io/keycloak/keycloak:26.0', lookedFor: ['quay.io/keycloak/keycloak:26.0'], reason: 'no-harbor-copy' }],
      },
    ],
    [
      'external mode: origin, then mirrors in order (with the origin name to tag), then the Harbor copy',
      {
        snapshot: EMPTY,
        images: ['osixia/openldap:stable'],
        policy: rules({ harbor: HARBOR }),
        mirrors: ['mirror.corp:5000/hub', 'mirror2.corp/cache/dockerhub'],
      },
      {
        version: 1,
        mode: 'external',
        entries: [
          {
            _tag: 'Pull',
            family: 'docker.io/osixia/openldap:stable',
            lookedFor: ['docker.io/osixia/openldap:stable', 'localhost/osixia/openldap:stable', '127.0.0.1:5000/aihpc/osixia/openldap:stable'],
            candidates: [
              { source: 'origin', reference: 'docker.io/osixia/openldap:stable', registry: 'docker.io', reason: 'external-origin' },
              {
                source: 'mirror',
                reference: 'mirror.corp:5000/hub/osixia/openldap:stable',
                registry: 'mirror.corp:5000',
                tagAs: 'docker.io/osixia/openldap:stable',
                reason: 'external-mirror',
              },
              {
                source: 'mirror',
                reference: 'mirror2.corp/cache/dockerhub/osixia/openldap:stable',
                registry: 'mirror2.corp',
                tagAs: 'docker.io/osixia/openldap:stable',
                reason: 'external-mirror',
              },
              {
                source: 'harbor',
                reference: '127.0.0.1:5000/aihpc/osixia/openldap:stable',
                registry: '127.0.0.1:5000',
                reason: 'external-harbor-fallback',
              },
            ],
          },
        ],
        findings: [],
      },
    ],
    [
      'external mode: a mirror serves official images under library/',
      { snapshot: EMPTY, images: ['redis:7-alpine'], policy: rules(), mirrors: ['mirror.corp/hub'] },
      {
        version: 1,
        mode: 'external',
        entries: [
          {
            _tag: 'Pull',
            family: REDIS,
            lookedFor: REDIS_LOOKED_FOR_EXTERNAL,
            candidates: [
              { source: 'origin', reference: REDIS, registry: 'docker.io', reason: 'external-origin' },
              { source: 'mirror', reference: 'mirror.corp/hub/library/redis:7-alpine', registry: 'mirror.corp', tagAs: REDIS, reason: 'external-mirror' },
            ],
          },
        ],
        findings: [],
      },
    ],
    [
      'external mode: mirrors stand in for Docker Hub only; a quay.io image without a Harbor rule is pulled from quay.io alone',
      { snapshot: EMPTY, images: ['quay.io/keycloak/keycloak:26.0'], policy: rules({ mirrors: HUB_ONLY }), mirrors: ['mirror.corp/hub'] },
      {
        version: 1,
        mode: 'external',
        entries: [
          {
            _tag: 'Pull',
            family: 'quay.io/keycloak/keycloak:26.0',
            lookedFor: ['quay.io/keycloak/keycloak:26.0'],
            candidates: [{ source: 'origin', reference: 'quay.io/keycloak/keycloak:26.0', registry: 'quay.io', reason: 'external-origin' }],
          },
        ],
        findings: [],
      },
    ],
    [
      'a mirror that is the Harbor project itself, or listed twice, is asked once',
      { snapshot: EMPTY, images: ['redis:7-alpine'], policy: rules({ harbor: { registry: 'h.corp', project: 'p' }, harborLayout: 'library' }), mirrors: ['h.corp/p', 'h.corp/p'] },
      {
        version: 1,
        mode: 'external',
        entries: [
          {
            _tag: 'Pull',
            family: REDIS,
            lookedFor: [REDIS, 'localhost/redis:7-alpine', 'h.corp/p/library/redis:7-alpine'],
            candidates: [
              { source: 'origin', reference: REDIS, registry: 'docker.io', reason: 'external-origin' },
              { source: 'mirror', reference: 'h.corp/p/library/redis:7-alpine', registry: 'h.corp', tagAs: REDIS, reason: 'external-mirror' },
            ],
          },
        ],
        findings: [],
      },
    ],
    [
      'any member present (here only the localhost/ twin): present, no pull, in either mode',
      { snapshot: store(['sha256:1', 'localhost/redis:7-alpine']), images: ['redis:7-alpine'], policy: rules({ mode: 'internal', harbor: HARBOR }), mirrors: [] },
      {
        version: 1,
        mode: 'internal',
        entries: [{ _tag: 'Present', family: REDIS, name: 'localhost/redis:7-alpine', imageId: 'sha256:1' }],
        findings: [],
      },
    ],
    [
      'the present member is reported in the mode ranking (internal: Harbor copy first)',
      {
        snapshot: store(['sha256:1', 'redis:7-alpine'], ['sha256:2', '127.0.0.1:5000/aihpc/redis:7-alpine']),
        images: ['localhost/redis:7-alpine'],
        policy: rules({ mode: 'internal', harbor: HARBOR }),
        mirrors: [],
      },
      {
        version: 1,
        mode: 'internal',
        entries: [{ _tag: 'Present', family: REDIS, name: '127.0.0.1:5000/aihpc/redis:7-alpine', imageId: 'sha256:2' }],
        findings: [],
      },
    ],
    [
      'bad requests, digests, bad mirrors and bad snapshot names are findings, sorted; families are sorted and listed once',
      {
        snapshot: store(['sha256:1', 'Bad:Name', 'minio/minio:latest']),
        images: ['redis:7-alpine', 'Redis:7', 'minio/minio', 'redis@sha256:' + 'a'.repeat(64), 'docker.io/library/redis:7-alpine'],
        policy: rules(),
        mirrors: ['https://mirror.corp/hub', 'nohost'],
      },
      {
        version: 1,
        mode: 'external',
        entries: [
          {
            _tag: 'Pull',
            family: REDIS,
            lookedFor: REDIS_LOOKED_FOR_EXTERNAL,
            candidates: [{ source: 'origin', reference: REDIS, registry: 'docker.io', reason: 'external-origin' }],
          },
          { _tag: 'Present', family: 'docker.io/minio/minio:latest', name: 'docker.io/minio/minio:latest', imageId: 'sha256:1' },
        ],
        findings: [
          { _tag: 'InvalidMirror', mirror: 'https://mirror.corp/hub', reason: 'leave out the scheme (write harbor.example.com/project)' },
          { _tag: 'InvalidMirror', mirror: 'nohost', reason: 'expected host[:port]/project' },
          { _tag: 'DigestReference', reference: `docker.io/library/redis@sha256:${'a'.repeat(64)}` },
          { _tag: 'InvalidRequest', input: 'Redis:7', error: { _tag: 'NameContainsUppercase', input: 'Redis:7' } },
          { _tag: 'InvalidSnapshotName', name: 'Bad:Name', imageId: 'sha256:1', error: { _tag: 'NameContainsUppercase', input: 'Bad:Name' } },
        ],
      },
    ],
  ])('%s', (_name, input, expected) => {
    const plan = planPrefetch(input);
    expect(plan).toEqual(expected);
    // The JSON form round-trips through the codec unchanged.
    expect(decode(PullPlanCodec, JSON.parse(JSON.stringify(plan)))).toEqual({ _tag: 'Right', right: expected });
  });

  test('pullsOf keeps only the entries that need a pull', () => {
    const plan = planPrefetch({ snapshot: store(['sha256:1', 'redis:7']), images: ['redis:7', 'minio/minio'], policy: rules(), mirrors: [] });
    expect(pullsOf(plan).map((entry) => entry.family)).toEqual(['docker.io/minio/minio:latest']);
  });

  test('every finding has a sentence that names the image and what to do', () => {
    const plan = planPrefetch({
      snapshot: store(['sha256:1', 'Bad:Name']),
      images: ['redis:7', 'quay.io/a/b:1', 'Redis', `redis@sha256:${'b'.repeat(64)}`],
      policy: rules({ mode: 'internal' }),
      mirrors: ['nohost'],
    });
    const withHarbor = planPrefetch({ snapshot: EMPTY, images: ['quay.io/a/b:1'], policy: rules({ mode: 'internal', mirrors: HUB_ONLY }), mirrors: [] });
    const sentences = [...plan.findings, ...withHarbor.findings].map(describePullFinding);
    expect(sentences).toEqual([
      expect.stringMatching(/^redis:7 is not in the image store, and internal mode pulls only from Harbor, which is not configured; set --harbor/),
      expect.stringMatching(/^quay.io\/a\/b:1 is not in the image store, and internal mode pulls only from Harbor/),
      expect.stringMatching(/^The mirror "nohost" is not host\[:port\]\/prefix/),
      expect.stringMatching(/^redis@sha256:b+ pins a digest/),
      expect.stringMatching(/"Redis"/),
      expect.stringMatching(/"Bad:Name"/),
      expect.stringMatching(/^quay.io\/a\/b:1 is not in the image store and the mirror rules give it no Harbor name .* never pulls from quay.io, so add a rule \(--mirror quay.io=HOST\/PROJECT\)/),
    ]);
  });

  test('the codec rejects a plan with a candidate from an unknown source, at its path', () => {
    const bad = {
      version: 1,
      mode: 'internal',
      entries: [{ _tag: 'Pull', family: REDIS, lookedFor: [], candidates: [{ source: 'internet', reference: REDIS, registry: 'docker.io', reason: 'external-origin' }] }],
      findings: [{ _tag: 'Nope' }],
    };
    const decoded = decode(PullPlanCodec, bad);
    expect(decoded._tag).toBe('Left');
    const paths = decoded._tag === 'Left' ? decoded.left.errors.map((e) => e.path) : [];
    expect(paths).toEqual(expect.arrayContaining(['entries[0].candidates[0].source', 'findings[0]']));
  });
});

// Names drawn from a small pool so requests and snapshot names often meet.
const repos = ['redis', 'minio/minio', 'osixia/openldap', 'quay.io/keycloak/keycloak', 'localhost/redis', '127.0.0.1:5000/aihpc/redis'];
const tags = ['7', 'latest'];
const nameArb = fc.tuple(fc.constantFrom(...repos), fc.constantFrom(...tags)).map(([r, t]) => `${r}:${t}`);
const snapshotArb = fc
  .array(fc.tuple(fc.integer({ min: 1, max: 9 }), fc.array(nameArb, { maxLength: 3 })), { maxLength: 5 })
  .map((images) => ({ version: 1 as const, images: images.map(([id, names]) => ({ id: `sha256:${id}`, names })) }));
const inputArb = fc.record({
  snapshot: snapshotArb,
  images: fc.array(nameArb, { maxLength: 4 }),
  policy: fc.record({
    mode: fc.constantFrom('external' as const, 'internal' as const),
    harbor: fc.option(fc.constant(HARBOR), { nil: undefined }),
  }).map(({ mode, harbor }) => rules(harbor === undefined ? { mode } : { mode, harbor })),
  mirrors: fc.array(fc.constantFrom('mirror.corp/hub', 'm2.corp:5000/dh'), { maxLength: 2 }),
});

describe('planPrefetch laws', () => {
  propTest.prop([inputArb])('internal mode never names a registry other than the Harbor location', (input) => {
    const plan = planPrefetch(input);
    if (input.policy.mode !== 'internal') return;
    for (const entry of pullsOf(plan)) {
      expect(entry.candidates.map((c) => c.registry)).toEqual([HARBOR.registry]);
    }
  });

  propTest.prop([inputArb])('a family is pulled only when none of its names is present, and the plan does not depend on snapshot order', (input) => {
    const plan = planPrefetch(input);
    const reversed = planPrefetch({ ...input, snapshot: { version: 1, images: [...input.snapshot.images].reverse() } });
    expect(reversed).toEqual(plan);
    const { imageIdByName } = indexSnapshot(input.snapshot);
    for (const entry of plan.entries) {
      if (entry._tag === 'Pull') {
        expect(entry.lookedFor.filter((name) => imageIdByName.has(name))).toEqual([]);
        expect(entry.candidates.length).toBeGreaterThan(0);
      } else {
        expect(imageIdByName.get(entry.name)).toBe(entry.imageId);
      }
    }
  });
});
