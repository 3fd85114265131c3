import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import type { MirrorRule } from './MirrorRule.js';
import { quoteExcerpt } from './PrintableText.js';

/** `external`: the public internet is reachable. `internal`: an intranet whose source of truth is Harbor. */
export type NetworkMode = 'external' | 'internal';

/**
 * How a Harbor copy's path is derived from the origin's path. See docs/guide.md#images-from-other-registries.
 * `path`: the path without the registry host (and without `library/` for Docker Hub); `proxy-cache`: the
 * origin's full path, as a Harbor proxy-cache project keeps it; `flatten-0`..`flatten-3`, `flatten-all`: Harbor
 * replication's namespace flattening. `library` and `flatten` are the older names of `proxy-cache` and
 * `flatten-all`.
 */
export type HarborLayout =
  | 'path'
  | 'proxy-cache'
  | 'flatten-0'
  | 'flatten-1'
  | 'flatten-2'
  | 'flatten-3'
  | 'flatten-all'
  | 'library'
  | 'flatten';

/** What to do with a name that already points at a different image than the chosen source. */
export type ConflictPolicy = 'report' | 'retarget';

/** A Harbor project: `harbor.corp.local/project` or `127.0.0.1:5000/aihpc`. */
export interface HarborLocation {
  /** `host[:port]` */
  readonly registry: string;
  /** the project, possibly with sub-paths (`team/images`) */
  readonly project: string;
}

/**
 * Everything the planner needs to know besides the snapshot and the requested images.
 *
 * @example
 * const policy: AliasPolicy = { mode: 'internal', harbor: { registry: 'harbor.corp.local', project: 'proj' },
 *   harborLayout: 'path', shortNames: false, onConflict: 'report', harborTags: false };
 */
export interface AliasPolicy {
  readonly mode: NetworkMode;
  /** The Harbor location of the `*` rule (every registry without a rule of its own in `mirrors`). */
  readonly harbor?: HarborLocation;
  /** The layout of the `harbor` location, and the default of rules written without one. */
  readonly harborLayout: HarborLayout;
  /**
   * Harbor locations per origin registry; the rule for an image's registry wins over the `*` rule. See
   * `resolveMirror`.
   */
  readonly mirrors?: readonly MirrorRule[];
  /** Also keep `openldap:stable` / `localhost/openldap:stable` for namespaced Docker Hub images. */
  readonly shortNames: boolean;
  readonly onConflict: ConflictPolicy;
  /** Create the Harbor name by tagging too (only for pushing to Harbor). Off by default. */
  readonly harborTags: boolean;
}

/**
 * The policy every command starts from: external mode, `path` layout, no short names, conflicts reported,
 * no Harbor tags and no Harbor location.
 */
export const defaultPolicy: AliasPolicy = {
  mode: 'external',
  harborLayout: 'path',
  shortNames: false,
  onConflict: 'report',
  harborTags: false,
};

/** Why a string is not a Harbor location. */
export interface HarborLocationError {
  readonly _tag: 'InvalidHarborLocation';
  readonly input: string;
  readonly reason: string;
}

// Same host grammar as image references (distribution/reference's domainAndPort), so every Harbor name we
// build parses back with the Harbor host as its domain.
const HOST = /^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[(?:[a-fA-F0-9:]+)\])(?::[0-9]+)?$/;
const PROJECT = /^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*)*$/;

const invalidHarbor = (input: string, reason: string): Either<HarborLocationError, HarborLocation> =>
  left({ _tag: 'InvalidHarborLocation', input, reason });

/**
 * Reads `host[:port]/project[/sub]`, the way Harbor locations are written in configs and on the command line.
 * The host must read as a registry in an image name (contain `.` or `:`, or be `localhost`), or names built
 * under it would be taken for Docker Hub names.
 *
 * @example
 * parseHarborLocation('harbor.corp.local/proj') // right({ registry: 'harbor.corp.local', project: 'proj' })
 */
export const parseHarborLocation = (input: string): Either<HarborLocationError, HarborLocation> => {
  if (/^[a-z]+:\/\//i.test(input)) return invalidHarbor(input, 'leave out the scheme (write harbor.example.com/project)');
  const trimmed = input.endsWith('/') ? input.slice(0, -1) : input;
  const slash = trimmed.indexOf('/');
  if (slash < 0) return invalidHarbor(input, 'expected host[:port]/project');
  const registry = trimmed.slice(0, slash);
  const project = trimmed.slice(slash + 1);
  if (!HOST.test(registry)) return invalidHarbor(input, `"${registry}" is not a registry host`);
  if (registry !== 'localhost' && !registry.includes('.') && !registry.includes(':')) {
    return invalidHarbor(input, `"${registry}" would be read as a Docker Hub namespace; use a host with a dot or a port, or localhost`);
  }
  if (registry === 'docker.io' || registry === 'index.docker.io') {
    return invalidHarbor(input, 'Docker Hub is the origin registry, not a Harbor location');
  }
  if (!PROJECT.test(project)) return invalidHarbor(input, `"${project}" is not a project path (lowercase components separated by /)`);
  return right({ registry, project });
};

export const describeHarborLocationError = (error: HarborLocationError): string =>
  `invalid Harbor location ${quoteExcerpt(error.input)}: ${error.reason}`;

/** `harbor.corp.local/proj` */
export const formatHarborLocation = (location: HarborLocation): string => `${location.registry}/${location.project}`;
