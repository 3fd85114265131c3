import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node, YAMLMap } from 'yaml';
import { findingsForProblems } from './DiscoveryFinding.js';
import type { DiscoveryFinding } from './DiscoveryFinding.js';
import { canonicalizeImage } from './FoundImage.js';
import type { FoundImage } from './FoundImage.js';
import { interpolate, lookupIn } from './Interpolation.js';
import type { VariableLookup } from './Interpolation.js';
import { DUPLICATE_KEY_MESSAGE, findDuplicateKey } from './YamlKeys.js';

export interface ParseComposeOptions {
  /** The file's path as it should appear in findings (relative to the discovery root). */
  readonly file: string;
  /**
   * Values for `${VAR}` interpolation, and nothing else is consulted. Compose itself merges the shell
   * environment over the project's `.env`; `readComposeEnvironment` does that for callers who want it.
   */
  readonly env: ReadonlyMap<string, string>;
}

export interface ComposeImage extends FoundImage {
  readonly service: string;
}

/** A service with `build:`: the project builds this image itself. */
export interface BuiltService {
  readonly service: string;
  /** The line of `image:`, or of `build:` when the service names no image. */
  readonly line: number;
  /** Canonical reference of the `image:` it builds, or null when it names none (compose then invents one). */
  readonly reference: string | null;
  readonly raw: string | null;
}

/**
 * How a service builds its image (`build:`), interpolated: what discovery needs to read that Dockerfile the way
 * compose would build it. Paths are as written (POSIX), relative to the compose file's directory.
 */
export interface ComposeBuild {
  readonly service: string;
  /** The line of `build:`. */
  readonly line: number;
  /** `build.context`, or the string form `build: DIR`; `.` when not given. */
  readonly context: string;
  /** `build.dockerfile`, relative to the context; `Dockerfile` when not given. */
  readonly dockerfile: string;
  /** `build.args`, map or list form; an arg named without a value takes it from the environment, or is left out. */
  readonly args: ReadonlyMap<string, string>;
}

export interface ComposeImages {
  /** Services that run an image they do not build, in file order. */
  readonly images: readonly ComposeImage[];
  /** Services that build their image, in file order; kept apart so they are not aliased by default. */
  readonly built: readonly BuiltService[];
  /**
   * How each building service builds, in file order. A remote context (a git or http URL) or an inline
   * Dockerfile names no file to read and is left out.
   */
  readonly builds: readonly ComposeBuild[];
  readonly findings: readonly DiscoveryFinding[];
}

type Scope = { readonly doc: Document; readonly lines: LineCounter };

const lineOf = (scope: Scope, node: Node | null | undefined): number =>
  node?.range ? scope.lines.linePos(node.range[0]).line : 1;

/** Follows `*alias` to the node it names; undefined for an alias to nothing. */
const resolve = (scope: Scope, node: unknown): unknown => (isAlias(node) ? node.resolve(scope.doc) : node);

const isMergeKey = (key: unknown): boolean => isScalar(key) && (typeof key.value === 'symbol' || key.value === '<<');

interface Entry {
  readonly key: string;
  readonly keyNode: Node;
  readonly value: unknown;
}

/**
 * A mapping's entries with `<<: *anchor` merge keys applied (compose files use them for shared settings and
 * even shared services). Own keys win over merged ones; of several merged maps the first wins, as YAML 1.1
 * says. Own entries come first, in file order.
 */
const entriesOf = (scope: Scope, map: YAMLMap, visiting: ReadonlySet<YAMLMap> = new Set()): Entry[] => {
  // An anchor may merge itself (`a: &a { <<: *a }`); such a cycle adds nothing and must not recurse forever.
  if (visiting.has(map)) return [];
  const inside = new Set(visiting).add(map);
  const own: Entry[] = map.items
    .filter((pair) => !isMergeKey(pair.key))
    .map((pair) => ({
      key: isScalar(pair.key) ? String(pair.key.value) : String(pair.key),
      keyNode: pair.key as Node,
      value: resolve(scope, pair.value),
    }));
  const seen = new Set(own.map((entry) => entry.key));
  const merged: Entry[] = [];
  for (const pair of map.items) {
    if (!isMergeKey(pair.key)) continue;
    const value = resolve(scope, pair.value);
    const sources = isSeq(value) ? value.items.map((item) => resolve(scope, item)) : [value];
    for (const source of sources) {
      if (!isMap(source)) continue;
      for (const entry of entriesOf(scope, source, inside)) {
        if (seen.has(entry.key)) continue;
        seen.add(entry.key);
        merged.push(entry);
      }
    }
  }
  return [...own, ...merged];
};

const findKey = (scope: Scope, map: YAMLMap, key: string): Entry | undefined =>
  entriesOf(scope, map).find((entry) => entry.key === key);

