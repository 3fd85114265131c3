import { describe, expect, test } from '@jest/globals';
import { describeDiscoveryFinding, isInformationalFinding } from '@imgalias/discover';
import type { DiscoveryFinding } from '@imgalias/discover';

const file = 'docker/app/Dockerfile';

const cases: ReadonlyArray<readonly [DiscoveryFinding, string]> = [
  [
    { _tag: 'UnresolvedVariable', file, line: 3, text: 'redis:${TAG}', variable: 'TAG', reason: 'arg-without-value' },
    'docker/app/Dockerfile:3: "redis:${TAG}": build arg TAG has no value: give its ARG a default or pass it as a build arg',
  ],
  [
    { _tag: 'UnresolvedVariable', file, line: 3, text: '${IMAGE}:7', variable: 'REG', via: 'IMAGE', reason: 'undeclared-arg' },
    'docker/app/Dockerfile:3: "${IMAGE}:7": REG (needed by IMAGE) is not declared by an ARG before the first FROM, so FROM cannot use it: declare it there',
  ],
  [
    { _tag: 'UnresolvedVariable', file, line: 1, text: 'redis:7-${TARGETARCH}', variable: 'TARGETARCH', reason: 'platform-arg' },
    'docker/app/Dockerfile:1: "redis:7-${TARGETARCH}": TARGETARCH is set by BuildKit for each build: pass it as a build arg to resolve this image',
  ],
  [
    { _tag: 'UnresolvedVariable', file: 'compose.yaml', line: 9, text: 'redis:${TAG}', variable: 'TAG', reason: 'unset-variable' },
    'compose.yaml:9: "redis:${TAG}": variable TAG is not set: set it in the environment or in .env, or give a default with ${TAG:-value}',
  ],
  [
    { _tag: 'RequiredVariable', file: 'compose.yaml', line: 4, text: 'redis:${TAG:?set TAG}', variable: 'TAG', message: 'set TAG' },
    'compose.yaml:4: "redis:${TAG:?set TAG}": TAG is required (set TAG): set it',
  ],
  [
    { _tag: 'RequiredVariable', file: 'compose.yaml', line: 4, text: 'redis:${TAG?}', variable: 'TAG', message: '' },
    'compose.yaml:4: "redis:${TAG?}": TAG is required: set it',
  ],
  [
    { _tag: 'UnsupportedSubstitution', file, line: 2, text: 'redis:${V#v}', expression: '${V#v}' },
    'docker/app/Dockerfile:2: "redis:${V#v}": ${V#v} is not supported by discovery: pass the image explicitly',
  ],
  [
    { _tag: 'InvalidInterpolation', file, line: 2, text: 'redis:${TAG', detail: 'unterminated "${" at position 7' },
    'docker/app/Dockerfile:2: "redis:${TAG": unterminated "${" at position 7',
  ],
  [
    { _tag: 'InvalidReference', file, line: 5, raw: 'Redis:7', text: 'Redis:7', error: { _tag: 'NameContainsUppercase', input: 'Redis:7' } },
    'docker/app/Dockerfile:5: "Redis:7" is not an image reference: invalid reference format: repository name must be lowercase ("Redis:7")',
  ],
  [
    { _tag: 'InvalidReference', file, line: 5, raw: '${IMAGE}', text: '', error: { _tag: 'EmptyReference', input: '' } },
    'docker/app/Dockerfile:5: "" (from "${IMAGE}") is not an image reference: invalid reference format: repository name must have at least one component (the name is empty)',
  ],
  [
    { _tag: 'MalformedFrom', file, line: 7, text: 'FROM redis AS' },
    'docker/app/Dockerfile:7: "FROM redis AS" is not FROM image [AS name]; Docker would reject it too',
  ],
  [
    { _tag: 'ComposeSyntax', file: 'compose.yaml', line: 2, detail: 'Map keys must be unique' },
    'compose.yaml:2: not valid YAML: Map keys must be unique',
  ],
  [
    { _tag: 'InvalidCompose', file: 'compose.yaml', line: 2, detail: 'service a is not a mapping' },
    'compose.yaml:2: service a is not a mapping',
  ],
  [
    { _tag: 'BuiltImage', file: 'compose.yaml', line: 3, service: 'app', reference: 'docker.io/corp/app:dev' },
    'compose.yaml:3: service app builds docker.io/corp/app:dev itself; not aliased (--include-built or includeBuilt: true aliases it)',
  ],
  [
    { _tag: 'BuiltImage', file: 'compose.yaml', line: 3, service: 'worker', reference: null },
    'compose.yaml:3: service worker builds its own image and names none; nothing to alias',
  ],
  [
    { _tag: 'DotEnvSyntax', file: '.env', line: 4, detail: 'expected KEY=value, found "oops"' },
    '.env:4: expected KEY=value, found "oops"',
  ],
  [{ _tag: 'PathNotFound', file: 'services/missing' }, 'services/missing: no such file or directory'],
  [{ _tag: 'UnreadableFile', file: 'Dockerfile', detail: 'EACCES' }, 'Dockerfile: cannot be read: EACCES'],
];

describe('describeDiscoveryFinding', () => {
  test.each(cases)('%j', (finding, message) => {
    expect(describeDiscoveryFinding(finding)).toBe(message);
  });

  test('only BuiltImage is informational', () => {
    expect(cases.filter(([finding]) => isInformationalFinding(finding)).map(([finding]) => finding._tag)).toEqual([
      'BuiltImage',
      'BuiltImage',
    ]);
  });
});
