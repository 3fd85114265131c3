import { describe, expect } from '@jest/globals';
import { fc, test } from '@fast-check/jest';
import type { AliasPolicy, HarborLayout, MirrorRule } from '@imgalias/core';
import {
  checkFamilies,
  decode,
  describeFinding,
  describeMirrorRuleError,
  formatMirrorRule,
  HARBOR_LAYOUTS,
  PlanCodec,
  planAliases,
  planClean,
  planPrefetch,
  planPublish,
} from '@imgalias/core';
import {
  duplicateMirrorOrigin,
  familiesOf,
  layoutPath,
  localhostTwin,
  makeMirrorRule,
  mirrorRulesOf,
  parseMirrorRule,
  resolveMirror,
  stagingRepository,
} from '@imgalias/core/internal';
import { policy, snapshot } from './support/builders.js';

const LOC = { registry: 'harbor.corp.local', project: 'loc' } as const;
const rule = (origin: string, layout: HarborLayout, location: MirrorRule['location'] = LOC): MirrorRule => ({ origin, location, layout });

describe('layoutPath: the path under the Harbor location per layout', () => {
  // [origin domain, origin path, layout, expected path or too-deep]
  test.each<[string, string, HarborLayout, string | { components: number; level: number }]>([
    // path: the shell script's convention (registry host dropped, Docker Hub without library/)
    ['docker.io', 'library/redis', 'path', 'redis'],
    ['docker.io', 'osixia/openldap', 'path', 'osixia/openldap'],
    ['quay.io', 'keycloak/keycloak', 'path', 'keycloak/keycloak'],
    ['docker.io', 'library/foo/bar', 'path', 'library/foo/bar'],
    // proxy-cache: the origin's full repository path, library/ kept
    ['docker.io', 'library/redis', 'proxy-cache', 'library/redis'],
    ['docker.io', 'osixia/openldap', 'proxy-cache', 'osixia/openldap'],
    ['quay.io', 'keycloak/keycloak', 'proxy-cache', 'keycloak/keycloak'],
    ['docker.io', 'library/redis', 'library', 'library/redis'],
    // Harbor's own replacement examples: a/b/c/image
    ['ghcr.io', 'a/b/c/image', 'flatten-0', 'a/b/c/image'],
    ['ghcr.io', 'a/b/c/image', 'flatten-1', 'b/c/image'],
    ['ghcr.io', 'a/b/c/image', 'flatten-2', 'c/image'],
    ['ghcr.io', 'a/b/c/image', 'flatten-3', 'image'],
    ['ghcr.io', 'a/b/c/image', 'flatten-all', 'image'],
    ['ghcr.io', 'a/b/c/image', 'flatten', 'image'],
    // flatten-1 is Harbor's default
    ['docker.io', 'library/redis', 'flatten-1', 'redis'],
    ['docker.io', 'osixia/openldap', 'flatten-1', 'openldap'],
    ['nvcr.io', 'nvidia/pytorch', 'flatten-1', 'pytorch'],
    ['docker.io', 'library/redis', 'flatten-0', 'library/redis'],
    ['docker.io', 'library/redis', 'flatten-all', 'redis'],
    // deeper than the namespace: Harbor refuses, so do we
    ['docker.io', 'library/redis', 'flatten-2', { components: 1, level: 2 }],
    ['nvcr.io', 'nvidia/pytorch', 'flatten-3', { components: 1, level: 3 }],
    ['ghcr.io', 'a/b/image', 'flatten-3', { components: 2, level: 3 }],
    ['registry.k8s.io', 'pause', 'flatten-1', { components: 0, level: 1 }],
    ['registry.k8s.io', 'pause', 'flatten-0', 'pause'],
    ['registry.k8s.io', 'pause', 'flatten-all', 'pause'],
  ])('%s/%s under %s', (domain, path, layout, expected) => {
    const result = layoutPath({ domain, path }, layout);
    expect(result).toEqual(typeof expected === 'string' ? { _tag: 'Right', right: expected } : { _tag: 'Left', left: expected });
  });
});

