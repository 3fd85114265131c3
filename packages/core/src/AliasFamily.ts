import type { ImageReference } from './ImageReference.js';
import { familiarPath, formatReference, parseReference } from './ImageReference.js';
import type { Finding } from './Plan.js';
import type { AliasPolicy, HarborLayout, NetworkMode } from './Policy.js';

/** The role a name plays in its family; also the order sources are ranked in, per mode. */
export type MemberRole = 'harbor' | 'localhost' | 'origin' | 'short' | 'localhost-short';

/** One name of a family, in canonical form (`docker.io/library/redis:7-alpine`). */
export interface FamilyMember {
  readonly role: MemberRole;
  readonly name: string;
}

/**
 * All names one image should have under a policy: the origin, its `localhost/` twin, the Harbor copy when a
 * Harbor location is configured, and short names when enabled.
 */
export interface AliasFamily {
  /** canonical name of the origin; the family's identity */
  readonly origin: string;
  readonly members: readonly FamilyMember[];
}

const DOCKER_HUB = 'docker.io';
const LOCALHOST = 'localhost';
const OFFICIAL_PREFIX = 'library/';

/** Source ranking per mode: the first member present in the store is the one every other name is tagged from. */
export const SOURCE_RANKING: Readonly<Record<NetworkMode, readonly MemberRole[]>> = {
  external: ['origin', 'localhost', 'short', 'localhost-short', 'harbor'],
  internal: ['harbor', 'localhost', 'short', 'localhost-short', 'origin'],
};

/** The Docker Hub path a `localhost/` or Harbor path stands for: one component means an official image. */
const hubPath = (path: string): string => (path.includes('/') ? path : OFFICIAL_PREFIX + path);

const lastComponent = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/**
 * The origin a requested reference stands for. Only the configured Harbor prefix and the bare `localhost`
 * domain are undone; every other registry (`quay.io`, `localhost:5000`, another Harbor project) is an origin.
 */
const originOf = (ref: ImageReference, policy: AliasPolicy): { domain: string; path: string } => {
  const harbor = policy.harbor;
  if (harbor !== undefined && ref.domain === harbor.registry && ref.path.startsWith(`${harbor.project}/`)) {
    return { domain: DOCKER_HUB, path: hubPath(ref.path.slice(harbor.project.length + 1)) };
  }
  if (ref.domain === LOCALHOST) return { domain: DOCKER_HUB, path: hubPath(ref.path) };
  return { domain: ref.domain, path: ref.path };
};

const harborPath = (origin: { domain: string; path: string }, layout: HarborLayout): string => {
  switch (layout) {
    case 'path':
      return familiarPath(origin);
    case 'library':
      return origin.path;
    case 'flatten':
      return lastComponent(origin.path);
  }
};

/**
 * The family of names one image should carry under a policy, with members in the mode's source ranking
 * (see `SOURCE_RANKING`). Names are canonical and tagged (an untagged request means `:latest`); a digest on
 * the request is ignored here (the planner refuses digest requests before asking for a family).
 *
 * - `origin`: the canonical name (`docker.io/library/redis:7-alpine`);
 * - `localhost`: Podman's twin, only for Docker Hub origins (`localhost/redis:7-alpine`);
 * - `short` / `localhost-short`: with `policy.shortNames`, for namespaced Docker Hub images
 *   (`docker.io/library/openldap:stable`, `localhost/openldap:stable`);
 * - `harbor`: with `policy.harbor`, for Docker Hub origins, laid out per `policy.harborLayout`.
 *
 * Any member resolves to the same family, except that a short name or a `flatten` Harbor name has lost the
 * namespace and resolves to the official image of that name.
 *
 * @example
 * familyOf(parseRight('localhost/minio'), defaultPolicy).origin // 'docker.io/library/minio:latest'
 */
export const familyOf = (ref: ImageReference, policy: AliasPolicy): AliasFamily => {
  const origin = originOf(ref, policy);
  const tag = `:${ref.tag ?? 'latest'}`;
  const originName = `${origin.domain}/${origin.path}${tag}`;
  // Built straight into ranking order (no intermediate map): this runs once per requested image.
  let localhost: string | undefined;
  let short: string | undefined;
  let localhostShort: string | undefined;
  let harbor: string | undefined;
  if (origin.domain === DOCKER_HUB) {
    localhost = `${LOCALHOST}/${familiarPath(origin)}${tag}`;
    if (policy.shortNames && !origin.path.startsWith(OFFICIAL_PREFIX)) {
      const last = lastComponent(origin.path);
      short = `${DOCKER_HUB}/${OFFICIAL_PREFIX}${last}${tag}`;
      localhostShort = `${LOCALHOST}/${last}${tag}`;
    }
    if (policy.harbor !== undefined) {
      harbor = `${policy.harbor.registry}/${policy.harbor.project}/${harborPath(origin, policy.harborLayout)}${tag}`;
    }
  }
  const members: FamilyMember[] = [];
  const add = (role: MemberRole, name: string | undefined): void => {
    if (name !== undefined) members.push({ role, name });
  };
  const external = policy.mode === 'external';
  add(external ? 'origin' : 'harbor', external ? originName : harbor);
  add('localhost', localhost);
  add('short', short);
  add('localhost-short', localhostShort);
  add(external ? 'harbor' : 'origin', external ? harbor : originName);
  return { origin: originName, members };
};

/** Roles the planner creates by tagging. Harbor names only when the policy asks for Harbor tags. */
export const isTagTarget = (role: MemberRole, policy: AliasPolicy): boolean =>
  role !== 'harbor' || policy.harborTags;

/** A requested image: a reference string in any spelling, or an already parsed reference. */
export type ImageRequest = string | ImageReference;

/**
 * The families a list of requests names, each once, in the order first requested, plus a finding for every
 * request that cannot name a family (not a reference, or pinned by digest).
 */
export const familiesOf = (
  images: ReadonlyArray<ImageRequest>,
  policy: AliasPolicy,
): { readonly families: readonly AliasFamily[]; readonly findings: readonly Finding[] } => {
  const families = new Map<string, AliasFamily>();
  const findings: Finding[] = [];
  for (const image of images) {
    let ref: ImageReference;
    if (typeof image === 'string') {
      const parsed = parseReference(image);
      if (parsed._tag === 'Left') {
        findings.push({ _tag: 'InvalidRequest', input: image, error: parsed.left });
        continue;
      }
      ref = parsed.right;
    } else {
      ref = image;
    }
    if (ref.digest !== undefined) {
      findings.push({ _tag: 'DigestReference', reference: formatReference(ref, 'canonical') });
      continue;
    }
    const family = familyOf(ref, policy);
    if (!families.has(family.origin)) families.set(family.origin, family);
  }
  return { families: [...families.values()], findings };
};
