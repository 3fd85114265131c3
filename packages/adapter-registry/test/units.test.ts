// Pure parts of the adapter: challenges, scopes, manifests, platforms, names, error descriptions, and
// docker's credential lookup with an injected helper runner (no helper binary needed).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import {
  describeRegistryError,
  digestOf,
  dockerConfigCredentials,
  isLoopbackRegistry,
  isRetryable,
  mergeScopes,
  parseChallenge,
  parseManifest,
  parsePlatform,
  parseRemoteName,
  platformMatches,
  platformOf,
} from '../src/index.js';
import type { HelperRunner, RegistryError } from '../src/index.js';

const dir = await mkdtemp(join(tmpdir(), 'imgalias-registry-units-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('parseChallenge', () => {
  it.each([
    ['Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull"', { _tag: 'Bearer', realm: 'https://auth.example/token', service: 'registry.example', scope: 'repository:a/b:pull' }],
    ['bearer realm="https://h/t", service="s"', { _tag: 'Bearer', realm: 'https://h/t', service: 's' }],
    ['Bearer realm="https://h/t",scope="repository:a:pull repository:b:pull,push"', { _tag: 'Bearer', realm: 'https://h/t', scope: 'repository:a:pull repository:b:pull,push' }],
    ['Basic realm="Harbor \\"lab\\""', { _tag: 'Basic', realm: 'Harbor "lab"' }],
    ['Basic', { _tag: 'Basic' }],
    ['Bearer service="no realm"', { _tag: 'None' }],
    ['Negotiate abc', { _tag: 'None' }],
  ])('%s', (header, expected) => {
    expect(parseChallenge(header)).toEqual(expected);
  });
  it('no header is no challenge', () => expect(parseChallenge(undefined)).toEqual({ _tag: 'None' }));
});

describe('mergeScopes', () => {
  it('joins actions per repository in a stable order', () => {
    expect(mergeScopes(['repository:b:push', 'repository:a:pull', 'repository:b:pull', 'repository:a:pull repository:c:pull'])).toEqual([
      'repository:a:pull',
      'repository:b:pull,push',
      'repository:c:pull',
    ]);
  });
});

