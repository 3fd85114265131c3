import { describe, expect, test } from '@jest/globals';
import type { CheckResult } from '@imgalias/core';
import { checkFamilies } from '@imgalias/core';
import { familiesInSnapshot } from '@imgalias/core/internal';
import { HARBOR, policy, snapshot } from './support/builders.js';

describe('checkFamilies', () => {
  test('reports every member with its image and the status of each family, in request order', () => {
    const store = snapshot(
      ['sha256:r', 'redis:7-alpine', 'localhost/redis:7-alpine'],
      ['sha256:m', 'localhost/minio'],
      ['sha256:o', 'osixia/openldap:stable'],
      ['sha256:x', 'localhost/osixia/openldap:stable'],
    );
    const expected: CheckResult = {
      families: [
        {
          origin: 'docker.io/library/redis:7-alpine',
          status: 'complete',
          members: [
            { role: 'harbor', name: 'harbor.corp.local/proj/redis:7-alpine', imageId: null },
            { role: 'localhost', name: 'localhost/redis:7-alpine', imageId: 'sha256:r' },
            { role: 'origin', name: 'docker.io/library/redis:7-alpine', imageId: 'sha256:r' },
          ],
        },
        {
          origin: 'docker.io/library/minio:latest',
          status: 'incomplete',
          members: [
            { role: 'harbor', name: 'harbor.corp.local/proj/minio:latest', imageId: null },
            { role: 'localhost', name: 'localhost/minio:latest', imageId: 'sha256:m' },
            { role: 'origin', name: 'docker.io/library/minio:latest', imageId: null },
          ],
        },
        {
          origin: 'docker.io/osixia/openldap:stable',
          status: 'conflict',
          members: [
            { role: 'harbor', name: 'harbor.corp.local/proj/osixia/openldap:stable', imageId: null },
            { role: 'localhost', name: 'localhost/osixia/openldap:stable', imageId: 'sha256:x' },
            { role: 'origin', name: 'docker.io/osixia/openldap:stable', imageId: 'sha256:o' },
          ],
        },
        {
          origin: 'docker.io/library/nginx:latest',
          status: 'missing',
          members: [
            { role: 'harbor', name: 'harbor.corp.local/proj/nginx:latest', imageId: null },
            { role: 'localhost', name: 'localhost/nginx:latest', imageId: null },
            { role: 'origin', name: 'docker.io/library/nginx:latest', imageId: null },
          ],
        },
      ],
      findings: [{ _tag: 'InvalidRequest', input: 'Bad', error: { _tag: 'NameContainsUppercase', input: 'Bad' } }],
    };
    expect(
      checkFamilies({
        snapshot: store,
        images: ['redis:7-alpine', 'localhost/minio', 'osixia/openldap:stable', 'nginx', 'Bad', 'redis:7-alpine'],
        policy: policy({ mode: 'internal', harbor: HARBOR }),
      }),
    ).toEqual(expected);
  });

  test('with harborTags the Harbor name is required for complete', () => {
    const store = snapshot(['sha256:r', 'redis:7-alpine', 'localhost/redis:7-alpine']);
    const [withoutTags] = checkFamilies({ snapshot: store, images: ['redis:7-alpine'], policy: policy({ harbor: HARBOR }) }).families;
    const [withTags] = checkFamilies({ snapshot: store, images: ['redis:7-alpine'], policy: policy({ harbor: HARBOR, harborTags: true }) }).families;
    expect(withoutTags?.status).toBe('complete');
    expect(withTags?.status).toBe('incomplete');
  });
});

describe('familiesInSnapshot', () => {
  test('lists the origin of every family with a member in the store, once, sorted', () => {
    const store = snapshot(
      ['sha256:r', 'localhost/redis:7-alpine', 'harbor.corp.local/proj/redis:7-alpine'],
      ['sha256:m', 'minio/minio:latest', 'not a name'],
      ['sha256:p', 'localhost:5000/team/app:1.0', `busybox@sha256:${'a'.repeat(64)}`],
    );
    expect(familiesInSnapshot(store, policy({ harbor: HARBOR }))).toEqual([
      'docker.io/library/redis:7-alpine',
      'docker.io/minio/minio:latest',
      'localhost:5000/team/app:1.0',
    ]);
  });
});
