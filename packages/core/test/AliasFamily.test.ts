import { describe, expect, test } from '@jest/globals';
import type { AliasPolicy } from '@imgalias/core';
import type { AliasFamily } from '@imgalias/core/internal';
import { parseReference } from '@imgalias/core';
import { SOURCE_RANKING, familyOf } from '@imgalias/core/internal';
import { HARBOR, policy } from './support/builders.js';

/** The `*` rule `--harbor` stands for. */
const star = (layout: AliasPolicy['harborLayout'] = 'path', location: AliasPolicy['harbor'] = HARBOR) =>
  ({ origin: '*', location, layout }) as const;

const family = (input: string, rules: AliasPolicy): AliasFamily => {
  const parsed = parseReference(input);
  if (parsed._tag === 'Left') throw new Error(`test input ${input} does not parse`);
  return familyOf(parsed.right, rules);
};

describe('familyOf', () => {
  test.each<[string, string, AliasPolicy, AliasFamily]>([
    [
      'official image, external, no Harbor',
      'redis:7-alpine',
      policy(),
      {
        origin: 'docker.io/library/redis:7-alpine',
        members: [
          { role: 'origin', name: 'docker.io/library/redis:7-alpine' },
          { role: 'localhost', name: 'localhost/redis:7-alpine' },
        ],
      },
    ],
    [
      'namespaced image, internal, Harbor path layout, short names: ranked harbor, localhost, short, localhost-short, origin',
      'osixia/openldap:stable',
      policy({ mode: 'internal', harbor: HARBOR, shortNames: true }),
      {
        origin: 'docker.io/osixia/openldap:stable',
        members: [
          { role: 'harbor', name: 'harbor.corp.local/proj/osixia/openldap:stable' },
          { role: 'localhost', name: 'localhost/osixia/openldap:stable' },
          { role: 'short', name: 'docker.io/library/openldap:stable' },
          { role: 'localhost-short', name: 'localhost/openldap:stable' },
          { role: 'origin', name: 'docker.io/osixia/openldap:stable' },
        ],
        harborRule: star(),
      },
    ],
    [
      'namespaced image, external ranking: origin, localhost, short, localhost-short, harbor',
      'osixia/openldap:stable',
      policy({ harbor: HARBOR, shortNames: true }),
      {
        origin: 'docker.io/osixia/openldap:stable',
        members: [
          { role: 'origin', name: 'docker.io/osixia/openldap:stable' },
          { role: 'localhost', name: 'localhost/osixia/openldap:stable' },
          { role: 'short', name: 'docker.io/library/openldap:stable' },
          { role: 'localhost-short', name: 'localhost/openldap:stable' },
          { role: 'harbor', name: 'harbor.corp.local/proj/osixia/openldap:stable' },
        ],
        harborRule: star(),
      },
    ],
    [
      'short names are only for namespaced images',
      'redis',
      policy({ shortNames: true, harbor: HARBOR, harborLayout: 'library' }),
      {
        origin: 'docker.io/library/redis:latest',
        members: [
          { role: 'origin', name: 'docker.io/library/redis:latest' },
          { role: 'localhost', name: 'localhost/redis:latest' },
          { role: 'harbor', name: 'harbor.corp.local/proj/library/redis:latest' },
        ],
        harborRule: star('library'),
      },
    ],
    [
      'flatten layout',
      'osixia/openldap:stable',
      policy({ harbor: HARBOR, harborLayout: 'flatten' }),
      {
        origin: 'docker.io/osixia/openldap:stable',
        members: [
          { role: 'origin', name: 'docker.io/osixia/openldap:stable' },
          { role: 'localhost', name: 'localhost/osixia/openldap:stable' },
          { role: 'harbor', name: 'harbor.corp.local/proj/openldap:stable' },
        ],
        harborRule: star('flatten'),
      },
    ],
    [
      'a registry with a port is an origin with no localhost twin and no short names; no mirror rule, no Harbor name',
      'localhost:5000/team/app:1.0',
      policy({ mode: 'internal', shortNames: true }),
      { origin: 'localhost:5000/team/app:1.0', members: [{ role: 'origin', name: 'localhost:5000/team/app:1.0' }] },
    ],
    [
      'quay.io is an origin; the * rule (--harbor) gives it a Harbor name, registry host dropped (path layout)',
      'quay.io/keycloak/keycloak:26.0',
      policy({ harbor: HARBOR }),
      {
        origin: 'quay.io/keycloak/keycloak:26.0',
        members: [
          { role: 'origin', name: 'quay.io/keycloak/keycloak:26.0' },
          { role: 'harbor', name: 'harbor.corp.local/proj/keycloak/keycloak:26.0' },
        ],
        harborRule: star(),
      },
    ],
    [
      'quay.io without a rule of its own and no * rule: no Harbor name',
      'quay.io/keycloak/keycloak:26.0',
      policy({ mirrors: [{ origin: 'docker.io', location: HARBOR, layout: 'path' }] }),
      { origin: 'quay.io/keycloak/keycloak:26.0', members: [{ role: 'origin', name: 'quay.io/keycloak/keycloak:26.0' }] },
    ],
    [
      'another project on the Harbor host is an origin: only the configured prefix is stripped',
      'harbor.corp.local/other/redis:7',
      policy(),
      { origin: 'harbor.corp.local/other/redis:7', members: [{ role: 'origin', name: 'harbor.corp.local/other/redis:7' }] },
    ],
    [
      'Harbor sub-project paths',
      'redis:7',
      policy({ harbor: { registry: '127.0.0.1:5000', project: 'team/images' } }),
      {
        origin: 'docker.io/library/redis:7',
        members: [
          { role: 'origin', name: 'docker.io/library/redis:7' },
          { role: 'localhost', name: 'localhost/redis:7' },
          { role: 'harbor', name: '127.0.0.1:5000/team/images/redis:7' },
        ],
        harborRule: star('path', { registry: '127.0.0.1:5000', project: 'team/images' }),
      },
    ],
  ])('%s', (_title, input, rules, expected) => {
    expect(family(input, rules)).toEqual(expected);
  });

  test.each([
    ['localhost/minio:latest', 'docker.io/library/minio:latest'],
    ['localhost/minio', 'docker.io/library/minio:latest'],
    ['minio', 'docker.io/library/minio:latest'],
    ['harbor.corp.local/proj/redis:7-alpine', 'docker.io/library/redis:7-alpine'],
    ['harbor.corp.local/proj/osixia/openldap:stable', 'docker.io/osixia/openldap:stable'],
    ['localhost/osixia/openldap:stable', 'docker.io/osixia/openldap:stable'],
    ['index.docker.io/osixia/openldap:stable', 'docker.io/osixia/openldap:stable'],
    ['harbor.corp.local/proj', 'harbor.corp.local/proj:latest'],
  ])('a request naming a member, %s, resolves to %s', (input, origin) => {
    expect(family(input, policy({ harbor: HARBOR })).origin).toBe(origin);
  });

  test('every member of a family resolves to the same family (path and library layouts, no short names)', () => {
    for (const layout of ['path', 'library'] as const) {
      for (const mode of ['external', 'internal'] as const) {
        const rules = policy({ mode, harbor: HARBOR, harborLayout: layout });
        for (const input of ['redis:7-alpine', 'osixia/openldap:stable', 'library/foo/bar:1']) {
          const expected = family(input, rules);
          for (const member of expected.members) expect(family(member.name, rules)).toEqual(expected);
        }
      }
    }
  });

  test('with a rule per registry, every member of a non-Hub family resolves to the same family (path, proxy-cache, flatten-0)', () => {
    for (const layout of ['path', 'proxy-cache', 'flatten-0'] as const) {
      const rules = policy({
        mode: 'internal',
        harbor: HARBOR,
        mirrors: [
          { origin: 'quay.io', location: { registry: 'harbor.corp.local', project: 'quay' }, layout },
          { origin: 'nvcr.io', location: { registry: 'harbor.corp.local', project: 'proj/nvcr' }, layout },
        ],
      });
      for (const input of ['quay.io/keycloak/keycloak:26.0', 'nvcr.io/nvidia/pytorch:24.01-py3', 'redis:7']) {
        const expected = family(input, rules);
        expect(expected.members.some((member) => member.role === 'harbor')).toBe(true);
        for (const member of expected.members) expect(family(member.name, rules)).toEqual(expected);
      }
    }
  });

  test('a Harbor name no rule gives back for the origin it spells is an origin of its own (flatten-2 of a one-component path)', () => {
    const rules = policy({ harbor: HARBOR, harborLayout: 'flatten-2' });
    expect(family('harbor.corp.local/proj/openldap:stable', rules)).toEqual({
      origin: 'harbor.corp.local/proj/openldap:stable',
      members: [{ role: 'origin', name: 'harbor.corp.local/proj/openldap:stable' }],
    });
  });

  test('a digest on the reference is ignored: the family is about tags', () => {
    expect(familyOf({ domain: 'docker.io', path: 'library/redis', tag: '7', digest: `sha256:${'a'.repeat(64)}` }, policy()).origin).toBe(
      'docker.io/library/redis:7',
    );
  });
});

describe('SOURCE_RANKING', () => {
  test('familyOf lists members in the documented ranking for each mode', () => {
    for (const mode of ['external', 'internal'] as const) {
      const { members } = family('osixia/openldap:stable', policy({ mode, harbor: HARBOR, shortNames: true }));
      expect(members.map((member) => member.role)).toEqual(SOURCE_RANKING[mode]);
    }
  });
});
