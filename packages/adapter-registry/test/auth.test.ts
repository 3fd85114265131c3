// Auth and TLS against real registries on 127.0.0.1: htpasswd basic auth, a TLS registry with a certificate
// made here, and a token-auth registry whose tokens come from test-support's token server (signed JWTs the
// registry verifies), so scopes and the bearer flow are exercised for real.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { requireRegistry } from '../../../test-support/registry.js';
import { makeCertificate, makeHtpasswd, startTokenServer } from '../../../test-support/registryAuth.js';
import { createRegistryClient, createRegistryImages, describeRegistryError, dockerConfigCredentials, staticCredentials } from '../src/index.js';
import type { HelperRunner } from '../src/index.js';
import { getManifest, pushImage } from '../../../test-support/registryImages.js';

// Real registries on a shared machine: a loaded host can stretch a copy past jest's 5 s default.
jest.setTimeout(60_000);

const dir = await mkdtemp(join(tmpdir(), 'imgalias-registry-auth-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

// A Harbor robot account: the `$` is part of the user name.
const robot = 'robot$proj+ci';
const secret = 'r0bot-Secret';
const htpasswd = await makeHtpasswd(dir, { [robot]: secret, alice: 'wonderland' });
const tlsCert = await makeCertificate(dir, 'registry-tls');
const signer = await makeCertificate(dir, 'token-signer');
const tokens = await startTokenServer({ users: { [robot]: secret }, signer, anonymousPull: /^public\// });
afterAll(() => tokens.close());

const origin = await requireRegistry();
const basic = await requireRegistry({ security: { htpasswd } });
const tls = await requireRegistry({ security: { tls: { certificate: tlsCert.certificate, key: tlsCert.key } } });
const tokenRegistry = await requireRegistry({
  security: { token: { realm: tokens.realm, service: tokens.service, issuer: tokens.issuer, rootCertBundle: signer.certificate } },
});

const basicAuth = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const clients: { close(): Promise<void> }[] = [];
const imagesWith = (options: Parameters<typeof createRegistryClient>[0]) => {
  const client = createRegistryClient(options);
  clients.push(client);
  return createRegistryImages({ client });
};
afterAll(() => Promise.all(clients.map((c) => c.close())));

(origin && basic && tls && tokenRegistry ? describe : describe.skip)('registry auth', () => {
  const src = (): string => `${origin!.host}/auth/app:1`;
  let pushedDigest = '';
  let pushedBytes: Buffer = Buffer.alloc(0);

  it('pushes the origin image', async () => {
    const pushed = await pushImage({ base: `http://${origin!.host}`, repo: 'auth/app', tag: '1', seed: 'auth' });
    pushedDigest = pushed.digest;
    pushedBytes = pushed.bytes;
  });

  it('basic auth with a robot account read from docker config.json auths', async () => {
    const configPath = join(dir, 'config.json');
    await writeFile(configPath, JSON.stringify({ auths: { [basic!.host]: { auth: Buffer.from(`${robot}:${secret}`).toString('base64') } } }));
    const images = imagesWith({ credentials: dockerConfigCredentials({ path: configPath }) });
    const copied = await images.copy({ source: src(), target: `${basic!.host}/proj/app:1` });
    expect(copied).toEqual({ _tag: 'Right', right: expect.objectContaining({ outcome: 'copied', digest: pushedDigest }) });
    const got = await getManifest(`http://${basic!.host}`, 'proj/app', '1', basicAuth(robot, secret));
    expect(got.bytes.equals(pushedBytes)).toBe(true);
  });

  it('a wrong password is Unauthorized and writes nothing', async () => {
    const images = imagesWith({ credentials: staticCredentials({ [basic!.host]: { username: 'alice', password: 'wrong' } }) });
    const copied = await images.copy({ source: src(), target: `${basic!.host}/proj/wrong:1` });
    expect(copied._tag === 'Left' && copied.left._tag).toBe('Unauthorized');
    if (copied._tag === 'Left') expect(describeRegistryError(copied.left)).toMatch(/refused the credentials/);
    expect((await getManifest(`http://${basic!.host}`, 'proj/wrong', '1', basicAuth(robot, secret))).status).toBe(404);
  });

  it('TLS with the CA bundle given; without it the certificate is refused, never downgraded to plain HTTP', async () => {
    const trusted = imagesWith({ ca: tlsCert.certificatePem });
    const copied = await trusted.copy({ source: src(), target: `${tls!.host}/proj/app:1` });
    expect(copied).toEqual({ _tag: 'Right', right: expect.objectContaining({ outcome: 'copied', digest: pushedDigest }) });
    expect(await trusted.head(`${tls!.host}/proj/app:1`)).toEqual({ _tag: 'Right', right: expect.objectContaining({ digest: pushedDigest }) });
    const untrusted = imagesWith({});
    const refused = await untrusted.head(`${tls!.host}/proj/app:1`);
    expect(refused._tag === 'Left' && refused.left._tag).toBe('Unreachable');
    expect(refused._tag === 'Left' && describeRegistryError(refused.left)).toMatch(/certificate|self.signed/i);
    const named = imagesWith({ insecure: [tls!.host] });
    expect(await named.head(`${tls!.host}/proj/app:1`)).toEqual({ _tag: 'Right', right: expect.objectContaining({ digest: pushedDigest }) });
  });

  it('bearer tokens with push scope, credentials from a credential helper, then a cross-repository mount with both scopes', async () => {
    const asked: string[] = [];
    const runHelper: HelperRunner = async (helper, registry) => {
      asked.push(`${helper} ${registry}`);
      return { exitCode: 0, stdout: JSON.stringify({ ServerURL: registry, Username: robot, Secret: secret }), stderr: '' };
    };
    const configPath = join(dir, 'config-helper.json');
    await writeFile(configPath, JSON.stringify({ credHelpers: { [tokenRegistry!.host]: 'harbor' } }));
    const images = imagesWith({ credentials: dockerConfigCredentials({ path: configPath, runHelper }) });
    const copied = await images.copy({ source: src(), target: `${tokenRegistry!.host}/proj/app:1` });
    expect(copied).toEqual({ _tag: 'Right', right: expect.objectContaining({ outcome: 'copied', digest: pushedDigest }) });
    expect(asked).toEqual([`harbor ${tokenRegistry!.host}`]);
    expect(tokens.requests.some((r) => r.user === robot && r.granted.includes('repository:proj/app:pull,push'))).toBe(true);
    const before = tokens.requests.length;
    const mounted = await images.copy({ source: `${tokenRegistry!.host}/proj/app:1`, target: `${tokenRegistry!.host}/proj/other:1` });
    expect(mounted).toEqual({ _tag: 'Right', right: expect.objectContaining({ blobsMounted: 4, blobsUploaded: 0 }) });
    const mountToken = tokens.requests.slice(before).find((r) => r.scopes.includes('repository:proj/app:pull') && r.scopes.includes('repository:proj/other:pull,push'));
    expect(mountToken?.service).toBe(tokens.service);
    const log = await tokenRegistry!.requests();
    expect(log.filter((r) => r.method === 'POST' && r.path.startsWith('/v2/proj/other/blobs/uploads/?mount=') && r.status === 201)).toHaveLength(4);
  });

  it('anonymous tokens pull what the token server allows, and a push without credentials is refused', async () => {
    const owner = imagesWith({ credentials: staticCredentials({ [tokenRegistry!.host]: { username: robot, password: secret } }) });
    expect((await owner.copy({ source: src(), target: `${tokenRegistry!.host}/public/app:1` }))._tag).toBe('Right');
    const anonymous = imagesWith({});
    expect(await anonymous.head(`${tokenRegistry!.host}/public/app:1`)).toEqual({ _tag: 'Right', right: expect.objectContaining({ digest: pushedDigest }) });
    const push = await anonymous.copy({ source: src(), target: `${tokenRegistry!.host}/public/app:2` });
    expect(push._tag === 'Left' && ['Unauthorized', 'HttpStatus'].includes(push.left._tag)).toBe(true);
    expect(await owner.head(`${tokenRegistry!.host}/public/app:2`)).toEqual({ _tag: 'Right', right: undefined });
  });

  it('a bearer token is reused while valid and renewed before it expires (expires_in 300 s)', async () => {
    let clock = 1_000_000;
    const client = createRegistryClient({ credentials: staticCredentials({ [tokenRegistry!.host]: { username: robot, password: secret } }), now: () => clock });
    clients.push(client);
    const images = createRegistryImages({ client });
    const name = `${tokenRegistry!.host}/proj/app:1`;
    expect((await images.head(name))._tag).toBe('Right');
    const first = tokens.requests.length;
    expect((await images.head(name))._tag).toBe('Right');
    expect(tokens.requests.length).toBe(first);
    clock += 290_000;
    expect((await images.head(name))._tag).toBe('Right');
    expect(tokens.requests.length).toBe(first + 1);
  });

  it('a wrong password at the token server is Unauthorized', async () => {
    const images = imagesWith({ credentials: staticCredentials({ [tokenRegistry!.host]: { username: robot, password: 'nope' } }) });
    const result = await images.head(`${tokenRegistry!.host}/proj/app:1`);
    expect(result._tag === 'Left' && result.left._tag).toBe('Unauthorized');
  });
});
