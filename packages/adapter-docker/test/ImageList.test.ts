import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { imageListArgs, parseImageList } from '../src/index.js';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

// Both fixtures were captured from the real engines (docker 28 CLI + dockerd 20.10, podman 4.3) with a loopback
// registry: an image with several names and a pushed digest, a digest-only image (pulled by digest) and a
// dangling one.
describe('parseImageList on captured engine output', () => {
  test('docker: rows grouped by id; dangling kept without names; digest-only entries keep their digest', () => {
    expect(parseImageList('docker', fixture('docker-image-ls.jsonl'))).toEqual({
      _tag: 'Right',
      right: {
        version: 1,
        images: [
          { id: 'sha256:8e4c37450023f29f2ebf759a30825398976b5cd408c7f40ad80e581c4050d917', names: [] },
          {
            id: 'sha256:ba2a2c5f3b4c05567d84eb995c867b10d64e59a56feef4215e84635db5dd8713',
            names: ['127.0.0.1:35799/proj/redis:7-alpine', 'localhost/minio/minio:latest', 'localhost/redis:7-alpine'],
            digests: ['127.0.0.1:35799/proj/redis@sha256:f432725864e2423f213c3e6ecfffb245612afb188e395ce403b43ed5fd6a9757'],
          },
          {
            id: 'sha256:f3ce62ac12fc8acd4ef9601c3c1f782adac4da29ee4bb6b5e0146273f18bc4fa',
            names: [],
            digests: ['127.0.0.1:35799/proj/osixia/openldap@sha256:c225222556cf1d31d611e1968a55cc9c22827a6b893e43c2c361180ea7fc5bac'],
          },
        ],
      },
    });
  });

  test('podman: repeated entries merged, bare ids prefixed, localhost/ names kept, digest names moved to digests', () => {
    expect(parseImageList('podman', fixture('podman-images.json'))).toEqual({
      _tag: 'Right',
      right: {
        version: 1,
        images: [
          {
            id: 'sha256:244853701782fa5d3c4dc56562b31929ae11b080e2c2e2b95e0b31454092017d',
            names: ['docker.io/library/redis:7-alpine', 'localhost/minio/minio:latest', 'localhost/redis:7-alpine'],
            digests: [
              'docker.io/library/redis@sha256:bdee6c22188d0be94ccd4f019fe240d92f34e6566be779a7c4d261ab11de926a',
              'localhost/minio/minio@sha256:bdee6c22188d0be94ccd4f019fe240d92f34e6566be779a7c4d261ab11de926a',
              'localhost/redis@sha256:bdee6c22188d0be94ccd4f019fe240d92f34e6566be779a7c4d261ab11de926a',
            ],
          },
          { id: 'sha256:94d41f3bae66cec37655199e4e82d8a1f604c9455eb08b0cba49252640f88adb', names: [] },
          {
            id: 'sha256:f3ce62ac12fc8acd4ef9601c3c1f782adac4da29ee4bb6b5e0146273f18bc4fa',
            names: [],
            digests: ['127.0.0.1:35799/proj/osixia/openldap@sha256:c225222556cf1d31d611e1968a55cc9c22827a6b893e43c2c361180ea7fc5bac'],
          },
        ],
      },
    });
  });
});

describe('parseImageList edge cases', () => {
  test('empty output is an empty store, for every engine', () => {
    for (const engine of ['docker', 'podman', 'nerdctl'] as const) {
      expect(parseImageList(engine, '')).toEqual({ _tag: 'Right', right: { version: 1, images: [] } });
    }
  });

  test('nerdctl rows read like docker rows, several rows per image (platforms) merged', () => {
    const id = `sha256:${'a'.repeat(64)}`;
    const rows = [
      { ID: id, Repository: 'redis', Tag: '7-alpine', Digest: `sha256:${'b'.repeat(64)}`, Platform: 'linux/amd64' },
      { ID: id, Repository: 'redis', Tag: '7-alpine', Digest: `sha256:${'b'.repeat(64)}`, Platform: 'linux/arm64' },
      { ID: id, Repository: 'localhost/redis', Tag: '7-alpine', Digest: '' },
    ];
    expect(parseImageList('nerdctl', rows.map((r) => JSON.stringify(r)).join('\n'))).toEqual({
      _tag: 'Right',
      right: {
        version: 1,
        images: [{ id, names: ['localhost/redis:7-alpine', 'redis:7-alpine'], digests: [`redis@sha256:${'b'.repeat(64)}`] }],
      },
    });
  });

  test('podman entries without Names (dangling) and with RepoTags (podman 5) both work', () => {
    const out = JSON.stringify([
      { Id: 'c'.repeat(64), Names: null, RepoTags: null, RepoDigests: [] },
      { Id: 'd'.repeat(64), Names: ['localhost/a:1'], RepoTags: ['localhost/a:1', 'docker.io/library/a:1'], RepoDigests: null },
    ]);
    expect(parseImageList('podman', out)).toEqual({
      _tag: 'Right',
      right: {
        version: 1,
        images: [
          { id: `sha256:${'c'.repeat(64)}`, names: [] },
          { id: `sha256:${'d'.repeat(64)}`, names: ['docker.io/library/a:1', 'localhost/a:1'] },
        ],
      },
    });
  });

  test('output that is not the expected JSON is an UnexpectedOutput error naming the problem', () => {
    expect(parseImageList('docker', '{"ID":"sha256:1","Repository":"a","Tag":"1"}\nWARNING: something')).toEqual({
      _tag: 'Left',
      left: { _tag: 'UnexpectedOutput', engine: 'docker', message: 'line 2 of the image list is not JSON: WARNING: something' },
    });
    expect(parseImageList('docker', '{"Repository":"a"}')).toMatchObject({ _tag: 'Left', left: { _tag: 'UnexpectedOutput' } });
    expect(parseImageList('podman', 'Error: no')).toMatchObject({ _tag: 'Left', left: { _tag: 'UnexpectedOutput', engine: 'podman' } });
    expect(parseImageList('podman', '{"Id":"x"}')).toMatchObject({ _tag: 'Left', left: { message: 'the image list is not a JSON array' } });
    expect(parseImageList('podman', '[{"Names":["a:1"]}]')).toMatchObject({ _tag: 'Left', left: { message: 'image 0 in the list has no Id' } });
  });

  test('the listing is one invocation per engine, in that engine\'s own words', () => {
    expect(imageListArgs('docker')).toEqual(['image', 'ls', '--all', '--no-trunc', '--digests', '--format', '{{json .}}']);
    expect(imageListArgs('podman')).toEqual(['images', '--all', '--format', 'json']);
    expect(imageListArgs('nerdctl')).toEqual(['image', 'ls', '--no-trunc', '--format', '{{json .}}']);
  });
});
