import { describe, expect, test } from '@jest/globals';
import type { AliasPolicy, ImageRequest, Plan, Snapshot } from '@imgalias/core';
import { applyToSnapshot, describeFinding, planAliases } from '@imgalias/core';
import { HARBOR, conflict, missing, policy, snapshot, tag } from './support/builders.js';

const REDIS = 'docker.io/library/redis:7-alpine';
const REDIS_LOCAL = 'localhost/redis:7-alpine';
const REDIS_HARBOR = 'harbor.corp.local/proj/redis:7-alpine';
const DIGEST = `sha256:${'a'.repeat(64)}`;

interface Situation {
  readonly name: string;
  readonly snapshot: Snapshot;
  readonly images: readonly ImageRequest[];
  readonly policy: AliasPolicy;
  readonly plan: Plan;
}

/** The situations from the field that issue 2 lists, each with the whole plan expected. */
const situations: readonly Situation[] = [
  {
    name: 'only localhost/redis present, internal mode without Harbor: tag the origin from it',
    snapshot: snapshot(['sha256:r', 'localhost/redis:7-alpine']),
    images: ['redis:7-alpine'],
    policy: policy({ mode: 'internal' }),
    plan: { version: 1, mode: 'internal', actions: [tag(REDIS_LOCAL, REDIS, 'sha256:r', REDIS, 'origin')], findings: [] },
  },
  {
    name: 'only localhost/redis present, external mode: the same',
    snapshot: snapshot(['sha256:r', 'localhost/redis:7-alpine']),
    images: ['redis:7-alpine'],
    policy: policy(),
    plan: { version: 1, mode: 'external', actions: [tag(REDIS_LOCAL, REDIS, 'sha256:r', REDIS, 'origin')], findings: [] },
  },
  {
    name: 'Harbor copy present in internal mode: both local names from Harbor',
    snapshot: snapshot(['sha256:h', REDIS_HARBOR]),
    images: ['redis:7-alpine'],
    policy: policy({ mode: 'internal', harbor: HARBOR }),
    plan: {
      version: 1,
      mode: 'internal',
      actions: [
        tag(REDIS_HARBOR, REDIS, 'sha256:h', REDIS, 'origin'),
        tag(REDIS_HARBOR, REDIS_LOCAL, 'sha256:h', REDIS, 'localhost'),
      ],
      findings: [],
    },
  },
  {
    name: 'Harbor copy and origin on different images, internal mode: Harbor wins, the origin is a conflict',
    snapshot: snapshot(['sha256:h', REDIS_HARBOR], ['sha256:o', 'redis:7-alpine']),
    images: ['redis:7-alpine'],
    policy: policy({ mode: 'internal', harbor: HARBOR }),
    plan: {
      version: 1,
      mode: 'internal',
      actions: [tag(REDIS_HARBOR, REDIS_LOCAL, 'sha256:h', REDIS, 'localhost')],
      findings: [conflict(REDIS, REDIS, 'sha256:o', 'sha256:h', REDIS_HARBOR)],
    },
  },
  {
    name: 'only the origin present in internal mode: the localhost twin from it, never a Harbor name',
    snapshot: snapshot(['sha256:o', 'redis:7-alpine']),
    images: ['redis:7-alpine'],
    policy: policy({ mode: 'internal', harbor: HARBOR }),
    plan: { version: 1, mode: 'internal', actions: [tag(REDIS, REDIS_LOCAL, 'sha256:o', REDIS, 'localhost')], findings: [] },
  },
  {
    name: 'harborTags asks for the Harbor name too (for pushing)',
    snapshot: snapshot(['sha256:o', 'redis:7-alpine']),
    images: ['redis:7-alpine'],
    policy: policy({ harbor: HARBOR, harborTags: true }),
    plan: {
      version: 1,
      mode: 'external',
      actions: [
        tag(REDIS, REDIS_HARBOR, 'sha256:o', REDIS, 'harbor'),
        tag(REDIS, REDIS_LOCAL, 'sha256:o', REDIS, 'localhost'),
      ],
      findings: [],
    },
  },
  {
    name: 'six images missing their origin names at once (Podman-loaded store), requested in several spellings',
    snapshot: snapshot(
      ['sha256:1', 'localhost/minio:latest'],
      ['sha256:2', 'localhost/redislabs/redisinsight:2.50'],
      ['sha256:3', 'localhost/osixia/phpldapadmin:0.9.0'],
      ['sha256:4', 'localhost/osixia/openldap:1.5.0'],
      ['sha256:5', 'localhost/tecnativa/tcp-proxy:latest'],
      ['sha256:6', 'localhost/redis:7-alpine'],
    ),
    images: [
      'localhost/minio:latest',
      'redislabs/redisinsight:2.50',
      'docker.io/osixia/phpldapadmin:0.9.0',
      'osixia/openldap:1.5.0',
      'tecnativa/tcp-proxy',
      'redis:7-alpine',
    ],
    policy: policy({ mode: 'internal', harbor: HARBOR }),
    plan: {
      version: 1,
      mode: 'internal',
      actions: [
        tag('localhost/minio:latest', 'docker.io/library/minio:latest', 'sha256:1', 'docker.io/library/minio:latest', 'origin'),
        tag(REDIS_LOCAL, REDIS, 'sha256:6', REDIS, 'origin'),
        tag('localhost/osixia/openldap:1.5.0', 'docker.io/osixia/openldap:1.5.0', 'sha256:4', 'docker.io/osixia/openldap:1.5.0', 'origin'),
        tag('localhost/osixia/phpldapadmin:0.9.0', 'docker.io/osixia/phpldapadmin:0.9.0', 'sha256:3', 'docker.io/osixia/phpldapadmin:0.9.0', 'origin'),
        tag('localhost/redislabs/redisinsight:2.50', 'docker.io/redislabs/redisinsight:2.50', 'sha256:2', 'docker.io/redislabs/redisinsight:2.50', 'origin'),
        tag('localhost/tecnativa/tcp-proxy:latest', 'docker.io/tecnativa/tcp-proxy:latest', 'sha256:5', 'docker.io/tecnativa/tcp-proxy:latest', 'origin'),
      ],
      findings: [],
    },
  },
  {
    name: 'namespaced osixia/openldap without short names: only the short name survived, so nothing to tag from',
    snapshot: snapshot(['sha256:l', 'openldap:stable']),
    images: ['osixia/openldap:stable'],
    policy: policy(),
    plan: {
      version: 1,
      mode: 'external',
      actions: [],
      findings: [
        missing('docker.io/osixia/openldap:stable', ['docker.io/osixia/openldap:stable', 'localhost/osixia/openldap:stable'], 'docker.io/osixia/openldap:stable'),
      ],
    },
  },
  {
    name: 'namespaced osixia/openldap with short names: the surviving short name heals the family',
    snapshot: snapshot(['sha256:l', 'openldap:stable']),
    images: ['osixia/openldap:stable'],
    policy: policy({ shortNames: true }),
    plan: {
      version: 1,
      mode: 'external',
      actions: [
        tag('docker.io/library/openldap:stable', 'docker.io/osixia/openldap:stable', 'sha256:l', 'docker.io/osixia/openldap:stable', 'origin'),
        tag('docker.io/library/openldap:stable', 'localhost/openldap:stable', 'sha256:l', 'docker.io/osixia/openldap:stable', 'localhost-short'),
        tag('docker.io/library/openldap:stable', 'localhost/osixia/openldap:stable', 'sha256:l', 'docker.io/osixia/openldap:stable', 'localhost'),
      ],
      findings: [],
    },
  },
  {
    name: 'namespaced osixia/openldap with short names, origin present: the short names are created',
    snapshot: snapshot(['sha256:l', 'osixia/openldap:stable', 'localhost/osixia/openldap:stable']),
    images: ['osixia/openldap:stable'],
    policy: policy({ mode: 'internal', shortNames: true }),
    plan: {
      version: 1,
      mode: 'internal',
      actions: [
        tag('localhost/osixia/openldap:stable', 'docker.io/library/openldap:stable', 'sha256:l', 'docker.io/osixia/openldap:stable', 'short'),
        tag('localhost/osixia/openldap:stable', 'localhost/openldap:stable', 'sha256:l', 'docker.io/osixia/openldap:stable', 'localhost-short'),
      ],
      findings: [],
    },
  },
  {
    name: 'a registry with a port is an origin: no localhost twin, never mangled; the * rule (--harbor) gives it a Harbor name',
    snapshot: snapshot(['sha256:p', 'localhost:5000/team/app:1.0']),
    images: ['localhost:5000/team/app:1.0', 'quay.io/keycloak/keycloak:26.0'],
    policy: policy({ mode: 'internal', harbor: HARBOR, shortNames: true, harborTags: true }),
    plan: {
      version: 1,
      mode: 'internal',
      actions: [tag('localhost:5000/team/app:1.0', 'harbor.corp.local/proj/team/app:1.0', 'sha256:p', 'localhost:5000/team/app:1.0', 'harbor')],
      findings: [
        missing(
          'quay.io/keycloak/keycloak:26.0',
          ['harbor.corp.local/proj/keycloak/keycloak:26.0', 'quay.io/keycloak/keycloak:26.0'],
          'harbor.corp.local/proj/keycloak/keycloak:26.0',
        ),
      ],
    },
  },
  {
    name: 'conflict in external mode: the localhost twin is another image; reported, not moved',
    snapshot: snapshot(['sha256:o', 'redis:7-alpine'], ['sha256:x', 'localhost/redis:7-alpine']),
    images: ['redis:7-alpine'],
    policy: policy(),
    plan: { version: 1, mode: 'external', actions: [], findings: [conflict(REDIS, REDIS_LOCAL, 'sha256:x', 'sha256:o', REDIS)] },
  },
  {
    name: 'conflict in internal mode: localhost ranks above the origin, so the origin is the conflict',
    snapshot: snapshot(['sha256:o', 'redis:7-alpine'], ['sha256:x', 'localhost/redis:7-alpine']),
    images: ['redis:7-alpine'],
    policy: policy({ mode: 'internal' }),
    plan: { version: 1, mode: 'internal', actions: [], findings: [conflict(REDIS, REDIS, 'sha256:o', 'sha256:x', REDIS_LOCAL)] },
  },
  {
    name: 'retarget moves the conflicting name and records what it replaces (external)',
    snapshot: snapshot(['sha256:o', 'redis:7-alpine'], ['sha256:x', 'localhost/redis:7-alpine']),
    images: ['redis:7-alpine'],
    policy: policy({ onConflict: 'retarget' }),
    plan: { version: 1, mode: 'external', actions: [tag(REDIS, REDIS_LOCAL, 'sha256:o', REDIS, 'localhost', 'sha256:x')], findings: [] },
  },
  {
    name: 'retarget in internal mode',
    snapshot: snapshot(['sha256:o', 'redis:7-alpine'], ['sha256:x', 'localhost/redis:7-alpine']),
    images: ['redis:7-alpine'],
    policy: policy({ mode: 'internal', onConflict: 'retarget' }),
    plan: { version: 1, mode: 'internal', actions: [tag(REDIS_LOCAL, REDIS, 'sha256:x', REDIS, 'origin', 'sha256:o')], findings: [] },
  },
  {
    name: 'nothing present: Missing lists every name looked for; internal mode says to pull the Harbor copy',
    snapshot: snapshot(['sha256:z', 'busybox:latest']),
    images: ['redis:7-alpine'],
    policy: policy({ mode: 'internal', harbor: HARBOR }),
    plan: { version: 1, mode: 'internal', actions: [], findings: [missing(REDIS, [REDIS_HARBOR, REDIS_LOCAL, REDIS], REDIS_HARBOR)] },
  },
  {
    name: 'a complete family needs nothing',
    snapshot: snapshot(['sha256:o', 'redis:7-alpine', 'localhost/redis:7-alpine', REDIS_HARBOR]),
    images: ['redis:7-alpine'],
    policy: policy({ mode: 'internal', harbor: HARBOR, harborTags: true }),
    plan: { version: 1, mode: 'internal', actions: [], findings: [] },
  },
  {
    name: 'requests naming the same family in different spellings are planned once',
    snapshot: snapshot(['sha256:o', 'redis:7-alpine']),
    images: ['redis:7-alpine', REDIS_LOCAL, REDIS, REDIS_HARBOR, 'index.docker.io/library/redis:7-alpine'],
    policy: policy({ harbor: HARBOR }),
    plan: { version: 1, mode: 'external', actions: [tag(REDIS, REDIS_LOCAL, 'sha256:o', REDIS, 'localhost')], findings: [] },
  },
  {
    name: 'an untagged request and an untagged snapshot name mean :latest',
    snapshot: snapshot(['sha256:m', 'localhost/minio']),
    images: ['minio'],
    policy: policy(),
    plan: {
      version: 1,
      mode: 'external',
      actions: [tag('localhost/minio:latest', 'docker.io/library/minio:latest', 'sha256:m', 'docker.io/library/minio:latest', 'origin')],
      findings: [],
    },
  },
  {
    name: 'digest requests, invalid requests and invalid snapshot names are findings, never actions',
    snapshot: snapshot(['sha256:o', 'redis:7-alpine', 'not a name', `redis@${DIGEST}`], ['sha256:d', '<none>:<none>']),
    images: [`redis@${DIGEST}`, 'Redis:7', `redis:7-alpine@${DIGEST}`, ''],
    policy: policy(),
    plan: {
      version: 1,
      mode: 'external',
      actions: [],
      findings: [
        { _tag: 'DigestReference', reference: `docker.io/library/redis:7-alpine@${DIGEST}` },
        { _tag: 'DigestReference', reference: `docker.io/library/redis@${DIGEST}` },
        { _tag: 'InvalidRequest', input: '', error: { _tag: 'EmptyReference', input: '' } },
        { _tag: 'InvalidRequest', input: 'Redis:7', error: { _tag: 'NameContainsUppercase', input: 'Redis:7' } },
        { _tag: 'InvalidSnapshotName', name: 'not a name', imageId: 'sha256:o', error: { _tag: 'InvalidFormat', input: 'not a name' } },
      ],
    },
  },
  {
    name: 'two families wanting one name: the first (by origin) gets it, the second reports a conflict',
    snapshot: snapshot(['sha256:b', 'openldap:stable'], ['sha256:a', 'osixia/openldap:stable']),
    images: ['osixia/openldap:stable', 'openldap:stable'],
    policy: policy({ shortNames: true, onConflict: 'retarget' }),
    plan: {
      version: 1,
      mode: 'external',
      actions: [
        tag('docker.io/library/openldap:stable', 'localhost/openldap:stable', 'sha256:b', 'docker.io/library/openldap:stable', 'localhost'),
        tag('docker.io/osixia/openldap:stable', 'localhost/osixia/openldap:stable', 'sha256:a', 'docker.io/osixia/openldap:stable', 'localhost'),
      ],
      findings: [
        conflict('docker.io/osixia/openldap:stable', 'docker.io/library/openldap:stable', 'sha256:b', 'sha256:a', 'docker.io/osixia/openldap:stable'),
        conflict('docker.io/osixia/openldap:stable', 'localhost/openldap:stable', 'sha256:b', 'sha256:a', 'docker.io/osixia/openldap:stable'),
      ],
    },
  },
  {
    name: 'with short names, a name one family creates is the source of another (planned in one go)',
    snapshot: snapshot(['sha256:h', 'harbor.corp.local/proj/redis:latest']),
    images: ['bitnami/redis', 'redis'],
    policy: policy({ harbor: HARBOR, shortNames: true }),
    plan: {
      version: 1,
      mode: 'external',
      actions: [
        tag('harbor.corp.local/proj/redis:latest', 'docker.io/bitnami/redis:latest', 'sha256:h', 'docker.io/bitnami/redis:latest', 'origin'),
        tag('harbor.corp.local/proj/redis:latest', 'docker.io/library/redis:latest', 'sha256:h', 'docker.io/library/redis:latest', 'origin'),
        tag('harbor.corp.local/proj/redis:latest', 'localhost/bitnami/redis:latest', 'sha256:h', 'docker.io/bitnami/redis:latest', 'localhost'),
        tag('harbor.corp.local/proj/redis:latest', 'localhost/redis:latest', 'sha256:h', 'docker.io/library/redis:latest', 'localhost'),
      ],
      findings: [],
    },
  },
  {
    name: 'Harbor layout library keeps library/ for official images (proxy-cache projects)',
    snapshot: snapshot(['sha256:h', 'harbor.corp.local/proj/library/redis:7-alpine']),
    images: ['redis:7-alpine'],
    policy: policy({ mode: 'internal', harbor: HARBOR, harborLayout: 'library' }),
    plan: {
      version: 1,
      mode: 'internal',
      actions: [
        tag('harbor.corp.local/proj/library/redis:7-alpine', REDIS, 'sha256:h', REDIS, 'origin'),
        tag('harbor.corp.local/proj/library/redis:7-alpine', REDIS_LOCAL, 'sha256:h', REDIS, 'localhost'),
      ],
      findings: [],
    },
  },
  {
    name: 'Harbor layout flatten keeps only the last path component',
    snapshot: snapshot(['sha256:h', 'harbor.corp.local/proj/openldap:stable']),
    images: ['osixia/openldap:stable'],
    policy: policy({ mode: 'internal', harbor: HARBOR, harborLayout: 'flatten' }),
    plan: {
      version: 1,
      mode: 'internal',
      actions: [
        tag('harbor.corp.local/proj/openldap:stable', 'docker.io/osixia/openldap:stable', 'sha256:h', 'docker.io/osixia/openldap:stable', 'origin'),
        tag('harbor.corp.local/proj/openldap:stable', 'localhost/osixia/openldap:stable', 'sha256:h', 'docker.io/osixia/openldap:stable', 'localhost'),
      ],
      findings: [],
    },
  },
];

