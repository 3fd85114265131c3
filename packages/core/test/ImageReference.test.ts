import { describe, expect, test } from '@jest/globals';
import type { ImageReference, ReferenceError } from '@imgalias/core';
import { describeReferenceError, familiarName, formatReference, parseReference } from '@imgalias/core';
import { withDefaultTag } from '@imgalias/core/internal';

const F64 = 'f'.repeat(64);
const F128 = 'f'.repeat(128);
const HEX64 = 'dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c';

type Expected = ImageReference | ReferenceError['_tag'];

/**
 * Cases ported from distribution/reference's reference_test.go (TestReferenceParse) and normalize_test.go
 * (TestValidateReferenceName, TestValidateRemoteName, TestParseRepositoryInfo, TestNormalizedSplitHostname,
 * TestParseAnyReference). Docker's `Parse` cases are given here as `ParseNormalizedNamed` sees them, since that
 * is what `docker tag` and `docker pull` use: a name without a domain lands on docker.io.
 */
const cases: ReadonlyArray<readonly [string, Expected]> = [
  // TestReferenceParse
  ['test_com', { domain: 'docker.io', path: 'library/test_com' }],
  ['test.com:tag', { domain: 'docker.io', path: 'library/test.com', tag: 'tag' }],
  ['test.com:5000', { domain: 'docker.io', path: 'library/test.com', tag: '5000' }],
  ['test.com/repo:tag', { domain: 'test.com', path: 'repo', tag: 'tag' }],
  ['test:5000/repo', { domain: 'test:5000', path: 'repo' }],
  ['test:5000/repo:tag', { domain: 'test:5000', path: 'repo', tag: 'tag' }],
  [`test:5000/repo@sha256:${F64}`, { domain: 'test:5000', path: 'repo', digest: `sha256:${F64}` }],
  [`test:5000/repo:tag@sha256:${F64}`, { domain: 'test:5000', path: 'repo', tag: 'tag', digest: `sha256:${F64}` }],
  ['', 'EmptyReference'],
  [':justtag', 'InvalidFormat'],
  [`@sha256:${F64}`, 'InvalidFormat'],
  ['repo@sha256:ffffffffffffffffffffffffffffffffff', 'InvalidDigest'],
  [`validname@invaliddigest:${F64}`, 'InvalidDigest'],
  ['Uppercase:tag', 'NameContainsUppercase'],
  ['test:5000/Uppercase/lowercase:tag', 'NameContainsUppercase'],
  ['lowercase:Uppercase', { domain: 'docker.io', path: 'library/lowercase', tag: 'Uppercase' }],
  [`${'a/'.repeat(128)}a:tag`, 'NameTooLong'],
  [`${'a/'.repeat(127)}a:tag-puts-this-over-max`, { domain: 'docker.io', path: `${'a/'.repeat(127)}a`, tag: 'tag-puts-this-over-max' }],
  ['aa/asdf$$^/aa', 'InvalidFormat'],
  ['sub-dom1.foo.com/bar/baz/quux', { domain: 'sub-dom1.foo.com', path: 'bar/baz/quux' }],
  ['sub-dom1.foo.com/bar/baz/quux:some-long-tag', { domain: 'sub-dom1.foo.com', path: 'bar/baz/quux', tag: 'some-long-tag' }],
  ['b.gcr.io/test.example.com/my-app:test.example.com', { domain: 'b.gcr.io', path: 'test.example.com/my-app', tag: 'test.example.com' }],
  ['xn--n3h.com/myimage:xn--n3h.com', { domain: 'xn--n3h.com', path: 'myimage', tag: 'xn--n3h.com' }],
  [`xn--7o8h.com/myimage:xn--7o8h.com@sha512:${F128}`, { domain: 'xn--7o8h.com', path: 'myimage', tag: 'xn--7o8h.com', digest: `sha512:${F128}` }],
  ['foo_bar.com:8080', { domain: 'docker.io', path: 'library/foo_bar.com', tag: '8080' }],
  ['foo/foo_bar.com:8080', { domain: 'docker.io', path: 'foo/foo_bar.com', tag: '8080' }],
  ['192.168.1.1', { domain: 'docker.io', path: 'library/192.168.1.1' }],
  ['192.168.1.1:tag', { domain: 'docker.io', path: 'library/192.168.1.1', tag: 'tag' }],
  ['192.168.1.1:5000', { domain: 'docker.io', path: 'library/192.168.1.1', tag: '5000' }],
  ['192.168.1.1/repo', { domain: '192.168.1.1', path: 'repo' }],
  ['192.168.1.1:5000/repo', { domain: '192.168.1.1:5000', path: 'repo' }],
  ['192.168.1.1:5000/repo:5050', { domain: '192.168.1.1:5000', path: 'repo', tag: '5050' }],
  ['[2001:db8::1]', 'InvalidFormat'],
  ['[2001:db8::1]:5000', 'InvalidFormat'],
  ['[2001:db8::1]:tag', 'InvalidFormat'],
  ['[2001:db8::1]/repo', { domain: '[2001:db8::1]', path: 'repo' }],
  ['[2001:db8:1:2:3:4:5:6]/repo:tag', { domain: '[2001:db8:1:2:3:4:5:6]', path: 'repo', tag: 'tag' }],
  ['[2001:db8::1]:5000/repo', { domain: '[2001:db8::1]:5000', path: 'repo' }],
  ['[2001:db8::1]:5000/repo:tag', { domain: '[2001:db8::1]:5000', path: 'repo', tag: 'tag' }],
  [`[2001:db8::1]:5000/repo@sha256:${F64}`, { domain: '[2001:db8::1]:5000', path: 'repo', digest: `sha256:${F64}` }],
  [`[2001:db8::1]:5000/repo:tag@sha256:${F64}`, { domain: '[2001:db8::1]:5000', path: 'repo', tag: 'tag', digest: `sha256:${F64}` }],
  ['[2001:db8::]:5000/repo', { domain: '[2001:db8::]:5000', path: 'repo' }],
  ['[::1]:5000/repo', { domain: '[::1]:5000', path: 'repo' }],
  ['[fe80::1%eth0]:5000/repo', 'InvalidFormat'],
  ['[fe80::1%@invalidzone]:5000/repo', 'InvalidFormat'],
  // TestValidateReferenceName
  ['docker/docker', { domain: 'docker.io', path: 'docker/docker' }],
  ['library/debian', { domain: 'docker.io', path: 'library/debian' }],
  ['debian', { domain: 'docker.io', path: 'library/debian' }],
  ['docker.io/docker/docker', { domain: 'docker.io', path: 'docker/docker' }],
  ['docker.io/library/debian', { domain: 'docker.io', path: 'library/debian' }],
  ['docker.io/debian', { domain: 'docker.io', path: 'library/debian' }],
  ['index.docker.io/docker/docker', { domain: 'docker.io', path: 'docker/docker' }],
  ['index.docker.io/library/debian', { domain: 'docker.io', path: 'library/debian' }],
  ['index.docker.io/debian', { domain: 'docker.io', path: 'library/debian' }],
  ['127.0.0.1:5000/docker/docker', { domain: '127.0.0.1:5000', path: 'docker/docker' }],
  ['127.0.0.1:5000/library/debian', { domain: '127.0.0.1:5000', path: 'library/debian' }],
  ['127.0.0.1:5000/debian', { domain: '127.0.0.1:5000', path: 'debian' }],
  ['192.168.0.1', { domain: 'docker.io', path: 'library/192.168.0.1' }],
  ['192.168.0.1:80', { domain: 'docker.io', path: 'library/192.168.0.1', tag: '80' }],
  ['192.168.0.1:8/debian', { domain: '192.168.0.1:8', path: 'debian' }],
  ['192.168.0.2:25000/debian', { domain: '192.168.0.2:25000', path: 'debian' }],
  ['thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev', { domain: 'docker.io', path: 'library/thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev' }],
  ['[fc00::1]:5000/docker', { domain: '[fc00::1]:5000', path: 'docker' }],
  ['[fc00::1]:5000/docker/docker', { domain: '[fc00::1]:5000', path: 'docker/docker' }],
  ['[fc00:1:2:3:4:5:6:7]:5000/library/debian', { domain: '[fc00:1:2:3:4:5:6:7]:5000', path: 'library/debian' }],
  ['docker.io/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a', { domain: 'docker.io', path: 'library/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a' }],
  ['Docker/docker', { domain: 'Docker', path: 'docker' }],
  ['DOCKER/docker', { domain: 'DOCKER', path: 'docker' }],
  ['https://github.com/docker/docker', 'InvalidFormat'],
  ['docker/Docker', 'NameContainsUppercase'],
  ['-docker', 'InvalidFormat'],
  ['-docker/docker', 'InvalidFormat'],
  ['-docker.io/docker/docker', 'InvalidFormat'],
  ['docker///docker', 'InvalidFormat'],
  ['docker.io/docker/Docker', 'NameContainsUppercase'],
  ['docker.io/docker///docker', 'InvalidFormat'],
  ['[fc00::1]', 'InvalidFormat'],
  ['[fc00::1]:5000', 'InvalidFormat'],
  ['fc00::1:5000/debian', 'InvalidFormat'],
  ['[fe80::1%eth0]:5000/debian', 'InvalidFormat'],
  ['[2001:db8:3:4::192.0.2.33]:5000/debian', 'InvalidFormat'],
  ['1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a', 'AnonymousName'],
  // TestValidateRemoteName
  ['docker-rules/docker', { domain: 'docker.io', path: 'docker-rules/docker' }],
  ['docker---rules/docker', { domain: 'docker.io', path: 'docker---rules/docker' }],
  ['doc/docker', { domain: 'docker.io', path: 'doc/docker' }],
  ['d/docker', { domain: 'docker.io', path: 'd/docker' }],
  ['jess/t', { domain: 'docker.io', path: 'jess/t' }],
  ['dock__er/docker', { domain: 'docker.io', path: 'dock__er/docker' }],
  ['docker-/docker', 'InvalidFormat'],
  ['-docker-/docker', 'InvalidFormat'],
  ['____/____', 'InvalidFormat'],
  ['_docker/_docker', 'InvalidFormat'],
  ['dock..er/docker', 'InvalidFormat'],
  ['dock_.er/docker', 'InvalidFormat'],
  ['dock-.er/docker', 'InvalidFormat'],
  ['docker/', 'InvalidFormat'],
  [`${'this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_'.repeat(3)}this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255/docker`, 'NameTooLong'],
  // TestParseRepositoryInfo
  ['fooo/bar', { domain: 'docker.io', path: 'fooo/bar' }],
  ['index.docker.io/fooo/bar', { domain: 'docker.io', path: 'fooo/bar' }],
  ['library/ubuntu', { domain: 'docker.io', path: 'library/ubuntu' }],
  ['nonlibrary/ubuntu', { domain: 'docker.io', path: 'nonlibrary/ubuntu' }],
  ['other/library', { domain: 'docker.io', path: 'other/library' }],
  ['127.0.0.1:8000/private/moonbase', { domain: '127.0.0.1:8000', path: 'private/moonbase' }],
  ['example.com/privatebase', { domain: 'example.com', path: 'privatebase' }],
  ['example.com:8000/private/moonbase', { domain: 'example.com:8000', path: 'private/moonbase' }],
  ['ubuntu-12.04-base', { domain: 'docker.io', path: 'library/ubuntu-12.04-base' }],
  ['index.docker.io/library/ubuntu-12.04-base', { domain: 'docker.io', path: 'library/ubuntu-12.04-base' }],
  ['library/foo/bar', { domain: 'docker.io', path: 'library/foo/bar' }],
  ['store/foo/bar', { domain: 'docker.io', path: 'store/foo/bar' }],
  ['Foo/bar', { domain: 'Foo', path: 'bar' }],
  // TestNormalizedSplitHostname
  ['test.com/foo', { domain: 'test.com', path: 'foo' }],
  ['docker/migrator', { domain: 'docker.io', path: 'docker/migrator' }],
  ['test-com:8080/foo', { domain: 'test-com:8080', path: 'foo' }],
  ['xn--n3h.com:18080/foo', { domain: 'xn--n3h.com:18080', path: 'foo' }],
  ['docker.io/library/foo/bar', { domain: 'docker.io', path: 'library/foo/bar' }],
  // TestParseAnyReference / TestParseReferenceWithTagAndDigest (the named forms)
  [`redis@sha256:${HEX64}`, { domain: 'docker.io', path: 'library/redis', digest: `sha256:${HEX64}` }],
  [`dmcgowan/myapp@sha256:${HEX64}`, { domain: 'docker.io', path: 'dmcgowan/myapp', digest: `sha256:${HEX64}` }],
  [HEX64.slice(0, 63), { domain: 'docker.io', path: `library/${HEX64.slice(0, 63)}` }],
  ['dbcc1', { domain: 'docker.io', path: 'library/dbcc1' }],
  [
    'busybox:latest@sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa',
    { domain: 'docker.io', path: 'library/busybox', tag: 'latest', digest: 'sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa' },
  ],
  // The cases issue 2 names.
  ['localhost:5000', { domain: 'docker.io', path: 'library/localhost', tag: '5000' }],
  ['localhost:5000/a/b:c', { domain: 'localhost:5000', path: 'a/b', tag: 'c' }],
  ['localhost/redis:7-alpine', { domain: 'localhost', path: 'redis', tag: '7-alpine' }],
  ['localhost', { domain: 'docker.io', path: 'library/localhost' }],
  ['quay.io/keycloak/keycloak:26.0', { domain: 'quay.io', path: 'keycloak/keycloak', tag: '26.0' }],
  [`redis@sha384:${'a'.repeat(96)}`, { domain: 'docker.io', path: 'library/redis', digest: `sha384:${'a'.repeat(96)}` }],
  [`redis@sha384:${'a'.repeat(64)}`, 'InvalidDigest'],
  [`redis@sha256:${'A'.repeat(64)}`, 'InvalidDigest'],
  [`redis@SHA256:${F64}`, 'NameContainsUppercase'],
  ['redis:-bad', 'InvalidFormat'],
  [`redis:${'t'.repeat(128)}`, { domain: 'docker.io', path: 'library/redis', tag: 't'.repeat(128) }],
  [`redis:${'t'.repeat(129)}`, 'InvalidFormat'],
  ['redis:a:b', 'InvalidFormat'],
  ['redis@', 'InvalidFormat'],
  ['a__b/c_d.e-f--g', { domain: 'docker.io', path: 'a__b/c_d.e-f--g' }],
  ['a___b', 'InvalidFormat'],
  ['Foo_Bar/x', 'NameContainsUppercase'],
  // Docker itself would accept this as a domain-less name; issue 2's grammar treats a first component with a
  // dot as a domain, and `foo_bar.com` is not a valid one.
  ['foo_bar.com/x', 'InvalidFormat'],
  // `library/` counts towards Docker's 255-character path limit.
  ['a'.repeat(247), { domain: 'docker.io', path: `library/${'a'.repeat(247)}` }],
  ['a'.repeat(248), 'NameTooLong'],
];

