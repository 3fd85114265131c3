// A scripted engine CLI behind the `exec` capability: each call is answered by the first rule whose verb
// matches, so a test says exactly what the engine does on the 1st, 2nd, ... pull, without module mocking.
import type { Exec, ExecOutcome, ExecRequest } from '../../src/index.js';

export const ok = (stdout = ''): ExecOutcome => ({ _tag: 'Exited', exitCode: 0, stdout, stderr: '' });
export const fail = (stderr: string, exitCode = 1): ExecOutcome => ({ _tag: 'Exited', exitCode, stdout: '', stderr });

export interface Scripted {
  readonly exec: Exec;
  readonly calls: string[][];
  readonly maxInFlight: () => number;
}

/**
 * `answer(args, n)` gets the call's arguments and how many calls with the same verb came before it.
 * `delayMs` keeps each call in flight for a while, to observe concurrency.
 */
export const scripted = (answer: (args: readonly string[], n: number) => ExecOutcome, delayMs = 0): Scripted => {
  const calls: string[][] = [];
  const perVerb = new Map<string, number>();
  let inFlight = 0;
  let most = 0;
  const exec: Exec = async (request: ExecRequest) => {
    calls.push([...request.args]);
    const verb = request.args[0] ?? '';
    const n = perVerb.get(verb) ?? 0;
    perVerb.set(verb, n + 1);
    inFlight += 1;
    most = Math.max(most, inFlight);
    if (delayMs > 0) await new Promise((done) => setTimeout(done, delayMs));
    inFlight -= 1;
    return answer(request.args, n);
  };
  return { exec, calls, maxInFlight: () => most };
};
