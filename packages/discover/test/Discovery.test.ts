import { afterAll, describe, expect, test } from '@jest/globals';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SnapshotCodec, decode, formatReference, parseReference } from '@imgalias/core';
import { describeDiscoveryFinding, discoverImages, isInformationalFinding } from '@imgalias/discover';
import type { Discovery } from '@imgalias/discover';

const here = path.dirname(fileURLToPath(import.meta.url));
// The README's example project is the realistic fixture: one copy, so the demo and these tests cannot drift.
const fieldProject = path.join(here, '..', '..', '..', 'examples', 'field-project');
const example = fieldProject;

const MINIO = 'docker.io/minio/minio:RELEASE.2024-01-16T16-07-38Z';
const MC = 'docker.io/minio/mc:RELEASE.2024-01-13T08-44-48Z';

/** What `imgalias scan --json` prints for the field project. */
const expectedFieldProject: Discovery = {
  images: [
    // `# syntax=docker/dockerfile:1`: BuildKit pulls that frontend image before it reads the file.
    { reference: 'docker.io/docker/dockerfile:1', sources: [{ file: 'docker/minio/Dockerfile', line: 1 }] },
    { reference: 'docker.io/hpello/tcp-proxy:latest', sources: [{ file: 'compose.yaml', line: 34 }] },
    {
      reference: 'docker.io/library/node:20-alpine',
      sources: [
        { file: 'Dockerfile', line: 4 },
        { file: 'Dockerfile', line: 15 },
      ],
    },
    {
      reference: 'docker.io/library/redis:7.2-alpine',
      sources: [
        { file: 'compose.yaml', line: 14 },
        { file: 'docker/redis/Dockerfile', line: 3 },
      ],
    },
    { reference: MC, sources: [{ file: 'docker/minio/Dockerfile', line: 6 }] },
    {
      reference: MINIO,
      sources: [
        { file: 'compose.yaml', line: 21 },
        { file: 'docker/minio/Dockerfile', line: 8 },
      ],
    },
    {
      reference: 'docker.io/osixia/openldap:1.5.0',
      sources: [
        { file: 'compose.yaml', line: 25 },
        { file: 'docker/openldap/openldap.Dockerfile', line: 1 },
      ],
    },
    { reference: 'docker.io/osixia/phpldapadmin:0.9.0', sources: [{ file: 'compose.yaml', line: 29 }] },
    { reference: 'docker.io/redislabs/redisinsight:1.14.0', sources: [{ file: 'compose.yaml', line: 17 }] },
  ],
  findings: [{ _tag: 'BuiltImage', file: 'compose.yaml', line: 10, service: 'app', reference: 'docker.io/field-project/app:dev' }],
};

