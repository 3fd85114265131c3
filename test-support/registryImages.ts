// Builds test images and pushes them over the plain distribution API with fetch: independent of the code
// under test, so what an adapter or command copies can be compared byte for byte with what was pushed.
import { createHash } from 'node:crypto';

export const sha256 = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

export interface PushedImage {
  readonly digest: string;
  readonly bytes: Buffer;
  readonly mediaType: string;
  readonly blobs: readonly { readonly digest: string; readonly bytes: Buffer }[];
}

export interface PushedIndex {
  readonly digest: string;
  readonly bytes: Buffer;
  readonly children: readonly PushedImage[];
}

const headersWith = (auth: string | undefined, extra: Record<string, string> = {}): Record<string, string> => ({
  ...extra,
  ...(auth ? { authorization: auth } : {}),
});

async function pushBlob(base: string, repo: string, bytes: Buffer, auth?: string): Promise<string> {
  const digest = sha256(bytes);
  const start = await fetch(`${base}/v2/${repo}/blobs/uploads/`, { method: 'POST', headers: headersWith(auth) });
  if (start.status !== 202) throw new Error(`upload start ${start.status}: ${await start.text()}`);
  const location = new URL(start.headers.get('location')!, base);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, { method: 'PUT', body: bytes, headers: headersWith(auth, { 'content-type': 'application/octet-stream' }) });
  if (put.status !== 201) throw new Error(`upload ${put.status}: ${await put.text()}`);
  return digest;
}

async function putManifest(base: string, repo: string, reference: string, bytes: Buffer, mediaType: string, auth?: string): Promise<void> {
  const res = await fetch(`${base}/v2/${repo}/manifests/${reference}`, { method: 'PUT', body: bytes, headers: headersWith(auth, { 'content-type': mediaType }) });
  if (res.status !== 201) throw new Error(`manifest ${res.status}: ${await res.text()}`);
}

/** Deterministic bytes of a given size from a seed (distinct seeds give distinct layers). */
export const layerBytes = (seed: string, size: number): Buffer => {
  const out = Buffer.alloc(size);
  let block = createHash('sha256').update(seed).digest();
  for (let off = 0; off < size; off += block.length) {
    block.copy(out, off);
    block = createHash('sha256').update(block).digest();
  }
  return out;
};

/** Pushes an OCI image of `layers` layers for one platform; the tag is optional (children go by digest). */
export async function pushImage(options: {
  readonly base: string;
  readonly repo: string;
  readonly tag?: string;
  readonly seed: string;
  readonly layers?: number;
  readonly layerSize?: number;
  readonly platform?: { readonly os: string; readonly architecture: string; readonly variant?: string };
  readonly auth?: string;
}): Promise<PushedImage> {
  const platform = options.platform ?? { os: 'linux', architecture: 'amd64' };
  const layers = Array.from({ length: options.layers ?? 3 }, (_, i) => layerBytes(`${options.seed}/${i}`, options.layerSize ?? 1024 + i));
  const config = Buffer.from(JSON.stringify({ ...platform, rootfs: { type: 'layers', diff_ids: layers.map(sha256) }, config: {} }));
  const blobs = [config, ...layers].map((bytes) => ({ digest: sha256(bytes), bytes }));
  for (const b of blobs) await pushBlob(options.base, options.repo, b.bytes, options.auth);
  const mediaType = 'application/vnd.oci.image.manifest.v1+json';
  const bytes = Buffer.from(
    JSON.stringify(
      {
        schemaVersion: 2,
        mediaType,
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: blobs[0]!.digest, size: config.length },
        layers: blobs.slice(1).map((b) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: b.digest, size: b.bytes.length })),
      },
      null,
      3,
    ),
  );
  const digest = sha256(bytes);
  await putManifest(options.base, options.repo, options.tag ?? digest, bytes, mediaType, options.auth);
  return { digest, bytes, mediaType, blobs };
}

/** Pushes one image per platform by digest, then an OCI index naming them under `tag`. */
export async function pushIndex(options: {
  readonly base: string;
  readonly repo: string;
  readonly tag: string;
  readonly seed: string;
  readonly platforms: readonly { readonly os: string; readonly architecture: string; readonly variant?: string }[];
}): Promise<PushedIndex> {
  const children: PushedImage[] = [];
  for (const platform of options.platforms) {
    children.push(await pushImage({ base: options.base, repo: options.repo, seed: `${options.seed}/${platform.architecture}`, platform }));
  }
  const mediaType = 'application/vnd.oci.image.index.v1+json';
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType,
      manifests: children.map((c, i) => ({ mediaType: c.mediaType, digest: c.digest, size: c.bytes.length, platform: options.platforms[i] })),
    }),
  );
  await putManifest(options.base, options.repo, options.tag, bytes, mediaType);
  return { digest: sha256(bytes), bytes, children };
}

/** PUTs an OCI index with exactly these entries (raw descriptors, annotations included) under `tag`. */
export async function putIndex(options: { readonly base: string; readonly repo: string; readonly tag: string; readonly manifests: readonly Record<string, unknown>[] }): Promise<{ digest: string; bytes: Buffer }> {
  const mediaType = 'application/vnd.oci.image.index.v1+json';
  const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType, manifests: options.manifests }));
  await putManifest(options.base, options.repo, options.tag, bytes, mediaType);
  return { digest: sha256(bytes), bytes };
}

/** GETs a manifest's exact bytes (any media type) and the digest header. */
export async function getManifest(base: string, repo: string, reference: string, auth?: string, init?: RequestInit): Promise<{ status: number; bytes: Buffer; digest: string | null }> {
  const res = await fetch(`${base}/v2/${repo}/manifests/${reference}`, {
    ...init,
    headers: headersWith(auth, {
      accept: 'application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.docker.distribution.manifest.v2+json',
    }),
  });
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), digest: res.headers.get('docker-content-digest') };
}

export async function getBlob(base: string, repo: string, digest: string, auth?: string, init?: RequestInit): Promise<Buffer> {
  const res = await fetch(`${base}/v2/${repo}/blobs/${digest}`, { ...init, headers: headersWith(auth) });
  if (res.status !== 200) throw new Error(`blob ${digest}: ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}
