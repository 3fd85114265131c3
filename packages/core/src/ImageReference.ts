import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import { quoteExcerpt } from './PrintableText.js';

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

/** Why a digest part was refused, mirroring go-digest's three errors. */
export type DigestProblem = 'unsupported-algorithm' | 'wrong-length' | 'not-lowercase-hex';

/** Why a string is not an image reference. Messages read like Docker's; see `describeReferenceError`. */
export type ReferenceError =
  | { readonly _tag: 'EmptyReference'; readonly input: string }
  | { readonly _tag: 'InvalidFormat'; readonly input: string }
  | { readonly _tag: 'NameContainsUppercase'; readonly input: string }
  | { readonly _tag: 'NameTooLong'; readonly input: string; readonly length: number }
  | { readonly _tag: 'InvalidDigest'; readonly input: string; readonly problem?: DigestProblem }
  | { readonly _tag: 'AnonymousName'; readonly input: string };

/** How a reference is written: `canonical` is fully qualified, `familiar` is what `docker images` shows. */
export type ReferenceStyle = 'canonical' | 'familiar';

// The grammar below is distribution/reference's regexp.go, split into the pieces the parser checks one at a
// time: one big anchored expression would do the same, but checking the parts separately is several times
// faster on the million-name snapshots the planner is benchmarked with, and tells us which part failed.
const alphanumeric = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const pathComponent = `${alphanumeric}(?:${separator}${alphanumeric})*`;
const remoteName = `${pathComponent}(?:/${pathComponent})*`;
const domainNameComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domainName = `${domainNameComponent}(?:\\.${domainNameComponent})*`;
const ipv6address = '\\[(?:[a-fA-F0-9:]+)\\]';
const domainAndPort = `(?:${domainName}|${ipv6address})(?::[0-9]+)?`;
const tagPattern = '[\\w][\\w.-]{0,127}';
const digestPattern = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}';

const DOMAIN = new RegExp(`^${domainAndPort}$`);
const REMOTE_NAME = new RegExp(`^${remoteName}$`);
const TAG = new RegExp(`^${tagPattern}$`);
const DIGEST = new RegExp(`^${digestPattern}$`);
const IDENTIFIER = /^[a-f0-9]{64}$/;
const LOWERCASE_HEX = /^[a-f0-9]+$/;
// Docker's whole-reference expression, used only after a failure to tell "uppercase" from "malformed".
const WHOLE_REFERENCE = new RegExp(
  `^(?:${domainAndPort}/)?${remoteName}(?::${tagPattern})?(?:@${digestPattern})?$`,
);

/** Docker's limit on the path (the name without its domain). */
export const MAX_PATH_LENGTH = 255;

const DEFAULT_DOMAIN = 'docker.io';
const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
const OFFICIAL_PREFIX = 'library/';
const DEFAULT_TAG = 'latest';

// go-digest registers exactly these algorithms (with crypto/sha256 and crypto/sha512 imported, as Docker does).
const DIGEST_HEX_LENGTH: Readonly<Record<string, number>> = { sha256: 64, sha384: 96, sha512: 128 };

const checkDigest = (input: string, digest: string): ReferenceError | undefined => {
  const colon = digest.indexOf(':');
  const algorithm = digest.slice(0, colon);
  const hex = digest.slice(colon + 1);
  const expected = DIGEST_HEX_LENGTH[algorithm];
  if (expected === undefined) return { _tag: 'InvalidDigest', input, problem: 'unsupported-algorithm' };
  if (hex.length !== expected) return { _tag: 'InvalidDigest', input, problem: 'wrong-length' };
  if (!LOWERCASE_HEX.test(hex)) return { _tag: 'InvalidDigest', input, problem: 'not-lowercase-hex' };
  return undefined;
};

/**
 * Parses an image reference the way `docker pull` / `docker tag` read one (distribution/reference's
 * `ParseNormalizedNamed`): the result is normalised, so `redis`, `docker.io/redis` and
 * `index.docker.io/library/redis` give the same value. An untagged name keeps `tag` undefined; see
 * `withDefaultTag`.
 *
 * @example
 * parseReference('localhost:5000/team/app:1.0')
 * // right({ domain: 'localhost:5000', path: 'team/app', tag: '1.0' })
 * parseReference('localhost:5000')
 * // right({ domain: 'docker.io', path: 'library/localhost', tag: '5000' }), as in Docker
 */
