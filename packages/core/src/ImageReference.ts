import type { Either } from 'fp-ts/Either';

/**
 * A parsed image reference, following Docker's own grammar (distribution/reference).
 *
 * `domain` is always present after parsing (`docker.io` when the input named none) and `path`
 * carries `library/` for official Docker Hub images, so two spellings of one image compare equal.
 *
 * @example
 * parseReference('redis:7-alpine')
 * // right({ domain: 'docker.io', path: 'library/redis', tag: '7-alpine' })
 */
export interface ImageReference {
  readonly domain: string;
  readonly path: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** Why a string is not an image reference. Messages read like Docker's; see `describeReferenceError`. */
export type ReferenceError =
  | { readonly _tag: 'EmptyReference'; readonly input: string }
  | { readonly _tag: 'InvalidFormat'; readonly input: string }
  | { readonly _tag: 'NameContainsUppercase'; readonly input: string }
  | { readonly _tag: 'NameTooLong'; readonly input: string; readonly length: number }
  | { readonly _tag: 'InvalidDigest'; readonly input: string }
  | { readonly _tag: 'AnonymousName'; readonly input: string };

/** How a reference is written: `canonical` is fully qualified, `familiar` is what `docker images` shows. */
export type ReferenceStyle = 'canonical' | 'familiar';

export type ParseReference = (input: string) => Either<ReferenceError, ImageReference>;
