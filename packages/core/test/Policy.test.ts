import { describe, expect, test } from '@jest/globals';
import { defaultPolicy, describeHarborLocationError, formatHarborLocation, parseHarborLocation } from '@imgalias/core';
import { excludeImages, imageGlobMatches, spellReference } from '@imgalias/core/internal';

describe('parseHarborLocation', () => {
  test.each([
    ['harbor.corp.local/proj', { registry: 'harbor.corp.local', project: 'proj' }],
    ['harbor.corp.local:8443/proj/sub', { registry: 'harbor.corp.local:8443', project: 'proj/sub' }],
    ['127.0.0.1:5000/aihpc/', { registry: '127.0.0.1:5000', project: 'aihpc' }],
    ['localhost/proj', { registry: 'localhost', project: 'proj' }],
  ])('%s', (input, location) => {
    expect(parseHarborLocation(input)).toEqual({ _tag: 'Right', right: location });
    expect(formatHarborLocation(location)).toBe(input.replace(/\/$/, ''));
  });

  test.each([
    ['https://harbor.corp.local/proj', 'leave out the scheme (write harbor.example.com/project)'],
    ['harbor.corp.local', 'expected host[:port]/project'],
    ['harbor/proj', '"harbor" would be read as a Docker Hub namespace; use a host with a dot or a port, or localhost'],
    ['-bad.host/proj', '"-bad.host" is not a registry host'],
    ['docker.io/proj', 'Docker Hub is the origin registry, not a Harbor location'],
    ['harbor.corp.local/Proj', '"Proj" is not a project path (lowercase components separated by /)'],
    ['harbor.corp.local/', 'expected host[:port]/project'],
  ])('%s is refused: %s', (input, reason) => {
    expect(parseHarborLocation(input)).toEqual({ _tag: 'Left', left: { _tag: 'InvalidHarborLocation', input, reason } });
  });

  test('describeHarborLocationError quotes the input', () => {
    expect(describeHarborLocationError({ _tag: 'InvalidHarborLocation', input: 'x', reason: 'expected host[:port]/project' })).toBe(
      'invalid Harbor location "x": expected host[:port]/project',
    );
  });
});

describe('defaultPolicy', () => {
  test('is external, path layout, no short names, report conflicts, no Harbor tags, no Harbor', () => {
    expect(defaultPolicy).toEqual({ mode: 'external', harborLayout: 'path', shortNames: false, onConflict: 'report', harborTags: false });
  });
});

describe('spellReference', () => {
  test.each([
    ['docker.io/library/redis:7-alpine', 'redis:7-alpine', 'docker.io/library/redis:7-alpine', 'redis:7-alpine'],
    ['docker.io/osixia/openldap:stable', 'osixia/openldap:stable', 'docker.io/osixia/openldap:stable', 'osixia/openldap:stable'],
    ['localhost/redis:7-alpine', 'localhost/redis:7-alpine', 'localhost/redis:7-alpine', 'localhost/redis:7-alpine'],
    ['localhost:5000/team/app:1.0', 'localhost:5000/team/app:1.0', 'localhost:5000/team/app:1.0', 'localhost:5000/team/app:1.0'],
    ['redis', 'redis', 'docker.io/library/redis', 'redis'],
  ])('%s: docker %s, podman %s, nerdctl %s', (name, docker, podman, nerdctl) => {
    expect(spellReference(name, 'docker')).toBe(docker);
    expect(spellReference(name, 'podman')).toBe(podman);
    expect(spellReference(name, 'nerdctl')).toBe(nerdctl);
    expect(spellReference({ domain: 'docker.io', path: 'library/redis', tag: '7' }, 'podman')).toBe('docker.io/library/redis:7');
  });

  test('a string that does not parse is returned unchanged for the engine to refuse', () => {
    expect(spellReference('Not/Valid', 'podman')).toBe('Not/Valid');
  });
});

describe('exclude globs over canonical names', () => {
  test.each([
    ['docker.io/library/redis:*', 'docker.io/library/redis:7-alpine', true],
    ['docker.io/library/redis:*', 'docker.io/library/redis-stack:7', false],
    ['nvcr.io/**', 'nvcr.io/nvidia/pytorch:24.01-py3', true],
    ['docker.io/*:1', 'docker.io/library/redis:1', false],
    ['docker.io/*/*:1', 'docker.io/library/redis:1', true],
    ['quay.io/keycloak/keycloak:2?.0', 'quay.io/keycloak/keycloak:26.0', true],
    ['quay.io/keycloak/keycloak:26.0', 'quay.io/keycloak/keycloak:2600', false],
  ])('%s against %s: %s', (glob, name, expected) => {
    expect(imageGlobMatches(glob, name)).toBe(expected);
  });

  test('any spelling of a family is matched through its canonical origin; non-references are kept for the planner', () => {
    expect(
      excludeImages({ images: ['localhost/redis:7', 'redis:7', 'nginx:1', 'Not A Ref'], exclude: ['docker.io/library/redis:*'], policy: defaultPolicy }),
    ).toEqual({
      images: ['nginx:1', 'Not A Ref'],
      excluded: [
        { image: 'localhost/redis:7', family: 'docker.io/library/redis:7', glob: 'docker.io/library/redis:*' },
        { image: 'redis:7', family: 'docker.io/library/redis:7', glob: 'docker.io/library/redis:*' },
      ],
    });
  });
});
