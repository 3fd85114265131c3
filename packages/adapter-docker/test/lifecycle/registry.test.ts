import { describe, expect, test } from '@jest/globals';
import { left, right } from 'fp-ts/lib/Either.js';
import { freeLoopbackPort } from '../../../../test-support/registry.js';
import type { ManifestProbeError } from '@imgalias/core';
import { describeRegistryError, headManifest, isLoopbackRegistry, isPermanentRegistryError, manifestAccept, parseBearerChallenge } from '../../src/index.js';

interface Asked {
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
}

/** A fetch answering from a list, recording what was asked. */
const fakeFetch = (answers: ReadonlyArray<Response | Error>) => {
  const asked: Asked[] = [];
  let i = 0;
  const f = (async (input: string | URL, init?: RequestInit) => {
    asked.push({ url: String(input), method: init?.method ?? 'GET', headers: { ...(init?.headers as Record<string, string> | undefined) } });
    const answer = answers[i++];
    if (answer === undefined) throw new Error('unexpected request');
    if (answer instanceof Error) throw answer;
    return answer;
  }) as typeof fetch;
  return { f, asked };
};

const REDIS = { domain: '127.0.0.1:5000', path: 'aihpc/redis', tag: '7' };
const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('headManifest', () => {
  test('asks HEAD /v2/<repo>/manifests/<tag> over plain HTTP on loopback, with every manifest media type', async () => {
    const { f, asked } = fakeFetch([
      new Response(null, { status: 200, headers: { 'docker-content-digest': DIGEST, 'content-type': 'application/vnd.oci.image.manifest.v1+json' } }),
    ]);
    expect(await headManifest({ reference: REDIS, fetch: f })).toEqual(right({ digest: DIGEST, mediaType: 'application/vnd.oci.image.manifest.v1+json' }));
    expect(asked).toEqual([{ url: 'http://127.0.0.1:5000/v2/aihpc/redis/manifests/7', method: 'HEAD', headers: { accept: manifestAccept } }]);
    expect(manifestAccept.split(', ')).toEqual([
      'application/vnd.oci.image.index.v1+json',
      'application/vnd.oci.image.manifest.v1+json',
      'application/vnd.docker.distribution.manifest.list.v2+json',
      'application/vnd.docker.distribution.manifest.v2+json',
    ]);
  });

  test('Docker Hub is asked at registry-1.docker.io over HTTPS, with the anonymous token dance; a digest reference asks by digest', async () => {
    const { f, asked } = fakeFetch([
      new Response(null, { status: 401, headers: { 'www-authenticate': 'Bearer realm="https://auth.example/token",service="registry.example",scope="repository:library/redis:pull"' } }),
      new Response(JSON.stringify({ token: 'T' }), { status: 200 }),
      new Response(null, { status: 200 }),
    ]);
    const result = await headManifest({ reference: { domain: 'docker.io', path: 'library/redis', digest: DIGEST }, fetch: f });
    expect(result).toEqual(right({}));
    expect(asked.map((a) => `${a.method} ${a.url}`)).toEqual([
      `HEAD https://registry-1.docker.io/v2/library/redis/manifests/${DIGEST}`,
      'GET https://auth.example/token?service=registry.example&scope=repository%3Alibrary%2Fredis%3Apull',
      `HEAD https://registry-1.docker.io/v2/library/redis/manifests/${DIGEST}`,
    ]);
    expect(asked[2]?.headers['authorization']).toBe('Bearer T');
  });

  test.each<[string, ReadonlyArray<Response | Error>, ManifestProbeError['_tag'], boolean]>([
    ['404 is manifest unknown: permanent', [new Response(null, { status: 404 })], 'ManifestUnknown', true],
    ['403 is unauthorized: permanent', [new Response(null, { status: 403 })], 'Unauthorized', true],
    [
      '401 still after an anonymous token is unauthorized: permanent',
      [
        new Response(null, { status: 401, headers: { 'www-authenticate': 'Bearer realm="http://127.0.0.1:9/t"' } }),
        new Response(JSON.stringify({ access_token: 'A' }), { status: 200 }),
        new Response(null, { status: 401 }),
      ],
      'Unauthorized',
      true,
    ],
    [
      '401 whose token endpoint refuses is unauthorized',
      [new Response(null, { status: 401, headers: { 'www-authenticate': 'Bearer realm="http://127.0.0.1:9/t"' } }), new Response(null, { status: 500 })],
      'Unauthorized',
      true,
    ],
    ['503 is a registry failure: transient', [new Response(null, { status: 503 })], 'RegistryFailed', false],
    ['a refused connection is unreachable: transient', [Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } })], 'RegistryUnreachable', false],
  ])('%s', async (_name, answers, tag, permanent) => {
    const { f } = fakeFetch(answers);
    const result = await headManifest({ reference: REDIS, fetch: f });
    expect(result._tag).toBe('Left');
    if (result._tag === 'Left') {
      expect(result.left._tag).toBe(tag);
      expect(isPermanentRegistryError(result.left)).toBe(permanent);
    }
  });

  test('an insecure registry named in options is asked over plain HTTP', async () => {
    const { f, asked } = fakeFetch([new Response(null, { status: 404 })]);
    const result = await headManifest({ reference: { domain: 'harbor.lan:8080', path: 'p/x' }, fetch: f, insecureRegistries: ['harbor.lan:8080'] });
    expect(result).toEqual(left({ _tag: 'ManifestUnknown', reference: 'harbor.lan:8080/p/x:latest', status: 404 }));
    expect(asked[0]?.url).toBe('http://harbor.lan:8080/v2/p/x/manifests/latest');
  });

  test('a real loopback port nobody listens on is unreachable, with the system error code', async () => {
    const port = await freeLoopbackPort();
    const result = await headManifest({ reference: { domain: `127.0.0.1:${port}`, path: 'a/b', tag: '1' }, timeoutMs: 2000 });
    expect(result).toEqual(
      left({ _tag: 'RegistryUnreachable', reference: `127.0.0.1:${port}/a/b:1`, url: `http://127.0.0.1:${port}/v2/a/b/manifests/1`, message: 'ECONNREFUSED' }),
    );
  });
});