describe('parseManifest', () => {
  const d = (n: number): string => `sha256:${String(n).repeat(64).slice(0, 64)}`;
  it('reads an index and the platforms of its entries', () => {
    const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [{ mediaType: 'm', digest: d(1), size: 5, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } }] }));
    expect(parseManifest(bytes, undefined)).toEqual({ _tag: 'Right', right: { _tag: 'Index', mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [{ mediaType: 'm', digest: d(1), size: 5, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } }] } });
  });
  it('reads an image manifest as config then layers, taking the media type from Content-Type when the body has none', () => {
    const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, config: { digest: d(2), size: 1 }, layers: [{ digest: d(3), size: 2 }] }));
    const parsed = parseManifest(bytes, 'application/vnd.docker.distribution.manifest.v2+json; charset=utf-8');
    expect(parsed._tag === 'Right' && parsed.right).toEqual({ _tag: 'Image', mediaType: 'application/vnd.docker.distribution.manifest.v2+json', blobs: [{ mediaType: '', digest: d(2), size: 1 }, { mediaType: '', digest: d(3), size: 2 }] });
  });
  it.each([
    ['not json', 'not JSON'],
    ['[1]', 'not a JSON object'],
    ['{"schemaVersion":1,"fsLayers":[]}', 'unsupported manifest (media type unknown; schema 1 manifests are not supported)'],
    ['{"manifests":[{"digest":"md5:x"}]}', 'an index entry has no valid sha256 digest'],
    ['{"config":{"digest":"sha256:zz"},"layers":[]}', 'a config or layer has no valid sha256 digest'],
  ])('refuses %s', (text, message) => {
    expect(parseManifest(Buffer.from(text), undefined)).toEqual({ _tag: 'Left', left: message });
  });
  it('a digest is the sha256 of the exact bytes', () => {
    expect(digestOf(Buffer.from(''))).toBe('sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});

describe('platforms', () => {
  it('parses os/arch[/variant] and refuses anything else', () => {
    expect(parsePlatform('linux/amd64')).toEqual({ os: 'linux', architecture: 'amd64' });
    expect(parsePlatform('linux/arm64/v8')).toEqual({ os: 'linux', architecture: 'arm64', variant: 'v8' });
    expect(parsePlatform('linux')).toBeUndefined();
    expect(parsePlatform('linux/amd64/v1/x')).toBeUndefined();
    expect(parsePlatform('linux/$(id)')).toBeUndefined();
  });
  it('a wanted platform without variant matches any variant', () => {
    expect(platformMatches({ os: 'linux', architecture: 'arm64', variant: 'v8' }, { os: 'linux', architecture: 'arm64' })).toBe(true);
    expect(platformMatches({ os: 'linux', architecture: 'arm64' }, { os: 'linux', architecture: 'arm64', variant: 'v8' })).toBe(false);
    expect(platformMatches(undefined, { os: 'linux', architecture: 'amd64' })).toBe(false);
  });
});

describe('names and hosts', () => {
  it('splits a name the way the API addresses it', () => {
    expect(parseRemoteName('redis')).toEqual({ _tag: 'Right', right: { registry: 'docker.io', repository: 'library/redis', reference: 'latest' } });
    expect(parseRemoteName('harbor.corp.local/proj/redis:7')).toEqual({ _tag: 'Right', right: { registry: 'harbor.corp.local', repository: 'proj/redis', reference: '7' } });
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(parseRemoteName(`127.0.0.1:5000/x@${digest}`)).toEqual({ _tag: 'Right', right: { registry: '127.0.0.1:5000', repository: 'x', reference: digest } });
    expect(parseRemoteName('team/App')._tag).toBe('Left');
  });
  it('only loopback registries may use plain HTTP without being named', () => {
    expect(['127.0.0.1:5000', '127.9.9.9', 'localhost:5000', '[::1]:5000'].map(isLoopbackRegistry)).toEqual([true, true, true, true]);
    expect(['10.0.0.1:5000', 'harbor.corp.local', '127.0.0.1.nip.io', '1127.0.0.1'].map(isLoopbackRegistry)).toEqual([false, false, false, false]);
  });
});

describe('errors', () => {
  const http = (status: number, code = ''): RegistryError => ({ _tag: 'HttpStatus', registry: 'h', method: 'GET', path: '/v2/', status, codes: code ? [{ code, message: '' }] : [] });
  it('retries only what can pass', () => {
    expect([429, 500, 502, 503].map((s) => isRetryable(http(s)))).toEqual([true, true, true, true]);
    expect([400, 401, 403, 404, 501].map((s) => isRetryable(http(s)))).toEqual([false, false, false, false, false]);
    expect(isRetryable({ _tag: 'Unreachable', registry: 'h', message: 'ECONNRESET' })).toBe(true);
    expect(isRetryable({ _tag: 'DigestMismatch', registry: 'h', name: 'n', expected: 'a', actual: 'b' })).toBe(false);
  });
  it('describes a rate limit with its wait and a denial with what to check', () => {
    expect(describeRegistryError({ ...http(429, 'TOOMANYREQUESTS'), retryAfterMs: 7000 } as RegistryError)).toMatch(/wait 7 s/);
    expect(describeRegistryError(http(403, 'DENIED'))).toMatch(/not allowed/);
    expect(describeRegistryError({ _tag: 'InsecureRefused', registry: 'h:80' })).toMatch(/insecure/);
  });
});

describe('dockerConfigCredentials', () => {
  const helperCalls: string[] = [];
  const runHelper: HelperRunner = async (helper, registry) => {
    helperCalls.push(`${helper} ${registry}`);
    if (helper === 'broken') return { exitCode: 1, stdout: '', stderr: 'keychain locked' };
    if (registry === 'nothing.example') return { exitCode: 1, stdout: 'credentials not found in native keychain', stderr: '' };
    return { exitCode: 0, stdout: JSON.stringify({ Username: `${helper}-user`, Secret: 's3cret' }), stderr: '' };
  };
  const write = async (name: string, config: unknown): Promise<string> => {
    const path = join(dir, name);
    await writeFile(path, typeof config === 'string' ? config : JSON.stringify(config));
    return path;
  };

  it('credHelpers first, then auths (auth or username/password), then credsStore, else anonymous', async () => {
    const path = await write('config.json', {
      credHelpers: { 'helped.example': 'ecr' },
      auths: {
        'helped.example': { auth: Buffer.from('ignored:x').toString('base64') },
        'harbor.corp.local': { auth: Buffer.from('robot$proj+ci:pa:ss').toString('base64') },
        'https://plain.example/v2/': { username: 'u', password: 'p' },
        'https://index.docker.io/v1/': { auth: Buffer.from('hub:tok').toString('base64') },
      },
      credsStore: 'desktop',
    });
    const creds = dockerConfigCredentials({ path, runHelper });
    expect(await creds('helped.example')).toEqual({ _tag: 'Right', right: { username: 'ecr-user', password: 's3cret' } });
    expect(await creds('harbor.corp.local')).toEqual({ _tag: 'Right', right: { username: 'robot$proj+ci', password: 'pa:ss' } });
    expect(await creds('plain.example')).toEqual({ _tag: 'Right', right: { username: 'u', password: 'p' } });
    expect(await creds('docker.io')).toEqual({ _tag: 'Right', right: { username: 'hub', password: 'tok' } });
    expect(await creds('other.example')).toEqual({ _tag: 'Right', right: { username: 'desktop-user', password: 's3cret' } });
    expect(await creds('nothing.example')).toEqual({ _tag: 'Right', right: undefined });
    expect(helperCalls).toEqual(['ecr helped.example', 'desktop other.example', 'desktop nothing.example']);
  });

  it('a failing helper, a bad file and a bad auth entry are errors; a missing file is anonymous', async () => {
    const broken = dockerConfigCredentials({ path: await write('broken.json', { credsStore: 'broken' }), runHelper });
    expect(await broken('x.example')).toEqual({ _tag: 'Left', left: { _tag: 'CredentialHelperFailed', helper: 'broken', registry: 'x.example', message: 'keychain locked' } });
    const bad = dockerConfigCredentials({ path: await write('bad.json', '{not json'), runHelper });
    expect((await bad('x.example'))._tag).toBe('Left');
    const badAuth = dockerConfigCredentials({ path: await write('badauth.json', { auths: { 'x.example': { auth: Buffer.from('nocolon').toString('base64') } } }), runHelper });
    expect((await badAuth('x.example'))._tag).toBe('Left');
    const missing = dockerConfigCredentials({ path: join(dir, 'absent.json'), runHelper });
    expect(await missing('x.example')).toEqual({ _tag: 'Right', right: undefined });
  });
});

describe('describeRegistryError with hostile registry text', () => {
  it('escapes control characters and bounds what a registry sent', () => {
    const message = describeRegistryError({
      _tag: 'HttpStatus',
      registry: 'h',
      method: 'GET',
      path: '/v2/',
      status: 500,
      codes: [{ code: 'UNKNOWN', message: `evil\u001b]0;pwned\u0007${'x'.repeat(5000)}` }],
    });
    expect([...message].some((c) => c.charCodeAt(0) < 0x20)).toBe(false);
    expect(message).toContain('evil\\x1b]0;pwned\\x07');
    expect(message.length).toBeLessThan(600);
  });
});

describe('platformOf', () => {
  it('takes plain words only, so a hostile index cannot put control characters in a report', () => {
    expect(platformOf({ os: 'linux', architecture: 'arm64', variant: 'v8' })).toEqual({ os: 'linux', architecture: 'arm64', variant: 'v8' });
    expect(platformOf({ os: 'linux\u001b[2J', architecture: 'amd64' })).toBeUndefined();
    expect(platformOf({ os: 'linux', architecture: 'amd64', variant: 'v\u0007' })).toEqual({ os: 'linux', architecture: 'amd64' });
    expect(platformOf(null)).toBeUndefined();
  });
});
