import { describe, expect, test } from '@jest/globals';
import { parseDockerfile } from '@imgalias/discover';
import type { DockerfileImages } from '@imgalias/discover';

const DIGEST = `sha256:${'a1'.repeat(32)}`;

interface Case {
  readonly name: string;
  readonly text: string;
  readonly buildArgs?: Readonly<Record<string, string>>;
  readonly expected: DockerfileImages;
}

const image = (reference: string, raw: string, line: number) => ({ reference, raw, line });
const file = 'Dockerfile';

const cases: readonly Case[] = [
  {
    name: 'FROM in any case',
    text: 'from redis:7\nFrOm alpine\n',
    expected: {
      images: [image('docker.io/library/redis:7', 'redis:7', 1), image('docker.io/library/alpine:latest', 'alpine', 2)],
      findings: [],
    },
  },
  {
    name: 'line continuations: the FROM line is reported',
    text: 'RUN true\nFROM \\\n  redis:7 \\\n  AS cache\n',
    expected: { images: [image('docker.io/library/redis:7', 'redis:7', 2)], findings: [] },
  },
  {
    name: '--platform=value',
    text: 'FROM --platform=linux/amd64 redis:7 AS x\n',
    expected: { images: [image('docker.io/library/redis:7', 'redis:7', 1)], findings: [] },
  },
  {
    name: '--platform value (separate word)',
    text: 'FROM --platform linux/arm64 minio/minio:latest AS x\nFROM --platform $BUILDPLATFORM redis:7\n',
    expected: {
      images: [image('docker.io/minio/minio:latest', 'minio/minio:latest', 1), image('docker.io/library/redis:7', 'redis:7', 2)],
      findings: [],
    },
  },
  {
    name: 'global ARG default with ${VAR}',
    text: 'ARG TAG=7-alpine\nFROM redis:${TAG}\n',
    expected: { images: [image('docker.io/library/redis:7-alpine', 'redis:${TAG}', 2)], findings: [] },
  },
  {
    name: 'global ARG default with $VAR',
    text: 'ARG IMAGE=osixia/openldap\nARG TAG=1.5.0\nFROM $IMAGE:$TAG\n',
    expected: { images: [image('docker.io/osixia/openldap:1.5.0', '$IMAGE:$TAG', 3)], findings: [] },
  },
  {
    name: '${VAR:-default} with a declared ARG that has no value',
    text: 'ARG TAG\nFROM redis:${TAG:-7}\n',
    expected: { images: [image('docker.io/library/redis:7', 'redis:${TAG:-7}', 2)], findings: [] },
  },
  {
    name: '${VAR:-default} with an undeclared variable',
    text: 'FROM redis:${TAG:-7}\n',
    expected: { images: [image('docker.io/library/redis:7', 'redis:${TAG:-7}', 1)], findings: [] },
  },
  {
    name: '${VAR:-default} uses the default for an empty value, ${VAR-default} keeps the empty value',
    text: 'ARG SUFFIX=\nFROM redis:7${SUFFIX:--alpine}\nFROM redis:6${SUFFIX-alpine}\n',
    expected: {
      images: [
        image('docker.io/library/redis:7-alpine', 'redis:7${SUFFIX:--alpine}', 2),
        image('docker.io/library/redis:6', 'redis:6${SUFFIX-alpine}', 3),
      ],
      findings: [],
    },
  },
  {
    name: '${VAR-default} uses the default when unset',
    text: 'ARG TAG\nFROM redis:${TAG-7}\n',
    expected: { images: [image('docker.io/library/redis:7', 'redis:${TAG-7}', 2)], findings: [] },
  },
  {
    name: '${VAR:+alternative}',
    text: 'ARG ALPINE=yes\nARG SLIM\nFROM redis:7${ALPINE:+-alpine}\nFROM node:20${SLIM:+-slim}\n',
    expected: {
      images: [
        image('docker.io/library/redis:7-alpine', 'redis:7${ALPINE:+-alpine}', 3),
        image('docker.io/library/node:20', 'node:20${SLIM:+-slim}', 4),
      ],
      findings: [],
    },
  },
  {
    name: 'a nested default is only read when needed',
    text: 'ARG REG=harbor.corp.local/proj\nFROM ${REG:-${UNSET}}/redis:7\nFROM ${OTHER:-${REG}}/minio/minio:latest\n',
    expected: {
      images: [
        image('harbor.corp.local/proj/redis:7', '${REG:-${UNSET}}/redis:7', 2),
        image('harbor.corp.local/proj/minio/minio:latest', '${OTHER:-${REG}}/minio/minio:latest', 3),
      ],
      findings: [],
    },
  },
  {
    name: 'build args override ARG defaults',
    text: 'ARG TAG=7\nFROM redis:${TAG}\n',
    buildArgs: { TAG: '6.2' },
    expected: { images: [image('docker.io/library/redis:6.2', 'redis:${TAG}', 2)], findings: [] },
  },
  {
    name: 'build args give a value to an ARG without default',
    text: 'ARG TAG\nFROM redis:${TAG}\n',
    buildArgs: { TAG: '7' },
    expected: { images: [image('docker.io/library/redis:7', 'redis:${TAG}', 2)], findings: [] },
  },
  {
    name: 'a build arg value is taken literally',
    text: 'ARG TAG=7\nFROM redis:${TAG}\n',
    buildArgs: { TAG: '${OTHER}' },
    expected: {
      images: [],
      findings: [
        {
          _tag: 'InvalidReference',
          file,
          line: 2,
          raw: 'redis:${TAG}',
          text: 'redis:${OTHER}',
          error: { _tag: 'InvalidFormat', input: 'redis:${OTHER}' },
        },
      ],
    },
  },
  {
    name: 'a build arg without a global ARG is not seen by FROM, as in Docker',
    text: 'FROM redis:${TAG}\n',
    buildArgs: { TAG: '7' },
    expected: {
      images: [],
      findings: [{ _tag: 'UnresolvedVariable', file, line: 1, text: 'redis:${TAG}', variable: 'TAG', reason: 'undeclared-arg' }],
    },
  },
  {
    name: 'an ARG declared after the first FROM is not global',
    text: 'FROM alpine\nARG TAG=7\nFROM redis:${TAG}\n',
    expected: {
      images: [image('docker.io/library/alpine:latest', 'alpine', 1)],
      findings: [{ _tag: 'UnresolvedVariable', file, line: 3, text: 'redis:${TAG}', variable: 'TAG', reason: 'undeclared-arg' }],
    },
  },
  {
    name: 'ARG defaults see earlier ARGs, several per line',
    text: 'ARG REG=harbor.corp.local/proj NAME=redis\nARG IMAGE=${REG}/${NAME}\nFROM ${IMAGE}:7\n',
    expected: { images: [image('harbor.corp.local/proj/redis:7', '${IMAGE}:7', 3)], findings: [] },
  },
  {
    name: 'a build arg reaches ARG defaults that use it',
    text: 'ARG REG=docker.io\nARG IMAGE=${REG}/library/redis\nFROM ${IMAGE}:7\n',
    buildArgs: { REG: 'harbor.corp.local/proj' },
    expected: { images: [image('harbor.corp.local/proj/library/redis:7', '${IMAGE}:7', 3)], findings: [] },
  },
  {
    name: 'an ARG whose default needs an unset variable: the finding names both',
    text: 'ARG IMAGE=${REG}/redis\nFROM ${IMAGE}:7\n',
    expected: {
      images: [],
      findings: [
        { _tag: 'UnresolvedVariable', file, line: 2, text: '${IMAGE}:7', variable: 'REG', via: 'IMAGE', reason: 'undeclared-arg' },
      ],
    },
  },
  {
    name: 'an ARG without value is a finding, never an image',
    text: 'ARG TAG\nFROM redis:${TAG}\nFROM minio/minio:$TAG\n',
    expected: {
      images: [],
      findings: [
        { _tag: 'UnresolvedVariable', file, line: 2, text: 'redis:${TAG}', variable: 'TAG', reason: 'arg-without-value' },
        { _tag: 'UnresolvedVariable', file, line: 3, text: 'minio/minio:$TAG', variable: 'TAG', reason: 'arg-without-value' },
      ],
    },
  },
  {
    name: 'every unresolved variable of one FROM is reported',
    text: 'FROM ${REGISTRY}/redis:${TAG}\n',
    expected: {
      images: [],
      findings: [
        { _tag: 'UnresolvedVariable', file, line: 1, text: '${REGISTRY}/redis:${TAG}', variable: 'REGISTRY', reason: 'undeclared-arg' },
        { _tag: 'UnresolvedVariable', file, line: 1, text: '${REGISTRY}/redis:${TAG}', variable: 'TAG', reason: 'undeclared-arg' },
      ],
    },
  },
  {
    name: 'BuildKit platform ARGs need no declaration but need a value',
    text: 'FROM redis:7-${TARGETARCH}\n',
    expected: {
      images: [],
      findings: [{ _tag: 'UnresolvedVariable', file, line: 1, text: 'redis:7-${TARGETARCH}', variable: 'TARGETARCH', reason: 'platform-arg' }],
    },
  },
  {
    name: 'BuildKit platform ARGs from build args',
    text: 'FROM redis:7-${TARGETARCH}\n',
    buildArgs: { TARGETARCH: 'amd64' },
    expected: { images: [image('docker.io/library/redis:7-amd64', 'redis:7-${TARGETARCH}', 1)], findings: [] },
  },
  {
    name: '${VAR:?message} unset',
    // FROM splits its words before substitution, as Docker does, so the message has no spaces.
    text: 'ARG TAG\nFROM redis:${TAG:?required}\n',
    expected: {
      images: [],
      findings: [{ _tag: 'RequiredVariable', file, line: 2, text: 'redis:${TAG:?required}', variable: 'TAG', message: 'required' }],
    },
  },
  {
    name: '${VAR?message} set to empty is fine',
    text: 'ARG SUFFIX=\nFROM redis:7${SUFFIX?required}\n',
    expected: { images: [image('docker.io/library/redis:7', 'redis:7${SUFFIX?required}', 2)], findings: [] },
  },
  {
    name: 'pattern substitutions are not implemented: a finding',
    text: 'ARG VERSION=v7\nFROM redis:${VERSION#v}\n',
    expected: {
      images: [],
      findings: [{ _tag: 'UnsupportedSubstitution', file, line: 2, text: 'redis:${VERSION#v}', expression: '${VERSION#v}' }],
    },
  },
  {
    name: 'an unterminated ${ is a finding',
    text: 'FROM redis:${TAG\n',
    expected: {
      images: [],
      findings: [{ _tag: 'InvalidInterpolation', file, line: 1, text: 'redis:${TAG', detail: 'unterminated "${" at position 7' }],
    },
  },
  {
    name: 'stage names are excluded, case-insensitively, whatever their characters',
    text: 'FROM golang:1.22 AS Builder\nFROM builder AS test\nFROM BUILDER\nFROM alpine AS my.stage-1_x\nFROM My.Stage-1_X\n',
    expected: {
      images: [image('docker.io/library/golang:1.22', 'golang:1.22', 1), image('docker.io/library/alpine:latest', 'alpine', 4)],
      findings: [],
    },
  },
  {
    name: 'a stage named like its own base image: the base is an image, later uses are the stage',
    text: 'FROM redis AS redis\nFROM redis\n',
    expected: { images: [image('docker.io/library/redis:latest', 'redis', 1)], findings: [] },
  },
  {
    name: 'only earlier stages are stages: a name defined later is an image',
    text: 'FROM base\nFROM alpine AS base\n',
    expected: {
      images: [image('docker.io/library/base:latest', 'base', 1), image('docker.io/library/alpine:latest', 'alpine', 2)],
      findings: [],
    },
  },
  {
    name: 'a stage named through a variable is still a stage',
    text: 'ARG STAGE=builder\nFROM alpine AS builder\nFROM ${STAGE}\n',
    expected: { images: [image('docker.io/library/alpine:latest', 'alpine', 2)], findings: [] },
  },
  {
    name: 'scratch is not an image',
    text: 'FROM golang:1.22 AS build\nFROM scratch\nCOPY --from=build /app /app\n',
    expected: { images: [image('docker.io/library/golang:1.22', 'golang:1.22', 1)], findings: [] },
  },
  {
    name: 'heredoc bodies are not instructions',
    text: 'FROM alpine\nRUN <<EOF\nFROM evil:1\nEOF\nCOPY <<-EOT /etc/x\n\tFROM evil:2\n\tEOT\nRUN <<A cat && <<B cat\nFROM evil:3\nA\nFROM evil:4\nB\nFROM redis:7\n',
    expected: {
      images: [image('docker.io/library/alpine:latest', 'alpine', 1), image('docker.io/library/redis:7', 'redis:7', 13)],
      findings: [],
    },
  },
  {
    name: 'an invalid reference is a finding with the core error',
    text: 'FROM Redis:7\n',
    expected: {
      images: [],
      findings: [
        { _tag: 'InvalidReference', file, line: 1, raw: 'Redis:7', text: 'Redis:7', error: { _tag: 'NameContainsUppercase', input: 'Redis:7' } },
      ],
    },
  },
  {
    name: 'an empty substitution result is an invalid reference',
    text: 'ARG IMAGE=\nFROM ${IMAGE}\n',
    expected: {
      images: [],
      findings: [{ _tag: 'InvalidReference', file, line: 2, raw: '${IMAGE}', text: '', error: { _tag: 'EmptyReference', input: '' } }],
    },
  },
  {
    name: 'malformed FROM instructions are findings',
    text: 'FROM\nFROM --platform=linux/amd64\nFROM redis AS\nFROM redis AS x y\nFROM redis:7 AS x # comment\nFROM redis minio\n',
    expected: {
      images: [],
      findings: [
        { _tag: 'MalformedFrom', file, line: 1, text: 'FROM' },
        { _tag: 'MalformedFrom', file, line: 2, text: 'FROM' },
        { _tag: 'MalformedFrom', file, line: 3, text: 'FROM redis AS' },
        { _tag: 'MalformedFrom', file, line: 4, text: 'FROM redis AS x y' },
        { _tag: 'MalformedFrom', file, line: 5, text: 'FROM redis:7 AS x # comment' },
        { _tag: 'MalformedFrom', file, line: 6, text: 'FROM redis minio' },
      ],
    },
  },
  {
    name: 'double quotes are removed and expanded, single quotes are literal',
    text: 'ARG TAG=7\nFROM "redis:${TAG}"\nFROM \'redis:${TAG}\'\n',
    expected: {
      images: [image('docker.io/library/redis:7', '"redis:${TAG}"', 2)],
      findings: [
        {
          _tag: 'InvalidReference',
          file,
          line: 3,
          raw: "'redis:${TAG}'",
          text: 'redis:${TAG}',
          error: { _tag: 'InvalidFormat', input: 'redis:${TAG}' },
        },
      ],
    },
  },
  {
    name: 'an escaped $ is literal',
    text: 'ARG TAG=7\nFROM redis:\\$TAG\n',
    expected: {
      images: [],
      findings: [
        { _tag: 'InvalidReference', file, line: 2, raw: 'redis:\\$TAG', text: 'redis:$TAG', error: { _tag: 'InvalidFormat', input: 'redis:$TAG' } },
      ],
    },
  },
  {
    name: 'the escape directive changes the continuation and escape character',
    text: '# escape=`\nARG TAG=7\nFROM redis:${TAG} `\n  AS cache\nFROM redis:`$TAG\n',
    expected: {
      images: [image('docker.io/library/redis:7', 'redis:${TAG}', 3)],
      findings: [
        { _tag: 'InvalidReference', file, line: 5, raw: 'redis:`$TAG', text: 'redis:$TAG', error: { _tag: 'InvalidFormat', input: 'redis:$TAG' } },
      ],
    },
  },
  {
    name: 'registries with ports and digests',
    text: `FROM localhost:5000/team/app:1.0\nFROM redis@${DIGEST}\nFROM harbor.corp.local/proj/redis:7@${DIGEST}\n`,
    expected: {
      images: [
        image('localhost:5000/team/app:1.0', 'localhost:5000/team/app:1.0', 1),
        image(`docker.io/library/redis@${DIGEST}`, `redis@${DIGEST}`, 2),
        image(`harbor.corp.local/proj/redis:7@${DIGEST}`, `harbor.corp.local/proj/redis:7@${DIGEST}`, 3),
      ],
      findings: [],
    },
  },
  {
    name: 'a file without FROM has no images',
    text: '# just a comment\n',
    expected: { images: [], findings: [] },
  },
];

