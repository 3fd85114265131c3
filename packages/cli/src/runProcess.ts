import { setMaxListeners } from 'node:events';
import { printable } from '@imgalias/core/internal';
import { run } from './main.js';

// With bin.ts, the only place that touches process.argv, process.exit and the real streams: everything else is
// a function of its io, so tests run the same code in-process.

/** Runs `imgalias` as this process: its arguments, streams, environment and exit code. */
export function runProcess(): void {
  // `imgalias plan | head` closes the pipe early; that is the reader's choice, not an error worth a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }

  // SIGINT/SIGTERM: while a command runs work that can report what it did (apply, fix, prefetch, publish,
  // clean --apply, sync), the signal aborts that work and the command exits 130/143 after its partial report;
  // anywhere else, or on a second signal, the process ends as the signal's default action would have ended it.
  const interruption = new AbortController();
  // Every engine process and registry request in flight listens on it: many at once is no listener leak.
  setMaxListeners(0, interruption.signal);
  let guarded = 0;
  const onSignal = (name: 'SIGINT' | 'SIGTERM'): void => {
    if (guarded === 0 || interruption.signal.aborted) {
      process.removeListener(name, handlers[name]);
      process.kill(process.pid, name);
      return;
    }
    interruption.abort(name);
  };
  const handlers = { SIGINT: () => onSignal('SIGINT'), SIGTERM: () => onSignal('SIGTERM') } as const;
  process.on('SIGINT', handlers.SIGINT);
  process.on('SIGTERM', handlers.SIGTERM);

  run(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    stdin: () => process.stdin,
    interrupt: {
      signal: interruption.signal,
      during: async (work) => {
        guarded += 1;
        try {
          return await work();
        } finally {
          guarded -= 1;
        }
      },
    },
  }).then(
    (code) => {
      // Not process.exit(): pending output to a pipe must be flushed first.
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(printable(`imgalias: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`, { lines: true }));
      process.stderr.write('This is a bug in imgalias; please report it with the command you ran.\n');
      // Outside 0-3 on purpose: a crash must not read as "findings" (1) to a calling script.
      process.exitCode = 70;
    },
  );
}
