import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import { describeReferenceError, parseReference } from '@imgalias/core';
import { withDefaultTag } from '@imgalias/core/internal';
import { repositoryScope } from './Challenge.js';
import type { Descriptor, ManifestContent, Platform } from './Manifest.js';
import { MANIFEST_ACCEPT, digestOf, formatPlatform, parseManifest, platformMatches, platformOf } from './Manifest.js';
import type { RegistryClient, RegistryResponse } from './RegistryClient.js';
import type { RegistryError } from './RegistryError.js';
import { isNotFound, isRetryable } from './RegistryError.js';

/** An image name split the way the distribution API addresses it. */
export interface RemoteName {
  /** `host[:port]`, e.g. `harbor.corp.local` */
  readonly registry: string;
  /** e.g. `proj/redis` (Docker Hub official images carry `library/`) */
  readonly repository: string;
  /** a tag, or a digest `sha256:...` */
  readonly reference: string;
}

export const formatRemoteName = (n: RemoteName): string =>
  `${n.registry}/${n.repository}${n.reference.includes(':') ? '@' : ':'}${n.reference}`;

/** `harbor.corp.local/proj/redis:7` -> its registry, repository and tag (`latest` when none is written). */
export const parseRemoteName = (name: string): Either<RegistryError, RemoteName> => {
  const parsed = parseReference(name);
  if (parsed._tag === 'Left') return left({ _tag: 'InvalidName', name, message: describeReferenceError(parsed.left) });
  const ref = parsed.right.digest !== undefined ? parsed.right : withDefaultTag(parsed.right);
  return right({ registry: ref.domain, repository: ref.path, reference: ref.digest ?? ref.tag! });
};

/** A manifest as `HEAD` reports it: enough to compare identities without reading it. */
export interface ManifestHead {
  readonly digest: string;
  readonly mediaType: string;
  readonly size: number;
}

/** A manifest read and verified: `digest` is the sha256 of exactly `bytes`. */
export interface ManifestRead extends ManifestHead {
  readonly name: RemoteName;
  readonly bytes: Buffer;
  readonly content: ManifestContent;
}

/**
 * What a copy writes under the target tag: the origin's manifest as it is, an index narrowed to the requested
 * platforms (new bytes, so a new digest; its child manifests keep theirs), or the one requested platform's
 * image manifest out of the origin's index (the digest that platform has in the origin).
 */
export type CopyShape = 'origin' | 'narrowed-index' | 'platform-image';

/** How one copy went: what moved, what the target had already, what the registry mounted. */
export interface CopyReport {
  readonly source: string;
  readonly target: string;
  /** The digest written (or found) under the target tag. */
  readonly digest: string;
  /** The digest of the source tag's manifest; differs from `digest` unless `shape` is `origin`. */
  readonly sourceDigest: string;
  readonly shape: CopyShape;
  /** `unchanged` when the target already had the same digest under that tag. */
  readonly outcome: 'copied' | 'unchanged';
  readonly manifestsWritten: number;
  readonly blobsUploaded: number;
  readonly blobsMounted: number;
  readonly blobsPresent: number;
  readonly bytesUploaded: number;
}

export interface CopyRequest {
  readonly source: string;
  readonly target: string;
  /**
   * Copy only these platforms (none: every platform, the origin's manifest as it is). The source must serve each
   * one (else `PlatformMissing`, nothing written). A multi-arch source is narrowed: one platform writes that
   * platform's image manifest under the tag, several write an index of just their entries (re-encoded, so its
   * digest differs from the origin's). Naming every platform the index has copies it unchanged.
   */
  readonly platforms?: readonly Platform[];
}

export interface RegistryImagesOptions {
  readonly client: RegistryClient;
  /** Images copied at once by `copyMany`. Default 8. */
  readonly concurrency?: number;
  /** Blobs of one image copied at once. Default 4. */
  readonly blobConcurrency?: number;
  /** Largest manifest read, in bytes (manifests are small; a huge one is refused, not buffered). Default 4 MiB. */
  readonly maxManifestBytes?: number;
}