describe('parseDockerfile', () => {
  test.each(cases)('$name', ({ text, buildArgs, expected }) => {
    const result = parseDockerfile(text, { file, ...(buildArgs === undefined ? {} : { buildArgs: new Map(Object.entries(buildArgs)) }) });
    expect(result).toEqual(expected);
  });

  test('CRLF line endings are read like LF', () => {
    expect(parseDockerfile('ARG TAG=7\r\nFROM \\\r\n  redis:${TAG}\r\n', { file })).toEqual({
      images: [image('docker.io/library/redis:7', 'redis:${TAG}', 2)],
      findings: [],
    });
  });
});

describe('parseDockerfile: images a build pulls besides FROM', () => {
  test('# syntax=, COPY --from=IMAGE and RUN --mount from=IMAGE are images; stage names and indexes are not', () => {
    const text = [
      '# syntax=docker/dockerfile:1.7',
      'ARG UV=0.4.0',
      'FROM python:3.12-slim AS Builder',
      'COPY --from=ghcr.io/astral-sh/uv:${UV} --chown=1 /uv /bin/uv',
      'COPY --from=builder /app /app',
      'COPY --from=0 /etc/os-release /tmp/',
      'RUN --mount=type=bind,from=busybox:1.36,source=/bin/busybox,target=/bb --mount=type=cache,target=/root/.cache true',
      'RUN --mount=type=cache,from=BUILDER,target=/x --mount=from=later,target=/y true',
      'FROM scratch AS later',
      'COPY --from=scratch / /',
    ].join('\n');
    expect(parseDockerfile(text, { file })).toEqual({
      images: [
        image('docker.io/docker/dockerfile:1.7', 'docker/dockerfile:1.7', 1),
        image('docker.io/library/python:3.12-slim', 'python:3.12-slim', 3),
        image('ghcr.io/astral-sh/uv:0.4.0', 'ghcr.io/astral-sh/uv:${UV}', 4),
        image('docker.io/library/busybox:1.36', 'busybox:1.36', 7),
      ],
      findings: [],
    });
  });

  test('a --from that cannot be worked out is a finding; other directives are not images', () => {
    const text = '# escape=\\\n# check=skip=all\nFROM alpine:3.20\nCOPY --from=$MISSING / /\n';
    expect(parseDockerfile(text, { file })).toEqual({
      images: [image('docker.io/library/alpine:3.20', 'alpine:3.20', 3)],
      findings: [{ _tag: 'UnresolvedVariable', file, line: 4, text: '$MISSING', variable: 'MISSING', reason: 'undeclared-arg' }],
    });
  });
});