describe('resolveMirror: the origin rule wins, then *, else no Harbor copy', () => {
  const rules = [rule('quay.io', 'proxy-cache', { registry: 'harbor.corp.local', project: 'quay' }), rule('*', 'path')];

  test.each<[string, string, ReturnType<typeof resolveMirror>]>([
    ['quay.io', 'keycloak/keycloak', { _tag: 'Mirrored', rule: rules[0] as MirrorRule, repository: 'harbor.corp.local/quay/keycloak/keycloak' }],
    ['nvcr.io', 'nvidia/pytorch', { _tag: 'Mirrored', rule: rules[1] as MirrorRule, repository: 'harbor.corp.local/loc/nvidia/pytorch' }],
    ['docker.io', 'library/redis', { _tag: 'Mirrored', rule: rules[1] as MirrorRule, repository: 'harbor.corp.local/loc/redis' }],
    // an image already on the Harbor host (another project) is not copied into it again by *
    ['harbor.corp.local', 'other/app', { _tag: 'Unmirrored' }],
  ])('%s/%s', (domain, path, expected) => {
    expect(resolveMirror({ domain, path }, rules)).toEqual(expected);
  });

  test('no matching rule and no *: Unmirrored; a too-deep flatten: TooDeep naming the rule', () => {
    expect(resolveMirror({ domain: 'ghcr.io', path: 'a/b' }, [rules[0] as MirrorRule])).toEqual({ _tag: 'Unmirrored' });
    const deep = rule('nvcr.io', 'flatten-2');
    expect(resolveMirror({ domain: 'nvcr.io', path: 'nvidia/pytorch' }, [deep])).toEqual({ _tag: 'TooDeep', rule: deep, components: 1, level: 2 });
  });

  test('--harbor with --harbor-layout is the * rule; an explicit * rule takes its place', () => {
    expect(mirrorRulesOf(policy({ harbor: LOC, harborLayout: 'flatten-1' }))).toEqual([rule('*', 'flatten-1')]);
    const quay = rule('quay.io', 'proxy-cache');
    expect(mirrorRulesOf(policy({ harbor: LOC, mirrors: [quay] }))).toEqual([quay, rule('*', 'path')]);
    const star = rule('*', 'proxy-cache', { registry: 'other.corp', project: 'p' });
    expect(mirrorRulesOf(policy({ harbor: LOC, mirrors: [star] }))).toEqual([star]);
    expect(mirrorRulesOf(policy())).toEqual([]);
  });
});

