import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { classifyFileName, findProjectFiles, readComposeEnvironment } from '@imgalias/discover';

let root: string;

const tree: Readonly<Record<string, string>> = {
  'Dockerfile': 'FROM redis:7\n',
  'Dockerfile.dev': 'FROM redis:7\n',
  'Dockerfile.dockerignore': 'node_modules\n',
  'api.Dockerfile': 'FROM node:20\n',
  'compose.yaml': 'services: {}\n',
  'compose.override.yml': 'services: {}\n',
  'docker-compose.yml': 'services: {}\n',
  'docker-compose.prod.yaml': 'services: {}\n',
  'notes.yaml': 'not: compose\n',
  'dockerfile.txt': 'not a Dockerfile\n',
  'services/ldap/Dockerfile': 'FROM osixia/openldap:1.5.0\n',
  'services/ldap/compose.yaml': 'services: {}\n',
  'node_modules/pkg/Dockerfile': 'FROM ignored:1\n',
  '.git/Dockerfile': 'FROM ignored:2\n',
  'deep/node_modules/compose.yaml': 'services: {}\n',
  'custom/build.txt': 'FROM custom:1\n',
  'custom/stack.yml': 'services: {}\n',
};

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'imgalias-discover-'));
  for (const [file, text] of Object.entries(tree)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), text);
  }
  // A link to a file is followed; a link to a directory is not (it would loop here).
  await symlink(path.join(root, 'Dockerfile'), path.join(root, 'linked.Dockerfile'));
  await symlink(root, path.join(root, 'services', 'loop'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('classifyFileName', () => {
  test.each([
    ['Dockerfile', 'dockerfile'],
    ['Dockerfile.prod', 'dockerfile'],
    ['web.Dockerfile', 'dockerfile'],
    ['compose.yaml', 'compose'],
    ['compose.yml', 'compose'],
    ['compose.override.yaml', 'compose'],
    ['docker-compose.yml', 'compose'],
    ['docker-compose.ci.yaml', 'compose'],
    ['Dockerfile.dockerignore', undefined],
    ['dockerfile', undefined],
    ['web.dockerfile', undefined],
    ['compose.json', undefined],
    ['my-compose.yaml', undefined],
    ['values.yaml', undefined],
  ] as const)('%s -> %s', (name, kind) => {
    expect(classifyFileName(name)).toBe(kind);
  });
});

describe('findProjectFiles', () => {
  test('default patterns anywhere under root, skipping node_modules and .git, sorted', async () => {
    expect(await findProjectFiles({ root })).toEqual({
      files: [
        { path: 'Dockerfile', kind: 'dockerfile' },
        { path: 'Dockerfile.dev', kind: 'dockerfile' },
        { path: 'api.Dockerfile', kind: 'dockerfile' },
        { path: 'compose.override.yml', kind: 'compose' },
        { path: 'compose.yaml', kind: 'compose' },
        { path: 'docker-compose.prod.yaml', kind: 'compose' },
        { path: 'docker-compose.yml', kind: 'compose' },
        { path: 'linked.Dockerfile', kind: 'dockerfile' },
        { path: 'services/ldap/Dockerfile', kind: 'dockerfile' },
        { path: 'services/ldap/compose.yaml', kind: 'compose' },
      ],
      findings: [],
    });
  });

  test('explicit paths: directories are searched, files are taken whatever their name', async () => {
    expect(
      await findProjectFiles({ root, paths: ['services/ldap', 'custom/build.txt', 'custom/stack.yml', './services/ldap/Dockerfile'] }),
    ).toEqual({
      files: [
        { path: 'custom/build.txt', kind: 'dockerfile' },
        { path: 'custom/stack.yml', kind: 'compose' },
        { path: 'services/ldap/Dockerfile', kind: 'dockerfile' },
        { path: 'services/ldap/compose.yaml', kind: 'compose' },
      ],
      findings: [],
    });
  });

  test('a missing path is a finding', async () => {
    expect(await findProjectFiles({ root, paths: ['nope', 'api.Dockerfile'] })).toEqual({
      files: [{ path: 'api.Dockerfile', kind: 'dockerfile' }],
      findings: [{ _tag: 'PathNotFound', file: 'nope' }],
    });
  });

  test('an absolute path is reported relative to root', async () => {
    expect((await findProjectFiles({ root, paths: [path.join(root, 'services')] })).files.map((f) => f.path)).toEqual([
      'services/ldap/Dockerfile',
      'services/ldap/compose.yaml',
    ]);
  });

  test('a path that is neither file nor directory is a finding, never read', async () => {
    expect(await findProjectFiles({ root, paths: ['/dev/null'] })).toEqual({
      files: [],
      findings: [{ _tag: 'RefusedFile', file: '/dev/null', detail: 'is neither a regular file nor a directory; imgalias reads only regular files' }],
    });
  });
});

describe('readComposeEnvironment', () => {
  test('reads .env from the project directory; the given environment wins', async () => {
    const dir = path.join(root, 'envproject');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, '.env'), 'REDIS_VERSION=7.2-alpine\nMINIO_RELEASE=from-dotenv\nbroken line\n');
    const result = await readComposeEnvironment({
      root,
      directory: 'envproject',
      environment: new Map([['MINIO_RELEASE', 'from-shell']]),
    });
    expect(Object.fromEntries(result.env)).toEqual({ REDIS_VERSION: '7.2-alpine', MINIO_RELEASE: 'from-shell' });
    expect(result.findings).toEqual([
      { _tag: 'DotEnvSyntax', file: 'envproject/.env', line: 3, detail: 'expected KEY=value, found "broken line"' },
    ]);
  });

  test('no .env: only the given environment, and no finding', async () => {
    const result = await readComposeEnvironment({ root, environment: new Map([['A', '1']]) });
    expect(Object.fromEntries(result.env)).toEqual({ A: '1' });
    expect(result.findings).toEqual([]);
  });

  test('a .env that is a directory is refused, never read', async () => {
    const dir = path.join(root, 'odd');
    await mkdir(path.join(dir, '.env'), { recursive: true });
    expect(await readComposeEnvironment({ root, directory: 'odd' })).toEqual({
      env: new Map(),
      findings: [{ _tag: 'RefusedFile', file: 'odd/.env', detail: 'is a directory, not a regular file; imgalias reads only regular files' }],
    });
  });
});