describe('parseReference (Docker reference grammar)', () => {
  test.each(cases.map(([input, expected]) => ({ input: input.length > 60 ? `${input.slice(0, 57)}...` : input, full: input, expected })))(
    '$input',
    ({ full, expected }) => {
      const parsed = parseReference(full);
      if (typeof expected === 'string') {
        expect(parsed._tag).toBe('Left');
        if (parsed._tag === 'Left') expect(parsed.left._tag).toBe(expected);
      } else {
        expect(parsed).toEqual({ _tag: 'Right', right: expected });
      }
    },
  );

  test('errors keep the input and the digest problem', () => {
    expect(parseReference(`validname@invaliddigest:${F64}`)).toEqual({
      _tag: 'Left',
      left: { _tag: 'InvalidDigest', input: `validname@invaliddigest:${F64}`, problem: 'unsupported-algorithm' },
    });
    expect(parseReference('repo@sha256:ffffffffffffffffffffffffffffffffff')).toEqual({
      _tag: 'Left',
      left: { _tag: 'InvalidDigest', input: 'repo@sha256:ffffffffffffffffffffffffffffffffff', problem: 'wrong-length' },
    });
    expect(parseReference('a'.repeat(248))).toEqual({
      _tag: 'Left',
      left: { _tag: 'NameTooLong', input: 'a'.repeat(248), length: 256 },
    });
  });
});

