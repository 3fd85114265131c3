import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import type { ImageReference, PullCandidate, PullEntry, StoreError } from '@imgalias/core';
import { parseReference, spellReference } from '@imgalias/core';
import type { EngineRunner } from './EngineRunner.js';
import type { ManifestHead, RegistryError } from './registry.js';
import { describeRegistryError, headManifest, isPermanentRegistryError } from './registry.js';
import { describeStoreError } from './StoreError.js';

/**
 * Why one pull attempt failed.
 *
 * The engine's exit status says only "failed", and its words are not a contract. So after a failed pull the
 * registry itself is asked (`HEAD` on the manifest, as the pull's own first request): a 404 or a 401/403 is
 * permanent (`Registry` with a permanent `RegistryError`), no answer or a 5xx is transient, and a manifest
 * that is there means the pull failed on the way (blobs, a dropped connection): transient (`Engine`).
 */
export type PullError =
  | { readonly _tag: 'Engine'; readonly error: StoreError }
  | { readonly _tag: 'Registry'; readonly error: RegistryError; readonly engine: StoreError };

export const isPermanentPullError = (e: PullError): boolean => e._tag === 'Registry' && isPermanentRegistryError(e.error);

/** What went wrong with a pull, in the registry's terms when it answered and the engine's own words otherwise. */
export const describePullError = (e: PullError): string =>
  e._tag === 'Engine' ? describeStoreError(e.error) : `${describeRegistryError(e.error)} (${e.engine._tag === 'CommandFailed' ? e.engine.message : describeStoreError(e.engine)})`;

/** One candidate given up on: after how many attempts, with the last error. */
export interface CandidateFailure {
  readonly candidate: PullCandidate;
  readonly attempts: number;
  readonly error: PullError;
  /** true when the error was permanent and the candidate was not retried */
  readonly permanent: boolean;
}

export type PullResult =
  | {
      readonly _tag: 'Pulled';
      readonly family: string;
      readonly candidate: PullCandidate;
      /** attempts on the candidate that worked */
      readonly attempts: number;
      /** candidates given up on before it */
      readonly tried: readonly CandidateFailure[];
    }
  | { readonly _tag: 'PullFailed'; readonly family: string; readonly tried: readonly CandidateFailure[] };

/** Progress, as it happens; a TTY display or a log consumes it. */
export type PullEvent =
  | { readonly _tag: 'Attempt'; readonly family: string; readonly candidate: PullCandidate; readonly attempt: number }
  | {
      readonly _tag: 'Retry';
      readonly family: string;
      readonly candidate: PullCandidate;
      readonly attempt: number;
      readonly delayMs: number;
      readonly error: PullError;
    }
  | { readonly _tag: 'GiveUp'; readonly family: string; readonly failure: CandidateFailure }
  | { readonly _tag: 'Done'; readonly result: PullResult };

export interface PullImagesOptions {
  readonly runner: EngineRunner;
  /** The `Pull` entries of a pull plan (`pullsOf(planPrefetch(...))`). */
  readonly entries: readonly Extract<PullEntry, { readonly _tag: 'Pull' }>[];
  /** Attempts per candidate, at least 1. */
  readonly attempts: number;
  /** Delay before the second attempt; doubled before each further one, with jitter. */
  readonly baseDelayMs: number;
  /** Cap for one delay. Default 30 s. */
  readonly maxDelayMs?: number;
  /** Pulls in flight at once. Default 3. */
  readonly concurrency?: number;
  /** Per pull process. Default 10 minutes: a pull of a large image on a slow link is not hung. */
  readonly timeoutMs?: number;
  /** `os/arch[/variant]` to pull (`--platform`); default: the engine's own. */
  readonly platform?: string;
  /** Registries (`host[:port]`) the probe talks plain HTTP to, besides loopback ones. */
  readonly insecureRegistries?: readonly string[];
  /** In [0, 1). Default Math.random; tests inject a fixed sequence. */
  readonly random?: () => number;
  /** Default: a timer. Tests inject one that records the delays and returns at once. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** The registry question asked after a failed pull. Default `headManifest`. */
  readonly probe?: (reference: ImageReference) => Promise<Either<RegistryError, ManifestHead>>;
  readonly onProgress?: (event: PullEvent) => void;
}

export const defaultPullConcurrency = 3;
export const defaultPullTimeoutMs = 10 * 60_000;
export const defaultMaxDelayMs = 30_000;

/**
 * Exponential backoff with "equal jitter": before attempt `n + 1` wait between half and all of
 * `min(max, base * 2^(n-1))`. The fixed half keeps retries from hammering a registry that is coming back; the
 * random half keeps many hosts (or many pulls) from retrying in lockstep.
 *
 * @example
 * backoffDelay({ attempt: 3, baseDelayMs: 1000, maxDelayMs: 30_000, random: () => 0.5 }) // 3000 (4000 * 0.75)
 */
