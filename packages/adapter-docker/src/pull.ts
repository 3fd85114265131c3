import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import type { CandidateFailure, ImageReference, ManifestProbeError, PullCandidate, PullError, PullOptions, PullRequest, PullResult, StoreError } from '@imgalias/core';
import { describeRefusal, parseReference } from '@imgalias/core';
import { mapBounded, spellReference } from '@imgalias/core/internal';
import type { EngineRunner } from './EngineRunner.js';
import type { ManifestHead } from './registry.js';
import { describeRegistryError, headManifest, isPermanentRegistryError } from './registry.js';
import { describeStoreError } from './StoreError.js';

/** Asking again cannot change the answer: a registry that says the image is unknown or off limits, or a refusal. */
export const isPermanentPullError = (e: PullError): boolean => e._tag === 'Refused' || (e._tag === 'Registry' && isPermanentRegistryError(e.error));

/**
 * What went wrong with a pull, in the registry's terms when it answered and the engine's own words otherwise;
 * a refused candidate (not an image reference) says why it was never pulled.
 */
export const describePullError = (e: PullError): string => {
  switch (e._tag) {
    case 'Engine':
      return describeStoreError(e.error, 'pull');
    case 'Registry':
      return `${describeRegistryError(e.error)} (${e.engine._tag === 'CommandFailed' ? e.engine.message : describeStoreError(e.engine, 'pull')})`;
    case 'Refused':
      return `not pulled: ${describeRefusal(e.reason)}`;
  }
};

export interface PullImagesOptions extends PullOptions {
  readonly runner: EngineRunner;
  /** The `Pull` entries of a pull plan (`pullsOf(planPrefetch(...))`). */
  readonly entries: readonly PullRequest[];
  /** Registries (`host[:port]`) the probe talks plain HTTP to, besides loopback ones. */
  readonly insecureRegistries?: readonly string[];
  /** In [0, 1). Default Math.random; tests inject a fixed sequence. */
  readonly random?: () => number;
  /** Default: a timer. Tests inject one that records the delays and returns at once. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** The registry question asked after a failed pull. Default `headManifest`. */
  readonly probe?: (reference: ImageReference) => Promise<Either<ManifestProbeError, ManifestHead>>;
}

export const defaultPullAttempts = 3;
export const defaultPullBaseDelayMs = 1000;
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

/** A timer that ends early (without error) when `signal` aborts, so a cancelled run does not sit out a backoff. */
const abortableDelay = (ms: number, signal: AbortSignal | undefined): Promise<void> =>
  new Promise<void>((done) => {
    if (signal?.aborted === true) return done();
    const timer = setTimeout(finish, ms);
    function finish(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', finish);
      done();
    }
    signal?.addEventListener('abort', finish, { once: true });
  });

const fatal = (e: StoreError): boolean => e._tag === 'EngineMissing' || e._tag === 'EngineUnreachable';

/**
 * Pulls every entry's image: candidates in the plan's order, each up to `attempts` times with backoff; a
 * permanent error moves on to the next candidate at once. A mirror's pull is followed by one `tag` to the
 * family name it stands for (`tagAs`). Runs at most `concurrency` pulls at a time.
 *
 * Resolves `Left` only when the engine cannot be used at all (missing, unreachable); every other failure is a
 * `PullFailed` result and the other pulls go on. Aborting `signal` cancels the pulls in flight (they end
 * `PullFailed` with a `Cancelled` error), skips any backoff, and marks the families not begun `NotStarted`.
 */
export const pullImages = async (options: PullImagesOptions): Promise<Either<StoreError, readonly PullResult[]>> => {
  const { runner } = options;
  const { signal } = options;
  const attempts = Math.max(1, Math.floor(options.attempts ?? defaultPullAttempts));
  const baseDelayMs = options.baseDelayMs ?? defaultPullBaseDelayMs;
  const maxDelayMs = options.maxDelayMs ?? defaultMaxDelayMs;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? ((ms: number) => abortableDelay(ms, signal));
  const cancelled = (): boolean => signal?.aborted === true;
  const probe =
    options.probe ??
    ((reference: ImageReference) =>
      headManifest({ reference, ...(options.insecureRegistries === undefined ? {} : { insecureRegistries: options.insecureRegistries }) }));
  const emit = options.onProgress ?? (() => undefined);
  const timeoutMs = options.timeoutMs ?? defaultPullTimeoutMs;
  let engineDown: StoreError | undefined;

  /** One attempt: Right on success, Left with the classified error. */
  const attempt = async (candidate: PullCandidate): Promise<Either<PullError, void>> => {
    // A planned name always parses; a caller's hand-made request may not, and the engine is never asked.
    const ref = parseReference(candidate.reference);
    if (ref._tag === 'Left') return left({ _tag: 'Refused', reason: { _tag: 'InvalidName', name: candidate.reference, error: ref.left } });
    const args = ['pull', ...(options.platform === undefined ? [] : ['--platform', options.platform]), spellReference(ref.right, runner.engine)];
    const pulled = await runner.run(args, { timeoutMs, ...(signal === undefined ? {} : { signal }) });
    if (pulled._tag === 'Left') {
      if (fatal(pulled.left)) {
        engineDown = pulled.left;
        return left({ _tag: 'Engine', error: pulled.left });
      }
      // Cancelled: the registry is not asked, the user asked to stop.
      if (pulled.left._tag === 'Cancelled') return left({ _tag: 'Engine', error: pulled.left });
      const asked = await probe(ref.right);
      return left(asked._tag === 'Left' ? { _tag: 'Registry', error: asked.left, engine: pulled.left } : { _tag: 'Engine', error: pulled.left });
    }
    if (candidate.tagAs !== undefined) {
      // Not cancelled even when the signal fires meanwhile: a pulled mirror image without its family name
      // would be half of the step (one quick tag process finishes it).
      const tagged = await runner.run(['tag', spellReference(ref.right, runner.engine), spellReference(candidate.tagAs, runner.engine)]);
      if (tagged._tag === 'Left') {
        if (fatal(tagged.left)) engineDown = tagged.left;
        return left({ _tag: 'Engine', error: tagged.left });
      }
    }
    return right(undefined);
  };

  const pullEntry = async (entry: PullRequest): Promise<PullResult> => {
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
        if (engineDown !== undefined || permanent || n === attempts || cancelled()) {
          const failure: CandidateFailure = { candidate, attempts: n, error: outcome.left, permanent };
          tried.push(failure);
          emit({ _tag: 'GiveUp', family: entry.family, failure });
          break;
        }
        const delayMs = backoffDelay({ attempt: n, baseDelayMs, maxDelayMs, random });
        emit({ _tag: 'Retry', family: entry.family, candidate, attempt: n, delayMs, error: outcome.left });
        await sleep(delayMs);
      }
      if (engineDown !== undefined || cancelled()) break;
    }
    const result: PullResult = { _tag: 'PullFailed', family: entry.family, tried };
    emit({ _tag: 'Done', result });
    return result;
  };

  const results = await mapBounded(
    options.entries,
    { limit: options.concurrency ?? defaultPullConcurrency, stopped: () => engineDown !== undefined || cancelled() },
    pullEntry,
    (entry): PullResult => ({ _tag: 'NotStarted', family: entry.family }),
  );
  return engineDown === undefined ? right(results) : left(engineDown);
};