export const parseReference = (input: string): Either<ReferenceError, ImageReference> => {
  if (input === '') return left({ _tag: 'EmptyReference', input });
  if (input.length === 64 && IDENTIFIER.test(input)) return left({ _tag: 'AnonymousName', input });

  // Docker's `splitDockerDomain`: the first component is a domain when it is `localhost`, contains `.` or `:`,
  // or has an uppercase letter (namespaces never do); `index.docker.io` is folded to `docker.io`, and
  // single-component Docker Hub names get `library/`. Inlined: this runs once per snapshot name.
  let domain = DEFAULT_DOMAIN;
  let remainder = input;
  let explicit = false;
  const slash = input.indexOf('/');
  if (slash >= 0) {
    const first = input.slice(0, slash);
    if (first === LEGACY_DEFAULT_DOMAIN) {
      remainder = input.slice(slash + 1);
    } else if (first === 'localhost' || first.includes('.') || first.includes(':') || first.toLowerCase() !== first) {
      domain = first;
      remainder = input.slice(slash + 1);
      explicit = true;
    }
  }
  if (domain === DEFAULT_DOMAIN && !remainder.includes('/')) remainder = OFFICIAL_PREFIX + remainder;
  // Docker checks everything before the first ':' of the remainder for uppercase before parsing.
  const firstColon = remainder.indexOf(':');
  const remote = firstColon < 0 ? remainder : remainder.slice(0, firstColon);
  if (remote.toLowerCase() !== remote) return left({ _tag: 'NameContainsUppercase', input });

  const at = remainder.indexOf('@');
  const nameAndTag = at < 0 ? remainder : remainder.slice(0, at);
  const digest = at < 0 ? undefined : remainder.slice(at + 1);
  // The path cannot contain ':', so the first ':' left of the digest starts the tag.
  const colon = nameAndTag.indexOf(':');
  const path = colon < 0 ? nameAndTag : nameAndTag.slice(0, colon);
  const tag = colon < 0 ? undefined : nameAndTag.slice(colon + 1);

  const wellFormed =
    (!explicit || DOMAIN.test(domain)) &&
    REMOTE_NAME.test(path) &&
    (tag === undefined || TAG.test(tag)) &&
    (digest === undefined || DIGEST.test(digest));
  if (!wellFormed) {
    const candidate = `${domain}/${remainder}`;
    const lower = candidate.toLowerCase();
    return left(
      lower !== candidate && lower.length <= 2048 && WHOLE_REFERENCE.test(lower)
        ? { _tag: 'NameContainsUppercase', input }
        : { _tag: 'InvalidFormat', input },
    );
  }
  if (path.length > MAX_PATH_LENGTH) return left({ _tag: 'NameTooLong', input, length: path.length });
  if (digest !== undefined) {
    const problem = checkDigest(input, digest);
    if (problem !== undefined) return left(problem);
  }

  return right(
    tag === undefined
      ? digest === undefined
        ? { domain, path }
        : { domain, path, digest }
      : digest === undefined
        ? { domain, path, tag }
        : { domain, path, tag, digest },
  );
};

// Sticky forms of the same grammar, so `canonicalTagKey` can check a part of the input where it stands instead
// of slicing it out first.
const DOMAIN_BEFORE_SLASH = new RegExp(`${domainAndPort}(?=/)`, 'y');
const REMOTE_NAME_BEFORE_TAG = new RegExp(`${remoteName}(?=:|$)`, 'y');
const TAG_TO_END = new RegExp(`${tagPattern}$`, 'y');
const UPPERCASE = /[A-Z]/;

const matchesAt = (pattern: RegExp, input: string, at: number): boolean => {
  pattern.lastIndex = at;
  return pattern.test(input);
};

