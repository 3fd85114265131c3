import { fc } from '@fast-check/jest';

/**
 * Shared pieces of the readers' fuzz tests: hostile text built from the tokens each language cares about, mixed
 * with arbitrary Unicode (controls included) and long runs, and the checks every reader's result must pass.
 */

/** Terminal controls a message must never print raw: C0 but newline, DEL, C1. */
// eslint-disable-next-line no-control-regex
export const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

/** The longest line any message may have: excerpts are 200 characters, a message quotes a few of them. */
export const MAX_MESSAGE_LINE = 2000;

/**
 * The CPU time a reader may take on one fuzz input: a hang detector (an endless loop, catastrophic backtracking),
 * not a speed check, so the margin is wide enough that no machine load reaches it. The slowest input of every
 * fuzz suite took at most about 1 s of CPU with coverage on at load average 13; a 5 s bound was once crossed
 * (5.4 s) in a loaded full run, where process-wide CPU time also counts the garbage collector's threads. Speed
 * belongs to the benchmarks, never to a test's outcome.
 */
export const TIME_BOUND_MS = 30_000;

const HOSTILE = ['\u001b]0;pwned\u0007', '\u001b[2J', '\u009b31m', '\u0000', '\r', '\u2028', '\ud800', '\u{1F600}'];

/** Text made of `tokens`, arbitrary strings, hostile controls, and now and then a long run of one short piece. */
export const textFrom = (tokens: readonly string[], options: { readonly maxParts?: number } = {}): fc.Arbitrary<string> =>
  fc
    .array(
      fc.oneof(
        { weight: 8, arbitrary: fc.constantFrom(...tokens) },
        { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
        { weight: 1, arbitrary: fc.constantFrom(...HOSTILE) },
        {
          weight: 1,
          arbitrary: fc
            .tuple(fc.constantFrom(...tokens, 'a', '$', '{', '[', '-'), fc.integer({ min: 1000, max: 6000 }))
            .map(([piece, times]) => piece.repeat(times)),
        },
      ),
      { maxLength: options.maxParts ?? 40 },
    )
    .map((parts) => parts.join(''));

/** Runs `read` and fails if it throws or uses more CPU time than the bound. */
export const withinBound = <A>(read: () => A): A => {
  const started = process.cpuUsage();
  const result = read();
  const used = process.cpuUsage(started);
  const took = (used.user + used.system) / 1000;
  if (took > TIME_BOUND_MS) throw new Error(`took ${Math.round(took)} ms of CPU time, more than ${TIME_BOUND_MS} ms`);
  return result;
};

/** Every line of a message is bounded and holds no raw terminal control. */
export const expectPrintableMessage = (message: string): void => {
  for (const line of message.split('\n')) {
    if (line.length > MAX_MESSAGE_LINE) throw new Error(`a message line of ${line.length} characters: ${line.slice(0, 120)}...`);
    if (RAW_CONTROL.test(line)) throw new Error(`a raw control character in a message line: ${JSON.stringify(line.slice(0, 200))}`);
  }
};
