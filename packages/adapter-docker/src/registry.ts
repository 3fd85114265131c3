import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import type { ImageReference, ManifestProbeError } from '@imgalias/core';

/** True for the answers that retrying cannot change. */
export function isPermanentRegistryError(e: ManifestProbeError): boolean {
  return e._tag === 'ManifestUnknown' || e._tag === 'Unauthorized';
}

export function describeRegistryError(e: ManifestProbeError): string {
  switch (e._tag) {
    case 'ManifestUnknown':
      return `${e.reference}: the registry has no such image (HTTP ${e.status}, manifest unknown). Check the name and tag, or publish it first (imgalias publish ${e.reference}).`;
    case 'Unauthorized':
      return `${e.reference}: the registry refused access (HTTP ${e.status}). Log in with \`docker login\` or ask for pull rights on the project.`;
    case 'RegistryUnreachable':
      return `${e.reference}: cannot reach ${e.url} (${e.message}). Check the network, a proxy, or whether the registry is up.`;
    case 'RegistryFailed':
      return `${e.reference}: ${e.url} answered HTTP ${e.status}; the registry may be overloaded or down. It is retried.`;
  }
}

/** The manifest a registry holds for a tag, as its `HEAD` reports it. */
export interface ManifestHead {
  /** `sha256:...` from `Docker-Content-Digest`; absent when the registry does not send it. */
  readonly digest?: string;
  readonly mediaType?: string;
}

/** Every manifest kind a pull may meet; without them a registry may answer with a schema-1 digest or 404. */
export const manifestAccept = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** Loopback registries speak plain HTTP, as Docker itself assumes for 127.0.0.0/8 and ::1. */
export function isLoopbackRegistry(registry: string): boolean {
  const host = registry.startsWith('[') ? registry.slice(1, registry.indexOf(']')) : (registry.split(':')[0] ?? '');
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

export interface HeadManifestOptions {
  readonly reference: ImageReference;
  /** Defaults to the global fetch; tests pass their own. */
  readonly fetch?: typeof fetch;
  /** Per request. Default 10 s. */
  readonly timeoutMs?: number;
  /** Registries (`host[:port]`) to talk to over plain HTTP besides loopback ones (Docker's `insecure-registries`). */
  readonly insecureRegistries?: readonly string[];
  /** Aborting it (SIGINT, SIGTERM) ends the request as its timeout would. */
  readonly signal?: AbortSignal;
}

// Docker Hub's API lives on another host than its image names say.
const apiHost = (domain: string): string => (domain === 'docker.io' ? 'registry-1.docker.io' : domain);

function manifestUrl(options: HeadManifestOptions): string {
  const { domain, path, tag, digest } = options.reference;
  const scheme = isLoopbackRegistry(domain) || (options.insecureRegistries ?? []).includes(domain) ? 'http' : 'https';
  return `${scheme}://${apiHost(domain)}/v2/${path}/manifests/${digest ?? tag ?? 'latest'}`;
}

/** The `realm`, `service` and `scope` of a `WWW-Authenticate: Bearer ...` challenge. */
export function parseBearerChallenge(header: string): Readonly<Record<string, string>> | undefined {
  const m = /^\s*Bearer\s+(.*)$/i.exec(header);
  if (m === null) return undefined;
  const params: Record<string, string> = {};
  for (const p of (m[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)) params[p[1]!.toLowerCase()] = p[2]!;
  return params['realm'] === undefined ? undefined : params;
}

const messageOf = (e: unknown): string => {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (e as Error).message ?? String(e);
};

/**
 * `HEAD /v2/<repo>/manifests/<tag>` with the OCI and Docker manifest media types, as a pull's first request
 * does. Registries that want a token (Docker Hub, Harbor) answer 401 with a Bearer challenge; the anonymous
 * token dance is done once, as `docker pull` does it without credentials.
 *
 * @example
 * await headManifest({ reference: { domain: '127.0.0.1:5000', path: 'aihpc/redis', tag: '7-alpine' } })
 * // right({ digest: 'sha256:…', mediaType: 'application/vnd.docker.distribution.manifest.v2+json' })
 */
export async function headManifest(options: HeadManifestOptions): Promise<Either<ManifestProbeError, ManifestHead>> {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const url = manifestUrl(options);
  const limit = (): AbortSignal =>
    options.signal === undefined ? AbortSignal.timeout(timeoutMs) : AbortSignal.any([AbortSignal.timeout(timeoutMs), options.signal]);
  const reference = `${options.reference.domain}/${options.reference.path}${
    options.reference.digest === undefined ? `:${options.reference.tag ?? 'latest'}` : `@${options.reference.digest}`
  }`;
  const head = (authorization?: string): Promise<Response> =>
    doFetch(url, {
      method: 'HEAD',
      redirect: 'follow',
      headers: { accept: manifestAccept, ...(authorization === undefined ? {} : { authorization }) },
      signal: limit(),
    });

  try {
    let response = await head();
    const challenge = response.status === 401 ? parseBearerChallenge(response.headers.get('www-authenticate') ?? '') : undefined;
    if (challenge !== undefined) {
      const tokenUrl = new URL(challenge['realm']!);
      if (challenge['service'] !== undefined) tokenUrl.searchParams.set('service', challenge['service']);
      tokenUrl.searchParams.set('scope', challenge['scope'] ?? `repository:${options.reference.path}:pull`);
      const tokenResponse = await doFetch(tokenUrl, { signal: limit() });
      if (tokenResponse.ok) {
        const body = (await tokenResponse.json()) as { token?: string; access_token?: string };
        const token = body.token ?? body.access_token;
        if (token !== undefined) response = await head(`Bearer ${token}`);
      }
    }
    if (response.ok) {
      const digest = response.headers.get('docker-content-digest') ?? undefined;
      const mediaType = response.headers.get('content-type') ?? undefined;
      return right({ ...(digest === undefined ? {} : { digest }), ...(mediaType === undefined ? {} : { mediaType }) });
    }
    if (response.status === 404) return left({ _tag: 'ManifestUnknown', reference, status: 404 });
    if (response.status === 401 || response.status === 403) return left({ _tag: 'Unauthorized', reference, status: response.status });
    return left({ _tag: 'RegistryFailed', reference, url, status: response.status });
  } catch (e) {
    return left({ _tag: 'RegistryUnreachable', reference, url, message: messageOf(e) });
  }
}
