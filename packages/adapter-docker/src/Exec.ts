/** One engine CLI invocation: a program and an argument array, never a shell string. */
export interface ExecRequest {
  readonly command: string;
  readonly args: readonly string[];
  /**
   * The complete environment of the child process (not merged again with this process's own): the runner
   * passes `engineEnvironment(options)`, which already is `process.env` with the options laid over it, so a
   * fake exec sees exactly what the child gets.
   */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The child is killed after this long and the outcome is `TimedOut`. */
  readonly timeoutMs: number;
  /** Aborting it terminates the child (SIGTERM, then SIGKILL after a grace period) and the outcome is `Cancelled`. */
  readonly cancelSignal?: AbortSignal;
}

/** How a child process ended, as data. Everything an adapter needs to tell the failure modes apart. */
export type ExecOutcome =
  | { readonly _tag: 'Exited'; readonly exitCode: number; readonly stdout: string; readonly stderr: string }
  /** The process never ran: `code` is the system error (`ENOENT` when the binary is missing, `EACCES`, ...). */
  | { readonly _tag: 'SpawnFailed'; readonly code: string; readonly message: string }
  | { readonly _tag: 'TimedOut'; readonly stdout: string; readonly stderr: string }
  /** Ended because the caller aborted `cancelSignal` (SIGINT, SIGTERM on imgalias). */
  | { readonly _tag: 'Cancelled'; readonly stdout: string; readonly stderr: string }
  /** Killed by a signal this adapter did not send (OOM killer, a user's kill). */
  | { readonly _tag: 'Signalled'; readonly signal: string; readonly stdout: string; readonly stderr: string };

/**
 * The capability to run a program. The default runs it through execa; unit tests pass a fake that answers
 * from a table, so no test needs module mocking to avoid a real engine.
 */
export type Exec = (request: ExecRequest) => Promise<ExecOutcome>;

/**
 * Runs a program through execa with `reject: false`, converting its result to an `ExecOutcome`.
 *
 * execa is ESM-only; loading it with `import()` when first needed keeps this package's CommonJS build usable
 * on Node 20, where `require` of an ES module fails.
 */
export const execaExec: Exec = async (request) => {
  const { execa } = await import('execa');
  const result = await execa(request.command, [...request.args], {
    reject: false,
    env: request.env,
    extendEnv: false,
    timeout: request.timeoutMs,
    ...(request.cancelSignal === undefined ? {} : { cancelSignal: request.cancelSignal }),
    // An engine CLI that ignores SIGTERM is killed outright after this long, so an interrupted run ends.
    forceKillAfterDelay: 2000,
    stdin: 'ignore',
    // An engine that prints megabytes of listing is still a listing: do not cut it off.
    maxBuffer: 256 * 1024 * 1024,
    stripFinalNewline: true,
  });
  const stdout = typeof result.stdout === 'string' ? result.stdout : '';
  const stderr = typeof result.stderr === 'string' ? result.stderr : '';
  if (result.timedOut) return { _tag: 'TimedOut', stdout, stderr };
  if (result.isCanceled) return { _tag: 'Cancelled', stdout, stderr };
  if (typeof result.exitCode === 'number') return { _tag: 'Exited', exitCode: result.exitCode, stdout, stderr };
  // No exit code and no timeout: either the spawn itself failed (errno code) or a signal ended the child.
  const code = (result as { code?: unknown }).code;
  if (typeof code === 'string') {
    return { _tag: 'SpawnFailed', code, message: result.originalMessage ?? result.shortMessage ?? code };
  }
  return { _tag: 'Signalled', signal: result.signal ?? 'unknown', stdout, stderr };
};
