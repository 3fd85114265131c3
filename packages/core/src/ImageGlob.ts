import type { AliasPolicy } from './Policy.js';
import { familiesOf } from './AliasFamily.js';

/**
 * A glob over canonical image names (`docker.io/library/redis:7-alpine`): `*` matches within one path
 * component (never `/`), `**` matches anything including `/`, `?` matches one character other than `/`; every
 * other character stands for itself. The whole name must match.
 *
 * @example
 * imageGlobMatches('docker.io/library/redis:*', 'docker.io/library/redis:7-alpine') // true
 * imageGlobMatches('nvcr.io/**', 'nvcr.io/nvidia/pytorch:24.01-py3') // true
 * imageGlobMatches('docker.io/*:1', 'docker.io/library/redis:1') // false: * does not cross /
 */
export const imageGlobMatches = (glob: string, canonical: string): boolean => globPattern(glob).test(canonical);

const patterns = new Map<string, RegExp>();

const globPattern = (glob: string): RegExp => {
  const known = patterns.get(glob);
  if (known !== undefined) return known;
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i] as string;
    if (char === '*' && glob[i + 1] === '*') {
      source += '.*';
      i++;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  const pattern = new RegExp(`^${source}$`);
  patterns.set(glob, pattern);
  return pattern;
};

/** An image left out by an `exclude` glob, with the glob that matched. */
export interface ExcludedImage {
  readonly image: string;
  /** The canonical origin of its family, which the glob was matched against. */
  readonly family: string;
  readonly glob: string;
}

/**
 * Splits image requests into those to work on and those an `exclude` glob names, matching each glob against
 * the canonical name of the request's family origin (so `localhost/redis:7` and `redis:7` are excluded by
 * `docker.io/library/redis:*` alike). A request that is not a reference is kept: the planner reports it.
 *
 * @example
 * excludeImages({ images: ['redis:7', 'nginx:1'], exclude: ['docker.io/library/nginx:*'], policy: defaultPolicy })
 * // { images: ['redis:7'], excluded: [{ image: 'nginx:1', family: 'docker.io/library/nginx:1', glob: 'docker.io/library/nginx:*' }] }
 */
export const excludeImages = (options: {
  readonly images: readonly string[];
  readonly exclude: readonly string[];
  readonly policy: AliasPolicy;
}): { readonly images: readonly string[]; readonly excluded: readonly ExcludedImage[] } => {
  if (options.exclude.length === 0) return { images: options.images, excluded: [] };
  const images: string[] = [];
  const excluded: ExcludedImage[] = [];
  for (const image of options.images) {
    const family = familiesOf([image], options.policy).families[0]?.origin;
    const glob = family === undefined ? undefined : options.exclude.find((g) => imageGlobMatches(g, family));
    if (family !== undefined && glob !== undefined) excluded.push({ image, family, glob });
    else images.push(image);
  }
  return { images, excluded };
};