describe('planAliases: situations from the field', () => {
  // Which rule gave each Harbor name is asserted in MirrorRule.test.ts; here, the actions and findings.
  test.each(situations)('$name', ({ snapshot: store, images, policy: rules, plan }) => {
    const { harborNames: _rules, ...planned } = planAliases({ snapshot: store, images, policy: rules });
    expect(planned).toEqual(plan);
  });

  test.each(situations)('$name: applying the plan leaves nothing to do', ({ snapshot: store, images, policy: rules }) => {
    const plan = planAliases({ snapshot: store, images, policy: rules });
    const after = applyToSnapshot(store, plan);
    expect(planAliases({ snapshot: after, images, policy: rules }).actions).toEqual([]);
  });
});

describe('planAliases: inputs', () => {
  test('accepts parsed references as requests', () => {
    const store = snapshot(['sha256:r', 'localhost/redis:7-alpine']);
    expect(
      planAliases({ snapshot: store, images: [{ domain: 'docker.io', path: 'library/redis', tag: '7-alpine' }], policy: policy() }),
    ).toEqual(planAliases({ snapshot: store, images: ['redis:7-alpine'], policy: policy() }));
  });

  test('a parsed reference with a digest is a DigestReference finding', () => {
    expect(
      planAliases({ snapshot: snapshot(), images: [{ domain: 'docker.io', path: 'library/redis', digest: DIGEST }], policy: policy() }).findings,
    ).toEqual([{ _tag: 'DigestReference', reference: `docker.io/library/redis@${DIGEST}` }]);
  });

  test('a name listed on two images (hand-written snapshot) belongs to the smaller id, whatever the order', () => {
    const one = snapshot(['sha256:b', 'redis:7-alpine'], ['sha256:a', 'docker.io/library/redis:7-alpine']);
    const two = snapshot(['sha256:a', 'docker.io/library/redis:7-alpine'], ['sha256:b', 'redis:7-alpine']);
    const expected: Plan = { version: 1, mode: 'external', actions: [tag(REDIS, REDIS_LOCAL, 'sha256:a', REDIS, 'localhost')], findings: [] };
    expect(planAliases({ snapshot: one, images: ['redis:7-alpine'], policy: policy() })).toEqual(expected);
    expect(planAliases({ snapshot: two, images: ['redis:7-alpine'], policy: policy() })).toEqual(expected);
  });

  test('findings of one kind are ordered by their names, whatever the snapshot order', () => {
    const store = snapshot(['sha256:b', 'b b'], ['sha256:a', 'a a', 'B B']);
    expect(planAliases({ snapshot: store, images: [], policy: policy() }).findings).toEqual([
      { _tag: 'InvalidSnapshotName', name: 'B B', imageId: 'sha256:a', error: { _tag: 'NameContainsUppercase', input: 'B B' } },
      { _tag: 'InvalidSnapshotName', name: 'a a', imageId: 'sha256:a', error: { _tag: 'InvalidFormat', input: 'a a' } },
      { _tag: 'InvalidSnapshotName', name: 'b b', imageId: 'sha256:b', error: { _tag: 'InvalidFormat', input: 'b b' } },
    ]);
  });

  test('the same invalid request listed twice is reported once', () => {
    expect(planAliases({ snapshot: snapshot(), images: ['A', 'A'], policy: policy() }).findings).toEqual([
      { _tag: 'InvalidRequest', input: 'A', error: { _tag: 'NameContainsUppercase', input: 'A' } },
    ]);
  });
});

