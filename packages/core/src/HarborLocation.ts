import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import { quoteExcerpt } from './PrintableText.js';

/** A Harbor project: `harbor.corp.local/project` or `127.0.0.1:5000/aihpc`. */
export interface HarborLocation {
  /** `host[:port]` */
  readonly registry: string;
  /** the project, possibly with sub-paths (`team/images`) */
  readonly project: string;
}

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

/** One sentence for a refused Harbor location, quoting what was given: `invalid Harbor location "harbor": expected host[:port]/project`. */
export const describeHarborLocationError = (error: HarborLocationError): string =>
  `invalid Harbor location ${quoteExcerpt(error.input)}: ${error.reason}`;

/** `harbor.corp.local/proj` */
export const formatHarborLocation = (location: HarborLocation): string => `${location.registry}/${location.project}`;
