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
 * - podman: one line per listed row from a Go template (`podmanListTemplate`). Podman 4.3 lists an image once per
 *   name and every row carries all of the image's names, so its `--format json` grows with names squared (one
 *   image with 200 names is 7.4 MB of JSON). The template prints the names and digests on one row per image and
 *   only the id on the others: linear in names.
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
      return ['images', '--all', '--no-trunc', '--noheading', '--format', podmanListTemplate];
  }
};

/** Sets `$first` to the name in `$n` when it is a tag name: no `@`, and a tag in its last path component. */
const firstIfTagged = (name: string): string =>
  `{{if eq (len (split ${name} "@")) 1}}{{$last := ""}}{{range split ${name} "/"}}{{$last = .}}{{end}}` +
  `{{if eq (len (split $last ":")) 2}}{{$first = ${name}}}{{end}}{{end}}`;

/**
 * A row of `podman images` prints its image's names only when it is the image's first tagged row: the row whose
 * `Repository:Tag` is the first of `Names` without a digest and with a tag in its last path component (podman
 * makes one row per such name, in `Names` order), or the only row of an image without such a name. Every other
 * row prints `row<TAB>ID`, so the parser can tell an image whose name line went missing from one never listed.
 * `RepoTags` is printed too when it differs from `Names`, as the JSON listing read both (podman 4.3 gives
 * templates `RepoTags` equal to `Names`; podman 5 fills it with tags only). Fields are tab-separated, lists space-separated: neither character can
 * be in an image name, id or digest. Built from `split`/`join`, podman's own template functions.
 *
 * Each row looks at the first name alone when it is a tag name (nearly always), and scans `Names` only when it
 * is not (a name pulled by digest first): a scan on every row made the listing quadratic in names again (at 400
 * names of one image it cost 300 ms of CPU against 45 ms for an id-only template). `{{break}}` would end the
 * scan, but it needs a podman built with Go 1.18 or later.
 */
export const podmanListTemplate =
  `{{$first := ""}}{{if .Names}}{{$n := index .Names 0}}${firstIfTagged('$n')}{{end}}` +
  `{{if eq $first ""}}{{range .Names}}{{if eq $first ""}}${firstIfTagged('.')}{{end}}{{end}}{{end}}` +
  '{{if or (eq $first "") (eq $first (printf "%s:%s" .Repository .Tag))}}' +
  '{{$names := join .Names " "}}{{$tags := join .RepoTags " "}}' +
  'image\t{{.ID}}\t{{$names}}\t{{if ne $tags $names}}{{$tags}}{{end}}\t{{join .RepoDigests " "}}' +
  '{{else}}row\t{{.ID}}{{end}}';

/** `podman images --no-trunc --noheading --format podmanListTemplate NAME`: the listing of one name's image. */
export const podmanInspectArgs = (name: string): readonly string[] => ['images', '--no-trunc', '--noheading', '--format', podmanListTemplate, name];

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

const podmanError = (message: string): Either<StoreError, never> => left({ _tag: 'UnexpectedOutput', engine: 'podman', message });

/** A space-separated list of the template: names or digests, each a run of printable non-space ASCII. */
const podmanList = (field: string): readonly string[] | undefined => {
  if (field === '') return [];
  const items = field.split(' ');
  return items.every((item) => /^[\x21-\x7e]+$/.test(item)) ? items : undefined;
};

const podmanId = /^(sha256:)?[0-9a-f]{12,64}$/;

/**
 * The lines `podmanListTemplate` prints: `image<TAB>ID<TAB>Names<TAB>RepoTags<TAB>RepoDigests` once per image and
 * `row<TAB>ID` for its other rows. Read as data only; any other line, an id that is not hex, a name with a control
 * character, or a row whose image has no `image` line is an `UnexpectedOutput` error. Gives the snapshot the JSON
 * listing gave: names with `<none>` dropped, a name with `@` (pulled by digest) counted as a digest.
 */
const parsePodmanLines = (stdout: string): Either<StoreError, Snapshot> => {
  const byId = new Map<string, Accumulated>();
  const rowsOnly = new Set<string>();
  for (const [index, raw] of stdout.split('\n').entries()) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === '') continue;
    const fields = line.split('\t');
    const shown = JSON.stringify(line.slice(0, 120));
    const kind = fields[0];
    const rawId = fields[1] ?? '';
    if (!((kind === 'image' && fields.length === 5) || (kind === 'row' && fields.length === 2)) || !podmanId.test(rawId)) {
      return podmanError(`line ${index + 1} of the image list is not an image line: ${shown}`);
    }
    const id = normaliseImageId(rawId);
    if (kind === 'row') {
      if (!byId.has(id)) rowsOnly.add(id);
      continue;
    }
    const names = podmanList(fields[2] ?? '');
    const tags = podmanList(fields[3] ?? '');
    const digests = podmanList(fields[4] ?? '');
    if (names === undefined || tags === undefined || digests === undefined) {
      return podmanError(`line ${index + 1} of the image list has a malformed name or digest: ${shown}`);
    }
    rowsOnly.delete(id);
    const entry = entryFor(byId, id);
    for (const name of [...names, ...tags]) {
      if (name.includes(placeholder)) continue;
      // An image pulled by digest is listed under `Names` as `repo@sha256:...`: a digest, not a tag name.
      (name.includes('@') ? entry.digests : entry.names).add(name);
    }
    for (const digest of digests) {
      if (!digest.includes(placeholder)) entry.digests.add(digest);
    }
  }
  const [missing] = rowsOnly;
  if (missing !== undefined) return podmanError(`image ${missing} is listed without its names (no image line for it)`);
  return right(toSnapshot(byId));
};

/**
 * Maps an engine's image list (the stdout of `imageListArgs(engine)`) to a Snapshot: one entry per image id,
 * sorted by id, with every tag name (in the engine's own spelling; the core normalises) and every
 * `repository@digest`. Dangling images are kept with no names. Malformed output is an `UnexpectedOutput` error.
 */
export const parseImageList = (engine: EngineKind, stdout: string): Either<StoreError, Snapshot> =>
  engine === 'podman' ? parsePodmanLines(stdout) : parseRows(engine, stdout);