describe('applyToSnapshot', () => {
  test('creates names on the source image in canonical form and keeps existing spellings', () => {
    const store = snapshot(['sha256:r', 'localhost/redis:7-alpine', 'zz/other:1'], ['sha256:q', 'busybox']);
    const plan = planAliases({ snapshot: store, images: ['redis:7-alpine'], policy: policy() });
    expect(applyToSnapshot(store, plan)).toEqual(
      snapshot(['sha256:r', REDIS, 'localhost/redis:7-alpine', 'zz/other:1'], ['sha256:q', 'busybox']),
    );
  });

  test('a retarget moves the name; an image whose last name moved stays, dangling, with no names', () => {
    const store: Snapshot = {
      version: 1,
      images: [
        { id: 'sha256:o', names: ['redis:7-alpine'], digests: [`redis@${DIGEST}`] },
        { id: 'sha256:x', names: ['localhost/redis:7-alpine'] },
      ],
    };
    const plan = planAliases({ snapshot: store, images: ['redis:7-alpine'], policy: policy({ onConflict: 'retarget' }) });
    expect(plan.actions).toEqual([tag(REDIS, REDIS_LOCAL, 'sha256:o', REDIS, 'localhost', 'sha256:x')]);
    expect(applyToSnapshot(store, plan)).toEqual({
      version: 1,
      images: [
        { id: 'sha256:o', names: [REDIS_LOCAL, 'redis:7-alpine'], digests: [`redis@${DIGEST}`] },
        { id: 'sha256:x', names: [] },
      ],
    });
  });

  test('a moved name is removed in every spelling it was listed under', () => {
    const store = snapshot(['sha256:o', 'redis:7-alpine', REDIS, 'index.docker.io/redis:7-alpine'], ['sha256:x', REDIS_LOCAL]);
    const plan = planAliases({ snapshot: store, images: ['redis:7-alpine'], policy: policy({ mode: 'internal', onConflict: 'retarget' }) });
    expect(plan.actions).toEqual([tag(REDIS_LOCAL, REDIS, 'sha256:x', REDIS, 'origin', 'sha256:o')]);
    expect(applyToSnapshot(store, plan).images).toEqual([
      { id: 'sha256:o', names: [] },
      { id: 'sha256:x', names: [REDIS, REDIS_LOCAL] },
    ]);
  });

  test('an action whose source is not in the store changes nothing, as the engine would refuse it', () => {
    const store = snapshot(['sha256:q', 'busybox']);
    const plan: Plan = { version: 1, mode: 'external', actions: [tag(REDIS, REDIS_LOCAL, 'sha256:o', REDIS, 'localhost')], findings: [] };
    expect(applyToSnapshot(store, plan)).toEqual(store);
  });

  test('merges images listed twice and keeps invalid and digest-only names untouched', () => {
    const store: Snapshot = {
      version: 1,
      images: [
        { id: 'sha256:o', names: ['Bad Name', `redis@${DIGEST}`] },
        { id: 'sha256:o', names: ['redis:7-alpine', '<none>:<none>'], digests: ['d2'] },
      ],
    };
    expect(applyToSnapshot(store, { version: 1, mode: 'external', actions: [], findings: [] })).toEqual({
      version: 1,
      images: [{ id: 'sha256:o', names: ['<none>:<none>', 'Bad Name', 'redis:7-alpine', `redis@${DIGEST}`], digests: ['d2'] }],
    });
  });
});