describe('formatReference', () => {
  test.each([
    ['redis:7-alpine', 'docker.io/library/redis:7-alpine', 'redis:7-alpine'],
    ['docker.io/osixia/openldap:stable', 'docker.io/osixia/openldap:stable', 'osixia/openldap:stable'],
    ['library/foo/bar', 'docker.io/library/foo/bar', 'library/foo/bar'],
    ['localhost/minio', 'localhost/minio', 'localhost/minio'],
    ['localhost:5000/team/app:1.0', 'localhost:5000/team/app:1.0', 'localhost:5000/team/app:1.0'],
    [`redis:7@sha256:${F64}`, `docker.io/library/redis:7@sha256:${F64}`, `redis:7@sha256:${F64}`],
  ])('%s -> %s / %s', (input, canonical, familiar) => {
    const parsed = parseReference(input);
    if (parsed._tag === 'Left') throw new Error(describeReferenceError(parsed.left));
    expect(formatReference(parsed.right, 'canonical')).toBe(canonical);
    expect(formatReference(parsed.right, 'familiar')).toBe(familiar);
    // Both spellings read back to the same reference.
    expect(parseReference(canonical)).toEqual(parsed);
    expect(parseReference(familiar)).toEqual(parsed);
  });
});

describe('withDefaultTag', () => {
  test('adds latest only when there is neither tag nor digest', () => {
    expect(withDefaultTag({ domain: 'docker.io', path: 'library/redis' })).toEqual({ domain: 'docker.io', path: 'library/redis', tag: 'latest' });
    expect(withDefaultTag({ domain: 'docker.io', path: 'library/redis', tag: '7' }).tag).toBe('7');
    expect(withDefaultTag({ domain: 'docker.io', path: 'library/redis', digest: `sha256:${F64}` }).tag).toBeUndefined();
  });
});

