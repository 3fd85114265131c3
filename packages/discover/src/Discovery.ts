import path from 'node:path';
import { parseCompose } from './Compose.js';
import { compareFindings, compareText } from './DiscoveryFinding.js';
import type { DiscoveryFinding } from './DiscoveryFinding.js';
import { parseDockerfile } from './Dockerfile.js';
import { findProjectFiles, findingForUnread, readComposeEnvironment } from './ProjectFiles.js';
import { inputLimits, readTextFile } from './TextFile.js';

export interface ImageSource {
  /** Relative to the discovery root, POSIX separators. */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
}

export interface DiscoveredImage {
  /** Canonical reference. */
  readonly reference: string;
  /** Every place that uses it, sorted by file then line. */
  readonly sources: readonly ImageSource[];
}

/** Exactly what `imgalias scan --json` prints. */
export interface Discovery {
  /** Sorted by reference, each reference once. */
  readonly images: readonly DiscoveredImage[];
  /** Sorted by file, then line. */
  readonly findings: readonly DiscoveryFinding[];
}

export interface DiscoverImagesOptions {
  readonly root: string;
  /** Files or directories, relative to root; default: the whole root. */
  readonly paths?: readonly string[];
  /**
   * `--build-arg` values for every Dockerfile. A Dockerfile a compose service builds gets that service's
   * `build.args` over these.
   */
  readonly buildArgs?: ReadonlyMap<string, string>;
  /** Compose interpolation values; nothing else is read (see `readComposeEnvironment`). Default: empty. */
  readonly env?: ReadonlyMap<string, string>;
  /**
   * When given, each compose file is interpolated as `docker compose` would: the `.env` beside it, overridden by
   * these variables (the process environment). `env` is then not used.
   */
  readonly environment?: ReadonlyMap<string, string>;
  /** Also list the images compose services build themselves (`build:` with `image:`). Default: false. */
  readonly includeBuilt?: boolean;
}

/** A Dockerfile to read, and the build args of one way it is built. */
interface DockerfileRead {
  readonly file: string;
  readonly buildArgs: ReadonlyMap<string, string>;
  /** The compose service that builds it this way, if any, for a finding when the file is missing. */
  readonly builtBy?: { readonly file: string; readonly line: number; readonly service: string };
}

/** A map's entries in a stable order, as one key: two services passing the same args read a Dockerfile once. */
const argsKey = (args: ReadonlyMap<string, string>): string => JSON.stringify([...args].sort(([a], [b]) => compareText(a, b)));

const toPosix = (relative: string): string => relative.split(path.sep).join('/');

/**
 * Finds the project's Dockerfiles and compose files and lists every image they use, with where each is used.
 * A Dockerfile that a compose service builds is read with that service's `build.args` (once per distinct set of
 * args, never also with its own defaults); every other Dockerfile with its defaults and `buildArgs`. Anything
 * that is not a usable image is a finding, never an exception (file-system errors included).
 *
 * @example
 * await discoverImages({ root: 'examples/field-project' })
 * // { images: [{ reference: 'docker.io/library/redis:7-alpine', sources: [{ file: 'compose.yaml', line: 5 }, ...] }, ...],
 * //   findings: [{ _tag: 'BuiltImage', file: 'compose.yaml', ... }] }
 */