/** Images in registries: read, compare and copy them without a container engine. */
export interface RegistryImages {
  /** `HEAD` the manifest: its digest (the index digest for multi-arch), or `undefined` when the name is absent. */
  head(name: string): Promise<Either<RegistryError, ManifestHead | undefined>>;
  /** Reads a manifest's exact bytes and refuses them unless they hash to the digest the registry gave. */
  read(name: string): Promise<Either<RegistryError, ManifestRead>>;
  /** The platforms a name serves: each entry of its index, or the one its image config names. */
  platforms(name: string): Promise<Either<RegistryError, readonly Platform[]>>;
  /**
   * Copies one image under another name: the same repository re-tags (manifest bytes `PUT` under the new tag),
   * the same registry mounts every blob, another registry receives streamed blobs it lacks. Manifests are
   * never re-encoded, so the target's digest is the source's; the one exception is an index narrowed to some of
   * its platforms (`platforms`), a new index whose children keep their bytes. Nothing is written when the target
   * already has the digest that would be written.
   */
  copy(request: CopyRequest): Promise<Either<RegistryError, CopyReport>>;
  /**
   * Many copies, `concurrency` at a time, reading each source once. A blob several images share moves once per
   * target registry: into the first repository that needs it, then mounted into the others. One result per
   * request, in order. Once `signal` is aborted no further copy starts: those end `Cancelled` with
   * `started: false` (give the client the same signal to cancel the copies in flight too).
   */
  copyMany(requests: readonly CopyRequest[], options?: { readonly signal?: AbortSignal }): Promise<readonly Either<RegistryError, CopyReport>[]>;
}

/** The manifest a copy writes under its tag, chosen from the source for the requested platforms. */
interface Selection {
  readonly manifest: ManifestRead;
  readonly shape: CopyShape;
  /** The source tag's own digest. */
  readonly sourceDigest: string;
}

// BuildKit stores provenance and SBOMs as index entries of platform unknown/unknown that point at the image they
// describe: a narrowed index keeps those of the platforms it keeps.
const ATTESTATION_FOR = 'vnd.docker.reference.digest';

/** Runs async tasks at most `n` at a time. */
const limiter = (n: number) => {
  let active = 0;
  const queue: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((ok) => queue.push(ok));
    active += 1;
    try {
      return await task();
    } finally {
      active -= 1;
      queue.shift()?.();
    }
  };
};

const headerValue = (headers: RegistryResponse['headers'], name: string): string | undefined => {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
};

const isDigest = (reference: string): boolean => reference.startsWith('sha256:');

const pull = (repository: string): string => repositoryScope(repository, ['pull']);
const pullPush = (repository: string): string => repositoryScope(repository, ['pull', 'push']);

// An upload Location may be absolute or relative; the request goes to the same registry either way.
const locationPath = (location: string): string => {
  if (location.startsWith('/')) return location;
  const url = new URL(location);
  return `${url.pathname}${url.search}`;
};

/**
 * Creates the registry-side image operations over a client.
 *
 * @example
 * const images = createRegistryImages({ client: createRegistryClient() });
 * await images.copy({ source: 'docker.io/library/redis:7', target: 'harbor.corp.local/proj/redis:7' });
 */
