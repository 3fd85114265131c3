import type { ImageReference } from './ImageReference.js';
import { familiarPath, formatReference, parseReference } from './ImageReference.js';
import { compareStrings } from './Order.js';
import type { RequestFinding } from './Finding.js';
import type { MirrorRule } from './MirrorRule.js';
import { nameSlots } from './NameSlots.js';
import { ANY_ORIGIN, mirrorRulesOf, resolveMirror } from './MirrorRule.js';
import type { AliasPolicy, NetworkMode } from './Policy.js';
import { completePolicy } from './Policy.js';

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
  /** The mirror rule that gave the `harbor` member; present exactly when there is one. */
  readonly harborRule?: MirrorRule;
  /** A `flatten-N` rule deeper than the origin's namespace: no Harbor member, a `MirrorTooDeep` finding. */
  readonly tooDeep?: { readonly rule: MirrorRule; readonly components: number; readonly level: number };
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

/**
 * The parts as one flat string. A template literal of long parts gives a rope that V8 copies into a flat string
 * when the name is first hashed, and keeps both: a family's names live as long as the plan, and a million-name
 * plan builds hundreds of thousands of them.
 */
const joined = (...parts: readonly string[]): string => parts.join('');

const lastComponent = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/**
 * The localhost twin of an origin: what Podman names an unqualified image (`podman import`, `podman load` of an
 * archive saved as `redis:7`), so only Docker Hub origins have one. An image that carried a fully qualified name
 * (`quay.io/keycloak/keycloak:26.0`) keeps that very name when Podman or Docker loads it: the engine's own
 * spelling of a non-Hub image is its origin name, so it has no separate twin.
 *
 * @example
 * localhostTwin({ domain: 'docker.io', path: 'library/redis' }) // 'localhost/redis'
 * localhostTwin({ domain: 'quay.io', path: 'keycloak/keycloak' }) // undefined
 */
export const localhostTwin = (origin: { readonly domain: string; readonly path: string }): string | undefined =>
  origin.domain === DOCKER_HUB ? `${LOCALHOST}/${familiarPath(origin)}` : undefined;

/**
 * The origin a requested reference stands for. A name under a mirror rule's Harbor location is undone when the
 * rule gives that very name back for the origin it reads as (a `*` rule reads as Docker Hub, as Harbor copies
 * were before rules per registry; a flattened name reads as the path it spells); the bare `localhost` domain
 * stands for Docker Hub. Every other registry (`quay.io`, `localhost:5000`, another Harbor project) is an origin.
 */
const originOf = (ref: ImageReference, rules: readonly MirrorRule[]): { domain: string; path: string } => {
  // The deepest location first: `harbor/proj/quay/...` is under a `harbor/proj/quay` rule before a `harbor/proj` one.
  const byDepth = rules.length < 2 ? rules : [...rules].sort((a, b) => b.location.project.length - a.location.project.length);
  for (const rule of byDepth) {
    const { registry, project } = rule.location;
    if (ref.domain !== registry || !ref.path.startsWith(`${project}/`)) continue;
    const rest = ref.path.slice(project.length + 1);
    const origin =
      rule.origin === ANY_ORIGIN || rule.origin === DOCKER_HUB ? { domain: DOCKER_HUB, path: hubPath(rest) } : { domain: rule.origin, path: rest };
    const back = resolveMirror(origin, rules);
    if (back._tag === 'Mirrored' && back.repository === `${ref.domain}/${ref.path}`) return origin;
  }
  if (ref.domain === LOCALHOST) return { domain: DOCKER_HUB, path: hubPath(ref.path) };
  return ref;
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
 * familyOf({ domain: 'localhost', path: 'minio' }, defaultPolicy).origin // 'docker.io/library/minio:latest'
 */
export const familyOf = (ref: ImageReference, given: AliasPolicy, rulesOfPolicy?: readonly MirrorRule[]): AliasFamily => {
  const policy = completePolicy(given);
  const rules = rulesOfPolicy ?? mirrorRulesOf(policy);
  const origin = originOf(ref, rules);
  const tag = `:${ref.tag ?? 'latest'}`;
  const originName = joined(origin.domain, '/', origin.path, tag);
  let localhost: string | undefined;
  let short: string | undefined;
  let localhostShort: string | undefined;
  let harbor: string | undefined;
  const twin = localhostTwin(origin);
  if (twin !== undefined) {
    localhost = joined(twin, tag);
    if (policy.shortNames && !origin.path.startsWith(OFFICIAL_PREFIX)) {
      const last = lastComponent(origin.path);
      short = joined(DOCKER_HUB, '/', OFFICIAL_PREFIX, last, tag);
      localhostShort = joined(LOCALHOST, '/', last, tag);
    }
  }
  const mirror = rules.length === 0 ? undefined : resolveMirror(origin, rules);
  if (mirror?._tag === 'Mirrored') harbor = joined(mirror.repository, tag);
  // In the mode's source ranking, so the planner's first present member is its source.
  const named: Readonly<Record<MemberRole, string | undefined>> = { origin: originName, localhost, short, 'localhost-short': localhostShort, harbor };
  const ranking = SOURCE_RANKING[policy.mode];
  // Sized once: an array grown by `push` from empty reserves room for 17, and a million-name plan keeps hundreds
  // of thousands of these.
  let count = 0;
  for (const role of ranking) if (named[role] !== undefined) count++;
  const members = new Array<FamilyMember>(count);
  let at = 0;
  for (const role of ranking) {
    const name = named[role];
    if (name !== undefined) members[at++] = { role, name };
  }
  if (mirror?._tag === 'Mirrored') return { origin: originName, members, harborRule: mirror.rule };
  if (mirror?._tag === 'TooDeep') return { origin: originName, members, tooDeep: { rule: mirror.rule, components: mirror.components, level: mirror.level } };
  return { origin: originName, members };
};

/** The family's Harbor member, if it has one (a loop: this runs once per requested family). */
export const harborMember = (family: AliasFamily): FamilyMember | undefined => {
  for (const member of family.members) if (member.role === 'harbor') return member;
  return undefined;
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
  given: AliasPolicy,
): { readonly families: readonly AliasFamily[]; readonly findings: readonly RequestFinding[] } => {
  const policy = completePolicy(given);
  const families: AliasFamily[] = [];
  // Origins numbered as first requested: an origin seen before has a slot below the number of families. A
  // `NameSlots` rather than a Map: V8's first hash of each new origin string was about a sixth of this function
  // on 200k requests (860 -> 720 ms of CPU).
  const origins = nameSlots(images.length);
  const findings: RequestFinding[] = [];
  const rules = mirrorRulesOf(policy);
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
    const family = familyOf(ref, policy, rules);
    if (origins.add(family.origin) < families.length) continue;
    families.push(family);
    if (family.tooDeep !== undefined) {
      findings.push({ _tag: 'MirrorTooDeep', family: family.origin, rule: family.tooDeep.rule, components: family.tooDeep.components, level: family.tooDeep.level });
    }
  }
  return { families: withoutAmbiguousHarborNames(families, findings), findings };
};

