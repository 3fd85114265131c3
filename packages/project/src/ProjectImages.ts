import path from 'node:path';
import type { Discovery, DiscoveryFinding } from '@imgalias/discover';
import { readdir } from 'node:fs/promises';
import { classifyFileName, isInformationalFinding } from '@imgalias/discover';

/** `path` as discovery wants it: relative to the working directory, `.` for the directory itself. */
const relativeTo = (cwd: string, target: string): string => path.relative(cwd, path.resolve(cwd, target)) || '.';

/**
 * The images the project's Dockerfiles and compose files under `paths` use, as `imgalias scan --json` prints
 * them. Each compose file's variables come from the process environment over the `.env` beside that file (its
 * project directory), as `docker compose` would read them; a Dockerfile a compose service builds is read with
 * that service's build args; file names are relative to `cwd`.
 */
export async function discoverProjectImages(options: {
  readonly cwd: string;
  readonly paths: readonly string[];
  readonly buildArgs: Readonly<Record<string, string>>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly includeBuilt: boolean;
}): Promise<Discovery> {
  const environment = new Map(
    Object.entries(options.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  const relativePaths = [...new Set((options.paths.length === 0 ? ['.'] : options.paths).map((p) => relativeTo(options.cwd, p)))];
  // Loaded here, where files are read: the parsers (yaml, dockerfile-ast) are most of a program's start-up when
  // it plans from image names alone, and the bundled `imgalias` then never loads them.
  const { discoverImages } = await import('@imgalias/discover');
  return discoverImages({
    root: options.cwd,
    paths: relativePaths,
    buildArgs: new Map(Object.entries(options.buildArgs)),
    environment,
    includeBuilt: options.includeBuilt,
  });
}

/** The paths discovery was asked to read that do not exist: a mistyped argument, not a finding about the project. */
export const missingPaths = (discovery: Discovery): readonly string[] =>
  discovery.findings.flatMap((finding) => (finding._tag === 'PathNotFound' ? [finding.file] : []));

/** Files discovery refused to read (a FIFO, a device, over a size limit): an input error, like a missing path. */
export const refusedFiles = (discovery: Discovery): readonly { readonly file: string; readonly detail: string }[] =>
  discovery.findings.flatMap((finding) => (finding._tag === 'RefusedFile' ? [{ file: finding.file, detail: finding.detail }] : []));

/** Findings that mean an image could not be determined (everything but facts such as "this service builds its own image"). */
export const problemsOf = (discovery: Discovery): readonly DiscoveryFinding[] =>
  discovery.findings.filter((finding) => !isInformationalFinding(finding));

/**
 * The Dockerfiles and compose files directly in `directory` (not below it), by name, sorted: what `plan` and
 * `check` mention when they run without `--from` where a project is, since only `fix` reads it by default.
 * Unreadable directories give none.
 */
export async function projectFilesHere(directory: string): Promise<readonly string[]> {
  try {
    const entries = await readdir(directory, { withFileTypes: true });
    return entries
      .filter((entry) => !entry.isDirectory() && classifyFileName(entry.name) !== undefined)
      .map((entry) => entry.name)
      .sort();
  } catch {
    return [];
  }
}
