// Faults between the client and a real registry, made by test-support's switchable fault proxy: a 500, a 429
// with Retry-After, a connection dropped in the middle of a blob, and a manifest whose bytes do not match its
// digest. The client's sleep is injected, so backoff is asserted exactly and nothing waits on a clock.
import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { startFaultProxy } from '../../../test-support/faultProxy.js';
import type { FaultProxy } from '../../../test-support/faultProxy.js';
import { requireRegistry } from '../../../test-support/registry.js';
import { createRegistryClient, createRegistryImages, describeRegistryError } from '../src/index.js';
import { getBlob, getManifest, pushImage } from '../../../test-support/registryImages.js';

// Real registries on a shared machine: a loaded host can stretch a copy past jest's 5 s default.
jest.setTimeout(60_000);

const origin = await requireRegistry();
const target = await requireRegistry();
const proxy: FaultProxy | undefined = origin ? await startFaultProxy(origin.port) : undefined;
afterAll(() => proxy?.close());

const slept: number[] = [];
const client = createRegistryClient({ retry: { attempts: 4, baseDelayMs: 100, sleep: async (ms) => void slept.push(ms) } });
const images = createRegistryImages({ client });
afterAll(() => client.close());

(origin && target && proxy ? describe : describe.skip)('registry faults', () => {
  const via = (path: string): string => `${proxy!.host}/${path}`;

  it('a 500 on the manifest is retried with backoff, then the copy succeeds', async () => {
    const pushed = await pushImage({ base: `http://${origin!.host}`, repo: 'f500/app', tag: '1', seed: 'f500' });
    slept.length = 0;
    proxy!.inject({ _tag: 'Status', status: 500 }, { method: 'GET', path: /^\/v2\/f500\/app\/manifests\/1$/ }, 2);
    const copied = await images.copy({ source: via('f500/app:1'), target: `${target!.host}/f500/app:1` });
    expect(copied).toEqual({ _tag: 'Right', right: expect.objectContaining({ digest: pushed.digest }) });
    expect(slept).toEqual([100, 200]);
    expect(proxy!.seen.filter((s) => s.faulted)).toHaveLength(2);
  });

  it('a 500 that does not pass is reported with its status after the last attempt', async () => {
    await pushImage({ base: `http://${origin!.host}`, repo: 'f500b/app', tag: '1', seed: 'f500b' });
    slept.length = 0;
    proxy!.inject({ _tag: 'Status', status: 500 }, { method: 'GET', path: /^\/v2\/f500b\/app\/manifests\/1$/ }, 10);
    const copied = await images.copy({ source: via('f500b/app:1'), target: `${target!.host}/f500b/app:1` });
    expect(copied._tag === 'Left' && copied.left._tag === 'HttpStatus' && copied.left.status).toBe(500);
    expect(slept).toEqual([100, 200, 400]);
    expect(await images.head(`${target!.host}/f500b/app:1`)).toEqual({ _tag: 'Right', right: undefined });
  });

  it('a 429 waits as long as Retry-After says', async () => {
    const pushed = await pushImage({ base: `http://${origin!.host}`, repo: 'f429/app', tag: '1', seed: 'f429' });
    slept.length = 0;
    proxy!.inject({ _tag: 'Status', status: 429, retryAfter: '7' }, { method: 'HEAD', path: /^\/v2\/f429\/app\/manifests\/1$/ }, 1);
    const head = await images.head(via('f429/app:1'));
    expect(head).toEqual({ _tag: 'Right', right: expect.objectContaining({ digest: pushed.digest }) });
    expect(slept).toEqual([7000]);
  });

  it('a 404 is an answer, not retried', async () => {
    slept.length = 0;
    expect(await images.head(via('f404/app:1'))).toEqual({ _tag: 'Right', right: undefined });
    expect(slept).toEqual([]);
  });

  it('a connection dropped in the middle of a blob is retried and the blob arrives whole', async () => {
    const pushed = await pushImage({ base: `http://${origin!.host}`, repo: 'fdrop/app', tag: '1', seed: 'fdrop', layerSize: 256 * 1024 });
    const layer = pushed.blobs[2]!;
    slept.length = 0;
    proxy!.inject({ _tag: 'DropMidBody' }, { method: 'GET', path: new RegExp(`^/v2/fdrop/app/blobs/${layer.digest}$`) }, 1);
    const copied = await images.copy({ source: via('fdrop/app:1'), target: `${target!.host}/fdrop/app:1` });
    expect(copied).toEqual({ _tag: 'Right', right: expect.objectContaining({ digest: pushed.digest, blobsUploaded: 4 }) });
    expect(proxy!.seen.filter((s) => s.faulted && s.line.includes(layer.digest))).toHaveLength(1);
    expect(slept).toEqual([100]);
    for (const blob of pushed.blobs) expect((await getBlob(`http://${target!.host}`, 'fdrop/app', blob.digest)).equals(blob.bytes)).toBe(true);
  });

  it('a blob dropped while the upload session is still opening is retried, never thrown as unhandled', async () => {
    // The target's upload session is held until the source's blob connection has been dropped, so the download
    // fails before any upload reads it: the order of events that once surfaced as an unhandled SocketError. The
    // download overlaps the session's opening for a blob checked with HEAD first: the first blob into a registry
    // this client has not written to, the image config (the other blobs wait to learn whether it honours mounts).
    const pushed = await pushImage({ base: `http://${origin!.host}`, repo: 'fearly/app', tag: '1', seed: 'fearly', layerSize: 256 * 1024 });
    const config = pushed.blobs[0]!;
    const targetProxy = await startFaultProxy(target!.port);
    try {
      slept.length = 0;
      const dropsBefore = proxy!.seen.filter((s) => s.faulted).length;
      proxy!.inject({ _tag: 'DropMidBody' }, { method: 'GET', path: new RegExp(`^/v2/fearly/app/blobs/${config.digest}$`) }, 1);
      targetProxy.inject({ _tag: 'Hold', until: proxy!.whenDelivered(dropsBefore + 1) }, { method: 'POST', path: /^\/v2\/fearly\/app\/blobs\/uploads\/$/ }, 1);
      const copied = await images.copy({ source: via('fearly/app:1'), target: `${targetProxy.host}/fearly/app:1` });
      expect(copied).toEqual({ _tag: 'Right', right: expect.objectContaining({ digest: pushed.digest }) });
      expect(targetProxy.seen.filter((s) => s.faulted)).toHaveLength(1);
      expect(slept).toEqual([100]);
      // The upload session the failed attempt opened was cancelled, not left for the registry's purge.
      expect(targetProxy.seen.filter((s) => /^DELETE \/v2\/fearly\/app\/blobs\/uploads\/[^?]+/.test(s.line))).toHaveLength(1);
      for (const blob of pushed.blobs) expect((await getBlob(`http://${target!.host}`, 'fearly/app', blob.digest)).equals(blob.bytes)).toBe(true);
    } finally {
      await targetProxy.close();
    }
  });

  it('a registry that declines every mount gets no blob it holds uploaded again', async () => {
    // The proxy strips `?mount=...&from=...`: every mount is answered 202 with an upload session, as the OCI spec
    // lets a registry without mounts answer. A 202 then says nothing about the target, so blobs are checked.
    const pushed = await pushImage({ base: `http://${origin!.host}`, repo: 'fnomount/app', tag: '1', seed: 'fnomount' });
    await pushImage({ base: `http://${origin!.host}`, repo: 'fnomount/app', tag: '2', seed: 'fnomount' });
    const declining = await startFaultProxy(target!.port);
    try {
      declining.inject({ _tag: 'DropQuery' }, { method: 'POST', path: /\?mount=/ }, 1000);
      const at = (path: string): string => `${declining.host}/${path}`;
      const first = await images.copy({ source: `${origin!.host}/fnomount/app:1`, target: at('fnomount/app:1') });
      expect(first).toEqual({ _tag: 'Right', right: expect.objectContaining({ outcome: 'copied', blobsUploaded: 4 }) });
      // The one self-mount asked after the first upload was declined; its session was cancelled.
      expect(declining.seen.filter((s) => s.faulted)).toHaveLength(1);
      expect(declining.seen.filter((s) => s.line.startsWith('DELETE /v2/fnomount/app/blobs/uploads/'))).toHaveLength(1);

      const noUploads = (from: number): string[] => declining.seen.slice(from).filter((s) => s.line.startsWith('PUT') && s.line.includes('/blobs/uploads/')).map((s) => s.line);
      let before = declining.seen.length;
      const again = await images.copy({ source: `${origin!.host}/fnomount/app:2`, target: at('fnomount/app:2') });
      expect(again).toEqual({ _tag: 'Right', right: expect.objectContaining({ outcome: 'copied', blobsUploaded: 0, blobsPresent: 4 }) });
      expect(noUploads(before)).toEqual([]);

      // Inside the registry a declined mount falls back to an upload, after a HEAD: absent, so uploaded ...
      const inside = await images.copy({ source: at('fnomount/app:1'), target: at('fnomount/other:1') });
      expect(inside).toEqual({ _tag: 'Right', right: expect.objectContaining({ outcome: 'copied', blobsUploaded: 4, blobsMounted: 0 }) });
      for (const blob of pushed.blobs) expect((await getBlob(`http://${target!.host}`, 'fnomount/other', blob.digest)).equals(blob.bytes)).toBe(true);
      // ... and present: the session is cancelled, nothing is sent again.
      before = declining.seen.length;
      const insideAgain = await images.copy({ source: at('fnomount/app:2'), target: at('fnomount/other:2') });
      expect(insideAgain).toEqual({ _tag: 'Right', right: expect.objectContaining({ outcome: 'copied', blobsUploaded: 0, blobsPresent: 4 }) });
      expect(noUploads(before)).toEqual([]);
      expect(declining.seen.slice(before).filter((s) => s.line.startsWith('DELETE /v2/fnomount/other/blobs/uploads/'))).toHaveLength(4);
      expect((await getManifest(`http://${target!.host}`, 'fnomount/other', '2')).digest).toBe(pushed.digest);
    } finally {
      await declining.close();
    }
  });

  it('a registry that refuses mounts (405) is asked once, then every blob is checked with HEAD', async () => {
    const refusing = await startFaultProxy(target!.port);
    try {
      refusing.inject({ _tag: 'Status', status: 405 }, { method: 'POST', path: /\?mount=/ }, 1000);
      for (const n of [1, 2]) {
        const pushed = await pushImage({ base: `http://${origin!.host}`, repo: `frefuse/app${n}`, tag: '1', seed: `frefuse${n}` });
        const copied = await images.copy({ source: `${origin!.host}/frefuse/app${n}:1`, target: `${refusing.host}/frefuse/app${n}:1` });
        expect(copied).toEqual({ _tag: 'Right', right: expect.objectContaining({ digest: pushed.digest, blobsUploaded: 4 }) });
      }
      // One self-mount (the probe after the first upload), refused; no blob of either image asked again.
      expect(refusing.seen.filter((s) => s.faulted)).toHaveLength(1);
      expect(refusing.seen.filter((s) => s.line.startsWith('HEAD /v2/frefuse/') && s.line.includes('/blobs/'))).toHaveLength(8);
    } finally {
      await refusing.close();
    }
  });

  it('HEAD requests keep their connection alive', async () => {
    // undici closes the connection after a HEAD unless told not to: a snapshot of many names would open one each.
    await pushImage({ base: `http://${origin!.host}`, repo: 'fkeep/app', tag: '1', seed: 'fkeep' });
    const counting = await startFaultProxy(origin!.port);
    const own = createRegistryClient();
    try {
      const heads = createRegistryImages({ client: own });
      // The first request also finds the scheme (a TLS attempt, then the plain /v2/ ping): its connections are
      // not what this test counts.
      expect(await heads.head(`${counting.host}/fkeep/app:absent`)).toEqual({ _tag: 'Right', right: undefined });
      const before = counting.connections();
      for (let i = 0; i < 10; i += 1) {
        expect(await heads.head(`${counting.host}/fkeep/app:1`)).toEqual({ _tag: 'Right', right: expect.objectContaining({ digest: expect.stringMatching(/^sha256:/) }) });
        expect(await heads.head(`${counting.host}/fkeep/app:absent${i}`)).toEqual({ _tag: 'Right', right: undefined });
      }
      // Twenty HEADs, one after another, on the connection the first one used.
      expect(counting.seen.filter((s) => s.line.startsWith('HEAD '))).toHaveLength(21);
      expect(counting.connections() - before).toBe(0);
    } finally {
      await own.close();
      await counting.close();
    }
  });

  it('a manifest whose bytes do not match its digest is refused and nothing is written', async () => {
    await pushImage({ base: `http://${origin!.host}`, repo: 'fbad/app', tag: '1', seed: 'fbad' });
    slept.length = 0;
    const before = (await target!.requests()).length;
    proxy!.inject({ _tag: 'CorruptBody' }, { method: 'GET', path: /^\/v2\/fbad\/app\/manifests\/1$/ }, 1);
    const copied = await images.copy({ source: via('fbad/app:1'), target: `${target!.host}/fbad/app:1` });
    expect(copied._tag === 'Left' && copied.left._tag).toBe('DigestMismatch');
    if (copied._tag === 'Left') expect(describeRegistryError(copied.left)).toMatch(/nothing was written/);
    expect(slept).toEqual([]);
    const writes = (await target!.requests()).slice(before).filter((r) => r.method !== 'GET' && r.method !== 'HEAD');
    expect(writes).toEqual([]);
    expect((await getManifest(`http://${target!.host}`, 'fbad/app', '1')).status).toBe(404);
  });
});