/**
 * True when no two of these families (of distinct origins) can have one Harbor name, told without a map of every
 * Harbor name (a million-name plan has hundreds of thousands): every Harbor name comes from one rule whose
 * layout keeps the whole origin path, and every origin is on one registry. `path` drops `library/` from
 * one-component Docker Hub paths, so there a path without a namespace (a pre-parsed `docker.io/redis`, which
 * would meet `docker.io/library/redis`) needs the map.
 */
const harborNamesAreDistinct = (families: readonly AliasFamily[]): boolean => {
  let rule: MirrorRule | undefined;
  let registry = '';
  for (const family of families) {
    if (family.harborRule === undefined) continue;
    if (rule === undefined) {
      rule = family.harborRule;
      if (rule.layout !== 'path' && rule.layout !== 'proxy-cache' && rule.layout !== 'library') return false;
      registry = family.origin.slice(0, family.origin.indexOf('/') + 1);
    } else if (family.harborRule !== rule || !family.origin.startsWith(registry)) {
      return false;
    }
    if (rule.layout === 'path' && registry === `${DOCKER_HUB}/` && family.origin.indexOf('/', registry.length) < 0) return false;
  }
  return true;
};

/**
 * Two families of different origins whose rules give one Harbor name (`keycloak/keycloak` from Docker Hub and
 * from quay.io under one `path` rule): which origin the Harbor copy holds cannot be told, so neither family
 * keeps that Harbor name and an `AmbiguousMirror` finding names both.
 */
const withoutAmbiguousHarborNames = (families: readonly AliasFamily[], findings: RequestFinding[]): AliasFamily[] => {
  if (harborNamesAreDistinct(families)) return [...families];
  // Harbor name -> the first family's origin, and every origin of a name two families share (no array per family).
  const firstOwner = new Map<string, string>();
  const sharedOwners = new Map<string, string[]>();
  for (const family of families) {
    if (family.harborRule === undefined) continue;
    const harbor = harborMember(family) as FamilyMember;
    const owner = firstOwner.get(harbor.name);
    if (owner === undefined) {
      firstOwner.set(harbor.name, family.origin);
      continue;
    }
    const owners = sharedOwners.get(harbor.name);
    if (owners === undefined) sharedOwners.set(harbor.name, [owner, family.origin]);
    else owners.push(family.origin);
  }
  if (sharedOwners.size === 0) return [...families];
  const ambiguous = new Set<string>();
  // In the order the names were first seen, as before.
  for (const name of firstOwner.keys()) {
    const owners = sharedOwners.get(name);
    if (owners === undefined) continue;
    ambiguous.add(name);
    findings.push({ _tag: 'AmbiguousMirror', name, families: [...owners].sort(compareStrings) });
  }
  return families.map((family) => {
    if (!family.members.some((member) => member.role === 'harbor' && ambiguous.has(member.name))) return family;
    return { origin: family.origin, members: family.members.filter((member) => member.role !== 'harbor') };
  });
};
