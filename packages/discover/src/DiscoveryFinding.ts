import { describeReferenceError } from '@imgalias/core';
import { excerpt } from '@imgalias/core/internal';
import type { ReferenceError } from '@imgalias/core';
import type { InterpolationProblem } from './Interpolation.js';

/**
 * Why an unset variable could not be substituted. Dockerfile reasons say which kind of ARG it was, because the
 * fix differs: give a default, declare the ARG before the first FROM, or pass a build arg.
 */
export type UnresolvedReason =
  /** A global `ARG NAME` with no default and no build-arg value. */
  | 'arg-without-value'
  /** No `ARG NAME` before the first FROM: Docker does not let FROM see it. */
  | 'undeclared-arg'
  /** One of BuildKit's automatic platform ARGs, whose value depends on the builder. */
  | 'platform-arg'
  /** A compose variable absent from the environment and `.env`. */
  | 'unset-variable';

/**
 * Something discovery noticed and did not turn into an image. Every finding names the file (relative to the
 * discovery root, POSIX separators) and, where there is one, the 1-based line.
 */
export type DiscoveryFinding =
  | {
      readonly _tag: 'UnresolvedVariable';
      readonly file: string;
      readonly line: number;
      /** The text as written, e.g. `redis:${TAG}`. */
      readonly text: string;
      readonly variable: string;
      /** When the variable was reached through another one (an ARG whose default names it). */
      readonly via?: string;
      readonly reason: UnresolvedReason;
    }
  | {
      /** `${VAR:?message}` / `${VAR?message}` with VAR unset (or empty, for `:?`). */
      readonly _tag: 'RequiredVariable';
      readonly file: string;
      readonly line: number;
      readonly text: string;
      readonly variable: string;
      readonly message: string;
    }
  | {
      /** A Dockerfile substitution form discovery does not implement (`${VAR#pattern}` and friends). */
      readonly _tag: 'UnsupportedSubstitution';
      readonly file: string;
      readonly line: number;
      readonly text: string;
      readonly expression: string;
    }
  | {
      /** Broken substitution syntax: unterminated `${` or quote, `${}`, a lone `$` in compose. */
      readonly _tag: 'InvalidInterpolation';
      readonly file: string;
      readonly line: number;
      readonly text: string;
      readonly detail: string;
    }
  | {
      /** The substituted text is not an image reference; `error` is the core's reason. */
      readonly _tag: 'InvalidReference';
      readonly file: string;
      readonly line: number;
      /** As written. */
      readonly raw: string;
      /** After substitution: what was handed to the reference parser. */
      readonly text: string;
      readonly error: ReferenceError;
    }
  | {
      /** A FROM instruction Docker itself would reject (no image, or not `image [AS name]`). */
      readonly _tag: 'MalformedFrom';
      readonly file: string;
      readonly line: number;
      readonly text: string;
    }
  | {
      /** The YAML does not parse. */
      readonly _tag: 'ComposeSyntax';
      readonly file: string;
      readonly line: number;
      readonly detail: string;
    }
  | {
      /** Valid YAML that is not a usable compose file at this spot (`services` not a mapping, `image` not a string). */
      readonly _tag: 'InvalidCompose';
      readonly file: string;
      readonly line: number;
      readonly detail: string;
    }
  | {
      /**
       * A compose service with `build:`: its image is the project's own, so it is not aliased unless discovery
       * is told to include built images. `reference` is null when the service names no `image:`.
       */
      readonly _tag: 'BuiltImage';
      readonly file: string;
      readonly line: number;
      readonly service: string;
      readonly reference: string | null;
    }
  | {
      /** A compose service builds from a Dockerfile that does not exist (`build.context` + `build.dockerfile`). */
      readonly _tag: 'BuildFileNotFound';
      /** The compose file. */
      readonly file: string;
      /** The line of the service's `build:`. */
      readonly line: number;
      readonly service: string;
      /** Relative to the discovery root. */
      readonly dockerfile: string;
    }
  | {
      /** A `.env` line that is not `KEY=value`. */
      readonly _tag: 'DotEnvSyntax';
      readonly file: string;
      readonly line: number;
      readonly detail: string;
    }
  | {
      /** An explicitly requested path that does not exist. */
      readonly _tag: 'PathNotFound';
      readonly file: string;
    }
  | {
      /** A file or directory that exists but could not be read. */
      readonly _tag: 'UnreadableFile';
      readonly file: string;
      readonly detail: string;
    }
  | {
      /**
       * A file imgalias will not read: not a regular file (a FIFO would block forever, a device never end), or
       * over a size limit (docs/configuration.md#input-limits). An input error, not a fact about the project.
       */
      readonly _tag: 'RefusedFile';
      readonly file: string;
      readonly detail: string;
    };

const describeUnresolved = (f: Extract<DiscoveryFinding, { _tag: 'UnresolvedVariable' }>): string => {
  const name = f.via === undefined ? f.variable : `${f.variable} (needed by ${f.via})`;
  switch (f.reason) {
    case 'arg-without-value':
      return `build arg ${name} has no value: give its ARG a default or pass it as a build arg`;
    case 'undeclared-arg':
      return `${name} is not declared by an ARG before the first FROM, so FROM cannot use it: declare it there`;
    case 'platform-arg':
      return `${name} is set by BuildKit for each build: pass it as a build arg to resolve this image`;
    case 'unset-variable':
      return `variable ${name} is not set: set it in the environment or in .env, or give a default with \${${f.variable}:-value}`;
  }
};

