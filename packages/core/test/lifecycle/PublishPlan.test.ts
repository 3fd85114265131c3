import { describe, expect, test } from '@jest/globals';
import type { PublishPlan, PublishPlanInput } from '@imgalias/core';
import { decode, describePublishFinding, planPublish, PublishPlanCodec } from '@imgalias/core';
import { isPublished, publishTags } from '@imgalias/core/internal';
import { EMPTY, HARBOR, HUB_ONLY, rules, store } from './builders.js';

const REDIS = 'docker.io/library/redis:7-alpine';
const H_REDIS = '127.0.0.1:5000/aihpc/redis:7-alpine';

describe('planPublish', () => {
  test.each<[string, PublishPlanInput, PublishPlan]>([
    [
      'the origin is tagged with its Harbor name, then pushed',
      { snapshot: store(['sha256:1', 'redis:7-alpine']), images: ['redis:7-alpine'], policy: rules({ harbor: HARBOR }) },
      {
        version: 1,
        harbor: HARBOR,
        entries: [
          {
            _tag: 'Publish',
            family: REDIS,
            source: REDIS,
            imageId: 'sha256:1',
            target: H_REDIS,
            tag: { _tag: 'Tag', source: REDIS, target: H_REDIS, imageId: 'sha256:1', family: REDIS, role: 'harbor', reason: 'missing-name' },
          },
        ],
        findings: [],
      },
    ],
    [
      'the Harbor name already on the image: push only, no tag (whatever the mode)',
      { snapshot: store(['sha256:1', 'localhost/redis:7-alpine', H_REDIS]), images: ['redis:7-alpine'], policy: rules({ mode: 'internal', harbor: HARBOR }) },
      {
        version: 1,
        harbor: HARBOR,
        entries: [{ _tag: 'Publish', family: REDIS, source: 'localhost/redis:7-alpine', imageId: 'sha256:1', target: H_REDIS }],
        findings: [],
      },
    ],
    [
      'only the Harbor name is local: it is its own source',
      { snapshot: store(['sha256:1', H_REDIS]), images: ['redis:7-alpine'], policy: rules({ harbor: HARBOR }) },
      {
        version: 1,
        harbor: HARBOR,
        entries: [{ _tag: 'Publish', family: REDIS, source: H_REDIS, imageId: 'sha256:1', target: H_REDIS }],
        findings: [],
      },
    ],
    [
      'layouts decide the Harbor name: flatten drops the namespace',
      { snapshot: store(['sha256:2', 'osixia/openldap:stable']), images: ['osixia/openldap:stable'], policy: rules({ harbor: HARBOR, harborLayout: 'flatten' }) },
      {
        version: 1,
        harbor: HARBOR,
        entries: [
          {
            _tag: 'Publish',
            family: 'docker.io/osixia/openldap:stable',
            source: 'docker.io/osixia/openldap:stable',
            imageId: 'sha256:2',
            target: '127.0.0.1:5000/aihpc/openldap:stable',
            tag: {
              _tag: 'Tag',
              source: 'docker.io/osixia/openldap:stable',
              target: '127.0.0.1:5000/aihpc/openldap:stable',
              imageId: 'sha256:2',
              family: 'docker.io/osixia/openldap:stable',
              role: 'harbor',
              reason: 'missing-name',
            },
          },
        ],
        findings: [],
      },
    ],
    [
      'the Harbor name on another image: a conflict, nothing tagged or pushed',
      { snapshot: store(['sha256:1', 'redis:7-alpine'], ['sha256:9', H_REDIS]), images: ['redis:7-alpine'], policy: rules({ harbor: HARBOR }) },
      {
        version: 1,
        harbor: HARBOR,
        entries: [],
        findings: [{ _tag: 'Conflict', family: REDIS, name: H_REDIS, imageId: 'sha256:9', expectedImageId: 'sha256:1', source: REDIS }],
      },
    ],
    [
      'with retarget, the Harbor name is moved and the plan records the image it replaces',
      {
        snapshot: store(['sha256:1', 'redis:7-alpine'], ['sha256:9', H_REDIS]),
        images: ['redis:7-alpine'],
        policy: rules({ harbor: HARBOR, onConflict: 'retarget' }),
      },
      {
        version: 1,
        harbor: HARBOR,
        entries: [
          {
            _tag: 'Publish',
            family: REDIS,
            source: REDIS,
            imageId: 'sha256:1',
            target: H_REDIS,
            tag: {
              _tag: 'Tag',
              source: REDIS,
              target: H_REDIS,
              imageId: 'sha256:1',
              family: REDIS,
              role: 'harbor',
              reason: 'retarget',
              replaces: 'sha256:9',
            },
          },
        ],
        findings: [],
      },
    ],
    [
      'missing images, origins no rule covers and bad requests are findings; the rest is still published',
      {
        snapshot: store(['sha256:1', 'redis:7-alpine']),
        images: ['minio/minio', 'quay.io/keycloak/keycloak:26.0', 'redis:7-alpine', 'Nope'],
        policy: rules({ mirrors: HUB_ONLY }),
      },
      {
        version: 1,
        entries: [
          {
            _tag: 'Publish',
            family: REDIS,
            source: REDIS,
            imageId: 'sha256:1',
            target: H_REDIS,
            tag: { _tag: 'Tag', source: REDIS, target: H_REDIS, imageId: 'sha256:1', family: REDIS, role: 'harbor', reason: 'missing-name' },
          },
        ],
        findings: [
          {
            _tag: 'Missing',
            family: 'docker.io/minio/minio:latest',
            lookedFor: ['docker.io/minio/minio:latest', 'localhost/minio/minio:latest', '127.0.0.1:5000/aihpc/minio/minio:latest'],
            pull: 'docker.io/minio/minio:latest',
          },
          { _tag: 'NoHarborCopy', family: 'quay.io/keycloak/keycloak:26.0' },
          { _tag: 'InvalidRequest', input: 'Nope', error: { _tag: 'NameContainsUppercase', input: 'Nope' } },
        ],
      },
    ],
    [
      'no Harbor location: one finding, no entries',
      { snapshot: store(['sha256:1', 'redis:7-alpine']), images: ['redis:7-alpine', 'minio/minio'], policy: rules() },
      { version: 1, entries: [], findings: [{ _tag: 'NoHarborConfigured' }] },
    ],
  ])('%s', (_name, input, expected) => {
    const plan = planPublish(input);
    expect(plan).toEqual(expected);
    expect(decode(PublishPlanCodec, JSON.parse(JSON.stringify(plan)))).toEqual({ _tag: 'Right', right: expected });
  });

  test('publishTags lists the tags to apply before pushing, in entry order', () => {
    const plan = planPublish({
      snapshot: store(['sha256:1', 'redis:7-alpine'], ['sha256:2', 'minio/minio:latest', '127.0.0.1:5000/aihpc/minio/minio:latest']),
      images: ['redis:7-alpine', 'minio/minio'],
      policy: rules({ harbor: HARBOR }),
    });
    expect(publishTags(plan).map((t) => t.target)).toEqual([H_REDIS]);
  });

  test('an empty request list publishes nothing and finds nothing', () => {
    expect(planPublish({ snapshot: EMPTY, images: [], policy: rules({ harbor: HARBOR }) })).toEqual({ version: 1, harbor: HARBOR, entries: [], findings: [] });
  });

  test('every finding reads as a sentence that says what to do', () => {
    const plan = planPublish({
      snapshot: store(['sha256:1', 'redis:7-alpine'], ['sha256:9', H_REDIS]),
      images: ['redis:7-alpine', 'minio/minio', 'quay.io/a/b:1', 'Nope'],
      policy: rules({ mirrors: HUB_ONLY }),
    });
    expect([...plan.findings.map(describePublishFinding), describePublishFinding({ _tag: 'NoHarborConfigured' })]).toEqual([
      expect.stringMatching(/^127.0.0.1:5000\/aihpc\/redis:7-alpine already names image sha256:9, not sha256:1 .* --on-conflict retarget/),
      expect.stringMatching(/^minio\/minio:latest is not in the image store .* pull minio\/minio:latest first/),
      expect.stringMatching(/^quay.io\/a\/b:1 has no Harbor name: no mirror rule for its registry and no \* rule/),
      expect.stringMatching(/"Nope"/),
      expect.stringMatching(/^publish needs a Harbor location .* --harbor/),
    ]);
  });
});

describe('isPublished', () => {
  const d = `sha256:${'c'.repeat(64)}`;
  test.each<[string, string | undefined, readonly string[], boolean]>([
    ['the registry digest is recorded for the Harbor repository', d, [`127.0.0.1:5000/aihpc/redis@${d}`], true],
    ['the same manifest recorded under another repository is the same content', d, [`docker.io/library/redis@${d}`], true],
    ['a bare digest record', d, [d], true],
    ['another digest', d, [`127.0.0.1:5000/aihpc/redis@sha256:${'d'.repeat(64)}`], false],
    ['no local digest records', d, [], false],
    ['the registry has no such manifest (no digest)', undefined, [`127.0.0.1:5000/aihpc/redis@${d}`], false],
  ])('%s', (_name, remoteDigest, localDigests, expected) => {
    expect(isPublished({ remoteDigest, localDigests })).toBe(expected);
  });
});