describe('registry helpers', () => {
  test.each([
    ['127.0.0.1:5000', true],
    ['127.1.2.3', true],
    ['localhost:5000', true],
    ['[::1]:5000', true],
    ['harbor.corp.local', false],
    ['128.0.0.1:5000', false],
    ['127.0.0.1.evil.com', false],
  ])('isLoopbackRegistry(%s) is %s', (registry, expected) => {
    expect(isLoopbackRegistry(registry)).toBe(expected);
  });

  test('parseBearerChallenge reads realm, service and scope; other schemes are not a challenge', () => {
    expect(parseBearerChallenge('Bearer realm="https://a/t",service="s",scope="repository:x:pull"')).toEqual({ realm: 'https://a/t', service: 's', scope: 'repository:x:pull' });
    expect(parseBearerChallenge('Basic realm="x"')).toBeUndefined();
    expect(parseBearerChallenge('Bearer service="s"')).toBeUndefined();
  });

  test('every registry error reads as a sentence naming the image and what to do', () => {
    expect(describeRegistryError({ _tag: 'ManifestUnknown', reference: 'h/p/x:1', status: 404 })).toMatch(/^h\/p\/x:1: the registry has no such image .*\(imgalias publish h\/p\/x:1\)/);
    expect(describeRegistryError({ _tag: 'Unauthorized', reference: 'h/p/x:1', status: 401 })).toMatch(/refused access \(HTTP 401\)\. Log in/);
    expect(describeRegistryError({ _tag: 'RegistryUnreachable', reference: 'h/p/x:1', url: 'http://h/v2/', message: 'ECONNREFUSED' })).toMatch(/cannot reach http:\/\/h\/v2\/ \(ECONNREFUSED\)/);
    expect(describeRegistryError({ _tag: 'RegistryFailed', reference: 'h/p/x:1', url: 'http://h/v2/', status: 502 })).toMatch(/answered HTTP 502/);
  });
});