describe('describeFinding', () => {
  test.each([
    [
      missing(REDIS, [REDIS_HARBOR, REDIS_LOCAL, REDIS], REDIS_HARBOR),
      'redis:7-alpine is not in the image store under any of its names (harbor.corp.local/proj/redis:7-alpine, localhost/redis:7-alpine, redis:7-alpine); pull harbor.corp.local/proj/redis:7-alpine, then run imgalias again.',
    ],
    [
      { _tag: 'Missing', family: 'quay.io/keycloak/keycloak:26.0', lookedFor: ['quay.io/keycloak/keycloak:26.0'] } as const,
      'quay.io/keycloak/keycloak:26.0 is not in the image store under any of its names (quay.io/keycloak/keycloak:26.0); no registry the mode allows has it (internal mode pulls only Harbor copies, and this image has no Harbor name): load it into the store, then run imgalias again.',
    ],
    [
      conflict(REDIS, REDIS_LOCAL, 'sha256:x', 'sha256:o', REDIS),
      'localhost/redis:7-alpine points at image sha256:x, but the redis:7-alpine family takes image sha256:o from redis:7-alpine; localhost/redis:7-alpine was left as is: remove or retag it by hand, or run with --on-conflict retarget (config key onConflict: "retarget") to move it.',
    ],
    [
      { _tag: 'DigestReference', reference: `docker.io/library/redis@${DIGEST}` } as const,
      `redis@${DIGEST} pins a digest, and a digest is never a tag target; request the image by tag to have its names kept.`,
    ],
    [
      { _tag: 'InvalidRequest', input: 'Redis', error: { _tag: 'NameContainsUppercase', input: 'Redis' } } as const,
      'The requested image "Redis" is not an image reference (invalid reference format: repository name must be lowercase ("Redis")); correct it in the image list.',
    ],
    [
      { _tag: 'InvalidSnapshotName', name: 'a b', imageId: 'sha256:o', error: { _tag: 'InvalidFormat', input: 'a b' } } as const,
      'The image store lists "a b" on image sha256:o, which is not an image reference (invalid reference format ("a b")); it was ignored, so remove or rename it with the engine.',
    ],
  ])('%#', (finding, sentence) => {
    expect(describeFinding(finding)).toBe(sentence);
  });

  test('a name that does not parse is quoted as it is', () => {
    expect(describeFinding({ _tag: 'DigestReference', reference: 'not a ref' })).toContain('not a ref pins a digest');
  });
});
