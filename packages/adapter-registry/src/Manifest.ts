import { createHash } from 'node:crypto';
import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

/** The `Accept` header for manifests: indexes and lists first, so a multi-arch name answers with its index. */
export const MANIFEST_ACCEPT = [OCI_INDEX, DOCKER_LIST, OCI_MANIFEST, DOCKER_MANIFEST].join(', ');

export interface Platform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
}

export interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly platform?: Platform;
}

/** What a manifest refers to: an index's child manifests, or an image's config and layers. */
export type ManifestContent =
  | { readonly _tag: 'Index'; readonly mediaType: string; readonly manifests: readonly Descriptor[] }
  | { readonly _tag: 'Image'; readonly mediaType: string; readonly blobs: readonly Descriptor[] };

/** `sha256:<hex>` of exact bytes: a manifest's identity. */
export const digestOf = (bytes: Buffer): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** `linux/arm64/v8` for a platform. */
export const formatPlatform = (p: Platform): string => [p.os, p.architecture, ...(p.variant ? [p.variant] : [])].join('/');

/** Parses `linux/amd64` or `linux/arm64/v8`; undefined when it is not `os/arch[/variant]`. */
export const parsePlatform = (text: string): Platform | undefined => {
  const parts = text.trim().split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => !/^[a-z0-9_.-]+$/.test(p))) return undefined;
  return { os: parts[0]!, architecture: parts[1]!, ...(parts[2] ? { variant: parts[2] } : {}) };
};

/** Whether an index entry serves the wanted platform (a wanted platform without variant matches any variant). */
export const platformMatches = (have: Platform | undefined, want: Platform): boolean =>
  have !== undefined &&
  have.os === want.os &&
  have.architecture === want.architecture &&
  (want.variant === undefined || have.variant === want.variant);

// Platform fields are shown to people and matched against --platform: only plain words are taken as one.
const PLATFORM_WORD = /^[A-Za-z0-9_.-]{1,64}$/;

/** The platform an index entry or image config names, when its fields are plain words. */
export const platformOf = (value: unknown): Platform | undefined => {
  if (typeof value !== 'object' || value === null) return undefined;
  const p = value as Record<string, unknown>;
  const word = (v: unknown): v is string => typeof v === 'string' && PLATFORM_WORD.test(v);
  if (!word(p['os']) || !word(p['architecture'])) return undefined;
  return { os: p['os'], architecture: p['architecture'], ...(word(p['variant']) ? { variant: p['variant'] } : {}) };
};

const descriptor = (value: unknown): Descriptor | undefined => {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v['digest'] !== 'string' || !/^sha256:[a-f0-9]{64}$/.test(v['digest'])) return undefined;
  const p = v['platform'] as Record<string, unknown> | undefined;
  const platform = platformOf(p);
  return {
    mediaType: typeof v['mediaType'] === 'string' ? v['mediaType'] : '',
    digest: v['digest'],
    size: typeof v['size'] === 'number' ? v['size'] : 0,
    ...(platform ? { platform } : {}),
  };
};

/** Reads what a manifest refers to, from its bytes and the `Content-Type` it was served with. */
export const parseManifest = (bytes: Buffer, contentType: string | undefined): Either<string, ManifestContent> => {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    return left('not JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return left('not a JSON object');
  const m = json as Record<string, unknown>;
  const mediaType = typeof m['mediaType'] === 'string' ? m['mediaType'] : (contentType ?? '').split(';')[0]!.trim();
  if (Array.isArray(m['manifests'])) {
    const manifests = m['manifests'].map(descriptor);
    if (manifests.some((d) => d === undefined)) return left('an index entry has no valid sha256 digest');
    return right({ _tag: 'Index', mediaType: mediaType || OCI_INDEX, manifests: manifests as Descriptor[] });
  }
  if (Array.isArray(m['layers']) && m['config'] !== undefined) {
    const blobs = [m['config'], ...m['layers']].map(descriptor);
    if (blobs.some((d) => d === undefined)) return left('a config or layer has no valid sha256 digest');
    return right({ _tag: 'Image', mediaType: mediaType || OCI_MANIFEST, blobs: blobs as Descriptor[] });
  }
  return left(`unsupported manifest (media type ${mediaType || 'unknown'}; schema 1 manifests are not supported)`);
};