/**
 * The finding with every text field cut to an excerpt and made printable: the text comes from the project's files
 * (a 256 KiB FROM line, an ESC sequence in a `.env`), and a message must neither flood nor rewrite the terminal.
 */
const shown = (f: DiscoveryFinding): DiscoveryFinding =>
  Object.fromEntries(
    Object.entries(f).map(([key, value]) => [key, typeof value === 'string' && key !== '_tag' && key !== 'reason' ? excerpt(value) : value]),
  ) as DiscoveryFinding;

/**
 * One line saying what was found, where, and what to do.
 *
 * @example
 * describeDiscoveryFinding({ _tag: 'MalformedFrom', file: 'Dockerfile', line: 3, text: 'FROM' })
 * // 'Dockerfile:3: "FROM" is not FROM image [AS name]; Docker would reject it too'
 */
export const describeDiscoveryFinding = (finding: DiscoveryFinding): string => {
  const f = shown(finding);
  switch (f._tag) {
    case 'UnresolvedVariable':
      return `${f.file}:${f.line}: "${f.text}": ${describeUnresolved(f)}`;
    case 'RequiredVariable':
      return `${f.file}:${f.line}: "${f.text}": ${f.variable} is required${f.message === '' ? '' : ` (${f.message})`}: set it`;
    case 'UnsupportedSubstitution':
      return `${f.file}:${f.line}: "${f.text}": ${f.expression} is not supported by discovery: pass the image explicitly`;
    case 'InvalidInterpolation':
      return `${f.file}:${f.line}: "${f.text}": ${f.detail}`;
    case 'InvalidReference':
      return `${f.file}:${f.line}: "${f.text}"${f.raw === f.text ? '' : ` (from "${f.raw}")`} is not an image reference: ${describeReferenceError(f.error)}`;
    case 'MalformedFrom':
      return `${f.file}:${f.line}: "${f.text}" is not FROM image [AS name]; Docker would reject it too`;
    case 'ComposeSyntax':
      return `${f.file}:${f.line}: not valid YAML: ${f.detail}`;
    case 'InvalidCompose':
      return `${f.file}:${f.line}: ${f.detail}`;
    case 'BuiltImage':
      return f.reference === null
        ? `${f.file}:${f.line}: service ${f.service} builds its own image and names none; nothing to alias`
        : `${f.file}:${f.line}: service ${f.service} builds ${f.reference} itself; not aliased (--include-built or includeBuilt: true aliases it)`;
    case 'BuildFileNotFound':
      return `${f.file}:${f.line}: service ${f.service} builds from ${f.dockerfile}, which does not exist: check build.context and build.dockerfile`;
    case 'DotEnvSyntax':
      return `${f.file}:${f.line}: ${f.detail}`;
    case 'PathNotFound':
      return `${f.file}: no such file or directory`;
    case 'UnreadableFile':
      return `${f.file}: cannot be read: ${f.detail}`;
    case 'RefusedFile':
      return `${f.file}: not read: ${f.detail}`;
  }
};

/**
 * True for findings that report a fact rather than a problem (today only `BuiltImage`), so a caller can
 * exit 0 when nothing else was found.
 */
export const isInformationalFinding = (f: DiscoveryFinding): boolean => f._tag === 'BuiltImage';

/** Sort key for findings: by file, then line, then kind, then message, so output is deterministic. */
export const compareFindings = (a: DiscoveryFinding, b: DiscoveryFinding): number => {
  const lineOf = (f: DiscoveryFinding): number => ('line' in f ? f.line : 0);
  return (
    compareText(a.file, b.file) ||
    lineOf(a) - lineOf(b) ||
    compareText(a._tag, b._tag) ||
    compareText(describeDiscoveryFinding(a), describeDiscoveryFinding(b))
  );
};

/** Code-unit order, not locale order: the same on every machine. */
export const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Turns substitution problems at one spot into findings. `reasonFor` says why a variable was unset, which only
 * the caller (Dockerfile or compose reader) knows.
 */
export const findingsForProblems = (options: {
  readonly file: string;
  readonly line: number;
  readonly text: string;
  readonly problems: readonly InterpolationProblem[];
  readonly reasonFor: (variable: string) => UnresolvedReason;
}): DiscoveryFinding[] => {
  const { file, line, text } = options;
  return options.problems.map((p): DiscoveryFinding => {
    switch (p._tag) {
      case 'UnsetVariable':
        return {
          _tag: 'UnresolvedVariable',
          file,
          line,
          text,
          variable: p.variable,
          ...(p.via === undefined ? {} : { via: p.via }),
          reason: options.reasonFor(p.variable),
        };
      case 'RequiredVariable':
        return { _tag: 'RequiredVariable', file, line, text, variable: p.variable, message: p.message };
      case 'UnsupportedExpression':
        return { _tag: 'UnsupportedSubstitution', file, line, text, expression: p.expression };
      case 'InvalidSyntax':
        return { _tag: 'InvalidInterpolation', file, line, text, detail: p.detail };
    }
  });
};