/** The first line of a yaml error, without the position the finding already carries. */
const errorDetail = (message: string): string =>
  (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');

/** A build context that is not a directory: a git repository or a tarball URL. */
const REMOTE_CONTEXT = /^([a-z][a-z0-9+.-]*:\/\/|git@|github\.com\/)/i;

/** A scalar's text as compose reads it: strings as written, numbers and booleans spelled out. */
const scalarText = (node: unknown): string | undefined =>
  isScalar(node) && ['string', 'number', 'boolean'].includes(typeof node.value) ? String(node.value) : undefined;

/**
 * A service's `build:` (the string form or the mapping), interpolated like every compose value. Problems are
 * findings; a build whose Dockerfile cannot be worked out is left out.
 */
const readBuild = (options: {
  readonly scope: Scope;
  readonly service: string;
  readonly entry: Entry;
  readonly env: VariableLookup;
  readonly file: string;
}): { readonly build?: ComposeBuild; readonly findings: readonly DiscoveryFinding[] } => {
  const { scope, service, entry, env, file } = options;
  const findings: DiscoveryFinding[] = [];
  const line = lineOf(scope, entry.keyNode);
  const expand = (raw: string, node: unknown): string | undefined => {
    const result = interpolate(raw, { dialect: 'compose', lookup: env });
    if (result.problems.length === 0) return result.value;
    const at = isScalar(node) ? lineOf(scope, node) : line;
    findings.push(...findingsForProblems({ file, line: at, text: raw, problems: result.problems, reasonFor: () => 'unset-variable' }));
    return undefined;
  };
  const invalid = (node: unknown, detail: string): { readonly findings: readonly DiscoveryFinding[] } => ({
    findings: [...findings, { _tag: 'InvalidCompose', file, line: isScalar(node) || isMap(node) || isSeq(node) ? lineOf(scope, node) : line, detail }],
  });

  const value = entry.value;
  let contextRaw: string | undefined;
  let contextNode: unknown = value;
  let dockerfileRaw: string | undefined;
  let dockerfileNode: unknown;
  const args = new Map<string, string>();
  if (isScalar(value)) {
    contextRaw = scalarText(value);
    if (contextRaw === undefined) return invalid(value, `the build of service ${service} is not a directory or a mapping`);
  } else if (isMap(value)) {
    const context = findKey(scope, value, 'context');
    if (context !== undefined) {
      contextNode = context.value;
      contextRaw = scalarText(context.value);
      if (contextRaw === undefined) return invalid(context.value, `build.context of service ${service} is not a string`);
    }
    // An inline Dockerfile is text, not a file; reading it is left for later.
    if (findKey(scope, value, 'dockerfile_inline') !== undefined) return { findings };
    const dockerfile = findKey(scope, value, 'dockerfile');
    if (dockerfile !== undefined) {
      dockerfileNode = dockerfile.value;
      dockerfileRaw = scalarText(dockerfile.value);
      if (dockerfileRaw === undefined) return invalid(dockerfile.value, `build.dockerfile of service ${service} is not a string`);
    }
    const argsEntry = findKey(scope, value, 'args');
    const argsNode = argsEntry?.value;
    if (isMap(argsNode)) {
      for (const arg of entriesOf(scope, argsNode)) {
        if (isScalar(arg.value) && arg.value.value === null) {
          // `NAME:` with no value: compose takes it from the environment, and leaves it out when unset.
          const fromEnv = env(arg.key);
          if (fromEnv._tag === 'Set') args.set(arg.key, fromEnv.value);
          continue;
        }
        const text = scalarText(arg.value);
        if (text === undefined) return invalid(arg.value, `build arg ${arg.key} of service ${service} is not a string`);
        const expanded = expand(text, arg.value);
        if (expanded !== undefined) args.set(arg.key, expanded);
      }
    } else if (isSeq(argsNode)) {
      for (const item of argsNode.items) {
        const text = scalarText(resolve(scope, item));
        if (text === undefined) return invalid(item, `a build arg of service ${service} is not NAME=value`);
        const equals = text.indexOf('=');
        if (equals === -1) {
          const fromEnv = env(text);
          if (fromEnv._tag === 'Set') args.set(text, fromEnv.value);
          continue;
        }
        const expanded = expand(text.slice(equals + 1), item);
        if (expanded !== undefined) args.set(text.slice(0, equals), expanded);
      }
    } else if (argsEntry !== undefined && !(isScalar(argsNode) && argsNode.value === null)) {
      return invalid(argsNode, `build.args of service ${service} is neither a mapping nor a list`);
    }
  } else {
    return invalid(value, `the build of service ${service} is not a directory or a mapping`);
  }
  const context = contextRaw === undefined ? '.' : expand(contextRaw, contextNode);
  const dockerfile = dockerfileRaw === undefined ? 'Dockerfile' : expand(dockerfileRaw, dockerfileNode);
  if (context === undefined || dockerfile === undefined || REMOTE_CONTEXT.test(context)) return { findings };
  return { build: { service, line, context, dockerfile, args }, findings };
};

/**
 * The images a compose file's services use (`services.*.image`), with `${VAR}`, `$VAR`, `${VAR:-default}`,
 * `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`, `${VAR:+alt}`, `${VAR+alt}` and `$$` interpolated from
 * `env` only. Services with `build:` go to `built`. Problems become findings; nothing throws.
 *
 * @example
 * parseCompose('services:\n  cache:\n    image: redis:${TAG:-7}\n', { file: 'compose.yaml', env: new Map() })
 * // { images: [{ service: 'cache', reference: 'docker.io/library/redis:7', raw: 'redis:${TAG:-7}', line: 3 }],
 * //   built: [], builds: [], findings: [] }
 */
export const parseCompose = (text: string, options: ParseComposeOptions): ComposeImages => {
  const { file } = options;
  const lines = new LineCounter();
  // uniqueKeys off: the library's check is quadratic in a mapping's size; findDuplicateKey does it in one pass.
  let doc: Document;
  try {
    doc = parseDocument(text, { lineCounter: lines, merge: true, uniqueKeys: false });
  } catch (error) {
    // The parser recurses: `: : : ...` nests mappings thousands deep and can overflow the stack.
    const detail = error instanceof RangeError ? 'nested too deeply to read' : errorDetail(String(error));
    return { images: [], built: [], builds: [], findings: [{ _tag: 'ComposeSyntax', file, line: 1, detail }] };
  }
  const scope: Scope = { doc, lines };
  const duplicate = doc.errors.length > 0 ? undefined : findDuplicateKey(doc, { merge: true });
  if (duplicate !== undefined) {
    return {
      images: [],
      built: [],
      builds: [],
      findings: [{ _tag: 'ComposeSyntax', file, line: lines.linePos(duplicate.offset).line, detail: DUPLICATE_KEY_MESSAGE }],
    };
  }
  if (doc.errors.length > 0) {
    return {
      images: [],
      built: [],
      builds: [],
      findings: doc.errors.map((error) => ({
        _tag: 'ComposeSyntax',
        file,
        line: error.linePos?.[0].line ?? 1,
        detail: errorDetail(error.message),
      })),
    };
  }
  const images: ComposeImage[] = [];
  const built: BuiltService[] = [];
  const builds: ComposeBuild[] = [];
  const findings: DiscoveryFinding[] = [];
  const invalid = (node: Node | null | undefined, detail: string): void => {
    findings.push({ _tag: 'InvalidCompose', file, line: lineOf(scope, node), detail });
  };

  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return { images, built, builds, findings };
  if (!isMap(root)) {
    invalid(root, 'the top level is not a mapping of compose keys');
    return { images, built, builds, findings };
  }
  const servicesEntry = findKey(scope, root, 'services');
  if (servicesEntry === undefined) return { images, built, builds, findings };
  const services = servicesEntry.value;
  if (isScalar(services) && services.value === null) return { images, built, builds, findings };
  if (!isMap(services)) {
    invalid(servicesEntry.keyNode, '"services" is not a mapping of service names to services');
    return { images, built, builds, findings };
  }

  const env = lookupIn(options.env);
  for (const { key: service, keyNode, value: body } of entriesOf(scope, services)) {
    if (!isMap(body)) {
      invalid(keyNode, `service ${service} is not a mapping`);
      continue;
    }
    const image = findKey(scope, body, 'image');
    const build = findKey(scope, body, 'build');
    const buildsImage = build !== undefined && !(isScalar(build.value) && (build.value.value === null || build.value.value === false));
    if (buildsImage) {
      const read = readBuild({ scope, service, entry: build, env, file });
      findings.push(...read.findings);
      if (read.build !== undefined) builds.push(read.build);
    }
    if (image === undefined) {
      if (buildsImage) built.push({ service, line: lineOf(scope, build.keyNode), reference: null, raw: null });
      else invalid(keyNode, `service ${service} has neither image nor build (discovery does not follow extends)`);
      continue;
    }
    const valueNode = image.value;
    if (!isScalar(valueNode) || typeof valueNode.value !== 'string') {
      invalid(isScalar(valueNode) ? valueNode : image.keyNode, `the image of service ${service} is not a string`);
      continue;
    }
    const raw = valueNode.value;
    const line = lineOf(scope, valueNode);
    const expanded = interpolate(raw, { dialect: 'compose', lookup: env });
    if (expanded.problems.length > 0) {
      findings.push(...findingsForProblems({ file, line, text: raw, problems: expanded.problems, reasonFor: () => 'unset-variable' }));
      continue;
    }
    const result = canonicalizeImage({ file, line, raw, text: expanded.value });
    if (result._tag === 'Finding') findings.push(result.finding);
    else if (buildsImage) built.push({ service, line, reference: result.reference, raw });
    else images.push({ service, reference: result.reference, raw, line });
  }
  return { images, built, builds, findings };
};
