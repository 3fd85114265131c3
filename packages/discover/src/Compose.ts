import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node, YAMLMap } from 'yaml';
import { findingsForProblems } from './DiscoveryFinding.js';
import type { DiscoveryFinding } from './DiscoveryFinding.js';
import { canonicalizeImage } from './FoundImage.js';
import type { FoundImage } from './FoundImage.js';
import { interpolate, lookupIn } from './Interpolation.js';

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

export interface ComposeImages {
  /** Services that run an image they do not build, in file order. */
  readonly images: readonly ComposeImage[];
  /** Services that build their image, in file order; kept apart so they are not aliased by default. */
  readonly built: readonly BuiltService[];
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

/**
 * The images a compose file's services use (`services.*.image`), with `${VAR}`, `$VAR`, `${VAR:-default}`,
 * `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`, `${VAR:+alt}`, `${VAR+alt}` and `$$` interpolated from
 * `env` only. Services with `build:` go to `built`. Problems become findings; nothing throws.
 *
 * @example
 * parseCompose('services:\n  cache:\n    image: redis:${TAG:-7}\n', { file: 'compose.yaml', env: new Map() })
 * // { images: [{ service: 'cache', reference: 'docker.io/library/redis:7', raw: 'redis:${TAG:-7}', line: 3 }],
 * //   built: [], findings: [] }
 */
export const parseCompose = (text: string, options: ParseComposeOptions): ComposeImages => {
  const { file } = options;
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, merge: true });
  const scope: Scope = { doc, lines };
  if (doc.errors.length > 0) {
    return {
      images: [],
      built: [],
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
  const findings: DiscoveryFinding[] = [];
  const invalid = (node: Node | null | undefined, detail: string): void => {
    findings.push({ _tag: 'InvalidCompose', file, line: lineOf(scope, node), detail });
  };

  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return { images, built, findings };
  if (!isMap(root)) {
    invalid(root, 'the top level is not a mapping of compose keys');
    return { images, built, findings };
  }
  const servicesEntry = findKey(scope, root, 'services');
  if (servicesEntry === undefined) return { images, built, findings };
  const services = servicesEntry.value;
  if (isScalar(services) && services.value === null) return { images, built, findings };
  if (!isMap(services)) {
    invalid(servicesEntry.keyNode, '"services" is not a mapping of service names to services');
    return { images, built, findings };
  }

  const env = lookupIn(options.env);
  for (const { key: service, keyNode, value: body } of entriesOf(scope, services)) {
    if (!isMap(body)) {
      invalid(keyNode, `service ${service} is not a mapping`);
      continue;
    }
    const image = findKey(scope, body, 'image');
    const build = findKey(scope, body, 'build');
    const builds = build !== undefined && !(isScalar(build.value) && (build.value.value === null || build.value.value === false));
    if (image === undefined) {
      if (builds) built.push({ service, line: lineOf(scope, build.keyNode), reference: null, raw: null });
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
    else if (builds) built.push({ service, line, reference: result.reference, raw });
    else images.push({ service, reference: result.reference, raw, line });
  }
  return { images, built, findings };
};