/** A canonical tag name in two parts, `prefix + rest`; see `canonicalTagParts`. */
export interface CanonicalTagParts {
  /** `''` (the input is canonical), `docker.io/` or `docker.io/library/` */
  readonly prefix: string;
  /** the rest of the canonical name: the input itself unless it was untagged or spelled `index.docker.io/...` */
  readonly rest: string;
}

/**
 * The canonical tag name (`docker.io/library/redis:latest`) for a name without a digest, as two parts whose
 * concatenation is that name, built with the fewest allocations: this runs once per name of a snapshot, and a
 * lookup that hashes the parts where they stand (`NameSlots`) never builds the whole name. For the names engines
 * list (`redis:7`, `team/app:1.0`, `localhost/app:1.0`, `harbor.corp/proj/app:1.0`) `rest` is the input itself.
 * Gives `undefined` whenever the input is not a plain valid tag name (an error, a digest, a path at the length
 * limit); callers then take the general `parseReference` route, which also says why. Agrees with
 * `parseReference` on everything it accepts (a property test checks).
 */
export const canonicalTagParts = (input: string): CanonicalTagParts | undefined => {
  if (input === '' || input.includes('@') || (input.length === 64 && IDENTIFIER.test(input))) return undefined;
  const slash = input.indexOf('/');
  const uppercaseAt = input.search(UPPERCASE);
  let prefix: string; // what goes before the path in the canonical name, when the input does not carry it
  let restStart: number;
  let dockerHub: boolean;
  if (slash < 0) {
    prefix = 'docker.io/library/';
    restStart = 0;
    dockerHub = true;
  } else if (input.startsWith(`${LEGACY_DEFAULT_DOMAIN}/`)) {
    prefix = 'docker.io/';
    restStart = slash + 1;
    dockerHub = true;
  } else {
    const dot = input.indexOf('.');
    const colon = input.indexOf(':');
    const explicit =
      input.startsWith('localhost/') || (dot >= 0 && dot < slash) || (colon >= 0 && colon < slash) || (uppercaseAt >= 0 && uppercaseAt < slash);
    if (explicit) {
      if (!matchesAt(DOMAIN_BEFORE_SLASH, input, 0) || DOMAIN_BEFORE_SLASH.lastIndex !== slash) return undefined;
      prefix = '';
      restStart = slash + 1;
      dockerHub = input.startsWith(`${DEFAULT_DOMAIN}/`);
    } else {
      prefix = 'docker.io/';
      restStart = 0;
      dockerHub = true;
    }
  }
  const library = dockerHub && input.indexOf('/', restStart) < 0;
  if (library) prefix = `${DEFAULT_DOMAIN}/${OFFICIAL_PREFIX}`;
  const tagColon = input.indexOf(':', restStart);
  const pathEnd = tagColon < 0 ? input.length : tagColon;
  if (uppercaseAt >= restStart && uppercaseAt < pathEnd) return undefined;
  if (!matchesAt(REMOTE_NAME_BEFORE_TAG, input, restStart)) return undefined;
  if (pathEnd - restStart + (library ? OFFICIAL_PREFIX.length : 0) > MAX_PATH_LENGTH) return undefined;
  if (tagColon >= 0 && !matchesAt(TAG_TO_END, input, tagColon + 1)) return undefined;
  const rest = prefix === '' || restStart === 0 ? input : input.slice(restStart);
  return { prefix, rest: tagColon < 0 ? `${rest}:${DEFAULT_TAG}` : rest };
};

/**
 * The canonical tag name (`docker.io/library/redis:latest`) for a name without a digest, or `undefined` when
 * the input is not a plain valid tag name (see `canonicalTagParts`).
 */
export const canonicalTagKey = (input: string): string | undefined => {
  const parts = canonicalTagParts(input);
  if (parts === undefined) return undefined;
  return parts.prefix === '' ? parts.rest : parts.prefix + parts.rest;
};