export const backoffDelay = (options: { attempt: number; baseDelayMs: number; maxDelayMs: number; random: () => number }): number => {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, options.attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * Math.min(Math.max(options.random(), 0), 1));
};

const fatal = (e: StoreError): boolean => e._tag === 'EngineMissing' || e._tag === 'EngineUnreachable';

/** Runs `work` over `items` with at most `limit` in flight, stopping new work once `stop()` says so. */
const mapBounded = async <A, B>(items: readonly A[], limit: number, stop: () => boolean, work: (item: A) => Promise<B>): Promise<B[]> => {
  const results: B[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !stop()) {
      const index = next;
      next += 1;
      results[index] = await work(items[index] as A);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results.filter((r) => r !== undefined);
};

/**
 * Pulls every entry's image: candidates in the plan's order, each up to `attempts` times with backoff; a
 * permanent error moves on to the next candidate at once. A mirror's pull is followed by one `tag` to the
 * family name it stands for (`tagAs`). Runs at most `concurrency` pulls at a time.
 *
 * Resolves `Left` only when the engine cannot be used at all (missing, unreachable); every other failure is a
 * `PullFailed` result and the other pulls go on.
 */
export const pullImages = async (options: PullImagesOptions): Promise<Either<StoreError, readonly PullResult[]>> => {
  const { runner } = options;
  const attempts = Math.max(1, Math.floor(options.attempts));
  const maxDelayMs = options.maxDelayMs ?? defaultMaxDelayMs;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)));
  const probe =
    options.probe ??
    ((reference: ImageReference) =>
      headManifest({ reference, ...(options.insecureRegistries === undefined ? {} : { insecureRegistries: options.insecureRegistries }) }));
  const emit = options.onProgress ?? (() => undefined);
  const timeoutMs = options.timeoutMs ?? defaultPullTimeoutMs;
  let engineDown: StoreError | undefined;

  /** One attempt: Right on success, Left with the classified error. */
  const attempt = async (candidate: PullCandidate): Promise<Either<PullError, void>> => {
    const ref = parseReference(candidate.reference);
    /* istanbul ignore next -- plan names are canonical and always parse */
    if (ref._tag === 'Left') {
      return left({ _tag: 'Engine', error: { _tag: 'CommandFailed', engine: runner.engine, args: ['pull', candidate.reference], exitCode: null, message: 'not an image reference' } });
    }
    const args = ['pull', ...(options.platform === undefined ? [] : ['--platform', options.platform]), spellReference(ref.right, runner.engine)];
    const pulled = await runner.run(args, { timeoutMs });
    if (pulled._tag === 'Left') {
      if (fatal(pulled.left)) {
        engineDown = pulled.left;
        return left({ _tag: 'Engine', error: pulled.left });
      }
      const asked = await probe(ref.right);
      return left(asked._tag === 'Left' ? { _tag: 'Registry', error: asked.left, engine: pulled.left } : { _tag: 'Engine', error: pulled.left });
    }
    if (candidate.tagAs !== undefined) {
      const tagged = await runner.run(['tag', spellReference(ref.right, runner.engine), spellReference(candidate.tagAs, runner.engine)]);
      if (tagged._tag === 'Left') {
        if (fatal(tagged.left)) engineDown = tagged.left;
        return left({ _tag: 'Engine', error: tagged.left });
      }
    }
    return right(undefined);
  };

  const pullEntry = async (entry: Extract<PullEntry, { readonly _tag: 'Pull' }>): Promise<PullResult> => {
    const tried: CandidateFailure[] = [];
    for (const candidate of entry.candidates) {
      for (let n = 1; n <= attempts; n++) {
        emit({ _tag: 'Attempt', family: entry.family, candidate, attempt: n });
        const outcome = await attempt(candidate);
        if (outcome._tag === 'Right') {
          const result: PullResult = { _tag: 'Pulled', family: entry.family, candidate, attempts: n, tried };
          emit({ _tag: 'Done', result });
          return result;
        }
        const permanent = isPermanentPullError(outcome.left);
        if (engineDown !== undefined || permanent || n === attempts) {
          const failure: CandidateFailure = { candidate, attempts: n, error: outcome.left, permanent };
          tried.push(failure);
          emit({ _tag: 'GiveUp', family: entry.family, failure });
          break;
        }
        const delayMs = backoffDelay({ attempt: n, baseDelayMs: options.baseDelayMs, maxDelayMs, random });
        emit({ _tag: 'Retry', family: entry.family, candidate, attempt: n, delayMs, error: outcome.left });
        await sleep(delayMs);
      }
      if (engineDown !== undefined) break;
    }
    const result: PullResult = { _tag: 'PullFailed', family: entry.family, tried };
    emit({ _tag: 'Done', result });
    return result;
  };

  const results = await mapBounded(options.entries, options.concurrency ?? defaultPullConcurrency, () => engineDown !== undefined, pullEntry);
  return engineDown === undefined ? right(results) : left(engineDown);
};