export const createRegistryImages = (options: RegistryImagesOptions): RegistryImages => {
  const { client } = options;
  const maxManifestBytes = options.maxManifestBytes ?? 4 * 1024 * 1024;
  const blobLimit = options.blobConcurrency ?? 4;

  const headRemote = async (n: RemoteName): Promise<Either<RegistryError, ManifestHead | undefined>> => {
    const res = await client.sendWithRetry({
      registry: n.registry,
      method: 'HEAD',
      path: `/v2/${n.repository}/manifests/${n.reference}`,
      headers: { accept: MANIFEST_ACCEPT },
      scopes: [pull(n.repository)],
      accept: [404],
    });
    if (res._tag === 'Left') return isNotFound(res.left) ? right(undefined) : res;
    await res.right.body.dump();
    if (res.right.status === 404) return right(undefined);
    const digest = headerValue(res.right.headers, 'docker-content-digest');
    if (digest === undefined || !/^sha256:[a-f0-9]{64}$/.test(digest)) {
      return left({ _tag: 'BadManifest', registry: n.registry, name: formatRemoteName(n), message: digest === undefined ? 'HEAD gave no Docker-Content-Digest' : 'HEAD gave a Docker-Content-Digest that is not sha256:<64 hex>' });
    }
    return right({
      digest,
      mediaType: (headerValue(res.right.headers, 'content-type') ?? '').split(';')[0]!.trim(),
      size: Number(headerValue(res.right.headers, 'content-length') ?? 0),
    });
  };

  const readRemote = (n: RemoteName): Promise<Either<RegistryError, ManifestRead>> =>
    client.retrying(async () => {
      const res = await client.send({
        registry: n.registry,
        method: 'GET',
        path: `/v2/${n.repository}/manifests/${n.reference}`,
        headers: { accept: MANIFEST_ACCEPT },
        scopes: [pull(n.repository)],
      });
      if (res._tag === 'Left') return res;
      const chunks: Buffer[] = [];
      let size = 0;
      try {
        for await (const chunk of res.right.body) {
          size += (chunk as Buffer).length;
          if (size > maxManifestBytes) {
            res.right.body.destroy();
            return left({ _tag: 'BadManifest', registry: n.registry, name: formatRemoteName(n), message: `larger than ${maxManifestBytes} bytes` });
          }
          chunks.push(chunk as Buffer);
        }
      } catch (e) {
        return left({ _tag: 'Unreachable', registry: n.registry, message: `the connection failed while reading the manifest: ${(e as Error).message}` });
      }
      const bytes = Buffer.concat(chunks);
      const actual = digestOf(bytes);
      // The digest we asked for, else the one the registry vouches for: bytes that hash to neither are refused.
      const expected = isDigest(n.reference) ? n.reference : headerValue(res.right.headers, 'docker-content-digest');
      if (expected !== undefined && expected !== actual) {
        return left({ _tag: 'DigestMismatch', registry: n.registry, name: formatRemoteName(n), expected, actual });
      }
      const content = parseManifest(bytes, headerValue(res.right.headers, 'content-type'));
      if (content._tag === 'Left') return left({ _tag: 'BadManifest', registry: n.registry, name: formatRemoteName(n), message: content.left });
      return right({ name: n, digest: actual, mediaType: content.right.mediaType, size: bytes.length, bytes, content: content.right });
    });

  const withName = <T>(name: string, op: (n: RemoteName) => Promise<Either<RegistryError, T>>): Promise<Either<RegistryError, T>> => {
    const n = parseRemoteName(name);
    return n._tag === 'Left' ? Promise.resolve(n) : op(n.right);
  };

  type BlobOutcome = 'present' | 'mounted' | 'uploaded';

  const blobPath = (repository: string, digest: string): string => `/v2/${repository}/blobs/${digest}`;

  /**
   * A source body can fail (the connection dropped mid-blob) before the upload has started reading it, while this
   * code still awaits the upload session or a token: with no listener yet, that 'error' event would be thrown as
   * unhandled. The listener only marks it handled; undici sees the errored stream when the PUT starts and fails
   * that request, which the retry around the whole blob copy then repeats.
   */
  const keepBodyErrors = <T extends Either<RegistryError, { readonly body: NodeJS.ReadableStream }>>(response: T): T => {
    if (response._tag === 'Right') response.right.body.on('error', () => undefined);
    return response;
  };

  /**
   * What one run (a `copy`, or a whole `copyMany`) has already put where, so images that share blobs (a common base
   * image) ask about and move each blob once per target registry: a blob bound for a repository it is already
   * going to is awaited, not checked again; a blob another repository of the target registry received in this run
   * is mounted from there instead of checked and streamed across registries again.
   */
  interface BlobLedger {
    /** `registry/repository@digest` -> how putting that blob there went */
    readonly inRepository: Map<string, Promise<Either<RegistryError, BlobOutcome>>>;
    /** `registry@digest` -> the first repository of that registry this run put the blob into, and how it went */
    readonly inRegistry: Map<string, { readonly repository: string; readonly done: Promise<Either<RegistryError, BlobOutcome>> }>;
  }

  const newLedger = (): BlobLedger => ({ inRepository: new Map(), inRegistry: new Map() });

  // Inside one registry the source repository holds the blob: mount it. Across registries, see acrossRegistries.
  const putBlob = (from: RemoteName, to: RemoteName, blob: Descriptor, counters: { bytes: number }): Promise<Either<RegistryError, BlobOutcome>> =>
    from.registry === to.registry ? transferBlob(from, to, blob, counters, 'mount') : acrossRegistries(from, to, blob, counters);

  const copyBlob = (from: RemoteName, to: RemoteName, blob: Descriptor, counters: { bytes: number }, ledger: BlobLedger): Promise<Either<RegistryError, BlobOutcome>> => {
    const here = `${to.registry}/${to.repository}@${blob.digest}`;
    const pending = ledger.inRepository.get(here);
    // Another image of this run is putting the same blob into the same repository: its outcome answers ours.
    // (If that failed, this copy tries for itself.)
    if (pending) return pending.then((r) => (r._tag === 'Right' ? right<RegistryError, BlobOutcome>('present') : putBlob(from, to, blob, counters)));
    const there = from.registry === to.registry ? undefined : ledger.inRegistry.get(`${to.registry}@${blob.digest}`);
    const done = there === undefined
      ? putBlob(from, to, blob, counters)
      : there.done.then((r) =>
          // Once it is in the target registry, a mount from that repository replaces the cross-registry copy.
          r._tag === 'Right'
            ? transferBlob({ registry: to.registry, repository: there.repository, reference: blob.digest }, to, blob, counters, 'mount')
            : putBlob(from, to, blob, counters),
        );
    ledger.inRepository.set(here, done);
    if (there === undefined && from.registry !== to.registry) ledger.inRegistry.set(`${to.registry}@${blob.digest}`, { repository: to.repository, done });
    return done;
  };

  /**
   * Per target registry, whether it answers a mount of a blob from the target repository itself with 201 when the
   * repository holds the blob (and with 202, an upload session, when it does not). Distribution (so Harbor) does:
   * it links the blob again if the repository has it, else opens the upload. The OCI spec lets a registry answer
   * 202 to every mount, and on one that does a 202 would not mean "absent": there the blob is checked with `HEAD`
   * first, as before. Learnt once per registry from the first blob this object puts there (see `acrossRegistries`).
   */
  const selfMounts = new Map<string, Promise<boolean>>();

  const mountPath = (to: RemoteName, digest: string, fromRepository: string): string =>
    `/v2/${to.repository}/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(fromRepository)}`;

  // An upload session opened and then not used is cancelled, so the registry does not keep it until its purge
  // (distribution's is a week). Best effort: a failure here changes nothing about the copy.
  const cancelUpload = async (to: RemoteName, location: string): Promise<void> => {
    const res = await client.send({ registry: to.registry, method: 'DELETE', path: locationPath(location), scopes: [pullPush(to.repository)], accept: [404] });
    if (res._tag === 'Right') await res.right.body.dump();
  };

  // Does `to`'s registry answer a self-mount of a blob `to` holds (it was just put or found there) with 201?
  // `undefined`: the probe failed in a way that can pass (unreachable, 5xx, 429), so nothing was learnt; any other
  // answer (a 4xx: mounts unsupported or refused) is a no.
  const probeSelfMount = async (to: RemoteName, digest: string): Promise<boolean | undefined> => {
    const res = await client.send({ registry: to.registry, method: 'POST', path: mountPath(to, digest, to.repository), headers: { 'content-length': '0' }, scopes: [pullPush(to.repository)] });
    if (res._tag === 'Left') return isRetryable(res.left) || res.left._tag === 'Cancelled' ? undefined : false;
    await res.right.body.dump();
    if (res.right.status === 201) return true;
    const location = headerValue(res.right.headers, 'location');
    if (location !== undefined) await cancelUpload(to, location);
    return false;
  };

  /**
   * A blob into another registry. Once the registry is known to honour self-mounts, one `POST` with
   * `mount=DIGEST&from=<the target repository>` replaces `HEAD` + `POST`: 201 means the repository has the blob,
   * 202 opens the upload. Until then (the first blob into a registry) the blob is checked with `HEAD` and, once
   * it is there, one self-mount asks whether the registry honours them; blobs that arrive meanwhile wait for
   * that answer (one blob, usually the image config, a few round trips) rather than being checked the slow way.
   */
  const acrossRegistries = (from: RemoteName, to: RemoteName, blob: Descriptor, counters: { bytes: number }): Promise<Either<RegistryError, BlobOutcome>> => {
    const learnt = selfMounts.get(to.registry);
    if (learnt !== undefined) return learnt.then((honoured) => transferBlob(from, to, blob, counters, honoured ? 'self-mount' : 'check'));
    let settle: (honoured: boolean) => void = () => undefined;
    selfMounts.set(to.registry, new Promise<boolean>((ok) => (settle = ok)));
    return transferBlob(from, to, blob, counters, 'check').then(async (r) => {
      const honoured = r._tag === 'Right' ? await probeSelfMount(to, blob.digest) : undefined;
      // Nothing learnt (this blob failed, or the probe did): a later blob asks again.
      if (honoured === undefined) selfMounts.delete(to.registry);
      settle(honoured === true);
      return r;
    });
  };

  /**
   * How a blob is put into the target repository:
   * - `check`: `HEAD` in the target; if absent, an upload (across registries the download starts while the upload
   *   session opens);
   * - `self-mount`: a mount from the target repository itself (a registry known to honour it): 201 = there, 202 =
   *   the upload session, no `HEAD`;
   * - `mount`: a mount from `from`, a repository of the target registry that holds the blob (the source of a copy
   *   inside one registry, or the repository this run has just put the blob into): 201 = mounted; a 202 (declined)
   *   is followed by a `HEAD`, as a registry that declines mounts says nothing about the target by it, then the
   *   upload from `from`.
   */
  type Approach = 'check' | 'self-mount' | 'mount';

  const transferBlob = (from: RemoteName, to: RemoteName, blob: Descriptor, counters: { bytes: number }, approach: Approach): Promise<Either<RegistryError, BlobOutcome>> =>
    client.retrying(async (): Promise<Either<RegistryError, BlobOutcome>> => {
      const targetScopes = [pullPush(to.repository)];
      const presentInTarget = async (): Promise<Either<RegistryError, boolean>> => {
        const present = await client.send({ registry: to.registry, method: 'HEAD', path: blobPath(to.repository, blob.digest), scopes: targetScopes, accept: [404] });
        if (present._tag === 'Left') return present;
        await present.right.body.dump();
        return right(present.right.status === 200);
      };
      if (approach === 'check') {
        const present = await presentInTarget();
        if (present._tag === 'Left') return present;
        if (present.right) return right('present');
      }
      const mountFrom = approach === 'check' ? undefined : approach === 'self-mount' ? to.repository : from.repository;
      const startUpload = client.send({
        registry: to.registry,
        method: 'POST',
        path: mountFrom === undefined ? `/v2/${to.repository}/blobs/uploads/` : mountPath(to, blob.digest, mountFrom),
        headers: { 'content-length': '0' },
        scopes: mountFrom === undefined || mountFrom === to.repository ? targetScopes : [...targetScopes, pull(mountFrom)],
      });
      const fetchSource = () => client.send({ registry: from.registry, method: 'GET', path: blobPath(from.repository, blob.digest), scopes: [pull(from.repository)] }).then(keepBodyErrors);
      // After a HEAD that found the blob absent, the source download starts while the upload session opens. After a
      // mount it waits for the 202: a 201 needs no download.
      const download = approach === 'check' && from.registry !== to.registry ? fetchSource() : undefined;
      const dropDownload = async (): Promise<void> => {
        const d = await download;
        if (d?._tag === 'Right') d.right.body.destroy();
      };
      const start = await startUpload;
      if (start._tag === 'Left') {
        await dropDownload();
        return start;
      }
      await start.right.body.dump();
      if (start.right.status === 201) return right(approach === 'self-mount' ? 'present' : 'mounted');
      const location = headerValue(start.right.headers, 'location');
      if (location === undefined) {
        await dropDownload();
        return left({ _tag: 'HttpStatus', registry: to.registry, method: 'POST', path: `/v2/${to.repository}/blobs/uploads/`, status: start.right.status, codes: [{ code: 'NO_LOCATION', message: 'the upload was accepted without a Location' }] });
      }
      if (approach === 'mount') {
        // Declined: the registry does not mount, or `from` lacks the blob. The target may still hold it.
        const present = await presentInTarget();
        if (present._tag === 'Left' || present.right) {
          await cancelUpload(to, location);
          return present._tag === 'Left' ? present : right('present');
        }
      }
      // A declined mount falls back to an upload from the repository it named (the same registry).
      const source = await (download ?? fetchSource());
      if (source._tag === 'Left') {
        await cancelUpload(to, location);
        return source;
      }
      const length = headerValue(source.right.headers, 'content-length');
      const path = locationPath(location);
      // The blob streams from one connection into the other: never held whole in memory. The target checks
      // the digest, so bytes cut short or changed on the way are refused there.
      const put = await client.send({
        registry: to.registry,
        method: 'PUT',
        path: `${path}${path.includes('?') ? '&' : '?'}digest=${encodeURIComponent(blob.digest)}`,
        headers: { 'content-type': 'application/octet-stream', ...(length !== undefined ? { 'content-length': length } : {}) },
        body: source.right.body,
        scopes: targetScopes,
      });
      if (put._tag === 'Left') {
        source.right.body.destroy();
        await cancelUpload(to, location);
        return put;
      }
      await put.right.body.dump();
      counters.bytes += Number(length ?? blob.size);
      return right('uploaded');
    });

  const putManifest = async (to: RemoteName, reference: string, m: ManifestRead): Promise<Either<RegistryError, void>> => {
    const res = await client.sendWithRetry({
      registry: to.registry,
      method: 'PUT',
      path: `/v2/${to.repository}/manifests/${reference}`,
      headers: { 'content-type': m.mediaType },
      body: m.bytes,
      scopes: [pullPush(to.repository)],
    });
    if (res._tag === 'Left') return res;
    await res.right.body.dump();
    const written = headerValue(res.right.headers, 'docker-content-digest');
    if (written !== undefined && written !== m.digest) {
      return left({ _tag: 'DigestMismatch', registry: to.registry, name: `${to.registry}/${to.repository}:${reference}`, expected: m.digest, actual: written });
    }
    return right(undefined);
  };

  interface Tally {
    manifests: number;
    uploaded: number;
    mounted: number;
    present: number;
    bytes: number;
  }

  // Makes `m` (already read from `from`) exist in `to`'s repository by digest: blobs first, then child
  // manifests, then the manifest itself only when it is a child (the caller PUTs the top one under its tag).
  const transferContent = async (from: RemoteName, to: RemoteName, m: ManifestRead, tally: Tally, readChild: (d: string) => Promise<Either<RegistryError, ManifestRead>>, ledger: BlobLedger): Promise<Either<RegistryError, void>> => {
    if (from.registry === to.registry && from.repository === to.repository) return right(undefined);
    if (m.content._tag === 'Image') {
      const limit = limiter(blobLimit);
      const counters = { bytes: 0 };
      const results = await Promise.all(m.content.blobs.map((b) => limit(() => copyBlob(from, to, b, counters, ledger))));
      tally.bytes += counters.bytes;
      for (const r of results) {
        if (r._tag === 'Left') return r;
        if (r.right === 'present') tally.present += 1;
        else if (r.right === 'mounted') tally.mounted += 1;
        else tally.uploaded += 1;
      }
      return right(undefined);
    }
    for (const child of m.content.manifests) {
      const there = await headRemote({ ...to, reference: child.digest });
      if (there._tag === 'Left') return there;
      if (there.right !== undefined) continue;
      const read = await readChild(child.digest);
      if (read._tag === 'Left') return read;
      const inner = await transferContent(from, to, read.right, tally, readChild, ledger);
      if (inner._tag === 'Left') return inner;
      const put = await putManifest(to, child.digest, read.right);
      if (put._tag === 'Left') return put;
      tally.manifests += 1;
    }
    return right(undefined);
  };

  const configPlatform = async (n: RemoteName, m: ManifestRead): Promise<Either<RegistryError, Platform | undefined>> => {
    if (m.content._tag !== 'Image') return right(undefined);
    const config = m.content.blobs[0]!;
    const res = await client.sendWithRetry({ registry: n.registry, method: 'GET', path: blobPath(n.repository, config.digest), scopes: [pull(n.repository)] });
    if (res._tag === 'Left') return res;
    try {
      return right(platformOf(await res.right.body.json()));
    } catch (e) {
      return left({ _tag: 'BadManifest', registry: n.registry, name: formatRemoteName(n), message: `its image config is not JSON (${(e as Error).message})` });
    }
  };

  // What goes under the target tag for the wanted platforms (see CopyRequest.platforms). Deterministic: the same
  // origin index and platforms always give the same narrowed bytes, so "already there" compares digests.
  const selectFor = async (from: RemoteName, source: ManifestRead, wanted: readonly Platform[], readSource: (n: RemoteName) => Promise<Either<RegistryError, ManifestRead>>): Promise<Either<RegistryError, Selection>> => {
    const as = (manifest: ManifestRead, shape: CopyShape): Either<RegistryError, Selection> => right({ manifest, shape, sourceDigest: source.digest });
    if (wanted.length === 0) return as(source, 'origin');
    const missing = (served: readonly (Platform | undefined)[]): readonly string[] =>
      wanted.filter((want) => !served.some((have) => platformMatches(have, want))).map(formatPlatform);
    const lacking = (names: readonly string[]): Either<RegistryError, Selection> =>
      left({ _tag: 'PlatformMissing', registry: from.registry, name: formatRemoteName(from), missing: names });
    if (source.content._tag === 'Image') {
      const platform = await configPlatform(from, source);
      if (platform._tag === 'Left') return platform;
      const absent = missing([platform.right]);
      return absent.length > 0 ? lacking(absent) : as(source, 'origin');
    }
    const entries = source.content.manifests;
    const absent = missing(entries.map((d) => d.platform));
    if (absent.length > 0) return lacking(absent);
    const chosen = entries.filter((d) => wanted.some((want) => platformMatches(d.platform, want)));
    if (wanted.length === 1 && chosen.length === 1) {
      const child = await readSource({ ...from, reference: chosen[0]!.digest });
      return child._tag === 'Left' ? child : as(child.right, 'platform-image');
    }
    const raw = JSON.parse(source.bytes.toString('utf8')) as Record<string, unknown> & { manifests: Record<string, unknown>[] };
    const keptDigests = new Set(chosen.map((d) => d.digest));
    const keep = (entry: Record<string, unknown>): boolean => {
      if (keptDigests.has(entry['digest'] as string)) return true;
      const annotations = entry['annotations'] as Record<string, unknown> | undefined;
      return typeof annotations?.[ATTESTATION_FOR] === 'string' && keptDigests.has(annotations[ATTESTATION_FOR]);
    };
    const keptIndexes = raw.manifests.flatMap((entry, i) => (keep(entry) ? [i] : []));
    if (keptIndexes.length === entries.length) return as(source, 'origin');
    const bytes = Buffer.from(JSON.stringify({ ...raw, manifests: keptIndexes.map((i) => raw.manifests[i]) }));
    return as(
      {
        name: from,
        digest: digestOf(bytes),
        mediaType: source.mediaType,
        size: bytes.length,
        bytes,
        content: { _tag: 'Index', mediaType: source.content.mediaType, manifests: keptIndexes.map((i) => entries[i]!) },
      },
      'narrowed-index',
    );
  };

  const copyWith = async (request: CopyRequest, readSource: (n: RemoteName) => Promise<Either<RegistryError, ManifestRead>>, ledger: BlobLedger): Promise<Either<RegistryError, CopyReport>> => {
    const from = parseRemoteName(request.source);
    if (from._tag === 'Left') return from;
    const to = parseRemoteName(request.target);
    if (to._tag === 'Left') return to;
    if (isDigest(to.right.reference)) return left({ _tag: 'InvalidName', name: request.target, message: 'a copy needs a tag to write, not a digest' });
    // The source read and the target's current digest are independent: ask both at once.
    const [read, existing] = await Promise.all([readSource(from.right), headRemote(to.right)]);
    if (read._tag === 'Left') return read;
    const selected = await selectFor(from.right, read.right, request.platforms ?? [], readSource);
    if (selected._tag === 'Left') return selected;
    // What goes under the tag: the source's manifest, or what --platform narrowed it to.
    const written = selected.right.manifest;
    const tally: Tally = { manifests: 0, uploaded: 0, mounted: 0, present: 0, bytes: 0 };
    const report = (outcome: CopyReport['outcome']): CopyReport => ({
      source: request.source,
      target: request.target,
      digest: written.digest,
      sourceDigest: selected.right.sourceDigest,
      shape: selected.right.shape,
      outcome,
      manifestsWritten: tally.manifests,
      blobsUploaded: tally.uploaded,
      blobsMounted: tally.mounted,
      blobsPresent: tally.present,
      bytesUploaded: tally.bytes,
    });
    if (existing._tag === 'Left') return existing;
    if (existing.right?.digest === written.digest) return right(report('unchanged'));
    // The target repository may hold this index under another tag already: then its children and their blobs are
    // there too (the registry checked them when it was written), and only the tag is missing. An image manifest
    // is not asked about: the check of its blobs answers the same, and a copy into a new name (the usual case)
    // saves the request.
    const byDigest = written.content._tag === 'Image' || (from.right.registry === to.right.registry && from.right.repository === to.right.repository)
      ? right(undefined)
      : await headRemote({ ...to.right, reference: written.digest });
    if (byDigest._tag === 'Left') return byDigest;
    if (byDigest.right === undefined) {
      const moved = await transferContent(from.right, to.right, written, tally, (d) => readSource({ ...from.right, reference: d }), ledger);
      if (moved._tag === 'Left') return moved;
    }
    const put = await putManifest(to.right, to.right.reference, written);
    if (put._tag === 'Left') return put;
    tally.manifests += 1;
    return right(report('copied'));
  };

  const memoisedReader = () => {
    const cache = new Map<string, Promise<Either<RegistryError, ManifestRead>>>();
    return (n: RemoteName): Promise<Either<RegistryError, ManifestRead>> => {
      const key = formatRemoteName(n);
      let p = cache.get(key);
      if (!p) {
        p = readRemote(n);
        cache.set(key, p);
      }
      return p;
    };
  };

  const platformsOf = async (n: RemoteName): Promise<Either<RegistryError, readonly Platform[]>> => {
    const m = await readRemote(n);
    if (m._tag === 'Left') return m;
    if (m.right.content._tag === 'Index') {
      return right(m.right.content.manifests.flatMap((d) => (d.platform && d.platform.architecture !== 'unknown' ? [d.platform] : [])));
    }
    const platform = await configPlatform(n, m.right);
    return platform._tag === 'Left' ? platform : right(platform.right ? [platform.right] : []);
  };

  return {
    head: (name) => withName(name, headRemote),
    read: (name) => withName(name, readRemote),
    platforms: (name) => withName(name, platformsOf),
    copy: (request) => copyWith(request, memoisedReader(), newLedger()),
    copyMany: async (requests, manyOptions = {}) => {
      const limit = limiter(options.concurrency ?? 8);
      const read = memoisedReader();
      const ledger = newLedger();
      const { signal } = manyOptions;
      const notStarted: Either<RegistryError, CopyReport> = left({ _tag: 'Cancelled', started: false });
      return Promise.all(requests.map((r) => limit(() => (signal?.aborted === true ? Promise.resolve(notStarted) : copyWith(r, read, ledger)))));
    },
  };
};
