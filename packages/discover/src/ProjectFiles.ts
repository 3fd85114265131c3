import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { compareText } from './DiscoveryFinding.js';
import type { DiscoveryFinding } from './DiscoveryFinding.js';
import { parseDotEnv } from './DotEnv.js';
import type { TextFileResult } from './TextFile.js';
import { describeTextFileProblem, inputLimits, readTextFile } from './TextFile.js';

export type ProjectFileKind = 'dockerfile' | 'compose';

export interface ProjectFile {
  /** Relative to the root, POSIX separators (`services/api/Dockerfile`). */
  readonly path: string;
  readonly kind: ProjectFileKind;
}

export interface ProjectFiles {
  /** Sorted by path, each file once. */
  readonly files: readonly ProjectFile[];
  readonly findings: readonly DiscoveryFinding[];
}

export interface FindProjectFilesOptions {
  /** The directory paths are resolved against and reported relative to. */
  readonly root: string;
  /** Files (taken whatever their name) or directories (searched with the default patterns). Default: `[root]`. */
  readonly paths?: readonly string[];
}

const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set(['node_modules', '.git']);

// `compose*.y*ml` and `docker-compose*.y*ml`, read as the YAML extensions they are meant to match.
const COMPOSE_NAME = /^(docker-)?compose.*\.ya?ml$/;
const YAML_NAME = /\.ya?ml$/;

/**
 * Which kind of project file a name is under the default patterns (`Dockerfile*`, `*.Dockerfile`,
 * `compose*.y*ml`, `docker-compose*.y*ml`), or undefined. `Dockerfile.dockerignore` matches `Dockerfile*` but is
 * an ignore file, so it is left out.
 */
export const classifyFileName = (name: string): ProjectFileKind | undefined => {
  if (COMPOSE_NAME.test(name)) return 'compose';
  if (name.endsWith('.dockerignore')) return undefined;
  if (name.startsWith('Dockerfile') || name.endsWith('.Dockerfile')) return 'dockerfile';
  return undefined;
};

const toPosix = (relative: string): string => relative.split(path.sep).join('/');

const errorDetail = (error: unknown): string =>
  typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : String(error);

const isNotFound = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && 'code' in error && (error.code === 'ENOENT' || error.code === 'ENOTDIR');

/**
 * Finds the Dockerfiles and compose files under `root` (or under the given paths), skipping `node_modules` and
 * `.git`. Symbolic links to files are followed; links to directories are not, so a link cycle cannot loop.
 *
 * @example
 * await findProjectFiles({ root: 'examples/field-project' })
 * // { files: [{ path: 'compose.yaml', kind: 'compose' }, { path: 'Dockerfile', kind: 'dockerfile' }, ...], findings: [] }
 */
export const findProjectFiles = async (options: FindProjectFilesOptions): Promise<ProjectFiles> => {
  const root = path.resolve(options.root);
  const found = new Map<string, ProjectFileKind>();
  const findings: DiscoveryFinding[] = [];
  const relative = (absolute: string): string => toPosix(path.relative(root, absolute)) || '.';

  const walk = async (directory: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(directory, { withFileTypes: true });
    } catch (error) {
      findings.push({ _tag: 'UnreadableFile', file: relative(directory), detail: errorDetail(error) });
      return;
    }
    for (const entry of entries) {
      const absolute = path.join(directory, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) await walk(absolute);
        continue;
      }
      const kind = classifyFileName(entry.name);
      if (kind === undefined) continue;
      const isFile = entry.isFile() || (entry.isSymbolicLink() && (await stat(absolute).then((s) => s.isFile(), () => false)));
      if (isFile) found.set(relative(absolute), kind);
    }
  };

  for (const given of options.paths ?? [root]) {
    const absolute = path.resolve(root, given);
    let info;
    try {
      info = await stat(absolute);
    } catch (error) {
      findings.push(
        isNotFound(error)
          ? { _tag: 'PathNotFound', file: toPosix(given) }
          : { _tag: 'UnreadableFile', file: toPosix(given), detail: errorDetail(error) },
      );
      continue;
    }
    if (info.isDirectory()) {
      await walk(absolute);
    } else if (!info.isFile()) {
      // A FIFO or device would block or never end when read.
      findings.push({ _tag: 'RefusedFile', file: toPosix(given), detail: 'is neither a regular file nor a directory; imgalias reads only regular files' });
    } else {
      // Named explicitly, so taken whatever the name; YAML is read as compose, anything else as a Dockerfile.
      const name = path.basename(absolute);
      found.set(relative(absolute), classifyFileName(name) ?? (YAML_NAME.test(name) ? 'compose' : 'dockerfile'));
    }
  }

  const files = [...found].map(([file, kind]) => ({ path: file, kind })).sort((a, b) => compareText(a.path, b.path));
  return { files, findings };
};

export interface ReadComposeEnvironmentOptions {
  readonly root: string;
  /** The compose project directory, relative to root; `.` when not given. Compose reads `.env` from there. */
  readonly directory?: string;
  /** The process environment; it wins over `.env`, as in compose. */
  readonly environment?: ReadonlyMap<string, string>;
}

/**
 * The variables compose would interpolate with: the project directory's `.env` (parsed as data, see
 * `parseDotEnv`), overridden by `environment`. A missing `.env` is not a finding.
 */
export const readComposeEnvironment = async (
  options: ReadComposeEnvironmentOptions,
): Promise<{ readonly env: ReadonlyMap<string, string>; readonly findings: readonly DiscoveryFinding[] }> => {
  const root = path.resolve(options.root);
  const absolute = path.resolve(root, options.directory ?? '.', '.env');
  const file = toPosix(path.relative(root, absolute));
  const read = await readTextFile(absolute, { maxBytes: inputLimits.projectFileBytes, maxLineBytes: inputLimits.lineBytes });
  if (read._tag !== 'Text') {
    return { env: new Map(options.environment ?? []), findings: read._tag === 'Missing' ? [] : [findingForUnread(file, read)] };
  }
  const dotEnv = parseDotEnv(read.text, { file });
  return { env: new Map([...dotEnv.env, ...(options.environment ?? [])]), findings: dotEnv.findings };
};

/**
 * The finding for a file `readTextFile` gave no text for: refused (not a regular file, over a limit) is an input
 * error; anything else (permission denied, vanished) is an unreadable file.
 */
export const findingForUnread = (file: string, read: Exclude<TextFileResult, { _tag: 'Text' }>): DiscoveryFinding => {
  switch (read._tag) {
    case 'NotRegularFile':
    case 'TooLarge':
    case 'LineTooLong':
      return { _tag: 'RefusedFile', file, detail: describeTextFileProblem(read) };
    case 'Missing':
      return { _tag: 'UnreadableFile', file, detail: 'ENOENT' };
    case 'Unreadable':
      return { _tag: 'UnreadableFile', file, detail: read.code };
  }
};
