import { describe, expect, test } from '@jest/globals';
import { parseCompose } from '@imgalias/discover';
import type { ComposeImages } from '@imgalias/discover';

interface Case {
  readonly name: string;
  readonly text: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly expected: Omit<ComposeImages, 'builds'>;
}

const file = 'compose.yaml';
const image = (service: string, reference: string, raw: string, line: number) => ({ service, reference, raw, line });
const services = (body: string): string => `services:\n${body}`;

const cases: readonly Case[] = [
  {
    name: 'services.*.image with lines',
    text: services('  cache:\n    image: redis:7-alpine\n\n  storage:\n    command: server /data\n    image: "minio/minio:latest"\n'),
    expected: {
      images: [
        image('cache', 'docker.io/library/redis:7-alpine', 'redis:7-alpine', 3),
        image('storage', 'docker.io/minio/minio:latest', 'minio/minio:latest', 7),
      ],
      built: [],
      findings: [],
    },
  },
  {
    name: 'an untagged image means :latest',
    text: services('  ldap:\n    image: osixia/openldap\n'),
    expected: { images: [image('ldap', 'docker.io/osixia/openldap:latest', 'osixia/openldap', 3)], built: [], findings: [] },
  },
  {
    name: '${VAR} and $VAR from env',
    text: services('  a:\n    image: ${REGISTRY}/redis:${TAG}\n  b:\n    image: $REGISTRY/minio/minio:$TAG\n'),
    env: { REGISTRY: 'harbor.corp.local/proj', TAG: '7' },
    expected: {
      images: [
        image('a', 'harbor.corp.local/proj/redis:7', '${REGISTRY}/redis:${TAG}', 3),
        image('b', 'harbor.corp.local/proj/minio/minio:7', '$REGISTRY/minio/minio:$TAG', 5),
      ],
      built: [],
      findings: [],
    },
  },
  {
    name: '${VAR:-default} when unset and when empty',
    text: services('  a:\n    image: redis:${TAG:-7}\n  b:\n    image: redis:${EMPTY:-6}\n'),
    env: { EMPTY: '' },
    expected: {
      images: [image('a', 'docker.io/library/redis:7', 'redis:${TAG:-7}', 3), image('b', 'docker.io/library/redis:6', 'redis:${EMPTY:-6}', 5)],
      built: [],
      findings: [],
    },
  },
  {
    name: '${VAR-default} uses the default only when unset',
    text: services('  a:\n    image: redis:${TAG-7}\n  b:\n    image: redis:6${EMPTY-.2}\n'),
    env: { EMPTY: '' },
    expected: {
      images: [image('a', 'docker.io/library/redis:7', 'redis:${TAG-7}', 3), image('b', 'docker.io/library/redis:6', 'redis:6${EMPTY-.2}', 5)],
      built: [],
      findings: [],
    },
  },
  {
    name: 'a nested default',
    text: services('  a:\n    image: ${REGISTRY:-${MIRROR:-docker.io}}/library/redis:7\n'),
    env: { MIRROR: 'mirror.corp.local' },
    expected: {
      images: [image('a', 'mirror.corp.local/library/redis:7', '${REGISTRY:-${MIRROR:-docker.io}}/library/redis:7', 3)],
      built: [],
      findings: [],
    },
  },
  {
    name: '${VAR:+replacement} and ${VAR+replacement}',
    text: services('  a:\n    image: redis:7${ALPINE:+-alpine}\n  b:\n    image: redis:6${EMPTY+-alpine}\n'),
    env: { ALPINE: '1', EMPTY: '' },
    expected: {
      images: [
        image('a', 'docker.io/library/redis:7-alpine', 'redis:7${ALPINE:+-alpine}', 3),
        image('b', 'docker.io/library/redis:6-alpine', 'redis:6${EMPTY+-alpine}', 5),
      ],
      built: [],
      findings: [],
    },
  },
  {
    name: '$$ is a literal dollar, not a variable',
    text: services('  a:\n    image: redis:7$${TAG}\n'),
    env: { TAG: 'x' },
    expected: {
      images: [],
      built: [],
      findings: [
        { _tag: 'InvalidReference', file, line: 3, raw: 'redis:7$${TAG}', text: 'redis:7${TAG}', error: { _tag: 'InvalidFormat', input: 'redis:7${TAG}' } },
      ],
    },
  },
  {
    name: 'an unset variable is a finding, never an image',
    text: services('  a:\n    image: redis:${TAG}\n'),
    expected: {
      images: [],
      built: [],
      findings: [{ _tag: 'UnresolvedVariable', file, line: 3, text: 'redis:${TAG}', variable: 'TAG', reason: 'unset-variable' }],
    },
  },
  {
    name: 'only the given env is read, never the process environment',
    text: services('  a:\n    image: redis:${PATH}\n'),
    expected: {
      images: [],
      built: [],
      findings: [{ _tag: 'UnresolvedVariable', file, line: 3, text: 'redis:${PATH}', variable: 'PATH', reason: 'unset-variable' }],
    },
  },
  {
    name: '${VAR:?error} when empty and ${VAR?error} when unset',
    text: services('  a:\n    image: redis:${TAG:?set TAG in .env}\n  b:\n    image: redis:${OTHER?OTHER is required}\n  c:\n    image: redis:7${EMPTY?fine}\n'),
    env: { TAG: '', EMPTY: '' },
    expected: {
      images: [image('c', 'docker.io/library/redis:7', 'redis:7${EMPTY?fine}', 7)],
      built: [],
      findings: [
        { _tag: 'RequiredVariable', file, line: 3, text: 'redis:${TAG:?set TAG in .env}', variable: 'TAG', message: 'set TAG in .env' },
        { _tag: 'RequiredVariable', file, line: 5, text: 'redis:${OTHER?OTHER is required}', variable: 'OTHER', message: 'OTHER is required' },
      ],
    },
  },
  {
    name: 'invalid interpolation syntax',
    text: services('  a:\n    image: redis:$1\n  b:\n    image: redis:${TAG#v}\n  c:\n    image: redis:${TAG\n  d:\n    image: redis:${}\n'),
    env: { TAG: 'v7' },
    expected: {
      images: [],
      built: [],
      findings: [
        { _tag: 'InvalidInterpolation', file, line: 3, text: 'redis:$1', detail: '"$" at position 7 starts no variable (write "$$" for a literal "$")' },
        { _tag: 'InvalidInterpolation', file, line: 5, text: 'redis:${TAG#v}', detail: '"${TAG#v}" is not a compose interpolation' },
        { _tag: 'InvalidInterpolation', file, line: 7, text: 'redis:${TAG', detail: 'unterminated "${" at position 7' },
        { _tag: 'InvalidInterpolation', file, line: 9, text: 'redis:${}', detail: '"${}" names no variable' },
      ],
    },
  },
  {
    name: 'a service with build: is the project\'s own image',
    text: services('  app:\n    build: .\n    image: field-project/app:${TAG:-dev}\n  worker:\n    build:\n      context: worker\n  cache:\n    image: redis:7\n'),
    expected: {
      images: [image('cache', 'docker.io/library/redis:7', 'redis:7', 9)],
      built: [
        { service: 'app', line: 4, reference: 'docker.io/field-project/app:dev', raw: 'field-project/app:${TAG:-dev}' },
        { service: 'worker', line: 6, reference: null, raw: null },
      ],
      findings: [],
    },
  },
  {
    name: 'images shared through anchors and merge keys report the line where they are written',
    text: 'x-ldap: &ldap\n  image: osixia/openldap:1.5.0\n  restart: always\nservices:\n  ldap:\n    <<: *ldap\n  ldap-replica: *ldap\n  ldap-admin:\n    <<: [*ldap]\n    image: osixia/phpldapadmin:0.9.0\n',
    expected: {
      images: [
        image('ldap', 'docker.io/osixia/openldap:1.5.0', 'osixia/openldap:1.5.0', 2),
        image('ldap-replica', 'docker.io/osixia/openldap:1.5.0', 'osixia/openldap:1.5.0', 2),
        image('ldap-admin', 'docker.io/osixia/phpldapadmin:0.9.0', 'osixia/phpldapadmin:0.9.0', 10),
      ],
      built: [],
      findings: [],
    },
  },
  {
    name: 'services merged into services, own keys first and winning, first merged map winning',
    text: 'x-a: &a\n  image: redis:7\nx-b: &b\n  image: redis:6\n  build: .\nx-more: &more\n  shared:\n    image: minio/minio:latest\n  own:\n    image: ignored:1\nservices:\n  <<: *more\n  own:\n    <<: [*a, *b, not-a-map]\n',
    expected: {
      images: [image('shared', 'docker.io/minio/minio:latest', 'minio/minio:latest', 8)],
      built: [{ service: 'own', line: 2, reference: 'docker.io/library/redis:7', raw: 'redis:7' }],
      findings: [],
    },
  },
  {
    name: 'a merged service map is listed after the own services',
    text: 'x-more: &more\n  shared:\n    image: minio/minio:latest\nservices:\n  <<: *more\n  own:\n    image: redis:7\n',
    expected: {
      images: [image('own', 'docker.io/library/redis:7', 'redis:7', 7), image('shared', 'docker.io/minio/minio:latest', 'minio/minio:latest', 3)],
      built: [],
      findings: [],
    },
  },
  {
    name: 'build: null or false builds nothing',
    text: services('  a:\n    image: redis:7\n    build: false\n  b:\n    image: redis:6\n    build:\n'),
    expected: {
      images: [image('a', 'docker.io/library/redis:7', 'redis:7', 3), image('b', 'docker.io/library/redis:6', 'redis:6', 6)],
      built: [],
      findings: [],
    },
  },
  {
    name: 'an anchor that merges itself neither loops nor throws',
    text: 'services:\n  a: &a\n    <<: *a\n    image: redis\n  b: &b\n    <<: *b\n',
    expected: {
      images: [image('a', 'docker.io/library/redis:latest', 'redis', 4)],
      built: [],
      findings: [{ _tag: 'InvalidCompose', file, line: 5, detail: 'service b has neither image nor build (discovery does not follow extends)' }],
    },
  },
  {
    name: 'an invalid reference carries the core error',
    text: services('  a:\n    image: "redis:7; rm -rf /"\n'),
    expected: {
      images: [],
      built: [],
      findings: [
        { _tag: 'InvalidReference', file, line: 3, raw: 'redis:7; rm -rf /', text: 'redis:7; rm -rf /', error: { _tag: 'InvalidFormat', input: 'redis:7; rm -rf /' } },
      ],
    },
  },
  {
    name: 'YAML syntax errors are findings with a line, not exceptions',
    text: services('  a:\n    image: redis:7\n  b: [unclosed\n'),
    expected: {
      images: [],
      built: [],
      findings: [
        {
          _tag: 'ComposeSyntax',
          file,
          line: 5,
          detail: 'Flow sequence in block collection must be sufficiently indented and end with a ]',
        },
      ],
    },
  },
  {
    name: 'duplicate keys are syntax errors, as in compose',
    text: services('  a:\n    image: redis:7\n    image: redis:6\n'),
    expected: { images: [], built: [], findings: [{ _tag: 'ComposeSyntax', file, line: 4, detail: 'Map keys must be unique' }] },
  },
  {
    name: 'structural problems are findings',
    text: services('  a: redis:7\n  b:\n    image: 7\n  c:\n    image:\n  d:\n    restart: always\n  e:\n'),
    expected: {
      images: [],
      built: [],
      findings: [
        { _tag: 'InvalidCompose', file, line: 2, detail: 'service a is not a mapping' },
        { _tag: 'InvalidCompose', file, line: 4, detail: 'the image of service b is not a string' },
        { _tag: 'InvalidCompose', file, line: 6, detail: 'the image of service c is not a string' },
        { _tag: 'InvalidCompose', file, line: 7, detail: 'service d has neither image nor build (discovery does not follow extends)' },
        { _tag: 'InvalidCompose', file, line: 9, detail: 'service e is not a mapping' },
      ],
    },
  },
  {
    name: 'services that is not a mapping',
    text: 'services:\n  - redis\n',
    expected: {
      images: [],
      built: [],
      findings: [{ _tag: 'InvalidCompose', file, line: 1, detail: '"services" is not a mapping of service names to services' }],
    },
  },
  {
    name: 'a top level that is not a mapping',
    text: '- services\n',
    expected: { images: [], built: [], findings: [{ _tag: 'InvalidCompose', file, line: 1, detail: 'the top level is not a mapping of compose keys' }] },
  },
  { name: 'an empty file', text: '', expected: { images: [], built: [], findings: [] } },
  { name: 'a file without services', text: 'volumes:\n  data: {}\n', expected: { images: [], built: [], findings: [] } },
  { name: 'empty services', text: 'services:\n', expected: { images: [], built: [], findings: [] } },
];

