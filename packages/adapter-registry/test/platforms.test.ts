// `copy` with platforms against real Debian docker-registry instances on 127.0.0.1: a multi-arch index built in
// the test is narrowed to the requested platforms. Child manifests and blobs are compared byte for byte with the
// origin; what the target must not hold (the dropped platforms' manifests and blobs) is checked absent.
import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { requireRegistry } from '../../../test-support/registry.js';
import { createRegistryClient, createRegistryImages } from '../src/index.js';
import type { CopyReport, RegistryError } from '../src/index.js';
import type { PushedImage } from '../../../test-support/registryImages.js';
import { getBlob, getManifest, pushImage, pushIndex, putIndex, sha256 } from '../../../test-support/registryImages.js';

jest.setTimeout(60_000);

const a = await requireRegistry();
const b = await requireRegistry();
const client = createRegistryClient();
const images = createRegistryImages({ client });

const amd64 = { os: 'linux', architecture: 'amd64' };
const arm64 = { os: 'linux', architecture: 'arm64', variant: 'v8' };
const s390x = { os: 'linux', architecture: 's390x' };

const copied = (r: Awaited<ReturnType<typeof images.copy>>): CopyReport => {
  if (r._tag === 'Left') throw new Error(JSON.stringify(r.left));
  return r.right;
};
const failed = (r: Awaited<ReturnType<typeof images.copy>>): RegistryError => {
  if (r._tag === 'Right') throw new Error(`expected a failure, got ${JSON.stringify(r.right)}`);
  return r.left;
};

