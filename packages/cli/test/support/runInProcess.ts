import { Readable } from 'node:stream';
import { run } from '../../src/main.js';
import type { CliIO } from '../../src/commands/Command.js';

/** A stream that keeps what is written, optionally pretending to be a terminal. */
export const captureStream = (isTTY = false) => {
  const chunks: string[] = [];
  return {
    isTTY,
    write: (chunk: string) => {
      chunks.push(chunk);
      return true;
    },
    text: () => chunks.join(''),
  };
};

export interface InProcessResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `imgalias` in this process, as bin.ts does but with captured streams. Settings read only the environment
 * the test passes (never the developer's), so IMGALIAS_* set in a shell cannot change a result. The engine gets
 * it laid over this process's environment, whose engine variables jest.config.js points at sockets nobody
 * listens on (test-support/engineGuard.mjs): a DOCKER_HOST set in a shell cannot reach a test either.
 */
export async function runInProcess(
  argv: readonly string[],
  options: {
    readonly cwd: string;
    readonly env?: Readonly<Record<string, string>>;
    readonly fetch?: typeof fetch;
    /** What the program reads as standard input (`apply --plan -`). */
    readonly stdin?: string;
  },
): Promise<InProcessResult> {
  const stdout = captureStream();
  const stderr = captureStream();
  const io: CliIO = {
    stdout,
    stderr,
    cwd: options.cwd,
    env: options.env ?? {},
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.stdin === undefined ? {} : { stdin: () => Readable.from([options.stdin ?? '']) }),
  };
  const exitCode = await run(argv, io);
  return { exitCode, stdout: stdout.text(), stderr: stderr.text() };
}