export const discoverImages = async (options: DiscoverImagesOptions): Promise<Discovery> => {
  const root = path.resolve(options.root);
  const projectFiles = await findProjectFiles({ root, ...(options.paths === undefined ? {} : { paths: options.paths }) });
  const sources = new Map<string, ImageSource[]>();
  const findings: DiscoveryFinding[] = [...projectFiles.findings];
  const use = (reference: string, source: ImageSource): void => {
    const list = sources.get(reference) ?? [];
    list.push(source);
    sources.set(reference, list);
  };
  const read = async (file: string, builtBy?: DockerfileRead['builtBy']): Promise<string | undefined> => {
    const result = await readTextFile(path.resolve(root, file), { maxBytes: inputLimits.projectFileBytes, maxLineBytes: inputLimits.lineBytes });
    if (result._tag === 'Text') return result.text;
    findings.push(
      builtBy !== undefined && result._tag === 'Missing'
        ? { _tag: 'BuildFileNotFound', ...builtBy, dockerfile: file }
        : findingForUnread(file, result),
    );
    return undefined;
  };
  // One .env read per directory that holds compose files, however many files share it.
  const composeEnvs = new Map<string, ReturnType<typeof readComposeEnvironment>>();
  const composeEnvOf = async (file: string): Promise<ReadonlyMap<string, string>> => {
    const environment = options.environment;
    if (environment === undefined) return options.env ?? new Map();
    const directory = path.posix.dirname(file);
    let known = composeEnvs.get(directory);
    if (known === undefined) {
      known = readComposeEnvironment({ root, directory, environment });
      composeEnvs.set(directory, known);
      findings.push(...(await known).findings);
    }
    return (await known).env;
  };

  const buildArgs = options.buildArgs ?? new Map<string, string>();
  // Compose files first: the Dockerfiles they build are read with each building service's args.
  const builtReads = new Map<string, Map<string, DockerfileRead>>();
  for (const { path: file, kind } of projectFiles.files) {
    if (kind !== 'compose') continue;
    const text = await read(file);
    if (text === undefined) continue;
    const result = parseCompose(text, { file, env: await composeEnvOf(file) });
    for (const image of result.images) use(image.reference, { file, line: image.line });
    for (const built of result.built) {
      if (options.includeBuilt === true && built.reference !== null) use(built.reference, { file, line: built.line });
      else findings.push({ _tag: 'BuiltImage', file, line: built.line, service: built.service, reference: built.reference });
    }
    for (const build of result.builds) {
      const absolute = path.resolve(root, path.dirname(file), build.context, build.dockerfile);
      const dockerfile = toPosix(path.relative(root, absolute)) || '.';
      const args = new Map([...buildArgs, ...build.args]);
      const reads = builtReads.get(dockerfile) ?? new Map<string, DockerfileRead>();
      reads.set(argsKey(args), { file: dockerfile, buildArgs: args, builtBy: { file, line: build.line, service: build.service } });
      builtReads.set(dockerfile, reads);
    }
    findings.push(...result.findings);
  }

  const dockerfileReads: DockerfileRead[] = [...builtReads.values()].flatMap((reads) => [...reads.values()]);
  for (const { path: file, kind } of projectFiles.files) {
    if (kind === 'dockerfile' && !builtReads.has(file)) dockerfileReads.push({ file, buildArgs });
  }
  const texts = new Map<string, Promise<string | undefined>>();
  for (const { file, buildArgs: args, builtBy } of dockerfileReads) {
    let text = texts.get(file);
    if (text === undefined) {
      text = read(file, builtBy);
      texts.set(file, text);
    }
    const content = await text;
    if (content === undefined) continue;
    const result = parseDockerfile(content, { file, buildArgs: args });
    for (const image of result.images) use(image.reference, { file, line: image.line });
    findings.push(...result.findings);
  }

  const images = [...sources]
    .map(([reference, list]) => ({ reference, sources: sortSources(list) }))
    .sort((a, b) => compareText(a.reference, b.reference));
  return { images, findings: dedupeFindings(findings).sort(compareFindings) };
};

/** A Dockerfile read once per service's args repeats its findings; each is reported once. */
const dedupeFindings = (findings: readonly DiscoveryFinding[]): DiscoveryFinding[] => {
  const seen = new Map<string, DiscoveryFinding>();
  for (const finding of findings) seen.set(JSON.stringify(finding), finding);
  return [...seen.values()];
};

/** Sorted, each place once: services sharing one anchored `image:` all point at the same line. */
const sortSources = (list: readonly ImageSource[]): ImageSource[] => {
  const sorted = [...list].sort((a, b) => compareText(a.file, b.file) || a.line - b.line);
  return sorted.filter((source, i) => i === 0 || source.file !== sorted[i - 1]?.file || source.line !== sorted[i - 1]?.line);
};
