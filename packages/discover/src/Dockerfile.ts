import { DockerfileParser } from 'dockerfile-ast';
import type { Dockerfile, From, ModifiableInstruction } from 'dockerfile-ast';
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

/** A FROM's words after its flags: `image`, or `image AS name`. */
const fromWords = (from: From): readonly string[] => {
  const args = from.getArguments().map((argument) => argument.getValue());
  // dockerfile-ast only knows `--platform=value`; with `--platform value` it reports a flag without a value
  // and leaves the value as the first argument.
  const platformWithoutValue = from.getFlags().some((flag) => flag.getName() === 'platform' && flag.getValue() === null);
  return platformWithoutValue ? args.slice(1) : args;
};

/** A stage named by `COPY --from` or a mount's `from`: its name (any case) or its index in the file. */
const isStageReference = (value: string, stages: ReadonlySet<string>): boolean =>
  /^[0-9]+$/.test(value) || stages.has(value.toLowerCase());

/**
 * The images a Dockerfile makes a build pull: those its FROM instructions name, the `# syntax=` frontend image,
 * `COPY --from=IMAGE` and `RUN --mount=...,from=IMAGE`, with global ARGs and build args substituted. An
 * air-gapped build needs every one of them.
 *
 * Not images: `scratch`, and a FROM, `--from` or `from=` naming a stage (`AS name`, compared case-insensitively
 * as Docker does; `--from` may also give a stage's index). A reference that cannot be worked out, or is not a
 * valid reference, becomes a finding. Heredoc bodies are data, not instructions.
 *
 * @example
 * parseDockerfile('ARG TAG=7\nFROM redis:${TAG} AS base\nFROM base\nCOPY --from=ghcr.io/astral-sh/uv:0.4.0 /uv /bin/\n', { file: 'Dockerfile' })
 * // { images: [{ reference: 'docker.io/library/redis:7', raw: 'redis:${TAG}', line: 2 },
 * //            { reference: 'ghcr.io/astral-sh/uv:0.4.0', raw: 'ghcr.io/astral-sh/uv:0.4.0', line: 4 }], findings: [] }
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
  /** Substitutes and canonicalises one image word; `skip` says when the substituted text names no image. */
  const addImage = (raw: string, line: number, skip: (value: string) => boolean): void => {
    const expanded = interpolate(raw, { dialect: 'dockerfile', escapeChar: dockerfile.getEscapeCharacter(), lookup });
    if (expanded.problems.length > 0) {
      findings.push(...findingsForProblems({ file, line, text: raw, problems: expanded.problems, reasonFor }));
    } else if (expanded.value !== 'scratch' && !skip(expanded.value)) {
      const result = canonicalizeImage({ file, line, raw, text: expanded.value });
      if (result._tag === 'Image') images.push({ reference: result.reference, raw, line });
      else findings.push(result.finding);
    }
  };

  // BuildKit pulls the frontend image a `# syntax=` directive names before it reads anything else.
  for (const directive of dockerfile.getDirectives()) {
    if (directive.getName().toLowerCase() !== 'syntax') continue;
    const value = directive.getValue().trim();
    if (value === '') continue;
    const result = canonicalizeImage({ file, line: directive.getRange().start.line + 1, raw: value, text: value });
    if (result._tag === 'Image') images.push({ reference: result.reference, raw: value, line: directive.getRange().start.line + 1 });
    else findings.push(result.finding);
  }

  // Every stage name, for `--from` and `from=`, which may name a stage defined anywhere in the file.
  const allStages = new Set<string>();
  for (const from of dockerfile.getFROMs()) {
    const [, as, name] = fromWords(from);
    if (as?.toLowerCase() === 'as' && name !== undefined) allStages.add(name.toLowerCase());
  }

  const stages = new Set<string>();
  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword();
    const line = instruction.getRange().start.line + 1;
    if (keyword === 'COPY' || keyword === 'RUN') {
      const flags = (instruction as ModifiableInstruction).getFlags();
      for (const flag of flags) {
        const value =
          keyword === 'COPY'
            ? flag.getName() === 'from' ? flag.getValue() : null
            : flag.getName() === 'mount' ? (flag.getOption('from')?.getValue() ?? null) : null;
        if (value === null || value === '') continue;
        addImage(value, line, (expanded) => isStageReference(expanded, allStages));
      }
      continue;
    }
    if (keyword !== 'FROM') continue;
    const from = instruction as From;
    const words = fromWords(from);
    const [raw, as, stage] = words;
    const wellFormed = raw !== undefined && (words.length === 1 || (words.length === 3 && as?.toLowerCase() === 'as'));
    if (!wellFormed) {
      const args = from.getArguments().map((argument) => argument.getValue());
      findings.push({ _tag: 'MalformedFrom', file, line, text: [from.getInstruction(), ...args].join(' ') });
      continue;
    }
    addImage(raw, line, (expanded) => stages.has(expanded.toLowerCase()));
    // Registered after its own FROM: in `FROM redis AS redis` the image is redis, not the stage.
    if (stage !== undefined) stages.add(stage.toLowerCase());
  }
  return { images, findings };
};
