import { excerpt, quoteExcerpt } from '@imgalias/core/internal';

/** One entry of a registry's `{"errors": [...]}` body (the distribution spec's error codes). */
export interface RegistryErrorCode {
  /** e.g. `MANIFEST_UNKNOWN`, `BLOB_UNKNOWN`, `DENIED`, `UNAUTHORIZED`, `TOOMANYREQUESTS`, `NAME_UNKNOWN` */
  readonly code: string;
  readonly message: string;
}

/**
 * Everything that can go wrong talking to a registry, as data. The HTTP status and the registry's own error
 * codes are kept so a caller can tell "not there" (`MANIFEST_UNKNOWN`) from "not allowed" (`DENIED`).
 */
export type RegistryError =
  | {
      readonly _tag: 'HttpStatus';
      readonly registry: string;
      readonly method: string;
      readonly path: string;
      readonly status: number;
      readonly codes: readonly RegistryErrorCode[];
      /** from `Retry-After` on a 429 or 503, in milliseconds */
      readonly retryAfterMs?: number;
    }
  | { readonly _tag: 'Unauthorized'; readonly registry: string; readonly detail: string }
  | { readonly _tag: 'Unreachable'; readonly registry: string; readonly message: string }
  | { readonly _tag: 'InsecureRefused'; readonly registry: string }
  | {
      readonly _tag: 'DigestMismatch';
      readonly registry: string;
      readonly name: string;
      readonly expected: string;
      readonly actual: string;
    }
  | { readonly _tag: 'BadManifest'; readonly registry: string; readonly name: string; readonly message: string }
  | { readonly _tag: 'CredentialHelperFailed'; readonly helper: string; readonly registry: string; readonly message: string }
  | { readonly _tag: 'BadCredentialsFile'; readonly path: string; readonly message: string }
  | { readonly _tag: 'InvalidName'; readonly name: string; readonly message: string }
  /** A copy for some platforms from a source that does not serve each of them (`linux/arm64`, ...). */
  | { readonly _tag: 'PlatformMissing'; readonly registry: string; readonly name: string; readonly missing: readonly string[] }
  /**
   * The caller's signal was aborted (SIGINT, SIGTERM): before the copy began (`started: false`: nothing was
   * asked), or while it ran. A copy writes its tag last, so the target name is either unchanged or complete.
   */
  | { readonly _tag: 'Cancelled'; readonly started: boolean };

/** The codes a registry sent with an error, e.g. `['MANIFEST_UNKNOWN']`. */
export const errorCodes = (error: RegistryError): readonly string[] =>
  error._tag === 'HttpStatus' ? error.codes.map((c) => c.code) : [];

/** A manifest or repository that does not exist (404, or the registry's `*_UNKNOWN` codes). */
export const isNotFound = (error: RegistryError): boolean =>
  error._tag === 'HttpStatus' &&
  (error.status === 404 || error.codes.some((c) => c.code === 'MANIFEST_UNKNOWN' || c.code === 'NAME_UNKNOWN'));

/**
 * Whether trying the same request again can help: 429 and 5xx (not 501 "unsupported"), and a connection that
 * failed. A 4xx is the same answer next time.
 */
export const isRetryable = (error: RegistryError): boolean =>
  (error._tag === 'HttpStatus' && (error.status === 429 || (error.status >= 500 && error.status !== 501))) ||
  error._tag === 'Unreachable';

/**
 * One sentence saying what happened, to what, and what to do next. Text a registry, a token service or a
 * credential helper sent is untrusted: it is shown bounded, with control characters escaped.
 */
export const describeRegistryError = (error: RegistryError): string => {
  switch (error._tag) {
    case 'HttpStatus': {
      const codes = error.codes.map((c) => (c.message ? `${excerpt(c.code, 60)} (${excerpt(c.message)})` : excerpt(c.code, 60))).join(', ');
      const what = `${error.registry} answered ${error.status} to ${error.method} ${error.path}${codes ? `: ${codes}` : ''}`;
      if (error.status === 429) {
        const wait = error.retryAfterMs !== undefined ? ` It asked to wait ${Math.ceil(error.retryAfterMs / 1000)} s.` : '';
        return `${what}.${wait} The registry is rate-limiting: try again later or lower the concurrency.`;
      }
      if (error.status === 403 || error.codes.some((c) => c.code === 'DENIED')) {
        return `${what}. The credentials in use are not allowed to do this: check the account's project role (a Harbor robot account needs pull and push on the project).`;
      }
      return `${what}.`;
    }
    case 'Unauthorized':
      return `${error.registry} refused the credentials: ${excerpt(error.detail)}. Check the user name and password (docker login ${error.registry}), or the credential helper configured for it.`;
    case 'Unreachable':
      return `Cannot reach the registry ${error.registry}: ${excerpt(error.message)}.`;
    case 'InsecureRefused':
      return `${error.registry} does not speak HTTPS and is not a loopback address; name it as insecure to allow plain HTTP.`;
    case 'DigestMismatch':
      return `${error.registry} sent ${error.name} with digest ${error.actual}, but it should be ${error.expected}: the content was refused and nothing was written.`;
    case 'BadManifest':
      return `${error.registry} sent a manifest for ${error.name} that cannot be read: ${excerpt(error.message)}.`;
    case 'CredentialHelperFailed':
      return `The credential helper docker-credential-${excerpt(error.helper, 60)} failed for ${error.registry}: ${excerpt(error.message)}.`;
    case 'BadCredentialsFile':
      return `Cannot read the credentials file ${excerpt(error.path)}: ${excerpt(error.message)}.`;
    case 'Cancelled':
      return error.started
        ? 'cancelled by an interrupt while it ran; the tag is written last, so the target name is either unchanged or complete. Rerun to finish.'
        : 'not started: interrupted before it began. Rerun to finish.';
    case 'PlatformMissing':
      return `the origin ${error.name} does not serve ${error.missing.join(', ')}: nothing was copied (leave that platform out of --platform, or copy from a source that has it).`;
    case 'InvalidName':
      return `${quoteExcerpt(error.name)} is not an image name a registry can serve: ${error.message}.`;
  }
};