describe('parseCompose', () => {
  test.each(cases)('$name', ({ text, env, expected }) => {
    const { images, built, findings } = parseCompose(text, { file, env: new Map(Object.entries(env ?? {})) });
    expect({ images, built, findings }).toEqual(expected);
  });
});

interface BuildCase {
  readonly name: string;
  readonly text: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly expected: Pick<ComposeImages, 'builds' | 'findings'>;
}

const build = (service: string, line: number, context: string, dockerfile: string, args: Readonly<Record<string, string>> = {}) => ({
  service,
  line,
  context,
  dockerfile,
  args: new Map(Object.entries(args)),
});

const buildCases: readonly BuildCase[] = [
  {
    name: 'the string form is the context, with the default Dockerfile',
    text: services('  app:\n    build: ./app\n'),
    expected: { builds: [build('app', 3, './app', 'Dockerfile')], findings: [] },
  },
  {
    name: 'context and dockerfile, interpolated',
    text: services('  app:\n    build:\n      context: ${DIR:-svc}\n      dockerfile: ${NAME}.Dockerfile\n'),
    env: { NAME: 'gpu' },
    expected: { builds: [build('app', 3, 'svc', 'gpu.Dockerfile')], findings: [] },
  },
  {
    name: 'args in map form: strings interpolated, numbers spelled out, a bare name from the environment',
    text: services('  train:\n    build:\n      context: .\n      args:\n        PYTORCH_TAG: ${TAG:-24.01}-py3\n        WORKERS: 4\n        FROM_ENV:\n        UNSET:\n'),
    env: { FROM_ENV: 'yes' },
    expected: { builds: [build('train', 3, '.', 'Dockerfile', { PYTORCH_TAG: '24.01-py3', WORKERS: '4', FROM_ENV: 'yes' })], findings: [] },
  },
  {
    name: 'args in list form: NAME=value interpolated, a bare NAME from the environment',
    text: services('  train:\n    build:\n      args:\n        - PYTORCH_TAG=$TAG\n        - FROM_ENV\n        - UNSET\n        - EMPTY=\n'),
    env: { TAG: '24.01-py3', FROM_ENV: 'x' },
    expected: { builds: [build('train', 3, '.', 'Dockerfile', { PYTORCH_TAG: '24.01-py3', FROM_ENV: 'x', EMPTY: '' })], findings: [] },
  },
  {
    name: 'an arg that cannot be interpolated is a finding on its line',
    text: services('  app:\n    build:\n      args:\n        TAG: ${MISSING}\n'),
    expected: {
      builds: [build('app', 3, '.', 'Dockerfile')],
      findings: [{ _tag: 'UnresolvedVariable', file, line: 5, text: '${MISSING}', variable: 'MISSING', reason: 'unset-variable' }],
    },
  },
  {
    name: 'remote contexts and inline Dockerfiles name no file to read',
    text: services('  a:\n    build: https://github.com/org/repo.git#main\n  b:\n    build:\n      dockerfile_inline: FROM redis:7\n  c:\n    image: redis:7\n    build: false\n'),
    expected: { builds: [], findings: [] },
  },
  {
    name: 'a build that is neither a directory nor a mapping is a finding',
    text: services('  a:\n    build: [x]\n  b:\n    build:\n      args: 7\n'),
    expected: {
      builds: [],
      findings: [
        { _tag: 'InvalidCompose', file, line: 3, detail: 'the build of service a is not a directory or a mapping' },
        { _tag: 'InvalidCompose', file, line: 6, detail: 'build.args of service b is neither a mapping nor a list' },
      ],
    },
  },
];

describe('parseCompose builds', () => {
  test.each(buildCases)('$name', ({ text, env, expected }) => {
    const { builds, findings } = parseCompose(text, { file, env: new Map(Object.entries(env ?? {})) });
    expect({ builds, findings }).toEqual(expected);
  });
});
