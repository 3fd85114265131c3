import { DockerfileParser } from 'dockerfile-ast';
import type { Dockerfile } from 'dockerfile-ast';
import { findingsForProblems } from './DiscoveryFinding.js';
import type { DiscoveryFinding, UnresolvedReason } from './DiscoveryFinding.js';
import { canonicalizeImage } from './FoundImage.js';
import type { FoundImage } from './FoundImage.js';
import { interpolate } from './Interpolation.js';
import type { VariableLookup, VariableValue } from './Interpolation.js';

export interface ParseDockerfileOptions {
  /** The file's path as it should appear in findings (relative to the discovery root). */
  readonly file: string;
  /** `--build-arg` values. They override global ARG defaults, and only declared ARGs see them, as in Docker. */
  readonly buildArgs?: ReadonlyMap<string, string>;
}

export interface DockerfileImages {
  /** In file order; one entry per FROM that names an image. */
  readonly images: readonly FoundImage[];
  readonly findings: readonly DiscoveryFinding[];
}

/**
 * BuildKit defines these in the global scope of every Dockerfile with values that depend on the builder, so FROM
 * may use them without an ARG line. Discovery knows their values only when they are passed as build args.
 */
const PLATFORM_ARGS: ReadonlySet<string> = new Set([
  'BUILDPLATFORM',
  'BUILDOS',
  'BUILDARCH',
  'BUILDVARIANT',
  'TARGETPLATFORM',
  'TARGETOS',
  'TARGETARCH',
  'TARGETVARIANT',
]);

/**
 * The ARGs declared before the first FROM, in order. Each default is substituted with the ARGs before it, as
 * Docker does; a build-arg value replaces the default and is taken literally.
 */
const readGlobalArgs = (dockerfile: Dockerfile, buildArgs: ReadonlyMap<string, string>): Map<string, VariableValue> => {
  const globals = new Map<string, VariableValue>();
  const lookup: VariableLookup = (name) => globals.get(name) ?? { _tag: 'Unset' };
  for (const arg of dockerfile.getInitialARGs()) {
    for (const property of arg.getProperties()) {
      const name = property.getName();
      const passed = buildArgs.get(name);
      // dockerfile-ast's "unescaped" value is the raw text (quotes and escapes intact, continuations joined);
      // quotes and escapes are processed by `interpolate` below, once.
      const raw = property.getUnescapedValue();
      if (passed !== undefined) {
        globals.set(name, { _tag: 'Set', value: passed });
      } else if (raw !== null) {
        const result = interpolate(raw, { dialect: 'dockerfile', escapeChar: dockerfile.getEscapeCharacter(), lookup });
        globals.set(name, result.problems.length === 0 ? { _tag: 'Set', value: result.value } : { _tag: 'Unresolved', problems: result.problems });
      } else if (!globals.has(name)) {
        globals.set(name, { _tag: 'Unset' });
      }
    }
  }
  return globals;
};

/**
 * The images a Dockerfile's FROM instructions name, with global ARGs and build args substituted.
 *
 * Not images: `scratch`, and a FROM naming an earlier stage (`AS name`, compared case-insensitively as Docker
 * does). A FROM whose image cannot be worked out, or is not a valid reference, becomes a finding. Heredoc bodies
 * are data, not instructions.
 *
 * @example
 * parseDockerfile('ARG TAG=7\nFROM redis:${TAG} AS base\nFROM base\n', { file: 'Dockerfile' })
 * // { images: [{ reference: 'docker.io/library/redis:7', raw: 'redis:${TAG}', line: 2 }], findings: [] }
 */
export const parseDockerfile = (text: string, options: ParseDockerfileOptions): DockerfileImages => {
  const { file } = options;
  const buildArgs = options.buildArgs ?? new Map<string, string>();
  const dockerfile = DockerfileParser.parse(text);
  const globals = readGlobalArgs(dockerfile, buildArgs);
  const lookup: VariableLookup = (name) => {
    const declared = globals.get(name);
    if (declared !== undefined) return declared;
    const passed = PLATFORM_ARGS.has(name) ? buildArgs.get(name) : undefined;
    return passed === undefined ? { _tag: 'Unset' } : { _tag: 'Set', value: passed };
  };
  const reasonFor = (variable: string): UnresolvedReason =>
    globals.has(variable) ? 'arg-without-value' : PLATFORM_ARGS.has(variable) ? 'platform-arg' : 'undeclared-arg';

  const images: FoundImage[] = [];
  const findings: DiscoveryFinding[] = [];
  const stages = new Set<string>();
  for (const from of dockerfile.getFROMs()) {
    const line = from.getRange().start.line + 1;
    const args = from.getArguments().map((argument) => argument.getValue());
    // dockerfile-ast only knows `--platform=value`; with `--platform value` it reports a flag without a value
    // and leaves the value as the first argument.
    const platformWithoutValue = from.getFlags().some((flag) => flag.getName() === 'platform' && flag.getValue() === null);
    const words = platformWithoutValue ? args.slice(1) : args;
    const [raw, as, stage] = words;
    const wellFormed = raw !== undefined && (words.length === 1 || (words.length === 3 && as?.toLowerCase() === 'as'));
    if (!wellFormed) {
      findings.push({ _tag: 'MalformedFrom', file, line, text: [from.getInstruction(), ...args].join(' ') });
      continue;
    }
    const expanded = interpolate(raw, { dialect: 'dockerfile', escapeChar: dockerfile.getEscapeCharacter(), lookup });
    if (expanded.problems.length > 0) {
      findings.push(...findingsForProblems({ file, line, text: raw, problems: expanded.problems, reasonFor }));
    } else if (expanded.value !== 'scratch' && !stages.has(expanded.value.toLowerCase())) {
      const result = canonicalizeImage({ file, line, raw, text: expanded.value });
      if (result._tag === 'Image') images.push({ reference: result.reference, raw, line });
      else findings.push(result.finding);
    }
    // Registered after its own FROM: in `FROM redis AS redis` the image is redis, not the stage.
    if (stage !== undefined) stages.add(stage.toLowerCase());
  }
  return { images, findings };
};
