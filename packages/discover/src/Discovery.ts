import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseCompose } from './Compose.js';
import { compareFindings, compareText } from './DiscoveryFinding.js';
import type { DiscoveryFinding } from './DiscoveryFinding.js';
import { parseDockerfile } from './Dockerfile.js';
import { findProjectFiles } from './ProjectFiles.js';

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
  /** `--build-arg` values for every Dockerfile. */
  readonly buildArgs?: ReadonlyMap<string, string>;
  /** Compose interpolation values; nothing else is read (see `readComposeEnvironment`). Default: empty. */
  readonly env?: ReadonlyMap<string, string>;
  /** Also list the images compose services build themselves (`build:` with `image:`). Default: false. */
  readonly includeBuilt?: boolean;
}

/**
 * Finds the project's Dockerfiles and compose files and lists every image they use, with where each is used.
 * Anything that is not a usable image is a finding, never an exception (file-system errors included).
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

  for (const { path: file, kind } of projectFiles.files) {
    let text: string;
    try {
      text = await readFile(path.resolve(root, file), 'utf8');
    } catch (error) {
      const detail = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : String(error);
      findings.push({ _tag: 'UnreadableFile', file, detail });
      continue;
    }
    if (kind === 'dockerfile') {
      const result = parseDockerfile(text, { file, ...(options.buildArgs === undefined ? {} : { buildArgs: options.buildArgs }) });
      for (const image of result.images) use(image.reference, { file, line: image.line });
      findings.push(...result.findings);
    } else {
      const result = parseCompose(text, { file, env: options.env ?? new Map() });
      for (const image of result.images) use(image.reference, { file, line: image.line });
      for (const built of result.built) {
        if (options.includeBuilt === true && built.reference !== null) use(built.reference, { file, line: built.line });
        else findings.push({ _tag: 'BuiltImage', file, line: built.line, service: built.service, reference: built.reference });
      }
      findings.push(...result.findings);
    }
  }

  const images = [...sources]
    .map(([reference, list]) => ({ reference, sources: sortSources(list) }))
    .sort((a, b) => compareText(a.reference, b.reference));
  return { images, findings: findings.sort(compareFindings) };
};


/** Sorted, each place once: services sharing one anchored `image:` all point at the same line. */
const sortSources = (list: readonly ImageSource[]): ImageSource[] => {
  const sorted = [...list].sort((a, b) => compareText(a.file, b.file) || a.line - b.line);
  return sorted.filter((source, i) => i === 0 || source.file !== sorted[i - 1]?.file || source.line !== sorted[i - 1]?.line);
};