(a && b ? describe : describe.skip)('copy narrowed to --platform', () => {
  const baseA = `http://${a?.host}`;
  const baseB = `http://${b?.host}`;

  const expectHolds = async (repo: string, child: PushedImage): Promise<void> => {
    expect((await getManifest(baseB, repo, child.digest)).bytes.equals(child.bytes)).toBe(true);
    for (const blob of child.blobs) expect((await getBlob(baseB, repo, blob.digest)).equals(blob.bytes)).toBe(true);
  };
  const expectLacks = async (repo: string, child: PushedImage): Promise<void> => {
    expect((await getManifest(baseB, repo, child.digest)).status).toBe(404);
    for (const blob of child.blobs) await expect(getBlob(baseB, repo, blob.digest)).rejects.toThrow(/404/);
  };

  it('two of three platforms: an index of just their entries (new digest), children byte for byte, the third left behind', async () => {
    const origin = await pushIndex({ base: baseA, repo: 'narrow/app', tag: '1', seed: 'narrow', platforms: [amd64, arm64, s390x] });
    const report = copied(await images.copy({ source: `${a!.host}/narrow/app:1`, target: `${b!.host}/narrow/app:1`, platforms: [amd64, { os: 'linux', architecture: 'arm64' }] }));
    const written = await getManifest(baseB, 'narrow/app', '1');
    const originIndex = JSON.parse(origin.bytes.toString('utf8')) as { manifests: unknown[] };
    expect(JSON.parse(written.bytes.toString('utf8'))).toEqual({ ...originIndex, manifests: originIndex.manifests.slice(0, 2) });
    expect(written.digest).toBe(sha256(written.bytes));
    expect(written.digest).not.toBe(origin.digest);
    expect(report).toEqual(expect.objectContaining({ outcome: 'copied', shape: 'narrowed-index', digest: written.digest, sourceDigest: origin.digest, manifestsWritten: 3, blobsUploaded: 8 }));
    await expectHolds('narrow/app', origin.children[0]!);
    await expectHolds('narrow/app', origin.children[1]!);
    await expectLacks('narrow/app', origin.children[2]!);

    // The narrowed index is the same bytes every time, so a second run finds it there and writes nothing.
    const before = (await b!.requests()).length;
    const again = copied(await images.copy({ source: `${a!.host}/narrow/app:1`, target: `${b!.host}/narrow/app:1`, platforms: [amd64, { os: 'linux', architecture: 'arm64' }] }));
    expect(again).toEqual(expect.objectContaining({ outcome: 'unchanged', digest: written.digest }));
    expect((await b!.requests()).slice(before).filter((r) => r.method !== 'GET' && r.method !== 'HEAD')).toEqual([]);
    // The whole index is a different manifest: copying every platform replaces the narrowed one.
    const whole = copied(await images.copy({ source: `${a!.host}/narrow/app:1`, target: `${b!.host}/narrow/app:1` }));
    expect(whole).toEqual(expect.objectContaining({ outcome: 'copied', shape: 'origin', digest: origin.digest, blobsUploaded: 4 }));
    expect((await getManifest(baseB, 'narrow/app', '1')).bytes.equals(origin.bytes)).toBe(true);
  });

  it('one platform: that platform\'s own image manifest under the tag, with the digest it has in the origin', async () => {
    const origin = await pushIndex({ base: baseA, repo: 'one/app', tag: '1', seed: 'one', platforms: [amd64, arm64] });
    const report = copied(await images.copy({ source: `${a!.host}/one/app:1`, target: `${b!.host}/one/app:1`, platforms: [arm64] }));
    const arm = origin.children[1]!;
    expect(report).toEqual(expect.objectContaining({ outcome: 'copied', shape: 'platform-image', digest: arm.digest, sourceDigest: origin.digest, manifestsWritten: 1, blobsUploaded: 4 }));
    const written = await getManifest(baseB, 'one/app', '1');
    expect(written.bytes.equals(arm.bytes)).toBe(true);
    expect(written.digest).toBe(arm.digest);
    for (const blob of arm.blobs) expect((await getBlob(baseB, 'one/app', blob.digest)).equals(blob.bytes)).toBe(true);
    await expectLacks('one/app', origin.children[0]!);
    expect(await images.platforms(`${b!.host}/one/app:1`)).toEqual({ _tag: 'Right', right: [arm64] });
    expect(copied(await images.copy({ source: `${a!.host}/one/app:1`, target: `${b!.host}/one/app:1`, platforms: [arm64] })).outcome).toBe('unchanged');
  });

  it('naming every platform the index has copies it unchanged', async () => {
    const origin = await pushIndex({ base: baseA, repo: 'all/app', tag: '1', seed: 'all', platforms: [amd64, arm64] });
    const report = copied(await images.copy({ source: `${a!.host}/all/app:1`, target: `${b!.host}/all/app:1`, platforms: [arm64, amd64] }));
    expect(report).toEqual(expect.objectContaining({ shape: 'origin', digest: origin.digest, sourceDigest: origin.digest }));
    expect((await getManifest(baseB, 'all/app', '1')).bytes.equals(origin.bytes)).toBe(true);
  });

  it('a platform the source does not serve is refused before anything is written', async () => {
    await pushIndex({ base: baseA, repo: 'lack/app', tag: '1', seed: 'lack', platforms: [amd64, arm64] });
    const before = (await b!.requests()).length;
    const error = failed(await images.copy({ source: `${a!.host}/lack/app:1`, target: `${b!.host}/lack/app:1`, platforms: [amd64, s390x, { os: 'windows', architecture: 'amd64' }] }));
    expect(error).toEqual({ _tag: 'PlatformMissing', registry: a!.host, name: `${a!.host}/lack/app:1`, missing: ['linux/s390x', 'windows/amd64'] });
    expect((await b!.requests()).slice(before).filter((r) => r.method !== 'GET' && r.method !== 'HEAD')).toEqual([]);
  });

  it('a single-platform source is copied as it is when its config names the platform, refused otherwise', async () => {
    const pushed = await pushImage({ base: baseA, repo: 'single/app', tag: '1', seed: 'single', platform: arm64 });
    expect(copied(await images.copy({ source: `${a!.host}/single/app:1`, target: `${b!.host}/single/app:1`, platforms: [{ os: 'linux', architecture: 'arm64' }] }))).toEqual(
      expect.objectContaining({ shape: 'origin', digest: pushed.digest }),
    );
    expect(failed(await images.copy({ source: `${a!.host}/single/app:1`, target: `${b!.host}/single/app:2`, platforms: [amd64] }))).toEqual(expect.objectContaining({ _tag: 'PlatformMissing', missing: ['linux/amd64'] }));
    expect((await getManifest(baseB, 'single/app', '2')).status).toBe(404);
  });

  it('a narrowed index keeps the attestations of the platforms it keeps and drops the others', async () => {
    const amdImage = await pushImage({ base: baseA, repo: 'attest/app', seed: 'attest/amd64', platform: amd64 });
    const armImage = await pushImage({ base: baseA, repo: 'attest/app', seed: 'attest/arm64', platform: arm64 });
    const riscImage = await pushImage({ base: baseA, repo: 'attest/app', seed: 'attest/riscv', platform: { os: 'linux', architecture: 'riscv64' } });
    const unknown = { os: 'unknown', architecture: 'unknown' };
    const amdAttest = await pushImage({ base: baseA, repo: 'attest/app', seed: 'attest/amd64-sbom', platform: unknown, layers: 1 });
    const armAttest = await pushImage({ base: baseA, repo: 'attest/app', seed: 'attest/arm64-sbom', platform: unknown, layers: 1 });
    const entry = (image: PushedImage, platform: object, annotations?: object): Record<string, unknown> => ({ mediaType: image.mediaType, digest: image.digest, size: image.bytes.length, platform, ...(annotations ? { annotations } : {}) });
    const attestation = (of: PushedImage) => ({ 'vnd.docker.reference.digest': of.digest, 'vnd.docker.reference.type': 'attestation-manifest' });
    const manifests = [entry(amdImage, amd64), entry(armImage, arm64), entry(riscImage, { os: 'linux', architecture: 'riscv64' }), entry(amdAttest, unknown, attestation(amdImage)), entry(armAttest, unknown, attestation(armImage))];
    await putIndex({ base: baseA, repo: 'attest/app', tag: '1', manifests });
    const report = copied(await images.copy({ source: `${a!.host}/attest/app:1`, target: `${b!.host}/attest/app:1`, platforms: [amd64, { os: 'linux', architecture: 'riscv64' }] }));
    expect(report.shape).toBe('narrowed-index');
    const written = JSON.parse((await getManifest(baseB, 'attest/app', '1')).bytes.toString('utf8')) as { manifests: unknown[] };
    expect(written.manifests).toEqual([manifests[0], manifests[2], manifests[3]]);
    await expectHolds('attest/app', amdAttest);
    await expectLacks('attest/app', armAttest);
  });
});

afterAll(() => client.close());