describe('describeReferenceError', () => {
  test.each<[ReferenceError, string]>([
    [{ _tag: 'EmptyReference', input: '' }, 'invalid reference format: repository name must have at least one component (the name is empty)'],
    [{ _tag: 'InvalidFormat', input: 'a//b' }, 'invalid reference format ("a//b")'],
    [{ _tag: 'NameContainsUppercase', input: 'Redis' }, 'invalid reference format: repository name must be lowercase ("Redis")'],
    [{ _tag: 'NameTooLong', input: 'x', length: 300 }, 'invalid reference format: repository name must not be more than 255 characters ("x" has 300)'],
    [{ _tag: 'InvalidDigest', input: 'r@md5:0', problem: 'unsupported-algorithm' }, 'invalid reference format: unsupported digest algorithm (use sha256, sha384 or sha512) ("r@md5:0")'],
    [{ _tag: 'InvalidDigest', input: 'r@sha256:0', problem: 'wrong-length' }, 'invalid reference format: invalid checksum digest length ("r@sha256:0")'],
    [{ _tag: 'InvalidDigest', input: 'r@sha256:A' }, 'invalid reference format: invalid checksum digest format (lowercase hex expected) ("r@sha256:A")'],
    [{ _tag: 'AnonymousName', input: HEX64 }, `invalid repository name ("${HEX64}"), cannot specify 64-byte hexadecimal strings`],
  ])('%# %j', (error, message) => {
    expect(describeReferenceError(error)).toBe(message);
  });
});

describe('formatReference keeps docker.io when the familiar form would read as another registry', () => {
  test.each([
    [{ domain: 'docker.io', path: 'localhost/app', tag: '1' }, 'docker.io/localhost/app:1'],
    [{ domain: 'docker.io', path: 'a.b/app' }, 'docker.io/a.b/app'],
    [{ domain: 'docker.io', path: 'ab/a.b' }, 'ab/a.b'],
  ])('%j -> %s', (ref, familiar) => {
    expect(formatReference(ref, 'familiar')).toBe(familiar);
    expect(parseReference(familiar)).toEqual({ _tag: 'Right', right: ref });
  });
});

describe('familiarName', () => {
  test.each([
    ['docker.io/library/redis:7-alpine', 'redis:7-alpine'],
    ['docker.io/osixia/openldap:stable', 'osixia/openldap:stable'],
    ['localhost/minio/minio:latest', 'localhost/minio/minio:latest'],
    ['harbor.corp.local/proj/redis:7', 'harbor.corp.local/proj/redis:7'],
    ['Not A Name', 'Not A Name'],
  ])('%s reads as %s', (name, expected) => {
    expect(familiarName(name)).toBe(expected);
  });
});
