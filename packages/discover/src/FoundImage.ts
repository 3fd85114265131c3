import { formatReference, parseReference } from '@imgalias/core';
import { withDefaultTag } from '@imgalias/core/internal';
import type { DiscoveryFinding } from './DiscoveryFinding.js';

/** One image named at one place in one file. */
export interface FoundImage {
  /**
   * Canonical reference (`docker.io/library/redis:7-alpine`), as the core formats it. An untagged name gets
   * `:latest`, which is what Docker pulls for it, so `FROM redis` and `image: redis:latest` are one image.
   */
  readonly reference: string;
  /** The text as written in the file, before substitution (`redis:${REDIS_TAG}`). */
  readonly raw: string;
  /** 1-based line. */
  readonly line: number;
}

/**
 * Hands substituted text to the core's reference parser: the canonical form (with the default tag) on success,
 * an `InvalidReference` finding (carrying the core's error) otherwise.
 */
export const canonicalizeImage = (options: {
  readonly file: string;
  readonly line: number;
  readonly raw: string;
  readonly text: string;
}): { readonly _tag: 'Image'; readonly reference: string } | { readonly _tag: 'Finding'; readonly finding: DiscoveryFinding } => {
  const parsed = parseReference(options.text);
  if (parsed._tag === 'Left') {
    return {
      _tag: 'Finding',
      finding: { _tag: 'InvalidReference', file: options.file, line: options.line, raw: options.raw, text: options.text, error: parsed.left },
    };
  }
  return { _tag: 'Image', reference: formatReference(withDefaultTag(parsed.right), 'canonical') };
};