/** The path as `docker images` shows it: `library/` dropped for official Docker Hub images. */
export const familiarPath = (ref: Pick<ImageReference, 'domain' | 'path'>): string => {
  if (ref.domain !== DEFAULT_DOMAIN || !ref.path.startsWith(OFFICIAL_PREFIX)) return ref.path;
  const rest = ref.path.slice(OFFICIAL_PREFIX.length);
  // Docker keeps `library/` when more components follow (`library/foo/bar`), and so do we.
  return rest.includes('/') ? ref.path : rest;
};

/**
 * Docker's familiar form drops `docker.io/`, which is ambiguous when the first remaining component would itself
 * be read as a domain (`docker.io/localhost/app`, `docker.io/a.b/app`); such names keep their domain.
 */
const isUnambiguousFamiliar = (path: string): boolean => {
  const slash = path.indexOf('/');
  if (slash < 0) return true;
  const first = path.slice(0, slash);
  return first !== 'localhost' && !first.includes('.');
};

/**
 * Writes a reference back. `canonical` is fully qualified (`docker.io/library/redis:7-alpine`), `familiar`
 * is what `docker images` shows (`redis:7-alpine`). No tag is added: see `withDefaultTag`.
 */
export const formatReference = (ref: ImageReference, style: ReferenceStyle): string => {
  const name =
    style === 'canonical' || ref.domain !== DEFAULT_DOMAIN || !isUnambiguousFamiliar(familiarPath(ref))
      ? `${ref.domain}/${ref.path}`
      : familiarPath(ref);
  const tag = ref.tag === undefined ? '' : `:${ref.tag}`;
  const digest = ref.digest === undefined ? '' : `@${ref.digest}`;
  return name + tag + digest;
};

/**
 * A name as people read it (`redis:7-alpine`, `osixia/openldap:stable`), for messages and reports. A string
 * that is not a reference comes back unchanged, so a message can still quote it.
 *
 * @example
 * familiarName('docker.io/library/redis:7-alpine') // 'redis:7-alpine'
 */
export const familiarName = (name: string): string => {
  const parsed = parseReference(name);
  return parsed._tag === 'Right' ? formatReference(parsed.right, 'familiar') : name;
};

/**
 * A name with neither tag nor digest means `:latest` when it is tagged or used as a tag source.
 *
 * @example
 * formatReference(withDefaultTag({ domain: 'docker.io', path: 'library/redis' }), 'canonical') // 'docker.io/library/redis:latest'
 */
export const withDefaultTag = (ref: ImageReference): ImageReference =>
  ref.tag === undefined && ref.digest === undefined ? { ...ref, tag: DEFAULT_TAG } : ref;

/** True when the reference pins content by digest; such a reference is never a tag target. */
export const hasDigest = (ref: ImageReference): boolean => ref.digest !== undefined;

const DIGEST_PROBLEM_TEXT: Record<DigestProblem, string> = {
  'unsupported-algorithm': 'unsupported digest algorithm (use sha256, sha384 or sha512)',
  'wrong-length': 'invalid checksum digest length',
  'not-lowercase-hex': 'invalid checksum digest format (lowercase hex expected)',
};

/**
 * Docker's wording for each error, plus the offending input.
 *
 * @example
 * describeReferenceError({ _tag: 'NameContainsUppercase', input: 'Redis' })
 * // 'invalid reference format: repository name must be lowercase ("Redis")'
 */
export const describeReferenceError = (error: ReferenceError): string => {
  const quoted = quoteExcerpt(error.input);
  switch (error._tag) {
    case 'EmptyReference':
      return 'invalid reference format: repository name must have at least one component (the name is empty)';
    case 'InvalidFormat':
      return `invalid reference format (${quoted})`;
    case 'NameContainsUppercase':
      return `invalid reference format: repository name must be lowercase (${quoted})`;
    case 'NameTooLong':
      return `invalid reference format: repository name must not be more than ${MAX_PATH_LENGTH} characters (${quoted} has ${error.length})`;
    case 'InvalidDigest':
      return `invalid reference format: ${DIGEST_PROBLEM_TEXT[error.problem ?? 'not-lowercase-hex']} (${quoted})`;
    case 'AnonymousName':
      return `invalid repository name (${quoted}), cannot specify 64-byte hexadecimal strings`;
  }
};