describe('parseMirrorRule: ORIGIN=LOCATION[@LAYOUT]', () => {
  test.each<[string, MirrorRule]>([
    ['quay.io=harbor.corp.local/quay@proxy-cache', rule('quay.io', 'proxy-cache', { registry: 'harbor.corp.local', project: 'quay' })],
    ['nvcr.io=harbor.corp.local/loc', rule('nvcr.io', 'flatten-1')],
    ['*=harbor.corp.local/loc@path', rule('*', 'path')],
    ['index.docker.io=harbor.corp.local/loc@flatten-all', rule('docker.io', 'flatten-all')],
    ['registry.example.com:5000=127.0.0.1:5000/reg/sub@flatten-0', rule('registry.example.com:5000', 'flatten-0', { registry: '127.0.0.1:5000', project: 'reg/sub' })],
  ])('%s', (input, expected) => {
    expect(parseMirrorRule(input, 'flatten-1')).toEqual({ _tag: 'Right', right: expected });
    expect(parseMirrorRule(formatMirrorRule(expected), 'path')).toEqual({ _tag: 'Right', right: expected });
  });

  test.each<[string, RegExp]>([
    ['quay.io', /expected ORIGIN=LOCATION\[@LAYOUT\]/],
    ['quay.io=harbor.corp.local/quay@deep', /unknown layout "deep" \(one of path, proxy-cache, flatten-0/],
    ['quay.io=harbor.corp.local', /location: expected host\[:port\]\/project/],
    ['quay.io=https://harbor.corp.local/quay', /location: leave out the scheme/],
    ['https://quay.io=harbor.corp.local/quay', /leave out the scheme in the origin/],
    ['quay.io/keycloak=harbor.corp.local/quay', /has a path; a rule maps a whole registry/],
    ['quay=harbor.corp.local/quay', /would be read as a Docker Hub namespace/],
    ['localhost=harbor.corp.local/quay', /Podman's twins/],
    ['=harbor.corp.local/quay', /origin registry is empty/],
    ['qu_ay.io=harbor.corp.local/quay', /is not a registry host/],
  ])('%s is refused: %s', (input, reason) => {
    const parsed = parseMirrorRule(input, 'path');
    expect(parsed._tag).toBe('Left');
    if (parsed._tag === 'Left') expect(describeMirrorRuleError(parsed.left)).toMatch(reason);
  });

  test('makeMirrorRule reads config objects; duplicateMirrorOrigin finds two rules for one registry', () => {
    expect(makeMirrorRule({ origin: 'ghcr.io', location: 'harbor.corp.local/gh', layout: undefined, defaultLayout: 'proxy-cache' })).toEqual({
      _tag: 'Right',
      right: rule('ghcr.io', 'proxy-cache', { registry: 'harbor.corp.local', project: 'gh' }),
    });
    expect(duplicateMirrorOrigin([rule('quay.io', 'path'), rule('*', 'path'), rule('quay.io', 'flatten-1')])).toBe('quay.io');
    expect(duplicateMirrorOrigin([rule('quay.io', 'path'), rule('*', 'path')])).toBeUndefined();
  });

  test('every layout name is accepted and round-trips', () => {
    for (const layout of HARBOR_LAYOUTS) {
      expect(parseMirrorRule(`ghcr.io=harbor.corp.local/gh@${layout}`, 'path')).toMatchObject({ _tag: 'Right', right: { layout } });
    }
  });
});

describe('staging sources: ORIGIN=LOCATION[@LAYOUT]+from=STAGING[@LAYOUT]', () => {
  const quay = { registry: 'harbor.corp.local', project: 'quay' };
  const staged = (staging: MirrorRule['staging']): MirrorRule => ({ ...rule('quay.io', 'proxy-cache', quay), ...(staging ? { staging } : {}) });

  test.each<[string, MirrorRule, string]>([
    ['quay.io=harbor.corp.local/quay@proxy-cache+from=staging.corp.local/quay', staged({ location: { registry: 'staging.corp.local', project: 'quay' }, layout: 'proxy-cache' }), 'quay.io=harbor.corp.local/quay@proxy-cache+from=staging.corp.local/quay@proxy-cache'],
    ['quay.io=harbor.corp.local/quay@proxy-cache+from=127.0.0.1:5000/import/quay@flatten-1', staged({ location: { registry: '127.0.0.1:5000', project: 'import/quay' }, layout: 'flatten-1' }), 'quay.io=harbor.corp.local/quay@proxy-cache+from=127.0.0.1:5000/import/quay@flatten-1'],
    // A migration inside one Harbor: the same location under another layout is a staging source too.
    ['quay.io=harbor.corp.local/quay@proxy-cache+from=harbor.corp.local/quay@path', staged({ location: quay, layout: 'path' }), 'quay.io=harbor.corp.local/quay@proxy-cache+from=harbor.corp.local/quay@path'],
  ])('%s', (input, expected, formatted) => {
    expect(parseMirrorRule(input, 'path')).toEqual({ _tag: 'Right', right: expected });
    expect(formatMirrorRule(expected)).toBe(formatted);
    expect(parseMirrorRule(formatMirrorRule(expected), 'flatten-2')).toEqual({ _tag: 'Right', right: expected });
  });

  test('without a layout the staging source takes the rule\'s own (not the default)', () => {
    expect(parseMirrorRule('quay.io=harbor.corp.local/quay@flatten-0+from=staging.corp.local/q', 'path')).toMatchObject({ _tag: 'Right', right: { layout: 'flatten-0', staging: { layout: 'flatten-0' } } });
    expect(parseMirrorRule('quay.io=harbor.corp.local/quay+from=staging.corp.local/q', 'flatten-1')).toMatchObject({ _tag: 'Right', right: { layout: 'flatten-1', staging: { layout: 'flatten-1' } } });
  });

  test.each<[string, RegExp]>([
    ['quay.io=harbor.corp.local/quay+from=staging.corp.local', /staging location: expected host\[:port\]\/project/],
    ['quay.io=harbor.corp.local/quay+from=https://staging.corp.local/q', /staging location: leave out the scheme/],
    ['quay.io=harbor.corp.local/quay+from=staging.corp.local/q@deep', /unknown staging layout "deep"/],
    ['quay.io=harbor.corp.local/quay@path+from=harbor.corp.local/quay', /the staging source is the Harbor location itself/],
    ['quay.io=harbor.corp.local/quay+from=', /staging location: expected host\[:port\]\/project/],
  ])('%s is refused: %s', (input, reason) => {
    const parsed = parseMirrorRule(input, 'path');
    expect(parsed._tag).toBe('Left');
    if (parsed._tag === 'Left') expect(describeMirrorRuleError(parsed.left)).toMatch(reason);
  });

  test('makeMirrorRule takes from and fromLayout as config objects give them; a fromLayout alone is refused', () => {
    expect(makeMirrorRule({ origin: 'quay.io', location: 'harbor.corp.local/quay', layout: 'proxy-cache', from: 'staging.corp.local/quay', fromLayout: 'path', defaultLayout: 'path' })).toEqual({
      _tag: 'Right',
      right: staged({ location: { registry: 'staging.corp.local', project: 'quay' }, layout: 'path' }),
    });
    const alone = makeMirrorRule({ origin: 'quay.io', location: 'harbor.corp.local/quay', layout: undefined, fromLayout: 'path', defaultLayout: 'path' });
    expect(alone._tag === 'Left' && describeMirrorRuleError(alone.left)).toMatch(/a staging layout without a staging location/);
  });

  test('stagingRepository: the staging location with the staging layout\'s path; none without a staging source', () => {
    const keycloak = { domain: 'quay.io', path: 'keycloak/keycloak' };
    const location = { registry: 'staging.corp.local', project: 'quay' };
    expect(stagingRepository(keycloak, staged({ location, layout: 'proxy-cache' }))).toEqual({ _tag: 'Right', right: 'staging.corp.local/quay/keycloak/keycloak' });
    expect(stagingRepository(keycloak, staged({ location, layout: 'flatten-all' }))).toEqual({ _tag: 'Right', right: 'staging.corp.local/quay/keycloak' });
    expect(stagingRepository(keycloak, staged({ location, layout: 'flatten-2' }))).toEqual({ _tag: 'Left', left: { components: 1, level: 2 } });
    expect(stagingRepository(keycloak, staged(undefined))).toBeUndefined();
    expect(stagingRepository({ domain: 'docker.io', path: 'library/redis' }, { ...rule('*', 'path'), staging: { location, layout: 'path' } })).toEqual({ _tag: 'Right', right: 'staging.corp.local/quay/redis' });
  });
});

describe('localhostTwin: decided once, for Docker Hub origins only', () => {
  test('Docker Hub origins have localhost/ twins; other registries keep their own name (what podman load gives them)', () => {
    expect(localhostTwin({ domain: 'docker.io', path: 'library/redis' })).toBe('localhost/redis');
    expect(localhostTwin({ domain: 'docker.io', path: 'osixia/openldap' })).toBe('localhost/osixia/openldap');
    expect(localhostTwin({ domain: 'quay.io', path: 'keycloak/keycloak' })).toBeUndefined();
  });
});

const FIELD: AliasPolicy = policy({
  mode: 'internal',
  harbor: { registry: 'harbor.corp.local', project: 'aihpc' },
  mirrors: [
    rule('quay.io', 'proxy-cache', { registry: 'harbor.corp.local', project: 'quay' }),
    rule('nvcr.io', 'flatten-1', { registry: 'harbor.corp.local', project: 'nvcr' }),
  ],
});

describe('the field scenario through every planner', () => {
  const images = ['quay.io/keycloak/keycloak:26.0', 'nvcr.io/nvidia/pytorch:24.01-py3', 'ghcr.io/org/tool:1', 'redis:7-alpine'];
  const store = snapshot(
    ['sha256:k', 'harbor.corp.local/quay/keycloak/keycloak:26.0'],
    ['sha256:n', 'harbor.corp.local/nvcr/pytorch:24.01-py3'],
    ['sha256:g', 'harbor.corp.local/aihpc/org/tool:1'],
    ['sha256:r', 'harbor.corp.local/aihpc/redis:7-alpine'],
  );

  test('plan: each origin is tagged from its own rule\'s Harbor name, and the plan says which rule gave it', () => {
    const plan = planAliases({ snapshot: store, images, policy: FIELD });
    expect(plan.actions.map((a) => [a.source, a.target])).toEqual([
      ['harbor.corp.local/aihpc/redis:7-alpine', 'docker.io/library/redis:7-alpine'],
      ['harbor.corp.local/aihpc/org/tool:1', 'ghcr.io/org/tool:1'],
      ['harbor.corp.local/aihpc/redis:7-alpine', 'localhost/redis:7-alpine'],
      ['harbor.corp.local/nvcr/pytorch:24.01-py3', 'nvcr.io/nvidia/pytorch:24.01-py3'],
      ['harbor.corp.local/quay/keycloak/keycloak:26.0', 'quay.io/keycloak/keycloak:26.0'],
    ]);
    expect(plan.findings).toEqual([]);
    expect(plan.harborNames?.map((h) => [h.family, h.name, formatMirrorRule(h.rule)])).toEqual([
      ['docker.io/library/redis:7-alpine', 'harbor.corp.local/aihpc/redis:7-alpine', '*=harbor.corp.local/aihpc@path'],
      ['ghcr.io/org/tool:1', 'harbor.corp.local/aihpc/org/tool:1', '*=harbor.corp.local/aihpc@path'],
      ['nvcr.io/nvidia/pytorch:24.01-py3', 'harbor.corp.local/nvcr/pytorch:24.01-py3', 'nvcr.io=harbor.corp.local/nvcr@flatten-1'],
      ['quay.io/keycloak/keycloak:26.0', 'harbor.corp.local/quay/keycloak/keycloak:26.0', 'quay.io=harbor.corp.local/quay@proxy-cache'],
    ]);
    expect(decode(PlanCodec, JSON.parse(JSON.stringify(plan)))).toEqual({ _tag: 'Right', right: plan });
  });

  test('prefetch pulls each from its own Harbor location; publish pushes each there; clean keeps each Harbor name', () => {
    const pulls = planPrefetch({ snapshot: snapshot(), images, policy: FIELD, mirrors: [] });
    expect(pulls.entries.flatMap((e) => (e._tag === 'Pull' ? e.candidates.map((c) => c.reference) : []))).toEqual([
      'harbor.corp.local/aihpc/redis:7-alpine',
      'harbor.corp.local/aihpc/org/tool:1',
      'harbor.corp.local/nvcr/pytorch:24.01-py3',
      'harbor.corp.local/quay/keycloak/keycloak:26.0',
    ]);
    const origins = snapshot(['sha256:k', 'quay.io/keycloak/keycloak:26.0'], ['sha256:n', 'nvcr.io/nvidia/pytorch:24.01-py3']);
    const publish = planPublish({ snapshot: origins, images, policy: FIELD });
    expect(publish.entries.map((e) => e.target)).toEqual(['harbor.corp.local/nvcr/pytorch:24.01-py3', 'harbor.corp.local/quay/keycloak/keycloak:26.0']);
    const clean = planClean({ snapshot: applyAll(store, images), images, policy: FIELD, includeHarbor: false, containers: [] });
    expect(clean.kept.map((k) => k.name)).toEqual([
      'harbor.corp.local/aihpc/org/tool:1',
      'harbor.corp.local/aihpc/redis:7-alpine',
      'harbor.corp.local/nvcr/pytorch:24.01-py3',
      'harbor.corp.local/quay/keycloak/keycloak:26.0',
    ]);
    expect(clean.actions.map((a) => a.name)).toEqual([
      'docker.io/library/redis:7-alpine',
      'ghcr.io/org/tool:1',
      'localhost/redis:7-alpine',
      'nvcr.io/nvidia/pytorch:24.01-py3',
      'quay.io/keycloak/keycloak:26.0',
    ]);
  });

  test('check: a family is complete once its own rule\'s Harbor copy and its origin name are on one image', () => {
    const result = checkFamilies({ snapshot: applyAll(store, images), images, policy: FIELD });
    expect(result.families.map((f) => [f.origin, f.status])).toEqual(images.map((i) => [expect.stringContaining(i.split(':')[0] as string), 'complete']));
  });
});

const applyAll = (store: ReturnType<typeof snapshot>, images: readonly string[]) => {
  const plan = planAliases({ snapshot: store, images, policy: FIELD });
  // The pure model of tagging, without importing it twice under another name.
  return { version: 1 as const, images: store.images.map((image) => ({ ...image, names: [...image.names, ...plan.actions.filter((a) => a.imageId === image.id).map((a) => a.target)] })) };
};

describe('AmbiguousMirror and MirrorTooDeep findings', () => {
  test.each([
    ['path', ['redis:1', { domain: 'docker.io', path: 'redis', tag: '1' }], 'harbor.corp.local/loc/redis:1'],
    ['path', ['keycloak/keycloak:1', 'quay.io/keycloak/keycloak:1'], 'harbor.corp.local/loc/keycloak/keycloak:1'],
    ['flatten-all', ['osixia/openldap:1', 'bitnami/openldap:1'], 'harbor.corp.local/loc/openldap:1'],
  ] as const)('one %s rule, two origins %j: the shared Harbor name %s is reported, not kept', (layout, images, name) => {
    const { families, findings } = familiesOf(images, policy({ harbor: LOC, harborLayout: layout }));
    expect(findings.map((f) => (f._tag === 'AmbiguousMirror' ? f.name : f._tag))).toEqual([name]);
    expect(families.flatMap((family) => family.members.filter((m) => m.role === 'harbor'))).toEqual([]);
  });

  test('one path rule and distinct Docker Hub origins: every family keeps its Harbor name', () => {
    const { families, findings } = familiesOf(['redis:1', 'library/redis:2', 'osixia/openldap:1', 'openldap:1', 'library/foo/bar:1'], policy({ harbor: LOC, harborLayout: 'path' }));
    expect(findings).toEqual([]);
    expect(families.map((family) => family.members.find((m) => m.role === 'harbor')?.name)).toEqual([
      'harbor.corp.local/loc/redis:1',
      'harbor.corp.local/loc/redis:2',
      'harbor.corp.local/loc/osixia/openldap:1',
      'harbor.corp.local/loc/openldap:1',
      'harbor.corp.local/loc/library/foo/bar:1',
    ]);
  });

  test('keycloak/keycloak from Docker Hub and from quay.io under one path rule: neither is aliased from that Harbor name', () => {
    const rules = policy({ mode: 'internal', harbor: { registry: 'harbor.corp.local', project: 'aihpc' } });
    const store = snapshot(['sha256:h', 'harbor.corp.local/aihpc/keycloak/keycloak:26.0']);
    const plan = planAliases({ snapshot: store, images: ['keycloak/keycloak:26.0', 'quay.io/keycloak/keycloak:26.0'], policy: rules });
    expect(plan.actions).toEqual([]);
    expect(plan.findings).toEqual([
      {
        _tag: 'Missing',
        family: 'docker.io/keycloak/keycloak:26.0',
        lookedFor: ['localhost/keycloak/keycloak:26.0', 'docker.io/keycloak/keycloak:26.0'],
      },
      // internal mode: without a Harbor name there is nothing the mode allows to pull
      { _tag: 'Missing', family: 'quay.io/keycloak/keycloak:26.0', lookedFor: ['quay.io/keycloak/keycloak:26.0'] },
      {
        _tag: 'AmbiguousMirror',
        name: 'harbor.corp.local/aihpc/keycloak/keycloak:26.0',
        families: ['docker.io/keycloak/keycloak:26.0', 'quay.io/keycloak/keycloak:26.0'],
      },
    ]);
    expect(describeFinding(plan.findings[2]!)).toMatch(
      /^keycloak\/keycloak:26.0 and quay.io\/keycloak\/keycloak:26.0 would all have the Harbor name harbor.corp.local\/aihpc\/keycloak\/keycloak:26.0 .*\(--mirror ORIGIN=LOCATION/,
    );
    // Each alone is no ambiguity: the Harbor copy serves it.
    expect(planAliases({ snapshot: store, images: ['quay.io/keycloak/keycloak:26.0'], policy: rules }).actions.map((a) => a.target)).toEqual([
      'quay.io/keycloak/keycloak:26.0',
    ]);
    // A rule of its own for quay.io resolves it.
    const split = policy({ ...rules, mirrors: [rule('quay.io', 'proxy-cache', { registry: 'harbor.corp.local', project: 'quay' })] });
    expect(familiesOf(['keycloak/keycloak:26.0', 'quay.io/keycloak/keycloak:26.0'], split).findings).toEqual([]);
  });

  test('flatten-1 gives osixia/openldap and the official openldap one name: ambiguous', () => {
    const { findings } = familiesOf(['osixia/openldap:1', 'openldap:1'], policy({ harbor: LOC, harborLayout: 'flatten-1' }));
    expect(findings).toEqual([
      { _tag: 'AmbiguousMirror', name: 'harbor.corp.local/loc/openldap:1', families: ['docker.io/library/openldap:1', 'docker.io/osixia/openldap:1'] },
    ]);
  });

  test('a too-deep flatten rule is a finding for that image, never a guessed name', () => {
    const deep = rule('*', 'flatten-2');
    const plan = planAliases({ snapshot: snapshot(['sha256:r', 'localhost/redis:7']), images: ['redis:7', 'ghcr.io/a/b/c:1'], policy: policy({ mode: 'internal', mirrors: [deep] }) });
    expect(plan.findings).toEqual([
      { _tag: 'Missing', family: 'ghcr.io/a/b/c:1', lookedFor: ['harbor.corp.local/loc/c:1', 'ghcr.io/a/b/c:1'], pull: 'harbor.corp.local/loc/c:1' },
      { _tag: 'MirrorTooDeep', family: 'docker.io/library/redis:7', rule: deep, components: 1, level: 2 },
    ]);
    expect(plan.actions.map((a) => a.target)).toEqual(['docker.io/library/redis:7']);
    expect(describeFinding(plan.findings[1]!)).toBe(
      "redis:7 has 1 namespace component, but the mirror rule *=harbor.corp.local/loc@flatten-2 drops 2 (Harbor's replication refuses it too), so it has no Harbor name; use flatten-1 or flatten-all, or a rule of its own for its registry.",
    );
    const pulls = planPrefetch({ snapshot: snapshot(), images: ['redis:7'], policy: policy({ mode: 'internal', mirrors: [deep] }), mirrors: [] });
    expect(pulls.findings.map((f) => f._tag)).toEqual(['NoPullSource', 'MirrorTooDeep']);
    const publish = planPublish({ snapshot: snapshot(['sha256:r', 'redis:7']), images: ['redis:7'], policy: policy({ mirrors: [deep] }) });
    expect(publish.findings.map((f) => f._tag)).toEqual(['MirrorTooDeep']);
  });
});

// Requests drawn from a small universe where collisions are likely: one path under several registries and
// namespaces, and rules whose layouts drop namespaces.
const REQUEST_POOL = [
  'keycloak/keycloak:1', 'quay.io/keycloak/keycloak:1', 'ghcr.io/keycloak/keycloak:1', 'nvcr.io/nvidia/keycloak:1',
  'keycloak:1', 'osixia/openldap:1', 'openldap:1', 'quay.io/openldap:1', 'ghcr.io/a/b/openldap:1', 'redis:1',
];
const ORIGINS = ['quay.io', 'ghcr.io', 'nvcr.io', 'docker.io'] as const;
const rulesArb = fc.record({
  star: fc.option(fc.constantFrom(...HARBOR_LAYOUTS), { nil: undefined }),
  own: fc.uniqueArray(fc.tuple(fc.constantFrom(...ORIGINS), fc.constantFrom(...HARBOR_LAYOUTS), fc.constantFrom('loc', 'loc/sub', 'other')), {
    selector: ([origin]) => origin,
    maxLength: 3,
  }),
});

describe('property: a Harbor name maps back to exactly one origin within a request set, or an ambiguity finding', () => {
  test.prop([fc.subarray(REQUEST_POOL, { minLength: 1 }), rulesArb], { numRuns: 300 })('no two families keep one Harbor name', (images, { star, own }) => {
    const rules = policy({
      ...(star === undefined ? {} : { harbor: LOC, harborLayout: star }),
      mirrors: own.map(([origin, layout, project]) => rule(origin, layout, { registry: 'harbor.corp.local', project })),
    });
    const { families, findings } = familiesOf(images, rules);
    const owners = new Map<string, string>();
    for (const family of families) {
      for (const member of family.members.filter((m) => m.role === 'harbor')) {
        expect(owners.get(member.name)).toBeUndefined();
        owners.set(member.name, family.origin);
      }
    }
    // Every name a rule gives two requested families is reported, naming exactly those families.
    const given = new Map<string, string[]>();
    for (const family of families) {
      const full = familiesOf([family.origin], rules).families[0];
      const harbor = full?.members.find((m) => m.role === 'harbor');
      if (harbor !== undefined) given.set(harbor.name, [...(given.get(harbor.name) ?? []), family.origin]);
    }
    const expected = [...given].filter(([, fams]) => fams.length > 1).map(([name, fams]) => ({ _tag: 'AmbiguousMirror', name, families: [...fams].sort() }));
    expect(findings.filter((f) => f._tag === 'AmbiguousMirror')).toEqual(expect.arrayContaining(expected));
    expect(findings.filter((f) => f._tag === 'AmbiguousMirror')).toHaveLength(expected.length);
  });

  test.prop([fc.subarray(REQUEST_POOL, { minLength: 1 }), rulesArb], { numRuns: 300 })(
    'a kept Harbor name, requested by itself, names the family it belongs to',
    (images, { star, own }) => {
      const rules = policy({
        ...(star === undefined ? {} : { harbor: LOC, harborLayout: star }),
        mirrors: own.map(([origin, layout, project]) => rule(origin, layout, { registry: 'harbor.corp.local', project })),
      });
      for (const family of familiesOf(images, rules).families) {
        const harbor = family.members.find((m) => m.role === 'harbor');
        if (harbor === undefined || !['path', 'proxy-cache', 'library', 'flatten-0'].includes(family.harborRule?.layout ?? '')) continue;
        // Layouts that keep the whole path are reversible when the rule is the origin's own: then the Harbor
        // name stands for exactly that origin.
        // (A location two rules share is the path-collision case again, which the ambiguity finding covers.)
        const shared = own.filter(([, , project]) => `harbor.corp.local/${project}` === `${family.harborRule?.location.registry}/${family.harborRule?.location.project}`).length > 1;
        if (family.harborRule?.origin !== '*' && !shared && !(star !== undefined && family.harborRule?.location.project === 'loc')) expect(familiesOf([harbor.name], rules).families[0]?.origin).toBe(family.origin);
      }
    },
  );
});
