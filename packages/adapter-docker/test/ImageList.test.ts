import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { imageListArgs, parseImageList } from '../src/index.js';
import { podmanListTemplate } from '../src/ImageList.js';
import { parsePodmanJsonList } from './podmanJsonList.js';

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

  // podman-images.tsv is what the template prints for the store podman-images.json was captured from (one image
  // line per image, one row line per further row of it); the real-engine test in engines.int.test.ts compares the
  // two listings on a live store.
  test('podman: bare ids prefixed, row lines merged, localhost/ names kept, digest names moved to digests', () => {
    expect(parseImageList('podman', fixture('podman-images.tsv'))).toEqual({ _tag: 'Right', right: parsePodmanJsonList(fixture('podman-images.json')) });
    expect(parseImageList('podman', fixture('podman-images.tsv'))).toEqual({
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

  test('podman lines without names (dangling) and with RepoTags beyond Names (podman 5) both work', () => {
    const out = [`image\t${'c'.repeat(64)}\t\t\t`, `image\tsha256:${'d'.repeat(64)}\tlocalhost/a:1\tlocalhost/a:1 docker.io/library/a:1\t`, `row\t${'d'.repeat(64)}`].join('\n');
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
  });

  const id = 'e'.repeat(64);
  test.each([
    ['a warning line', `image\t${id}\ta:1\t\t\nWARNING: something`, 'line 2 of the image list is not an image line: "WARNING: something"'],
    ['the old JSON listing', '[{"Id":"x"}]', 'line 1 of the image list is not an image line: "[{\\"Id\\":\\"x\\"}]"'],
    ['too few fields', `image\t${id}\ta:1`, 'line 1 of the image list is not an image line'],
    ['too many fields', `image\t${id}\ta:1\t\t\t\t`, 'line 1 of the image list is not an image line'],
    ['a row with names', `row\t${id}\ta:1`, 'line 1 of the image list is not an image line'],
    ['an unknown kind', `IMAGE\t${id}\t\t\t`, 'line 1 of the image list is not an image line'],
    ['an id that is not hex', 'image\t$(rm -rf x)\t\t\t', 'line 1 of the image list is not an image line'],
    ['an empty id', 'image\t\ta:1\t\t', 'line 1 of the image list is not an image line'],
    ['a name with a control character', `image\t${id}\ta:1\u001b[2J\t\t`, 'line 1 of the image list has a malformed name or digest'],
    ['two spaces (an empty name)', `image\t${id}\ta:1  b:1\t\t`, 'line 1 of the image list has a malformed name or digest'],
    ['a non-ASCII name', `image\t${id}\t\t\tа@sha256:1`, 'line 1 of the image list has a malformed name or digest'],
    ['rows whose image line is missing', `row\t${id}\nrow\t${id}`, `image sha256:${id} is listed without its names (no image line for it)`],
  ])('podman output with %s is an UnexpectedOutput error, read as data only', (_, out, message) => {
    const parsed = parseImageList('podman', out);
    expect(parsed).toMatchObject({ _tag: 'Left', left: { _tag: 'UnexpectedOutput', engine: 'podman' } });
    expect(parsed._tag === 'Left' && parsed.left._tag === 'UnexpectedOutput' ? parsed.left.message : '').toContain(message);
  });

  test('podman row lines before or after their image line, and CRLF line ends, read the same', () => {
    const image = `image\t${id}\tlocalhost/a:1 localhost/a:2\t\tlocalhost/a@sha256:${'f'.repeat(64)}`;
    const expected = { _tag: 'Right', right: { version: 1, images: [{ id: `sha256:${id}`, names: ['localhost/a:1', 'localhost/a:2'], digests: [`localhost/a@sha256:${'f'.repeat(64)}`] }] } };
    expect(parseImageList('podman', `row\t${id}\n${image}\n`)).toEqual(expected);
    expect(parseImageList('podman', `${image}\r\nrow\t${id}\r\n`)).toEqual(expected);
  });

  test('the listing is one invocation per engine, in that engine\'s own words', () => {
    expect(imageListArgs('docker')).toEqual(['image', 'ls', '--all', '--no-trunc', '--digests', '--format', '{{json .}}']);
    expect(imageListArgs('podman')).toEqual(['images', '--all', '--no-trunc', '--noheading', '--format', podmanListTemplate]);
    expect(imageListArgs('nerdctl')).toEqual(['image', 'ls', '--no-trunc', '--format', '{{json .}}']);
  });
});
