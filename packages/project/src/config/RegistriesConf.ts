import { readFile } from 'node:fs/promises';
import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import type { MirrorRule } from '@imgalias/core';
import { makeMirrorRule, parseMirrorOrigin } from '@imgalias/core/internal';
import type { ConfigError } from './ConfigError.js';
import { describeFileError } from './ConfigError.js';

/** The mirror rules a `registries.conf` expresses, and a note for every entry (or part) it could not. */
export interface RegistriesConfRules {
  readonly rules: readonly MirrorRule[];
  readonly notes: readonly string[];
}

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);
const text = (u: unknown): string | undefined => (typeof u === 'string' && u.trim() !== '' ? u.trim() : undefined);

/**
 * Reads the `[[registry]]` tables of a parsed containers-registries.conf v2 as mirror rules. A registries.conf
 * mirror replaces the prefix and keeps the rest of the path, which is the `proxy-cache` layout:
 * `prefix = "quay.io"` with mirror `harbor.corp.local/quay` gives `harbor.corp.local/quay/keycloak/keycloak`.
 * Nothing is dropped silently: a prefix deeper than a registry host, a wildcard prefix, `blocked`, `insecure`,
 * `mirror-by-digest-only`, a mirror without a project path and every mirror after the first are notes.
 *
 * @example
 * registriesConfRules({ registry: [{ prefix: 'quay.io', mirror: [{ location: 'harbor.corp.local/quay' }] }] }, 'registries.conf').rules
 * // [{ origin: 'quay.io', location: { registry: 'harbor.corp.local', project: 'quay' }, layout: 'proxy-cache' }]
 */
export function registriesConfRules(parsed: unknown, file: string): RegistriesConfRules {
  const rules: MirrorRule[] = [];
  const notes: string[] = [];
  const note = (where: string, what: string): void => {
    notes.push(`${file}: ${where}: ${what}`);
  };
  if (!isRecord(parsed)) return { rules, notes };
  if (isRecord(parsed['registries'])) {
    note('[registries.*]', 'the v1 format (registries.search / insecure / block) has no mirrors; it was not read');
  }
  if (parsed['aliases'] !== undefined) note('[aliases]', 'short-name aliases are not mirror rules; they were not read');
  const entries = Array.isArray(parsed['registry']) ? parsed['registry'] : [];
  entries.forEach((entry: unknown, index) => {
    if (!isRecord(entry)) return;
    const prefix = text(entry['prefix']) ?? text(entry['location']);
    const where = `[[registry]] #${index + 1}${prefix === undefined ? '' : ` (prefix "${prefix}")`}`;
    if (prefix === undefined) {
      note(where, 'has neither prefix nor location; skipped');
      return;
    }
    if (entry['blocked'] === true) {
      note(where, 'blocked = true: imgalias does not block registries (the engine still does); no rule was made');
      return;
    }
    if (entry['insecure'] === true) note(where, 'insecure = true is left to the engine; imgalias rules say nothing about TLS');
    if (entry['mirror-by-digest-only'] === true) {
      note(where, 'mirror-by-digest-only = true: Podman uses the mirror only for digests, imgalias pulls the Harbor copy by tag');
    }
    if (prefix.startsWith('*.')) {
      note(where, 'a wildcard prefix matches many registries; a mirror rule names one registry, so no rule was made');
      return;
    }
    const origin = parseMirrorOrigin(prefix);
    if (origin._tag === 'Left') {
      note(where, prefix.includes('/') ? 'the prefix is deeper than a registry host; a mirror rule maps a whole registry, so no rule was made' : `${origin.left.reason}; no rule was made`);
      return;
    }
    const mirrors = (Array.isArray(entry['mirror']) ? entry['mirror'] : []).filter(isRecord);
    const registryLocation = text(entry['location']);
    // Without mirrors, a location other than the prefix rewrites the registry: the same replacement as a mirror.
    const candidates = [
      ...mirrors.map((mirror) => ({ location: text(mirror['location']), insecure: mirror['insecure'] === true, kind: 'mirror' })),
      ...(mirrors.length === 0 && registryLocation !== undefined && registryLocation !== prefix ? [{ location: registryLocation, insecure: false, kind: 'location' }] : []),
    ];
    if (candidates.length === 0) {
      note(where, 'has no mirror; no rule was made');
      return;
    }
    let made = false;
    for (const candidate of candidates) {
      if (candidate.location === undefined) {
        note(where, `a ${candidate.kind} has no location; skipped`);
        continue;
      }
      if (made) {
        note(where, `${candidate.kind} ${candidate.location} is not used: a rule has one Harbor location per origin (the first that works)`);
        continue;
      }
      const rule = makeMirrorRule({ origin: origin.right, location: candidate.location, layout: 'proxy-cache', defaultLayout: 'proxy-cache' });
      if (rule._tag === 'Left') {
        note(where, `${candidate.kind} ${candidate.location} cannot be a Harbor location (${rule.left.reason.replace(/^location: /, '')}); skipped`);
        continue;
      }
      if (candidate.insecure) note(where, `${candidate.kind} ${candidate.location}: insecure = true is left to the engine`);
      rules.push(rule.right);
      made = true;
    }
  });
  return { rules, notes };
}

/**
 * `--mirrors-from FILE`: reads and parses the file (TOML, with smol-toml), then `registriesConfRules`. A file
 * that cannot be read or is not TOML is a usage error (exit 2) naming it.
 */
export async function readRegistriesConf(file: string): Promise<Either<ConfigError, RegistriesConfRules>> {
  let content: string;
  try {
    content = await readFile(file, 'utf8');
  } catch (error) {
    return left({ _tag: 'ConfigFileUnreadable', file, message: `${describeFileError(error)} (named by --mirrors-from)` });
  }
  // The TOML parser loads with the file that needs it: only `--mirrors-from` reads TOML, and every other run of
  // the bundled bin would otherwise compile it at start-up.
  const { parse: parseToml } = await import('smol-toml');
  let parsed: unknown;
  try {
    parsed = parseToml(content);
  } catch (error) {
    return left({ _tag: 'ConfigFileUnreadable', file, message: `not valid TOML: ${describeFileError(error)} (named by --mirrors-from)` });
  }
  return right(registriesConfRules(parsed, file));
}
