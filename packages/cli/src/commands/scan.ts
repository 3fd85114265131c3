import { isLeft, left, right } from 'fp-ts/lib/Either.js';
import { familiarName } from '@imgalias/core';
import type { Discovery } from '@imgalias/discover';
import { describeDiscoveryFinding, isInformationalFinding } from '@imgalias/discover';
import { ExitCode } from '../ExitCode.js';
import { CliError } from '../CliError.js';
import { discoverProjectImages, missingPaths, problemsOf, refusedFiles } from '@imgalias/project/internal';
import type { CommandSpec } from './CommandSpec.js';
import { option } from './options.js';
import { formatFor } from './formats.js';
import { plural } from '../Wording.js';


/** `imgalias scan` for a human: one line per image with where it is used, the findings, a summary line. */
export function renderDiscoveryText(discovery: Discovery, options: { readonly quiet?: boolean } = {}): string {
  const names = discovery.images.map((image) => familiarName(image.reference));
  const width = names.reduce((widest, name) => Math.max(widest, name.length), 0);
  const imageLines = discovery.images.map(
    (image, i) => `${(names[i] ?? image.reference).padEnd(width)}  ${image.sources.map((s) => `${s.file}:${s.line}`).join(', ')}`,
  );
  // --quiet prints results and errors only: notes (facts such as "this service builds its own image") go.
  const findingLines = discovery.findings
    .filter((finding) => options.quiet !== true || !isInformationalFinding(finding))
    .map((finding) => `${isInformationalFinding(finding) ? 'note   ' : 'finding'}  ${describeDiscoveryFinding(finding)}`);
  const files = new Set(discovery.images.flatMap((image) => image.sources.map((source) => source.file)));
  const problems = problemsOf(discovery).length;
  return [
    ...(imageLines.length === 0 ? ['no images found'] : imageLines),
    ...(findingLines.length === 0 ? [] : ['', ...findingLines]),
    '',
    `${plural(discovery.images.length, 'image')} in ${plural(files.size, 'file')}, ${plural(problems, 'finding')}`,
  ].join('\n');
}

/** `imgalias scan [PATH...]`: the images a project's Dockerfiles and compose files use, and where. */
export const scanCommand: CommandSpec = {
  name: 'scan',
  summary: 'list the images that Dockerfiles and compose files under PATH use',
  arguments: [{ name: '[path...]', description: "files or directories to scan (default: the config file's `from` paths, else the current directory)" }],
  options: [option.includeBuilt, option.config],
  formats: ['text', 'json'],
  run: async (context, { operands, flags }) => {
    const settings = await context.loadSettings(flags);
    if (isLeft(settings)) return settings;
    const format = formatFor(settings.right, ['text', 'json'], 'scan');
    if (isLeft(format)) return format;
    const output = context.output(settings.right);
    const discovery = await discoverProjectImages({
      cwd: context.io.cwd,
      paths: operands.length > 0 ? operands : settings.right.from,
      buildArgs: settings.right.buildArgs,
      env: context.io.env,
      includeBuilt: settings.right.includeBuilt,
    });
    const missing = missingPaths(discovery);
    if (missing.length > 0) return left(CliError.pathNotFound(missing, operands.length > 0 ? 'argument' : 'from'));
    const refused = refusedFiles(discovery);
    if (refused.length > 0) return left(CliError.refusedFiles(refused));
    output.print(
      format.right === 'json' ? JSON.stringify(discovery, null, 2) : renderDiscoveryText(discovery, { quiet: settings.right.quiet }),
    );
    return right(problemsOf(discovery).length === 0 ? ExitCode.ok : ExitCode.findings);
  },
};
