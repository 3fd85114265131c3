import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import { normaliseImageId } from '@imgalias/core/internal';
import type { EngineKind, Snapshot, SnapshotImage, StoreError } from '@imgalias/core';

/**
 * The one invocation that lists every image with all its names and digests.
 *
 * - docker: one JSON row per (repository, tag) or (repository, digest); grouped by ID here. `--all` includes
 *   untagged intermediate images so dangling ids are not lost; `--no-trunc` gives full `sha256:` ids; without
 *   `--digests` the `Digest` field stays `<none>` or empty even for pulled images (seen on docker 28 + 20.10).
 * - podman: one JSON array whose entries carry every name (`Names`) and digest (`RepoDigests`) of an image
 *   (podman 4.3 repeats an entry once per name; grouped by Id here).
 * - nerdctl: docker's row format; `--all` is left out because older nerdctl releases reject it and nerdctl
 *   lists every image anyway.
 */
export const imageListArgs = (engine: EngineKind): readonly string[] => {
  switch (engine) {
    case 'docker':
      return ['image', 'ls', '--all', '--no-trunc', '--digests', '--format', '{{json .}}'];
    case 'nerdctl':
      return ['image', 'ls', '--no-trunc', '--format', '{{json .}}'];
    case 'podman':
      return ['images', '--all', '--format', 'json'];
  }
};

const placeholder = '<none>';

interface Accumulated {
  readonly names: Set<string>;
  readonly digests: Set<string>;
}

const toSnapshot = (byId: ReadonlyMap<string, Accumulated>): Snapshot => {
  const images: SnapshotImage[] = [...byId.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, { names, digests }]) => {
      const image = { id, names: [...names].sort() };
      return digests.size > 0 ? { ...image, digests: [...digests].sort() } : image;
    });
  return { version: 1, images };
};

const entryFor = (byId: Map<string, Accumulated>, id: string): Accumulated => {
  const existing = byId.get(id);
  if (existing !== undefined) return existing;
  const created = { names: new Set<string>(), digests: new Set<string>() };
  byId.set(id, created);
  return created;
};

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const stringField = (row: Record<string, unknown>, field: string): string | undefined => {
  const value = row[field];
  return typeof value === 'string' ? value : undefined;
};

const stringArrayField = (row: Record<string, unknown>, field: string): readonly string[] => {
  const value = row[field];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
};

/** `docker image ls --format '{{json .}}'`: one object per line, names split into Repository and Tag. */
const parseRows = (engine: EngineKind, stdout: string): Either<StoreError, Snapshot> => {
  const byId = new Map<string, Accumulated>();
  const lines = stdout.split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '') continue;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      return left({ _tag: 'UnexpectedOutput', engine, message: `line ${index + 1} of the image list is not JSON: ${line.slice(0, 120)}` });
    }
    const id = isRecord(row) ? stringField(row, 'ID') : undefined;
    if (!isRecord(row) || id === undefined || id === '') {
      return left({ _tag: 'UnexpectedOutput', engine, message: `line ${index + 1} of the image list has no ID: ${line.slice(0, 120)}` });
    }
    const entry = entryFor(byId, normaliseImageId(id));
    const repository = stringField(row, 'Repository') ?? placeholder;
    const tag = stringField(row, 'Tag') ?? placeholder;
    const digest = stringField(row, 'Digest') ?? placeholder;
    if (repository === placeholder) continue; // dangling: an id without names
    if (tag !== placeholder) entry.names.add(`${repository}:${tag}`);
    // A row with a digest but no tag is a digest-only name (pulled by digest, or its tag moved away).
    if (digest !== placeholder && digest !== '') entry.digests.add(`${repository}@${digest}`);
  }
  return right(toSnapshot(byId));
};

/** `podman images --format json`: a JSON array; each entry has every name of its image. */
const parsePodmanArray = (stdout: string): Either<StoreError, Snapshot> => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout.trim() === '' ? '[]' : stdout);
  } catch {
    return left({ _tag: 'UnexpectedOutput', engine: 'podman', message: `the image list is not JSON: ${stdout.slice(0, 120)}` });
  }
  if (!Array.isArray(parsed)) {
    return left({ _tag: 'UnexpectedOutput', engine: 'podman', message: 'the image list is not a JSON array' });
  }
  const byId = new Map<string, Accumulated>();
  for (const [index, item] of parsed.entries()) {
    const id = isRecord(item) ? stringField(item, 'Id') ?? stringField(item, 'ID') : undefined;
    if (!isRecord(item) || id === undefined || id === '') {
      return left({ _tag: 'UnexpectedOutput', engine: 'podman', message: `image ${index} in the list has no Id` });
    }
    const entry = entryFor(byId, normaliseImageId(id));
    // Podman 4 fills `Names` and leaves `RepoTags` null; podman 5 fills both. Either way the union is every name.
    for (const name of [...stringArrayField(item, 'Names'), ...stringArrayField(item, 'RepoTags')]) {
      if (name.includes(placeholder)) continue;
      // An image pulled by digest is listed under `Names` as `repo@sha256:...`: a digest, not a tag name.
      (name.includes('@') ? entry.digests : entry.names).add(name);
    }
    for (const digest of stringArrayField(item, 'RepoDigests')) {
      if (!digest.includes(placeholder)) entry.digests.add(digest);
    }
  }
  return right(toSnapshot(byId));
};

/**
 * Maps an engine's image list (the stdout of `imageListArgs(engine)`) to a Snapshot: one entry per image id,
 * sorted by id, with every tag name (in the engine's own spelling; the core normalises) and every
 * `repository@digest`. Dangling images are kept with no names. Malformed output is an `UnexpectedOutput` error.
 */
export const parseImageList = (engine: EngineKind, stdout: string): Either<StoreError, Snapshot> =>
  engine === 'podman' ? parsePodmanArray(stdout) : parseRows(engine, stdout);
