import path from 'node:path';
import type { Discovery, DiscoveryFinding, ImageSource } from '@imgalias/discover';
import { discoverImages, findProjectFiles, isInformationalFinding, readComposeEnvironment } from '@imgalias/discover';

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** `path` as discovery wants it: relative to the working directory, `.` for the directory itself. */
const relativeTo = (cwd: string, target: string): string => path.relative(cwd, path.resolve(cwd, target)) || '.';

/** Several discoveries over one root as one: each image once with every source, everything sorted. */
function mergeDiscoveries(parts: readonly Discovery[]): Discovery {
  const sources = new Map<string, ImageSource[]>();
  const seen = new Set<string>();
  for (const part of parts) {
    for (const image of part.images) {
      const list = sources.get(image.reference) ?? [];
      for (const source of image.sources) {
        const key = `${image.reference}\u0000${source.file}\u0000${source.line}`;
        if (!seen.has(key)) list.push(source);
        seen.add(key);
      }
      sources.set(image.reference, list);
    }
  }
  const findings = new Map<string, DiscoveryFinding>();
  for (const finding of parts.flatMap((part) => part.findings)) findings.set(JSON.stringify(finding), finding);
  return {
    images: [...sources]
      .map(([reference, list]) => ({ reference, sources: list.sort((a, b) => byText(a.file, b.file) || a.line - b.line) }))
      .sort((a, b) => byText(a.reference, b.reference)),
    findings: [...findings.values()].sort(
      (a, b) => byText(a.file, b.file) || ('line' in a ? a.line : 0) - ('line' in b ? b.line : 0) || byText(a._tag, b._tag),
    ),
  };
}

/**
 * The images the project's Dockerfiles and compose files under `paths` use, as `imgalias scan --json` prints
 * them. Each compose file's variables come from the process environment over the `.env` beside that file (its
 * project directory), as `docker compose` would read them; file names are relative to `cwd`.
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
  const buildArgs = new Map(Object.entries(options.buildArgs));
  const relativePaths = [...new Set((options.paths.length === 0 ? ['.'] : options.paths).map((p) => relativeTo(options.cwd, p)))];
  const found = await findProjectFiles({ root: options.cwd, paths: relativePaths });
  // One .env read per directory that holds compose files, however many files share it.
  const composeEnvs = new Map<string, ReturnType<typeof readComposeEnvironment>>();
  const composeEnvOf = (file: string): ReturnType<typeof readComposeEnvironment> => {
    const directory = path.posix.dirname(file);
    const known = composeEnvs.get(directory);
    if (known !== undefined) return known;
    const read = readComposeEnvironment({ root: options.cwd, directory, environment });
    composeEnvs.set(directory, read);
    return read;
  };
  const parts = await Promise.all(
    found.files.map(async (file) => {
      const composeEnv = file.kind === 'compose' ? await composeEnvOf(file.path) : { env: environment, findings: [] };
      const discovered = await discoverImages({
        root: options.cwd,
        paths: [file.path],
        buildArgs,
        env: composeEnv.env,
        includeBuilt: options.includeBuilt,
      });
      return { images: discovered.images, findings: [...composeEnv.findings, ...discovered.findings] };
    }),
  );
  return mergeDiscoveries([...parts, { images: [], findings: found.findings }]);
}

/** The paths discovery was asked to read that do not exist: a mistyped argument, not a finding about the project. */
export const missingPaths = (discovery: Discovery): readonly string[] =>
  discovery.findings.flatMap((finding) => (finding._tag === 'PathNotFound' ? [finding.file] : []));

/** Findings that mean an image could not be determined (everything but facts such as "this service builds its own image"). */
export const problemsOf = (discovery: Discovery): readonly DiscoveryFinding[] =>
  discovery.findings.filter((finding) => !isInformationalFinding(finding));
