// Registry operations against real Debian docker-registry instances on 127.0.0.1: two plain ones. Every
// copy is checked byte for byte against what was pushed, and the registry's access log shows what was asked.
import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { requireRegistry } from '../../../test-support/registry.js';
import { createRegistryClient, createRegistryImages } from '../src/index.js';
import { getBlob, getManifest, pushImage, pushIndex } from '../../../test-support/registryImages.js';

// Real registries on a shared machine: a loaded host can stretch a copy past jest's 5 s default.
jest.setTimeout(60_000);

const a = await requireRegistry();
const b = await requireRegistry();
const client = createRegistryClient();
const images = createRegistryImages({ client });

(a && b ? describe : describe.skip)('registry images on plain loopback registries', () => {
  const baseA = `http://${a?.host}`;
  const baseB = `http://${b?.host}`;

  it('head gives the manifest digest of a pushed image and undefined for an absent one', async () => {
    const pushed = await pushImage({ base: baseA, repo: 'head/app', tag: '1', seed: 'head' });
    const head = await images.head(`${a!.host}/head/app:1`);
    expect(head).toEqual({ _tag: 'Right', right: expect.objectContaining({ digest: pushed.digest, mediaType: pushed.mediaType }) });
    expect(await images.head(`${a!.host}/head/app:absent`)).toEqual({ _tag: 'Right', right: undefined });
    expect(await images.head(`${a!.host}/no/such/repo:1`)).toEqual({ _tag: 'Right', right: undefined });
  });

  it('read returns the exact manifest bytes and their digest', async () => {
    const pushed = await pushImage({ base: baseA, repo: 'read/app', tag: '1', seed: 'read' });
    const read = await images.read(`${a!.host}/read/app:1`);
    if (read._tag === 'Left') throw new Error(JSON.stringify(read.left));
    expect(read.right.digest).toBe(pushed.digest);
    expect(read.right.bytes.equals(pushed.bytes)).toBe(true);
    expect(read.right.content._tag).toBe('Image');
  });

  it('a tag inside one repository PUTs the same bytes under the new tag, and a second run writes nothing', async () => {
    const pushed = await pushImage({ base: baseA, repo: 'retag/app', tag: '1', seed: 'retag' });
    const first = await images.copy({ source: `${a!.host}/retag/app:1`, target: `${a!.host}/retag/app:stable` });
    expect(first).toEqual({ _tag: 'Right', right: expect.objectContaining({ outcome: 'copied', digest: pushed.digest, blobsUploaded: 0, blobsMounted: 0, manifestsWritten: 1 }) });
    const got = await getManifest(baseA, 'retag/app', 'stable');
    expect(got.bytes.equals(pushed.bytes)).toBe(true);
    expect(got.digest).toBe(pushed.digest);
    const before = (await a!.requests()).length;
    const second = await images.copy({ source: `${a!.host}/retag/app:1`, target: `${a!.host}/retag/app:stable` });
    expect(second).toEqual({ _tag: 'Right', right: expect.objectContaining({ outcome: 'unchanged' }) });
    const after = (await a!.requests()).slice(before);
    expect(after.filter((r) => r.method === 'PUT')).toEqual([]);
  });

  it('across repositories of one registry every blob is mounted, none uploaded', async () => {
    const pushed = await pushImage({ base: baseA, repo: 'mount/src', tag: '1', seed: 'mount' });
    const copied = await images.copy({ source: `${a!.host}/mount/src:1`, target: `${a!.host}/mount/dst:1` });
    expect(copied).toEqual({ _tag: 'Right', right: expect.objectContaining({ outcome: 'copied', blobsMounted: 4, blobsUploaded: 0 }) });
    const log = await a!.requests();
    expect(log.filter((r) => r.method === 'POST' && r.path.startsWith('/v2/mount/dst/blobs/uploads/?mount=') && r.status === 201)).toHaveLength(4);
    expect(log.filter((r) => r.method === 'PATCH' || (r.method === 'PUT' && r.path.includes('/mount/dst/blobs/')))).toEqual([]);
    for (const blob of pushed.blobs) expect((await getBlob(baseA, 'mount/dst', blob.digest)).equals(blob.bytes)).toBe(true);
    expect((await getManifest(baseA, 'mount/dst', '1')).bytes.equals(pushed.bytes)).toBe(true);
  });

  it('a multi-arch index copied to another registry keeps its digest, children and blobs byte for byte', async () => {
    const pushed = await pushIndex({
      base: baseA,
      repo: 'multi/app',
      tag: '2.0',
      seed: 'multi',
      platforms: [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64', variant: 'v8' }],
    });
    const copied = await images.copy({ source: `${a!.host}/multi/app:2.0`, target: `${b!.host}/harbor/multi/app:2.0` });
    expect(copied).toEqual({ _tag: 'Right', right: expect.objectContaining({ outcome: 'copied', digest: pushed.digest, manifestsWritten: 3, blobsUploaded: 8 }) });
    const top = await getManifest(baseB, 'harbor/multi/app', '2.0');
    expect(top.bytes.equals(pushed.bytes)).toBe(true);
    expect(top.digest).toBe(pushed.digest);
    for (const child of pushed.children) {
      expect((await getManifest(baseB, 'harbor/multi/app', child.digest)).bytes.equals(child.bytes)).toBe(true);
      for (const blob of child.blobs) expect((await getBlob(baseB, 'harbor/multi/app', blob.digest)).equals(blob.bytes)).toBe(true);
    }
    expect(await images.platforms(`${b!.host}/harbor/multi/app:2.0`)).toEqual({
      _tag: 'Right',
      right: [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64', variant: 'v8' }],
    });
  });

  it('blobs the target already holds are not sent again', async () => {
    await pushImage({ base: baseA, repo: 'skip/app', tag: '1', seed: 'skip' });
    await images.copy({ source: `${a!.host}/skip/app:1`, target: `${b!.host}/skip/app:1` });
    // Same layers under another tag in the source: only the manifest moves.
    await images.copy({ source: `${a!.host}/skip/app:1`, target: `${a!.host}/skip/app:2` });
    const [beforeA, beforeB] = [(await a!.requests()).length, (await b!.requests()).length];
    const copied = await images.copy({ source: `${a!.host}/skip/app:2`, target: `${b!.host}/skip/app:2` });
    // The target repository has the manifest under another tag. The first copy into b taught this client that b
    // honours mounts from the target repository itself, so each blob is one such mount, answered 201: no HEAD,
    // no upload, no download from the origin.
    expect(copied).toEqual({ _tag: 'Right', right: expect.objectContaining({ outcome: 'copied', blobsUploaded: 0, blobsPresent: 4, manifestsWritten: 1 }) });
    const selfMount = /^\/v2\/skip\/app\/blobs\/uploads\/\?mount=sha256%3A[a-f0-9]{64}&from=skip%2Fapp$/;
    const written = (await b!.requests()).slice(beforeB).filter((r) => r.method !== 'HEAD' && r.method !== 'GET');
    expect(written.filter((r) => r.method === 'POST' && selfMount.test(r.path) && r.status === 201)).toHaveLength(4);
    expect(written.filter((r) => r.method !== 'POST').map((r) => `${r.method} ${r.path}`)).toEqual(['PUT /v2/skip/app/manifests/2']);
    expect((await a!.requests()).slice(beforeA).filter((r) => r.path.includes('/blobs/'))).toEqual([]);
  });

  it('a three-layer image across registries costs 15 requests once the client knows the target honours self-mounts (17 for the first)', async () => {
    // A client of its own, so what it has learnt about the target registry comes from this test alone.
    const fresh = createRegistryClient();
    const counting = createRegistryImages({ client: fresh });
    try {
      const copyCounted = async (repo: string): Promise<string[]> => {
        await pushImage({ base: baseA, repo, tag: '1', seed: repo });
        const [beforeA, beforeB] = [(await a!.requests()).length, (await b!.requests()).length];
        const copied = await counting.copy({ source: `${a!.host}/${repo}:1`, target: `${b!.host}/${repo}:1` });
        expect(copied).toEqual({ _tag: 'Right', right: expect.objectContaining({ outcome: 'copied', blobsUploaded: 4 }) });
        return [...(await a!.requests()).slice(beforeA), ...(await b!.requests()).slice(beforeB)]
          // (the client's first request to a registry also asks /v2/ which scheme and auth it speaks; not per image)
          .filter((r) => r.path !== '/v2/')
          .map((r) => `${r.method} ${r.path.includes('?mount=') ? `mount ${r.status}` : r.path.includes('/blobs/uploads/') ? 'upload' : r.path.includes('/blobs/') ? 'blob' : 'manifest'}`)
          .sort();
      };
      // The first blob into b is checked with HEAD, uploaded, then mounted from its own repository once: the 201
      // says b honours such mounts. The other three blobs waited for that answer and each open their upload with a
      // self-mount (202: absent), without a HEAD.
      expect(await copyCounted('count/first')).toEqual([
        ...Array(4).fill('GET blob'),
        'GET manifest',
        'HEAD blob',
        'HEAD manifest',
        'POST mount 201',
        ...Array(3).fill('POST mount 202'),
        'POST upload',
        'PUT manifest',
        ...Array(4).fill('PUT upload'),
      ]);
      // From then on: 1 read, 1 check of the tag, 3 per blob (mount-or-open, download, upload), 1 write.
      expect(await copyCounted('count/app')).toEqual([
        ...Array(4).fill('GET blob'),
        'GET manifest',
        'HEAD manifest',
        ...Array(4).fill('POST mount 202'),
        'PUT manifest',
        ...Array(4).fill('PUT upload'),
      ]);
    } finally {
      await fresh.close();
    }
  });

  it('copyMany moves a blob that several images share once into the target registry and mounts it into the others', async () => {
    // Same seed: the three repositories hold the same four blobs.
    for (const repo of ['shared/one', 'shared/two', 'shared/three']) await pushImage({ base: baseA, repo, tag: '1', seed: 'shared' });
    const beforeA = (await a!.requests()).length;
    const results = await images.copyMany(['one', 'two', 'three'].map((r) => ({ source: `${a!.host}/shared/${r}:1`, target: `${b!.host}/shared/${r}:1` })));
    const reports = results.map((r) => (r._tag === 'Right' ? r.right : undefined));
    expect(reports.every((r) => r?.outcome === 'copied')).toBe(true);
    const sum = (key: 'blobsUploaded' | 'blobsMounted' | 'blobsPresent'): number => reports.reduce((n, r) => n + (r?.[key] ?? 0), 0);
    expect([sum('blobsUploaded'), sum('blobsMounted'), sum('blobsPresent')]).toEqual([4, 8, 0]);
    // Each blob was read from the origin once.
    expect((await a!.requests()).slice(beforeA).filter((r) => r.method === 'GET' && r.path.includes('/blobs/'))).toHaveLength(4);
    for (const repo of ['shared/one', 'shared/two', 'shared/three']) {
      expect((await getManifest(baseB, repo, '1')).digest).toBe((await getManifest(baseA, repo, '1')).digest);
    }
  });

  it('copyMany reads each source once and copies many tags', async () => {
    const pushed = await pushImage({ base: baseA, repo: 'many/app', tag: '1', seed: 'many' });
    const before = (await a!.requests()).length;
    const targets = Array.from({ length: 20 }, (_, i) => `${a!.host}/many/app:t${i}`);
    const results = await images.copyMany(targets.map((target) => ({ source: `${a!.host}/many/app:1`, target })));
    expect(results.every((r) => r._tag === 'Right' && r.right.digest === pushed.digest)).toBe(true);
    const gets = (await a!.requests()).slice(before).filter((r) => r.method === 'GET' && r.path === '/v2/many/app/manifests/1');
    expect(gets).toHaveLength(1);
    for (const t of ['t0', 't19']) expect((await getManifest(baseA, 'many/app', t)).digest).toBe(pushed.digest);
  });

  it('a copy to a digest, or from a name that does not exist, is an error value', async () => {
    const absent = await images.copy({ source: `${a!.host}/none/app:1`, target: `${b!.host}/none/app:1` });
    expect(absent._tag === 'Left' && absent.left._tag === 'HttpStatus' && absent.left.status).toBe(404);
    expect(absent._tag === 'Left' && absent.left._tag === 'HttpStatus' && absent.left.codes.map((c) => c.code)).toEqual(['MANIFEST_UNKNOWN']);
    const bad = await images.copy({ source: 'Not A Name', target: `${b!.host}/x:1` });
    expect(bad._tag === 'Left' && bad.left._tag).toBe('InvalidName');
  });
});

afterAll(() => client.close());