describe('discoverImages on the field project', () => {
  test('every image, where it is used, and the built service as a finding', async () => {
    expect(await discoverImages({ root: fieldProject })).toEqual(expectedFieldProject);
  });

  test('the result is plain JSON data (the scan --json shape)', async () => {
    const result = await discoverImages({ root: fieldProject });
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  test('includeBuilt lists the built image instead of reporting it', async () => {
    const result = await discoverImages({ root: fieldProject, includeBuilt: true });
    expect(result.findings).toEqual([]);
    expect(result.images.map((i) => i.reference)).toEqual(
      [...expectedFieldProject.images.map((i) => i.reference), 'docker.io/field-project/app:dev'].sort(),
    );
    expect(result.images.find((i) => i.reference === 'docker.io/field-project/app:dev')?.sources).toEqual([{ file: 'compose.yaml', line: 10 }]);
  });

  test('build args reach every Dockerfile; env reaches compose files', async () => {
    const result = await discoverImages({
      root: fieldProject,
      buildArgs: new Map([['MINIO_RELEASE', 'RELEASE.2025-01-01T00-00-00Z']]),
      env: new Map([['REDIS_VERSION', '7.4']]),
    });
    const references = result.images.map((i) => i.reference);
    expect(references).toContain('docker.io/minio/minio:RELEASE.2025-01-01T00-00-00Z');
    expect(references).toContain('docker.io/library/redis:7.4');
    expect(result.images.find((i) => i.reference === MINIO)?.sources).toEqual([{ file: 'compose.yaml', line: 21 }]);
    expect(result.images.find((i) => i.reference === 'docker.io/library/redis:7.2-alpine')?.sources).toEqual([
      { file: 'docker/redis/Dockerfile', line: 3 },
    ]);
  });

  test('explicit paths narrow the search; a missing one is a finding', async () => {
    expect(await discoverImages({ root: fieldProject, paths: ['docker/minio', 'missing.Dockerfile'] })).toEqual({
      images: [
        { reference: 'docker.io/docker/dockerfile:1', sources: [{ file: 'docker/minio/Dockerfile', line: 1 }] },
        { reference: MC, sources: [{ file: 'docker/minio/Dockerfile', line: 6 }] },
        { reference: MINIO, sources: [{ file: 'docker/minio/Dockerfile', line: 8 }] },
      ],
      findings: [{ _tag: 'PathNotFound', file: 'missing.Dockerfile' }],
    });
  });

  test('the built-image finding is informational and says what to do', async () => {
    const [finding] = (await discoverImages({ root: fieldProject })).findings;
    expect(finding && isInformationalFinding(finding)).toBe(true);
    expect(finding && describeDiscoveryFinding(finding)).toBe(
      'compose.yaml:10: service app builds docker.io/field-project/app:dev itself; not aliased (--include-built or includeBuilt: true aliases it)',
    );
  });
});

describe('examples/field-project', () => {
  test('snapshot.json is a core snapshot in which every used image exists only under its localhost/ name', async () => {
    const decoded = decode(SnapshotCodec, JSON.parse(await readFile(path.join(example, 'snapshot.json'), 'utf8')));
    if (decoded._tag === 'Left') throw new Error('snapshot.json does not decode');
    const names = decoded.right.images.flatMap((image) => image.names);
    const discovered = (await discoverImages({ root: example })).images.map((image) => image.reference);
    // Podman names an unqualified image localhost/<familiar path>; every image here comes from Docker Hub.
    const localhostTwins = discovered.map((reference) => {
      const parsed = parseReference(reference);
      if (parsed._tag === 'Left') throw new Error(reference);
      return `localhost/${formatReference(parsed.right, 'familiar')}`;
    });
    expect([...names].sort()).toEqual([...localhostTwins].sort());
    expect(new Set(decoded.right.images.map((image) => image.id)).size).toBe(decoded.right.images.length);
  });
});

describe('discoverImages on problem files', () => {
  test('findings from every file, sorted by file and line; images still found', async () => {
    const root = path.join(here, 'fixtures', 'problems');
    const result = await discoverImages({ root });
    expect(result.images).toEqual([{ reference: 'docker.io/library/alpine:3.20', sources: [{ file: 'Dockerfile', line: 4 }] }]);
    expect(result.findings.map(describeDiscoveryFinding)).toEqual([
      'Dockerfile:2: "redis:${REDIS_TAG}": build arg REDIS_TAG has no value: give its ARG a default or pass it as a build arg',
      'Dockerfile:3: "Redis:7" is not an image reference: invalid reference format: repository name must be lowercase ("Redis:7")',
      'broken/compose.yml:3: not valid YAML: Nested mappings are not allowed in compact mappings',
      'compose.yaml:3: "minio/minio:${MINIO_RELEASE}": variable MINIO_RELEASE is not set: set it in the environment or in .env, or give a default with ${MINIO_RELEASE:-value}',
      'compose.yaml:5: service worker builds from worker/Dockerfile, which does not exist: check build.context and build.dockerfile',
      'compose.yaml:5: service worker builds its own image and names none; nothing to alias',
    ]);
    expect(result.findings.map(isInformationalFinding)).toEqual([false, false, false, false, false, true]);
  });
});

describe('discoverImages sources', () => {
  test('services sharing one anchored image give one source', async () => {
    expect(await discoverImages({ root: path.join(here, 'fixtures', 'anchors') })).toEqual({
      images: [
        {
          reference: 'docker.io/osixia/openldap:1.5.0',
          sources: [
            { file: 'compose.yaml', line: 2 },
            { file: 'ldap/Dockerfile', line: 1 },
          ],
        },
      ],
      findings: [],
    });
  });
});

describe('discoverImages with compose builds', () => {
  const project = async (files: Readonly<Record<string, string>>): Promise<string> => {
    const root = await mkdtemp(path.join(tmpdir(), 'imgalias-builds-'));
    for (const [file, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(root, file)), { recursive: true });
      await writeFile(path.join(root, file), text);
    }
    return root;
  };
  const roots: string[] = [];
  afterAll(async () => {
    for (const root of roots) await rm(root, { recursive: true, force: true });
  });

  test('a service\'s build.args feed its Dockerfile, not the Dockerfile\'s defaults', async () => {
    const root = await project({
      'compose.yaml': 'services:\n  train:\n    build:\n      context: ./train\n      dockerfile: gpu.Dockerfile\n      args:\n        PYTORCH_TAG: ${PYTORCH_TAG:-24.01-py3}\n',
      'train/gpu.Dockerfile': 'ARG PYTORCH_TAG=23.10-py3\nFROM nvcr.io/nvidia/pytorch:${PYTORCH_TAG}\n',
    });
    roots.push(root);
    const result = await discoverImages({ root });
    expect(result.images).toEqual([
      { reference: 'nvcr.io/nvidia/pytorch:24.01-py3', sources: [{ file: 'train/gpu.Dockerfile', line: 2 }] },
    ]);
  });

  test('one Dockerfile built by two services with different args gives both images; the list form and .env count', async () => {
    const root = await project({
      'compose.yaml':
        'services:\n  old:\n    build:\n      args: [REDIS_TAG=6]\n  new:\n    build:\n      context: .\n      args:\n        - REDIS_TAG=${NEW_TAG}\n  same:\n    build:\n      args: { REDIS_TAG: "6" }\n',
      '.env': 'NEW_TAG=7.2\n',
      Dockerfile: '# syntax=docker/dockerfile:1.7\nARG REDIS_TAG=5\nFROM redis:${REDIS_TAG}\nCOPY --from=ghcr.io/astral-sh/uv:0.4.0 /uv /bin/uv\n',
    });
    roots.push(root);
    const result = await discoverImages({ root, environment: new Map() });
    expect(result.images).toEqual([
      { reference: 'docker.io/docker/dockerfile:1.7', sources: [{ file: 'Dockerfile', line: 1 }] },
      { reference: 'docker.io/library/redis:6', sources: [{ file: 'Dockerfile', line: 3 }] },
      { reference: 'docker.io/library/redis:7.2', sources: [{ file: 'Dockerfile', line: 3 }] },
      { reference: 'ghcr.io/astral-sh/uv:0.4.0', sources: [{ file: 'Dockerfile', line: 4 }] },
    ]);
    expect(result.findings.filter((finding) => finding._tag !== 'BuiltImage')).toEqual([]);
  });

  test('a Dockerfile no service builds keeps its defaults and the given build args', async () => {
    const root = await project({
      'compose.yaml': 'services:\n  app:\n    build:\n      context: app\n      args: { TAG: "7" }\n',
      'app/Dockerfile': 'ARG TAG=5\nFROM redis:${TAG}\n',
      'tools/Dockerfile': 'ARG TAG=5\nARG BASE=alpine\nFROM ${BASE}:${TAG}\n',
    });
    roots.push(root);
    const result = await discoverImages({ root, buildArgs: new Map([['BASE', 'busybox']]) });
    expect(result.images.map((image) => image.reference)).toEqual(['docker.io/library/busybox:5', 'docker.io/library/redis:7']);
  });

  test('a Dockerfile a service builds is read even when only the compose file is scanned', async () => {
    const root = await project({
      'deploy/compose.yaml': 'services:\n  app:\n    build:\n      context: ../src\n',
      'src/Dockerfile': 'FROM python:3.12-slim\n',
    });
    roots.push(root);
    const result = await discoverImages({ root, paths: ['deploy/compose.yaml'] });
    expect(result.images).toEqual([{ reference: 'docker.io/library/python:3.12-slim', sources: [{ file: 'src/Dockerfile', line: 1 }] }]);
  });
});
