// A fake engine CLI behind the `exec` capability: it keeps names -> image ids in memory and answers the two
// verbs the store uses the way docker and podman do (list format and one-name reads, tag from a name or an id, error messages), so the
// store's logic is tested without a real engine and without module mocking.
import { canonicalTagName } from '@imgalias/core/internal';
import type { EngineKind } from '@imgalias/core';
import type { Exec, ExecOutcome, ExecRequest } from '../src/index.js';

export interface FakeImage {
  readonly id: string;
  readonly names: readonly string[];
}

export interface FakeEngine {
  readonly exec: Exec;
  /** Every request, in the order they started. */
  readonly calls: ExecRequest[];
  /** canonical name -> id */
  readonly names: Map<string, string>;
  /** Most processes ever running at once. */
  readonly maxInFlight: () => number;
  /** Verbs (`tag`, `image`/`images`) of the calls, after any global args. */
  readonly verbs: () => string[];
}

export interface FakeEngineOptions {
  readonly engine: EngineKind;
  readonly images: readonly FakeImage[];
  /** Answer a call differently (refuse a tag, time out, ...); return undefined to behave normally. */
  readonly override?: (args: readonly string[]) => ExecOutcome | undefined;
  /** Milliseconds each call takes, to observe concurrency. */
  readonly delayMs?: number;
  /** How many leading args are global flags (skipped before reading the verb). */
  readonly globalArgCount?: number;
}

const exited = (exitCode: number, stdout = '', stderr = ''): ExecOutcome => ({ _tag: 'Exited', exitCode, stdout, stderr });

const keyOf = (name: string): string | undefined => {
  const key = canonicalTagName(name);
  return key._tag === 'Right' ? key.right : undefined;
};

/** `docker.io/library/redis:7` -> `redis` / `7`; `localhost/x:1` -> `localhost/x` / `1` (docker's display). */
const dockerRepoTag = (canonical: string): [string, string] => {
  const at = canonical.lastIndexOf(':');
  const repo = canonical.slice(0, at).replace(/^docker\.io\/library\//, '').replace(/^docker\.io\//, '');
  return [repo, canonical.slice(at + 1)];
};

export const fakeEngine = (options: FakeEngineOptions): FakeEngine => {
  const names = new Map<string, string>();
  const ids = new Set<string>();
  for (const image of options.images) {
    ids.add(image.id);
    for (const name of image.names) {
      const key = keyOf(name);
      if (key !== undefined) names.set(key, image.id);
    }
  }
  const calls: ExecRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const skip = options.globalArgCount ?? 0;

  /** The whole store, or with `only` (`image ls NAME`, `images NAME`) just the image holding that name. */
  const list = (only?: string): ExecOutcome => {
    const onlyKey = only === undefined ? undefined : keyOf(only);
    const holds = (id: string): boolean => only === undefined || (onlyKey !== undefined && names.get(onlyKey) === id);
    if (options.engine === 'podman') {
      // `podmanListTemplate`'s lines: the names once per image, then one id-only line per further name.
      const lines = [...ids].filter(holds).flatMap((id) => {
        const own = [...names.entries()].filter(([, holder]) => holder === id).map(([name]) => name);
        return [`image\t${id}\t${own.join(' ')}\t${own.join(' ')}\t`, ...own.slice(1).map(() => `row\t${id}`)];
      });
      return exited(0, lines.join('\n'));
    }
    const rows: string[] = [];
    for (const id of [...ids].filter(holds)) {
      const own = [...names.entries()].filter(([name, holder]) => holder === id && (onlyKey === undefined || name === onlyKey));
      if (own.length === 0 && only === undefined) rows.push(JSON.stringify({ ID: id, Repository: '<none>', Tag: '<none>', Digest: '<none>' }));
      for (const [name] of own) {
        const [repo, tag] = dockerRepoTag(name);
        rows.push(JSON.stringify({ ID: id, Repository: repo, Tag: tag, Digest: '<none>' }));
      }
    }
    return exited(0, rows.join('\n'));
  };

  // The source is an image id (`sha256:` and 64 hex digits, as the store passes it) or a name.
  const imageOf = (source: string): string | undefined => {
    if (/^sha256:[0-9a-f]{64}$/.test(source)) return [...ids].find((id) => id === source || `sha256:${id}` === source);
    const sourceKey = keyOf(source);
    return sourceKey === undefined ? undefined : names.get(sourceKey);
  };

  const tag = (source: string, target: string): ExecOutcome => {
    const id = imageOf(source);
    if (id === undefined) {
      return options.engine === 'podman'
        ? exited(125, '', `Error: ${source}: image not known`)
        : exited(1, '', `Error response from daemon: No such image: ${source}`);
    }
    const targetKey = keyOf(target);
    if (targetKey === undefined) return exited(125, '', `Error: normalizing name "${target}": invalid reference format`);
    names.set(targetKey, id);
    return exited(0);
  };

  const exec: Exec = async (request) => {
    calls.push(request);
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      if (options.delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      const args = request.args.slice(skip);
      const overridden = options.override?.(args);
      if (overridden !== undefined) return overridden;
      if (args[0] === 'tag' && args.length === 3) return tag(args[1] as string, args[2] as string);
      // `podman tag SOURCE T1 T2 ...` gives every target in turn and stops at the first it refuses.
      if (args[0] === 'tag' && args.length > 3 && options.engine === 'podman') {
        for (const target of args.slice(2)) {
          const done = tag(args[1] as string, target);
          if (done._tag !== 'Exited' || done.exitCode !== 0) return done;
        }
        return exited(0);
      }
      // A trailing name after the format is a one-name read: `image ls ... --format {{json .}} NAME`.
      if (args[0] === 'image' && args[1] === 'ls') return list(args.length > 7 ? (args[args.length - 1] as string) : undefined);
      // `images ... --format TEMPLATE [NAME]`: a name after the template is a one-name read.
      if (args[0] === 'images') return list(args[args.length - 2] === '--format' ? undefined : (args[args.length - 1] as string));
      return exited(125, '', `unknown command ${args.join(' ')}`);
    } finally {
      inFlight -= 1;
    }
  };

  return {
    exec,
    calls,
    names,
    maxInFlight: () => maxInFlight,
    verbs: () => calls.map((call) => call.args[skip] as string),
  };
};
